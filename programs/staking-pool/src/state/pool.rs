use anchor_lang::prelude::*;
use program_accounts::token_moves::VaultOwner;

use crate::constants::{
    MAX_APR_BPS, MAX_NOTICE_PERIOD, MAX_RESERVE_BPS, MAX_UNBONDING_PERIOD, MIN_EXECUTION_WINDOW,
    NOTICE_REACTION_MARGIN, NO_DEPOSIT_CAP, POOL_SEED,
};
use crate::errors::StakingError;
use crate::principal;
use crate::rewards::{self, Owed};
use crate::state::{
    CancelReason, Change, ChangeKind, Dropped, PendingChanges, PodLimits, PodOwed, PodU128,
    Position, Window,
};

/// Parameters the admin sets at creation and may change later with `set_params`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolLimits {
    /// Share of principal kept idle in the vault, in bps; the rest may be lent.
    pub reserve_bps: u16,
    /// Smallest accepted deposit, in base units.
    pub min_deposit: u64,
    /// Largest total principal the pool accepts; `u64::MAX` means no cap.
    pub deposit_cap: u64,
    /// Seconds between `request_unbond` and the unlock of that amount; 0 = withdraw directly.
    pub unbonding_period: i64,
    /// Seconds a change against depositors waits between its proposal and its execution
    /// (`propose_change`); 0 = every change applies at once. When set, at least
    /// `unbonding_period + NOTICE_REACTION_MARGIN`, so a depositor who starts to leave within
    /// a day of the announcement is unlocked before the change can apply.
    pub notice_period: i64,
}

impl PoolLimits {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.reserve_bps <= MAX_RESERVE_BPS,
            StakingError::InvalidReserve
        );
        require!(
            (0..=MAX_UNBONDING_PERIOD).contains(&self.unbonding_period),
            StakingError::InvalidUnbondingPeriod
        );
        require!(
            self.min_deposit <= self.deposit_cap,
            StakingError::InvalidDepositLimits
        );
        require!(
            (0..=MAX_NOTICE_PERIOD).contains(&self.notice_period),
            StakingError::InvalidNoticePeriod
        );
        require!(
            self.notice_period == 0
                || self.notice_period >= self.unbonding_period + NOTICE_REACTION_MARGIN,
            StakingError::NoticeTooCloseToUnbonding
        );
        Ok(())
    }
}

impl Default for PoolLimits {
    fn default() -> Self {
        Self {
            reserve_bps: MAX_RESERVE_BPS,
            min_deposit: 0,
            deposit_cap: NO_DEPOSIT_CAP,
            unbonding_period: 0,
            notice_period: 0,
        }
    }
}

pub fn validate_apr(apr_bps: u32) -> Result<()> {
    require!(apr_bps <= MAX_APR_BPS, StakingError::InvalidApr);
    Ok(())
}

/// A staking pool. One per (creator, stake mint, pool id).
///
/// Reward liability is kept in O(1) as `total_owed`, the exact sum of every
/// position's owed amount as of `accrued_index`; what accrues after that is
/// `total_staked_shares × (index(now) − accrued_index)`. Principal is held in shares worth
/// `principal_index / SCALE` base units each (`principal.rs`), so a market loss writes every
/// position down at once. This form is equivalent to keeping Σowed and Σ(staked × snapshot),
/// and needs no 256-bit aggregate.
///
/// Zero-copy: read in place, in a fixed layout (`pod.rs`: no u128, bool or Option; fields
/// widest first, padding written out, room for later fields in `reserved`).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Pool {
    /// Creator: part of the PDA seeds, so another creator cannot squat this address.
    pub creator: Pubkey,
    pub admin: Pubkey,
    /// `Pubkey::default()` when no admin transfer is pending.
    pub pending_admin: Pubkey,
    pub stake_mint: Pubkey,
    /// The token program that owns `stake_mint` (SPL Token or Token-2022).
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub reward_vault: Pubkey,
    /// Lending market the idle principal goes to, the pool's receipt in it and the market's
    /// liquidity vault; each `Pool::NO_MARKET` while none is set.
    pub lending_market: Pubkey,
    pub receipt: Pubkey,
    pub market_vault: Pubkey,

    /// Index value at `checkpoint_ts`; rewritten before every APR change.
    pub index_checkpoint: PodU128,
    /// Index to which `total_owed` has been accrued; positions settle to this value.
    pub accrued_index: PodU128,
    /// Base units a share of principal is worth, scaled by `SCALE`: `SCALE` until a market
    /// loss is recognised, lower after (`principal::written_down_index`). Never rises.
    pub principal_index: PodU128,
    /// Σ owed of every position as of `accrued_index`, exactly.
    pub total_owed: PodOwed,

    pub checkpoint_ts: i64,
    /// Latest clock time the pool has seen. The pool's clock never runs backwards.
    pub last_update_ts: i64,
    /// Shares of principal that earn rewards: Σ of every position's `staked_shares`.
    pub total_staked_shares: u64,
    /// Shares of principal waiting out their unbonding period: no longer earning, not yet
    /// withdrawn. Σ of every position's `unbonding_shares`.
    pub total_unbonding_shares: u64,
    pub total_rewards_funded: u64,
    pub total_rewards_paid: u64,
    /// Lending interest swept into the reward vault.
    pub total_interest_harvested: u64,
    /// Principal currently lent out; interest on it is tracked apart and never counted here.
    pub lent_principal: u64,
    /// Reward-book tokens spent making lent principal whole after the market's share
    /// rounding (a unit or two per recall at most; see `lending_books.rs`).
    pub total_lending_costs: u64,
    /// Σ market losses recognised: lent principal the market could not pay, written off every
    /// position pro rata.
    pub total_losses: u64,
    /// Principal owed to depositors in base units, earning and unbonding: what came in, less
    /// what went out and what was written off. Equal to what every share is worth together
    /// until a loss; after one, at least that (the shares' rounding is the pool's), so idle
    /// principal (`principal − lent`) always covers what the positions it stands for are
    /// worth.
    pub principal: u64,
    /// When `rebalance` last lent, and last recalled (see `allocation::rebalance_due`): two
    /// clocks, so a lend never delays the recall that restores the reserve.
    pub last_lend_ts: i64,
    pub last_recall_ts: i64,

    pub limits: PodLimits,
    /// Changes against depositors announced and not yet executed or cancelled.
    pub pending: PendingChanges,

    pub apr_bps: u32,
    /// Lets one creator run several tiers for one mint.
    pub pool_id: u16,
    /// 1 while paused (`set_paused`), else 0.
    pub paused: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub reward_vault_bump: u8,
    pub padding: [u8; 6],
    /// Room for fields added by later versions without a migration; zero.
    pub reserved: [u8; 64],
}

