//! One event per state change, carrying the amounts moved and the resulting totals so an
//! indexer can follow the pool without reading accounts.
use anchor_lang::prelude::*;

use crate::state::{CancelReason, Change, Dropped, PoolLimits};

/// Emitted by `initialize_pool` with the new pool, its creator (its first admin), id, stake
/// mint, APR and limits.
#[event]
pub struct PoolInitialized {
    pub pool: Pubkey,
    pub creator: Pubkey,
    pub pool_id: u16,
    pub stake_mint: Pubkey,
    pub apr_bps: u32,
    pub limits: PoolLimits,
}

/// Emitted by `fund_rewards` with the funder, the amount added to the reward vault, and the
/// pool's rewards funded, reward balance and liability after it.
#[event]
pub struct RewardsFunded {
    pub pool: Pubkey,
    pub funder: Pubkey,
    pub amount: u64,
    pub total_rewards_funded: u64,
    pub reward_balance: u64,
    pub liability: u64,
}

/// Emitted by `open_position` with the new position, its owner and its pool.
#[event]
pub struct PositionOpened {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub position: Pubkey,
}

/// Emitted by `deposit` with the amount moved into the vault, the principal shares it bought,
/// and the position's and the pool's earning principal after it.
///
/// Principal figures in events (`position_staked`, `total_staked`, ...) are base units at the
/// pool's principal index after the instruction; `shares` are the principal shares moved
/// (equal to base units until a loss is recognised).
#[event]
pub struct Deposited {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub position_staked: u64,
    pub total_staked: u64,
}

/// Emitted by `withdraw` with the principal withdrawn, what was recalled from lending for it,
/// what reached the owner, and the position's and the pool's principal after it.
#[event]
pub struct Withdrawn {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// Part of `amount` recalled from lending in the same instruction.
    pub recalled: u64,
    /// The recall's share rounding, kept in the vault out of `amount` (zero without a recall;
    /// at most one market share's worth plus one base unit).
    pub recall_cost: u64,
    /// What reached the owner: `amount − recall_cost`.
    pub paid: u64,
    pub position_staked: u64,
    pub position_unbonding: u64,
    pub total_staked: u64,
    pub total_unbonding: u64,
}

/// Emitted by `request_unbond` with the amount and shares moved from earning to unbonding, the
/// unlock time and the unbonding principal after it.
#[event]
pub struct UnbondRequested {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub position_unbonding: u64,
    pub unlock_ts: i64,
    pub total_unbonding: u64,
}

/// Emitted by `claim` with the rewards paid to the owner, what stays owed and the pool's total
/// rewards paid.
#[event]
pub struct Claimed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// What stays owed because the reward vault was short (whole base units).
    pub still_owed: u64,
    pub total_rewards_paid: u64,
}

/// Emitted by `compound` with the rewards moved into principal, the shares they bought, what
/// stays owed, and the position's and the pool's earning principal after it.
#[event]
pub struct Compounded {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub still_owed: u64,
    pub position_staked: u64,
    pub total_staked: u64,
}

/// Emitted by `close_position` with the closed position, its owner and the remainder of
/// rewards it forfeited.
#[event]
pub struct PositionClosed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub position: Pubkey,
    /// Sub-unit remainder of owed rewards forfeited at close (scaled by SCALE, below SCALE).
    pub forfeited_scaled: u64,
}

/// Emitted by `set_apr`, and by `execute_change` for an APR cut, with the old and new APR and the
/// index checkpoint taken at the switch.
#[event]
pub struct AprChanged {
    pub pool: Pubkey,
    pub old_apr_bps: u32,
    pub new_apr_bps: u32,
    pub index_checkpoint: u128,
    pub checkpoint_ts: i64,
}

/// Emitted by `set_params`, and by `execute_change` for a change of limits, with the pool's
/// limits before and after.
#[event]
pub struct ParamsChanged {
    pub pool: Pubkey,
    pub old: PoolLimits,
    pub new: PoolLimits,
}

/// Emitted by `pause` and `unpause` with whether the pool is now paused.
#[event]
pub struct PauseChanged {
    pub pool: Pubkey,
    pub paused: bool,
}

