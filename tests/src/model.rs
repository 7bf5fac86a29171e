//! A plain Rust model of the staking pool and the lending market, for the model-based test.
//! Each operation checks what the programs check, in the order they check it, and returns the
//! custom error code the programs must fail with; on success it applies the same effects. The
//! money math uses the programs' pure functions (rewards, allocation, exchange rate): what the
//! model checks is that the handlers wire them together, move tokens and keep books right.
//! Principal is kept in shares, as the pool keeps it (`staking_pool::principal`): a share is a
//! base unit until the market loses funds and a loss is recognised.
use anchor_lang::error::{ErrorCode as Anchor, ERROR_CODE_OFFSET};
use mock_lending::errors::LendingError;
use mock_lending::exchange_rate::{
    payable_rate, rate_at, shares_for_deposit, shares_for_withdrawal, value_of,
};
use staking_pool::allocation::{
    harvest_amount, harvestable_interest, in_kind_shares, lent_part, plan_rebalance, rebalance_due,
    recall_due, reserve_target, unrecognised_loss, withdrawal_recall, MarketView, Rebalance,
};
use staking_pool::constants::MAX_APR_BPS;
use staking_pool::errors::StakingError;
use staking_pool::principal;
use staking_pool::rewards::{self, Owed};
use staking_pool::state::{Change, ChangeKind, PendingChanges, Pool, PoolLimits, Window};

pub type Outcome = Result<(), u32>;

fn staking(error: StakingError) -> u32 {
    ERROR_CODE_OFFSET + error as u32
}