// The layout every reader relies on, checked wherever the program compiles (host and SBF).
const _: () = assert!(core::mem::size_of::<Pool>() == 784);
const _: () = assert!(core::mem::offset_of!(Pool, index_checkpoint) == 320);
const _: () = assert!(core::mem::offset_of!(Pool, total_owed) == 368);
const _: () = assert!(core::mem::offset_of!(Pool, limits) == 496);
const _: () = assert!(core::mem::offset_of!(Pool, pending) == 536);
const _: () = assert!(core::mem::offset_of!(Pool, apr_bps) == 704);
const _: () = assert!(core::mem::offset_of!(Pool, reserved) == 720);

impl Pool {
    pub const SPACE: usize = 8 + core::mem::size_of::<Pool>();

    /// What `lending_market`, `receipt` and `market_vault` hold while the pool lends nowhere:
    /// this program's id, which Anchor reads as an absent optional account. A client that fills
    /// the three lending accounts of a staker's instruction from the pool (Anchor's resolver,
    /// the SDK) so passes "none" without a special case.
    pub const NO_MARKET: Pubkey = crate::ID;

    /// Whether a lending market is set.
    pub fn has_lending_market(&self) -> bool {
        self.lending_market != Self::NO_MARKET
    }

    /// The limits in force.
    pub fn limits(&self) -> PoolLimits {
        self.limits.get()
    }

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    /// The reward index at which every position settles now (see `accrue`).
    pub fn accrued_index(&self) -> u128 {
        self.accrued_index.get()
    }

    /// Base units a share of principal is worth, scaled by `SCALE`.
    pub fn principal_index(&self) -> u128 {
        self.principal_index.get()
    }

    /// Σ owed of every position as of the accrued index.
    pub fn total_owed(&self) -> Owed {
        self.total_owed.get()
    }

    /// Base units `shares` of this pool's principal are worth now (rounded down).
    pub fn principal_value(&self, shares: u64) -> u64 {
        principal::value_of(shares, self.principal_index())
    }

    /// Earning principal, in base units.
    pub fn total_staked(&self) -> u64 {
        self.principal_value(self.total_staked_shares)
    }

    /// Unbonding principal, in base units.
    pub fn total_unbonding(&self) -> u64 {
        self.principal_value(self.total_unbonding_shares)
    }

    /// Principal owed back to depositors, earning plus unbonding, in base units (`principal`:
    /// at least Σ what each position's shares are worth).
    pub fn total_principal(&self) -> Option<u64> {
        Some(self.principal)
    }