/// Emitted by `transfer_admin` with the admin and the pending admin named (the default key
/// when a pending transfer is cancelled).
#[event]
pub struct AdminTransferStarted {
    pub pool: Pubkey,
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

/// Emitted by `accept_admin` with the old admin and the new admin who accepted.
#[event]
pub struct AdminTransferAccepted {
    pub pool: Pubkey,
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

/// Emitted by `set_lending_market`, and by `execute_change` for a lending market, with the
/// market the pool lends to from now on.
#[event]
pub struct LendingMarketSet {
    pub pool: Pubkey,
    pub market: Pubkey,
}

/// Emitted by `rebalance` with the principal lent or recalled, the idle and lent principal
/// after it, and the market's deficit.
#[event]
pub struct Rebalanced {
    pub pool: Pubkey,
    /// Positive: lent out; negative: recalled.
    pub lent_delta: i128,
    pub idle_principal: u64,
    pub lent_principal: u64,
    /// What the market's shares are worth above what it holds. Non-zero: nothing was lent,
    /// and lent principal was recalled as far as the market could pay.
    pub market_deficit: u64,
}

/// Emitted by `harvest` with the interest moved into the reward vault, the pool's total
/// interest harvested and its lent principal.
#[event]
pub struct Harvested {
    pub pool: Pubkey,
    pub amount: u64,
    pub total_interest_harvested: u64,
    pub lent_principal: u64,
}

/// Emitted by `recall_all` with the principal and interest brought back, the lending cost the
/// reward books covered and the principal still lent.
#[event]
pub struct RecalledAll {
    pub pool: Pubkey,
    pub principal: u64,
    pub interest: u64,
    pub lending_cost: u64,
    /// Principal still lent: what the market could not pay now (zero after a full recall).
    pub lent_principal: u64,
}

/// Emitted by `rebalance` and `recall_all` when the reward books cover the share rounding of
/// a lend or recall, with the amount paid into the vault and the pool's total lending costs.
#[event]
pub struct LendingCostCovered {
    pub pool: Pubkey,
    pub amount: u64,
    pub total_lending_costs: u64,
}

/// Emitted by `propose_change` with the announced change, the window in which anyone may
/// execute it and, for a lending market, its authority.
#[event]
pub struct ChangeProposed {
    pub pool: Pubkey,
    pub change: Change,
    /// From when anyone may execute it (`execute_change`). Fixed at the announcement: if the
    /// notice period changes first, the proposal is dropped (`ChangeCancelled`), never moved.
    pub executable_at: i64,
    /// After this it lapses for good and must be announced again.
    pub lapses_at: i64,
    /// For a proposed lending market: its authority now, which execution requires unchanged
    /// (`Pubkey::default()` for the other kinds).
    pub market_authority: Pubkey,
}

/// Emitted by `execute_change` with the change it applied.
#[event]
pub struct ChangeExecuted {
    pub pool: Pubkey,
    pub change: Change,
}

/// Emitted when a pending proposal is dropped unexecuted (by `cancel_change`, a new proposal of
/// its kind, a change of its kind made another way, or any change of the notice period), with
/// the change and the reason.
#[event]
pub struct ChangeCancelled {
    pub pool: Pubkey,
    pub change: Change,
    pub reason: CancelReason,
}

/// One `ChangeCancelled` for every proposal `dropped` holds.
pub fn emit_dropped(pool: Pubkey, dropped: &Dropped) {
    for change in dropped.iter() {
        emit!(ChangeCancelled {
            pool,
            change,
            reason: dropped.reason,
        });
    }
}

/// Emitted by `recognise_loss`, and by every other instruction that reads the lending market
/// first, when it writes a market loss off lent principal and off every share pro rata.
#[event]
pub struct LossRecognised {
    pub pool: Pubkey,
    /// Base units of lent principal the market can no longer pay.
    pub loss: u64,
    /// Principal the pool booked before and after (`Pool::principal`): after = before − loss.
    /// Each position's shares are written down by the same fraction (`principal_index`), so
    /// together they lose at least the loss; the shares' rounding stays with the pool.
    pub principal_before: u64,
    pub principal_after: u64,
    /// Base units a share is worth now, scaled by 10^18: each position keeps this fraction
    /// of its principal, against 10^18 before any loss.
    pub principal_index: u128,
    pub lent_principal: u64,
    pub total_losses: u64,
}

/// Emitted by `withdraw_in_kind` with the principal withdrawn, the part paid in tokens and the
/// part handed over as the market's receipt shares.
#[event]
pub struct WithdrawnInKind {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Principal withdrawn, in base units: `in_tokens + in_kind`.
    pub amount: u64,
    /// Paid in tokens from idle principal.
    pub in_tokens: u64,
    /// Lent principal handed over as receipt shares.
    pub in_kind: u64,
    /// Receipt shares moved to `to_receipt`, worth at most `in_kind` at the market's rate.
    pub receipt_shares: u64,
    pub to_receipt: Pubkey,
    pub position_staked: u64,
    pub position_unbonding: u64,
    pub lent_principal: u64,
}