fn lending(error: LendingError) -> u32 {
    ERROR_CODE_OFFSET + error as u32
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MPool {
    pub apr_bps: u32,
    pub index_checkpoint: u128,
    pub checkpoint_ts: i64,
    pub accrued_index: u128,
    pub last_update_ts: i64,
    pub total_owed: Owed,
    /// Shares of earning and of unbonding principal.
    pub total_staked: u64,
    pub total_unbonding: u64,
    /// Base units a share is worth, scaled by SCALE; and Σ losses recognised.
    pub principal_index: u128,
    pub losses: u64,
    /// Principal in base units, as the pool books it (`Pool::principal`).
    pub principal: u64,
    pub funded: u64,
    pub paid: u64,
    pub harvested: u64,
    pub lent: u64,
    pub lending_costs: u64,
    pub reserve_bps: u16,
    pub unbonding_period: i64,
    pub notice_period: i64,
    pub pending: PendingChanges,
    pub paused: bool,
    pub last_lend_ts: i64,
    pub last_recall_ts: i64,
    /// Index of the admin among the test's candidate keys, and of the pending admin.
    pub admin: usize,
    pub pending_admin: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MPosition {
    pub open: bool,
    /// Shares, as `MPool`'s totals.
    pub staked: u64,
    pub unbonding: u64,
    pub unlock_ts: i64,
    pub snapshot: u128,
    pub owed: Owed,
    pub claimed: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    pub vault: u64,
    pub reward_vault: u64,
    pub market_vault: u64,
    pub authority: u64,
    pub funder: u64,
    pub donor: u64,
    /// A third party who deposits into the lending market directly, not through the pool.
    pub stranger: u64,
    pub wallets: Vec<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub pool: MPool,
    pub positions: Vec<MPosition>,
    pub market_rate_cp: u128,
    pub market_t_cp: i64,
    pub market_apr: u32,
    pub total_shares: u64,
    pub loans: u64,
    pub written_off: u64,
    pub receipt_shares: u64,
    pub stranger_shares: u64,
    /// Each user's own receipt in the market (shares taken in kind).
    pub user_shares: Vec<u64>,
    pub tokens: Balances,
    pub clock: i64,
}

impl Model {
    fn reward_balance(&self) -> u64 {
        self.pool.funded + self.pool.harvested - self.pool.paid - self.pool.lending_costs
    }

    /// The market's index: what deposits buy shares at.
    fn index_rate(&self) -> u128 {
        self.index_rate_at(self.clock)
    }

    fn index_rate_at(&self, now: i64) -> u128 {
        rate_at(self.market_rate_cp, self.market_t_cp, self.market_apr, now).unwrap()
    }

    /// What the market pays per share: the index, capped by what it holds.
    pub fn rate(&self) -> u128 {
        self.rate_at(self.clock)
    }

    fn rate_at(&self, now: i64) -> u128 {
        let assets = u128::from(self.tokens.market_vault) + u128::from(self.loans);
        payable_rate(self.index_rate_at(now), assets, self.total_shares, false).unwrap()
    }

    /// What the market's shares are worth above what it holds (zero for a backed market).
    fn market_deficit(&self) -> u64 {
        let claims = value_of(self.total_shares, self.rate()).unwrap();
        claims.saturating_sub(self.tokens.market_vault.saturating_add(self.loans))
    }

    pub fn receipt_value(&self) -> u64 {
        value_of(self.receipt_shares, self.rate()).unwrap()
    }

    /// What the pool sees of the market (`LendingMarket::view`).
    fn market_view(&self) -> MarketView {
        let promised = value_of(self.total_shares, self.index_rate()).unwrap();
        MarketView {
            liquidity: self.tokens.market_vault,
            receipt_value: self.receipt_value(),
            deficit: self.market_deficit(),
            unfunded: promised.saturating_sub(self.tokens.market_vault.saturating_add(self.loans)),
        }
    }

    /// Base units `shares` of principal are worth now.
    pub fn value(&self, shares: u64) -> u64 {
        principal::value_of(shares, self.pool.principal_index)
    }

    /// Principal as the pool books it: at least what every share is worth.
    pub fn principal(&self) -> u64 {
        self.pool.principal
    }

    /// What `user`'s principal is worth now.
    pub fn worth(&self, user: usize) -> u64 {
        let p = &self.positions[user];
        self.value(p.staked + p.unbonding)
    }

    pub fn idle(&self) -> u64 {
        self.principal().saturating_sub(self.pool.lent)
    }

    /// `lending_books::recognise_loss`: a gap above a share's rounding between lent principal
    /// and what the receipt pays is written off every share at once.
    /// The receipt is valued at the pool's time, which never runs backwards (a clock behind
    /// the pool prices shares lower without anything being lost).
    pub fn recognise(&mut self) {
        let rate = self.rate_at(self.clock.max(self.pool.last_update_ts));
        let value = value_of(self.receipt_shares, rate).unwrap();
        let loss = unrecognised_loss(self.pool.lent, value, rate);
        if loss == 0 {
            return;
        }
        let principal = self.principal();
        let index = self.accrue();
        let p = &mut self.pool;
        p.index_checkpoint = index;
        p.checkpoint_ts = p.last_update_ts;
        p.principal_index = principal::written_down_index(p.principal_index, principal, loss);
        p.lent -= loss;
        p.losses += loss;
        p.principal -= loss;
    }

    fn accrue(&mut self) -> u128 {
        let now = self.clock.max(self.pool.last_update_ts);
        let p = &mut self.pool;
        let index = rewards::share_index_at(
            p.index_checkpoint,
            p.checkpoint_ts,
            p.apr_bps,
            p.principal_index,
            now,
        )
        .unwrap();
        // Exact by construction: the model keeps the same wide owed amounts as the program.
        p.total_owed =
            rewards::liability(p.total_owed, p.total_staked, p.accrued_index, index).unwrap();
        p.accrued_index = index;
        p.last_update_ts = now;
        index
    }

    fn settle(&mut self, user: usize, index: u128) {
        let position = &mut self.positions[user];
        let earned = rewards::earned(position.staked, position.snapshot, index).unwrap();
        position.owed = position.owed.checked_add(earned).unwrap();
        position.snapshot = index;
    }

    fn require_open(&self, user: usize) -> Outcome {
        if self.positions[user].open {
            Ok(())
        } else {
            // No account at the position's address: the zero-copy loader finds it owned by
            // the system program.
            Err(Anchor::AccountOwnedByWrongProgram as u32)
        }
    }

    fn lend(&mut self, amount: u64) {
        let shares = shares_for_deposit(amount, self.index_rate()).unwrap();
        self.tokens.vault -= amount;
        self.tokens.market_vault += amount;
        self.receipt_shares += shares;
        self.total_shares += shares;
        self.pool.lent += amount;
    }

    /// Takes `amount` out of the market into the vault (`to_vault`) or the reward vault.
    fn recall(&mut self, amount: u64, to_vault: bool) -> Outcome {
        let burned = shares_for_withdrawal(amount, self.rate())
            .ok_or(staking(StakingError::MathOverflow))?;
        if amount > self.tokens.market_vault || burned > self.receipt_shares {
            return Err(staking(StakingError::LendingIlliquid));
        }
        self.tokens.market_vault -= amount;
        if to_vault {
            self.tokens.vault += amount;
        } else {
            self.tokens.reward_vault += amount;
        }
        self.receipt_shares -= burned;
        self.total_shares -= burned;
        Ok(())
    }

    /// One share's rounding at the current rate: a share's worth rounded up, plus one.
    fn one_share(&self) -> u64 {
        u64::try_from(self.rate().div_ceil(mock_lending::constants::RATE_SCALE)).unwrap() + 1
    }

    fn cover_rounding(&mut self) {
        let deficit = self.pool.lent.saturating_sub(self.receipt_value());
        let covered = deficit.min(self.reward_balance()).min(self.one_share());
        self.tokens.reward_vault -= covered;
        self.tokens.vault += covered;
        self.pool.lent -= covered;
        self.pool.lending_costs += covered;
    }

    /// Runs `op` on a copy and keeps the copy only if it succeeds: a failed transaction
    /// changes nothing.
    pub fn apply(&mut self, op: impl FnOnce(&mut Model) -> Outcome) -> Outcome {
        let mut next = self.clone();
        op(&mut next)?;
        *self = next;
        Ok(())
    }

    pub fn deposit(&mut self, user: usize, amount: u64) -> Outcome {
        if !self.positions[user].open {
            self.positions[user] = MPosition {
                open: true,
                snapshot: self.pool.accrued_index,
                ..MPosition::default()
            };
        }
        if self.pool.paused {
            return Err(staking(StakingError::PoolPaused));
        }
        if amount == 0 {
            return Err(staking(StakingError::ZeroAmount));
        }
        self.recognise();
        let shares = self.shares_for_deposit(amount)?;
        let index = self.accrue();
        self.settle(user, index);
        self.tokens.wallets[user] -= amount;
        self.tokens.vault += amount;
        self.positions[user].staked += shares;
        self.pool.total_staked += shares;
        self.pool.principal += amount;
        Ok(())
    }

    fn shares_for_deposit(&self, amount: u64) -> Result<u64, u32> {
        if self.pool.principal_index == 0 {
            return Err(staking(StakingError::PoolWrittenOff));
        }
        principal::shares_for_deposit(amount, self.pool.principal_index)
            .ok_or(staking(StakingError::MathOverflow))
    }

    /// `withdraw::split_withdrawal`: (from unbonding, from staked, their shares).
    fn split(&self, user: usize, amount: u64) -> Result<(u64, u64, u64, u64), u32> {
        let now = self.pool.last_update_ts;
        let index = self.pool.principal_index;
        let position = &self.positions[user];
        let unbonding = principal::value_of(position.unbonding, index);
        let staked = principal::value_of(position.staked, index);
        if u128::from(amount) > u128::from(unbonding) + u128::from(staked) {
            return Err(staking(StakingError::InsufficientStake));
        }
        let unlocked = if now >= position.unlock_ts || self.pool.unbonding_period == 0 {
            unbonding
        } else {
            0
        };
        let from_unbonding = amount.min(unlocked);
        let from_staked = amount - from_unbonding;
        if (from_staked > 0 && self.pool.unbonding_period != 0) || from_staked > staked {
            return Err(staking(StakingError::StillUnbonding));
        }
        let shares = |part, held| principal::shares_for_withdrawal(part, held, index).unwrap();
        Ok((
            from_unbonding,
            from_staked,
            shares(from_unbonding, position.unbonding),
            shares(from_staked, position.staked),
        ))
    }

    fn take_shares(&mut self, user: usize, unbonding: u64, staked: u64) {
        let position = &mut self.positions[user];
        position.unbonding -= unbonding;
        position.staked -= staked;
        self.pool.total_unbonding -= unbonding;
        self.pool.total_staked -= staked;
    }

    /// `withdraw_in_kind`: the lent part as the market's shares into the user's receipt.
    pub fn withdraw_in_kind(&mut self, user: usize, amount: u64) -> Outcome {
        self.require_open(user)?;
        if amount == 0 {
            return Err(staking(StakingError::ZeroAmount));
        }
        self.recognise();
        let index = self.accrue();
        let (_, _, unbonding_shares, staked_shares) = self.split(user, amount)?;
        self.settle(user, index);
        let in_kind = lent_part(amount, self.pool.lent, self.principal());
        let shares = in_kind_shares(in_kind, self.rate(), self.receipt_shares);
        self.receipt_shares -= shares;
        self.user_shares[user] += shares;
        self.pool.lent -= in_kind;
        self.take_shares(user, unbonding_shares, staked_shares);
        self.pool.principal -= amount;
        self.tokens.vault -= amount - in_kind;
        self.tokens.wallets[user] += amount - in_kind;
        Ok(())
    }

    pub fn withdraw(&mut self, user: usize, amount: u64) -> Outcome {
        self.require_open(user)?;
        if amount == 0 {
            return Err(staking(StakingError::ZeroAmount));
        }
        self.recognise();
        let index = self.accrue();
        let (from_unbonding, from_staked, unbonding_shares, staked_shares) =
            self.split(user, amount)?;
        self.settle(user, index);
        let idle = self.idle();
        let target_after = reserve_target(
            self.value(self.pool.total_staked)
                .saturating_sub(from_staked),
            self.value(self.pool.total_unbonding)
                .saturating_sub(from_unbonding),
            self.pool.reserve_bps,
        );
        let plan = withdrawal_recall(amount, idle, self.pool.lent, target_after);
        let mut charged = 0;
        if plan.wanted() {
            let recalled = plan.amount(self.pool.lent, self.market_view());
            if recalled > 0 {
                // The recall's share rounding is charged to the withdrawer.
                let before = self.pool.lent.saturating_sub(self.receipt_value());
                self.recall(recalled, true)?;
                self.pool.lent -= recalled;
                let after = self.pool.lent.saturating_sub(self.receipt_value());
                charged = after
                    .saturating_sub(before)
                    .min(self.one_share())
                    .min(recalled)
                    .min(amount);
                self.pool.lent -= charged;
            }
        }
        self.take_shares(user, unbonding_shares, staked_shares);
        self.pool.principal -= amount;
        self.tokens.vault -= amount - charged;
        self.tokens.wallets[user] += amount - charged;
        Ok(())
    }

    pub fn request_unbond(&mut self, user: usize, amount: u64) -> Outcome {
        self.require_open(user)?;
        if self.pool.unbonding_period == 0 {
            return Err(staking(StakingError::UnbondingNotEnabled));
        }
        if amount == 0 {
            return Err(staking(StakingError::ZeroAmount));
        }
        let shares = principal::shares_for_withdrawal(
            amount,
            self.positions[user].staked,
            self.pool.principal_index,
        )
        .ok_or(staking(StakingError::InsufficientStake))?;
        let index = self.accrue();
        self.settle(user, index);
        let unlock = self.pool.last_update_ts + self.pool.unbonding_period;
        let position = &mut self.positions[user];
        position.staked -= shares;
        position.unbonding += shares;
        position.unlock_ts = unlock;
        self.pool.total_staked -= shares;
        self.pool.total_unbonding += shares;
        Ok(())
    }

    /// Settles and takes the payable amount out of the books (claim and compound share this).
    fn pay_out(&mut self, user: usize) -> u64 {
        let index = self.accrue();
        self.settle(user, index);
        let amount = self.positions[user]
            .owed
            .payable_units()
            .min(self.reward_balance());
        let paid = Owed::from_units(amount);
        let position = &mut self.positions[user];
        position.owed = position.owed.checked_sub(paid).unwrap();
        position.claimed += amount;
        self.pool.total_owed = self.pool.total_owed.checked_sub(paid).unwrap();
        self.pool.paid += amount;
        self.tokens.reward_vault -= amount;
        amount
    }

    pub fn claim(&mut self, user: usize) -> Outcome {
        self.require_open(user)?;
        let amount = self.pay_out(user);
        self.tokens.wallets[user] += amount;
        Ok(())
    }

    pub fn compound(&mut self, user: usize) -> Outcome {
        self.require_open(user)?;
        if self.pool.paused {
            return Err(staking(StakingError::PoolPaused));
        }
        self.recognise();
        let amount = self.pay_out(user);
        let shares = self.shares_for_deposit(amount)?;
        self.tokens.vault += amount;
        self.positions[user].staked += shares;
        self.pool.total_staked += shares;
        self.pool.principal += amount;
        Ok(())
    }

    pub fn close_position(&mut self, user: usize) -> Outcome {
        self.require_open(user)?;
        let index = self.accrue();
        self.settle(user, index);
        let position = self.positions[user].clone();
        if self.worth(user) != 0 || position.owed.payable_units() != 0 {
            return Err(staking(StakingError::PositionNotEmpty));
        }
        self.pool.total_owed = self.pool.total_owed.checked_sub(position.owed).unwrap();
        self.pool.total_staked -= position.staked;
        self.pool.total_unbonding -= position.unbonding;
        self.positions[user] = MPosition::default();
        Ok(())
    }

    pub fn fund_rewards(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(staking(StakingError::ZeroAmount));
        }
        self.accrue();
        self.tokens.funder -= amount;
        self.tokens.reward_vault += amount;
        self.pool.funded += amount;
        Ok(())
    }

    pub fn rebalance(&mut self) -> Outcome {
        self.recognise();
        let principal = self.principal();
        let idle = self.idle();
        let target = reserve_target(
            self.value(self.pool.total_staked),
            self.value(self.pool.total_unbonding),
            self.pool.reserve_bps,
        );
        let rate = self.index_rate();
        let view = self.market_view();
        let deficit = view.deficit;
        let plan = match plan_rebalance(idle, self.pool.lent, target, self.pool.paused, view) {
            Rebalance::Lend(amount) if shares_for_deposit(amount, rate).unwrap() == 0 => {
                Rebalance::Nothing
            }
            plan => plan,
        };
        let due = match plan {
            Rebalance::Lend(_) => rebalance_due(self.pool.last_lend_ts, self.clock),
            Rebalance::Recall(amount) => {
                recall_due(self.pool.last_recall_ts, self.clock, amount, principal)
            }
            Rebalance::Nothing => true,
        };
        if deficit == 0 && !due {
            return Err(staking(StakingError::RebalanceTooSoon));
        }
        match plan {
            Rebalance::Lend(_) => self.pool.last_lend_ts = self.clock,
            Rebalance::Recall(_) => self.pool.last_recall_ts = self.clock,
            Rebalance::Nothing => {}
        }
        match plan {
            Rebalance::Lend(amount) => {
                self.lend(amount);
                self.cover_rounding();
            }
            Rebalance::Recall(amount) => {
                self.recall(amount, true)?;
                self.pool.lent -= amount;
                self.cover_rounding();
            }
            Rebalance::Nothing => {}
        }
        Ok(())
    }

    /// Interest the market has backed and can pay, into the reward vault (`harvest`, and the
    /// second half of `recall_all`).
    fn take_interest(&mut self) -> Outcome {
        let safe = harvestable_interest(self.receipt_shares, self.rate(), self.pool.lent).unwrap();
        let amount = harvest_amount(
            safe,
            self.market_deficit(),
            self.tokens.market_vault,
            self.pool.lent,
        );
        if amount > 0 {
            self.recall(amount, false)?;
            self.pool.harvested += amount;
        }
        Ok(())
    }

    pub fn harvest(&mut self) -> Outcome {
        self.recognise();
        self.take_interest()
    }

    pub fn recognise_loss(&mut self) -> Outcome {
        self.recognise();
        Ok(())
    }

    pub fn recall_all(&mut self) -> Outcome {
        self.recognise();
        let principal = self
            .pool
            .lent
            .min(self.receipt_value())
            .min(self.tokens.market_vault);
        if principal == 0 && self.pool.lent > 0 {
            return Err(staking(StakingError::LendingIlliquid));
        }
        if principal > 0 {
            self.recall(principal, true)?;
            self.pool.lent -= principal;
            self.cover_rounding();
        }
        self.take_interest()
    }

    fn limits(&self) -> PoolLimits {
        PoolLimits {
            reserve_bps: self.pool.reserve_bps,
            unbonding_period: self.pool.unbonding_period,
            notice_period: self.pool.notice_period,
            ..PoolLimits::default()
        }
    }

    fn is_against(&self, change: Change) -> bool {
        // The model's pool never changes market.
        change.is_against_depositors(self.pool.apr_bps, &self.limits(), &Pool::NO_MARKET)
    }

    /// `NoticeRequired` for a change against depositors in a pool with a notice period.
    fn require_no_notice_for(&self, change: Change) -> Outcome {
        if self.pool.notice_period > 0 && self.is_against(change) {
            return Err(staking(StakingError::NoticeRequired));
        }
        Ok(())
    }

    /// What `PoolLimits::validate` refuses, in its order (deposit limits stay default here).
    fn validate(reserve_bps: u16, unbonding_period: i64, notice_period: i64) -> Outcome {
        if reserve_bps > 10_000 {
            return Err(staking(StakingError::InvalidReserve));
        }
        if !(0..=staking_pool::constants::MAX_UNBONDING_PERIOD).contains(&unbonding_period) {
            return Err(staking(StakingError::InvalidUnbondingPeriod));
        }
        if !(0..=staking_pool::constants::MAX_NOTICE_PERIOD).contains(&notice_period) {
            return Err(staking(StakingError::InvalidNoticePeriod));
        }
        if notice_period != 0
            && notice_period < unbonding_period + staking_pool::constants::NOTICE_REACTION_MARGIN
        {
            return Err(staking(StakingError::NoticeTooCloseToUnbonding));
        }
        Ok(())
    }

    /// Drops every pending proposal when the notice period changes to `notice`, otherwise
    /// those of the kinds `changed` (`Pool::set_limits`).
    fn drop_pending(&mut self, notice: i64, changed: &[(ChangeKind, bool)]) {
        let notice_changed = notice != self.pool.notice_period;
        for kind in ChangeKind::ALL {
            let kind_changed = changed.iter().any(|&(k, c)| k == kind && c);
            if notice_changed || kind_changed {
                self.pool.pending.take(kind);
            }
        }
    }

    /// `Pool::apply_change` for the kinds the model uses: it drops what was announced for the
    /// kind, or everything when the notice period changes (a refusal changes nothing anyway).
    fn apply_change(&mut self, change: Change) -> Outcome {
        let (mut reserve, mut unbonding, mut notice) = (
            self.pool.reserve_bps,
            self.pool.unbonding_period,
            self.pool.notice_period,
        );
        match change {
            Change::Apr(apr) => {
                if apr > MAX_APR_BPS {
                    return Err(staking(StakingError::InvalidApr));
                }
                let index = self.accrue();
                self.pool.index_checkpoint = index;
                self.pool.checkpoint_ts = self.pool.last_update_ts;
                self.pool.apr_bps = apr;
                self.pool.pending.take(ChangeKind::Apr);
                return Ok(());
            }
            Change::Reserve(r) => reserve = r,
            Change::UnbondingPeriod(p) => unbonding = p,
            Change::NoticePeriod(p) => notice = p,
            Change::LendingMarket(_) => unreachable!("the model keeps its market"),
        }
        Self::validate(reserve, unbonding, notice)?;
        self.accrue();
        self.drop_pending(notice, &[(change.kind(), true)]);
        (
            self.pool.reserve_bps,
            self.pool.unbonding_period,
            self.pool.notice_period,
        ) = (reserve, unbonding, notice);
        Ok(())
    }

    pub fn set_apr(&mut self, apr_bps: u32) -> Outcome {
        self.require_no_notice_for(Change::Apr(apr_bps))?;
        self.apply_change(Change::Apr(apr_bps))
    }

    pub fn set_params(
        &mut self,
        reserve_bps: u16,
        unbonding_period: i64,
        notice_period: i64,
    ) -> Outcome {
        Self::validate(reserve_bps, unbonding_period, notice_period)?;
        for change in [
            Change::Reserve(reserve_bps),
            Change::UnbondingPeriod(unbonding_period),
            Change::NoticePeriod(notice_period),
        ] {
            self.require_no_notice_for(change)?;
        }
        self.accrue();
        // A direct change of a kind drops what was announced for it; a new notice, everything.
        self.drop_pending(
            notice_period,
            &[
                (ChangeKind::Reserve, reserve_bps != self.pool.reserve_bps),
                (
                    ChangeKind::UnbondingPeriod,
                    unbonding_period != self.pool.unbonding_period,
                ),
            ],
        );
        self.pool.reserve_bps = reserve_bps;
        self.pool.unbonding_period = unbonding_period;
        self.pool.notice_period = notice_period;
        Ok(())
    }

    /// `propose_change` signed by `signer`.
    pub fn propose_change(&mut self, signer: usize, change: Change) -> Outcome {
        if signer != self.pool.admin {
            return Err(staking(StakingError::Unauthorized));
        }
        if self.pool.notice_period == 0 {
            return Err(staking(StakingError::NoNoticePeriod));
        }
        if !self.is_against(change) {
            return Err(staking(StakingError::NotAgainstDepositors));
        }
        // The program tries the change on a copy: same refusals as at execution.
        self.clone().apply_change(change)?;
        self.pool.pending.take(change.kind());
        let executable_at = self.clock + self.pool.notice_period;
        let window = Window {
            executable_at,
            lapses_at: executable_at
                + self
                    .pool
                    .notice_period
                    .max(staking_pool::constants::MIN_EXECUTION_WINDOW),
        };
        self.pool.pending.set(change, window);
        Ok(())
    }

    /// `execute_change` by anyone.
    pub fn execute_change(&mut self, kind: ChangeKind) -> Outcome {
        let (change, window) = self
            .pool
            .pending
            .get(kind)
            .ok_or(staking(StakingError::NoPendingChange))?;
        // The window fixed at the announcement.
        if self.clock < window.executable_at {
            return Err(staking(StakingError::NoticeNotElapsed));
        }
        if self.clock > window.lapses_at {
            return Err(staking(StakingError::ProposalLapsed));
        }
        self.pool.pending.take(kind);
        self.apply_change(change)
    }

    /// `cancel_change` signed by `signer`.
    pub fn cancel_change(&mut self, signer: usize, kind: ChangeKind) -> Outcome {
        if signer != self.pool.admin {
            return Err(staking(StakingError::Unauthorized));
        }
        self.pool
            .pending
            .take(kind)
            .ok_or(staking(StakingError::NoPendingChange))?;
        Ok(())
    }

    pub fn set_paused(&mut self, paused: bool) -> Outcome {
        self.pool.paused = paused;
        Ok(())
    }

    /// `transfer_admin` signed by `signer`.
    pub fn transfer_admin(&mut self, signer: usize, to: usize) -> Outcome {
        if signer != self.pool.admin {
            return Err(staking(StakingError::Unauthorized));
        }
        self.pool.pending_admin = Some(to);
        Ok(())
    }

    /// `accept_admin` signed by `signer`.
    pub fn accept_admin(&mut self, signer: usize) -> Outcome {
        match self.pool.pending_admin {
            None => Err(staking(StakingError::NoPendingAdmin)),
            Some(pending) if pending != signer => Err(staking(StakingError::Unauthorized)),
            Some(pending) => {
                self.pool.admin = pending;
                self.pool.pending_admin = None;
                Ok(())
            }
        }
    }

    pub fn borrow(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        if amount > self.tokens.market_vault {
            return Err(lending(LendingError::InsufficientLiquidity));
        }
        self.tokens.market_vault -= amount;
        self.tokens.authority += amount;
        self.loans += amount;
        Ok(())
    }

    pub fn repay(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        if amount > self.loans {
            return Err(lending(LendingError::RepayExceedsLoans));
        }
        self.tokens.authority -= amount;
        self.tokens.market_vault += amount;
        self.loans -= amount;
        Ok(())
    }

    /// The market authority writes loans off as bad debt.
    pub fn default_loans(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        if amount > self.loans {
            return Err(lending(LendingError::WriteOffExceedsLoans));
        }
        self.loans -= amount;
        self.written_off += amount;
        Ok(())
    }

    /// The market authority puts back loans written off.
    pub fn recover(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        if amount > self.written_off {
            return Err(lending(LendingError::RecoveryExceedsWriteOffs));
        }
        self.tokens.authority -= amount;
        self.tokens.market_vault += amount;
        self.written_off -= amount;
        Ok(())
    }

    /// The market authority backs interest with tokens.
    pub fn fund_interest(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        self.tokens.authority -= amount;
        self.tokens.market_vault += amount;
        Ok(())
    }

    /// The stranger deposits straight into the market.
    pub fn stranger_deposit(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        let shares = shares_for_deposit(amount, self.index_rate()).unwrap();
        if shares == 0 {
            return Err(lending(LendingError::DepositTooSmall));
        }
        self.tokens.stranger -= amount;
        self.tokens.market_vault += amount;
        self.stranger_shares += shares;
        self.total_shares += shares;
        Ok(())
    }

    /// The stranger withdraws straight from the market.
    pub fn stranger_withdraw(&mut self, amount: u64) -> Outcome {
        if amount == 0 {
            return Err(lending(LendingError::ZeroAmount));
        }
        let burned = shares_for_withdrawal(amount, self.rate())
            .ok_or(lending(LendingError::MathOverflow))?;
        if burned > self.stranger_shares {
            return Err(lending(LendingError::InsufficientShares));
        }
        if amount > self.tokens.market_vault {
            return Err(lending(LendingError::InsufficientLiquidity));
        }
        self.tokens.market_vault -= amount;
        self.tokens.stranger += amount;
        self.stranger_shares -= burned;
        self.total_shares -= burned;
        Ok(())
    }

    /// What the stranger's receipt is worth now.
    pub fn stranger_value(&self) -> u64 {
        value_of(self.stranger_shares, self.rate()).unwrap()
    }

    /// Tokens sent straight to a vault: no instruction of ours runs.
    pub fn donate(&mut self, amount: u64, to_reward_vault: bool) {
        self.tokens.donor -= amount;
        if to_reward_vault {
            self.tokens.reward_vault += amount;
        } else {
            self.tokens.vault += amount;
        }
    }

    pub fn total_tokens(&self) -> u128 {
        let t = &self.tokens;
        [
            t.vault,
            t.reward_vault,
            t.market_vault,
            t.authority,
            t.funder,
            t.donor,
            t.stranger,
        ]
        .iter()
        .chain(t.wallets.iter())
        .map(|&b| u128::from(b))
        .sum()
    }
}