    /// Books `amount` of principal in (a deposit, a compound) or out (a withdrawal).
    pub fn add_principal(&mut self, amount: u64) -> Result<()> {
        self.principal = self
            .principal
            .checked_add(amount)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    pub fn remove_principal(&mut self, amount: u64) -> Result<()> {
        self.principal = self
            .principal
            .checked_sub(amount)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// Refuses principal coming in (a deposit, a compound) that would take the pool above its
    /// deposit cap.
    pub fn require_room_for(&self, amount: u64) -> Result<()> {
        let principal_after = self.principal.checked_add(amount);
        require!(
            principal_after.is_some_and(|after| after <= self.limits.deposit_cap),
            StakingError::DepositCapExceeded
        );
        Ok(())
    }

    /// Shares a deposit of `amount` buys now; refused once every share was written off.
    pub fn shares_for_deposit(&self, amount: u64) -> Result<u64> {
        require!(self.principal_index() > 0, StakingError::PoolWrittenOff);
        principal::shares_for_deposit(amount, self.principal_index())
            .ok_or_else(|| StakingError::MathOverflow.into())
    }

    /// Adds `shares` of earning principal to `position` and to the pool's total.
    pub fn add_staked(&mut self, position: &mut Position, shares: u64) -> Result<()> {
        position.staked_shares = position
            .staked_shares
            .checked_add(shares)
            .ok_or(StakingError::MathOverflow)?;
        self.total_staked_shares = self
            .total_staked_shares
            .checked_add(shares)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// Writes a market loss of `loss` base units off lent principal and off every share at
    /// once: checkpoints the reward index first (rewards up to now accrue on the principal as
    /// it was; from now on on what is left), then lowers the principal index so that all
    /// shares together lose at least `loss` (`principal::written_down_index`). Principal and
    /// lent principal fall by the loss.
    pub fn write_down(&mut self, loss: u64, now: i64) -> Result<()> {
        let principal = self.total_principal().ok_or(StakingError::MathOverflow)?;
        let index = self.accrue(now)?;
        self.index_checkpoint = index.into();
        self.checkpoint_ts = self.last_update_ts;
        self.principal_index =
            principal::written_down_index(self.principal_index(), principal, loss).into();
        self.lent_principal = self
            .lent_principal
            .checked_sub(loss)
            .ok_or(StakingError::MathOverflow)?;
        self.remove_principal(loss)?;
        self.total_losses = self
            .total_losses
            .checked_add(loss)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// Rewards the books hold for payouts. Tokens sent to the reward vault by any other route
    /// are not counted: a donation never changes what anyone is paid.
    pub fn reward_balance(&self) -> Option<u64> {
        self.total_rewards_funded
            .checked_add(self.total_interest_harvested)?
            .checked_sub(self.total_rewards_paid)?
            .checked_sub(self.total_lending_costs)
    }

    /// Principal that should be in the vault (not lent). A donation to the vault is not
    /// principal and is never paid out as such.
    pub fn idle_principal(&self) -> Option<u64> {
        self.principal.checked_sub(self.lent_principal)
    }

    /// Brings `total_owed` up to the index at `now` and returns that index, the one
    /// every position settles to in this instruction. A clock earlier than the last update
    /// counts as the last update: nothing accrues and nothing is taken back.
    pub fn accrue(&mut self, now: i64) -> Result<u128> {
        let now = now.max(self.last_update_ts);
        let index = rewards::share_index_at(
            self.index_checkpoint.get(),
            self.checkpoint_ts,
            self.apr_bps,
            self.principal_index(),
            now,
        )
        .ok_or(StakingError::MathOverflow)?;
        // The checkpoint is only ever rewritten at `last_update_ts`, so index ≥ accrued_index.
        self.total_owed = rewards::liability(
            self.total_owed(),
            self.total_staked_shares,
            self.accrued_index(),
            index,
        )
        .ok_or(StakingError::MathOverflow)?
        .into();
        self.accrued_index = index.into();
        self.last_update_ts = now;
        Ok(index)
    }

    /// Accrues, then starts a new rate from this moment: the old rate keeps everything up to
    /// now, the new one applies only after.
    pub fn set_apr(&mut self, apr_bps: u32, now: i64) -> Result<()> {
        validate_apr(apr_bps)?;
        let index = self.accrue(now)?;
        self.index_checkpoint = index.into();
        self.checkpoint_ts = self.last_update_ts;
        self.apr_bps = apr_bps;
        Ok(())
    }

    /// Removes a payout (whole units) from the aggregate liability.
    pub fn record_payout(&mut self, units: u64) -> Result<()> {
        self.total_owed = self
            .total_owed()
            .checked_sub(Owed::from_units(units))
            .ok_or(StakingError::MathOverflow)?
            .into();
        self.total_rewards_paid = self
            .total_rewards_paid
            .checked_add(units)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// Liability in whole base units at the pool's accrued index (rounded up: the report
    /// never understates what is owed).
    pub fn liability_units(&self) -> u64 {
        u64::try_from(self.total_owed().units_rounded_up()).unwrap_or(u64::MAX)
    }

    /// Seconds until the reward balance no longer covers what is owed; `None` = never.
    pub fn runway_seconds(&self) -> Option<u64> {
        rewards::runway_seconds(
            self.reward_balance().unwrap_or(0),
            self.liability_units(),
            self.total_staked(),
            self.apr_bps,
        )
    }

    /// Whether `change` is against depositors (so, with a notice period, it must be proposed
    /// and wait): a lower APR or reserve, a longer unbonding period, a shorter notice period,
    /// a different lending market.
    pub fn is_against_depositors(&self, change: Change) -> bool {
        change.is_against_depositors(self.apr_bps, &self.limits(), &self.lending_market)
    }

    /// Refuses `change` when the pool has a notice period and the change is against
    /// depositors: it must be proposed (`propose_change`) and wait.
    pub fn require_no_notice_for(&self, change: Change) -> Result<()> {
        require!(
            self.limits.notice_period == 0 || !self.is_against_depositors(change),
            StakingError::NoticeRequired
        );
        Ok(())
    }

    /// The window of a change announced at `now`, by the notice period now: executable from
    /// `now + notice` for the notice period again (at least `MIN_EXECUTION_WINDOW`); after
    /// that it lapses. Fixed when announced (see `Window`).
    pub fn announcement_window(&self, now: i64) -> Window {
        let notice = self.limits.notice_period;
        let executable_at = now.saturating_add(notice);
        Window {
            executable_at,
            lapses_at: executable_at.saturating_add(notice.max(MIN_EXECUTION_WINDOW)),
        }
    }

    /// The pending change of `kind` with its window: (change, executable_at, lapses_at).
    pub fn pending_change(&self, kind: ChangeKind) -> Option<(Change, i64, i64)> {
        let (change, window) = self.pending.get(kind)?;
        Some((change, window.executable_at, window.lapses_at))
    }

    /// Applies a change of APR, reserve, unbonding or notice period at `now` (the lending
    /// market is attached by its instruction, which needs the market's accounts), and returns
    /// the proposals it dropped (see `set_limits`; an APR change drops the pending APR). An
    /// executed proposal is taken by the caller first, so it is not among them.
    pub fn apply_change(&mut self, change: Change, now: i64) -> Result<Dropped> {
        match change {
            Change::Apr(apr) => {
                self.set_apr(apr, now)?;
                let mut dropped = Dropped::new(CancelReason::Superseded);
                dropped.add(self.pending.take(ChangeKind::Apr));
                Ok(dropped)
            }
            Change::LendingMarket(_) => err!(StakingError::LendingAccountsMissing),
            _ => self.set_limits(self.limits().with(change), now),
        }
    }

    /// Replaces the limits at `now`: validated as a whole (so the notice period always leaves
    /// its margin over the unbonding period), books checkpointed first. Returns the proposals
    /// that no longer stand: every one when the notice period changes (they were announced
    /// under the old one), otherwise those of a kind whose value changes (an old announcement
    /// cannot be sprung on depositors after a change in between).
    pub fn set_limits(&mut self, limits: PoolLimits, now: i64) -> Result<Dropped> {
        limits.validate()?;
        self.accrue(now)?;
        let dropped = if limits.notice_period != self.limits.notice_period {
            let mut dropped = Dropped::new(CancelReason::NoticeChanged);
            for kind in ChangeKind::ALL {
                dropped.add(self.pending.take(kind));
            }
            dropped
        } else {
            let mut dropped = Dropped::new(CancelReason::Superseded);
            for change in limits.noticed_changes() {
                if self.limits().with(change) != self.limits() {
                    dropped.add(self.pending.take(change.kind()));
                }
            }
            dropped
        };
        self.limits = limits.into();
        Ok(dropped)
    }

    /// Whether `address` is this pool's PDA (seeds from its own fields, its stored bump), by
    /// one hash: `program_accounts::pda_address`.
    pub fn is_at(&self, address: &Pubkey) -> bool {
        let id = self.pool_id.to_le_bytes();
        program_accounts::pda_address::is_program_address(
            address,
            &[
                POOL_SEED,
                self.creator.as_ref(),
                self.stake_mint.as_ref(),
                &id,
            ],
            self.bump,
            &crate::ID,
        )
    }
}

/// The pool owns the stake and reward vaults and signs for them, and for its receipt in the
/// market.
impl VaultOwner for Pool {
    fn with_signer_seeds<R>(&self, sign: impl FnOnce(&[&[u8]]) -> R) -> R {
        let id = self.pool_id.to_le_bytes();
        let bump = [self.bump];
        sign(&[
            POOL_SEED,
            self.creator.as_ref(),
            self.stake_mint.as_ref(),
            &id,
            &bump,
        ])
    }

    fn transfer_mismatch(&self) -> anchor_lang::error::Error {
        StakingError::TransferAmountMismatch.into()
    }
}
