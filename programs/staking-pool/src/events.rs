//! One event per state change, carrying the amounts moved and the resulting totals so an
//! indexer can follow the pool without reading accounts.
use anchor_lang::prelude::*;

use crate::state::{CancelReason, Change, Dropped, PoolLimits};

#[event]
pub struct PoolInitialized {
    pub pool: Pubkey,
    pub creator: Pubkey,
    pub pool_id: u16,
    pub stake_mint: Pubkey,
    pub apr_bps: u32,
    pub limits: PoolLimits,
}

#[event]
pub struct RewardsFunded {
    pub pool: Pubkey,
    pub funder: Pubkey,
    pub amount: u64,
    pub total_rewards_funded: u64,
    pub reward_balance: u64,
    pub liability: u64,
}

#[event]
pub struct PositionOpened {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub position: Pubkey,
}

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

#[event]
pub struct Claimed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// What stays owed because the reward vault was short (whole base units).
    pub still_owed: u64,
    pub total_rewards_paid: u64,
}

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

#[event]
pub struct PositionClosed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub position: Pubkey,
    /// Sub-unit remainder of owed rewards forfeited at close (scaled by SCALE, below SCALE).
    pub forfeited_scaled: u64,
}

#[event]
pub struct AprChanged {
    pub pool: Pubkey,
    pub old_apr_bps: u32,
    pub new_apr_bps: u32,
    pub index_checkpoint: u128,
    pub checkpoint_ts: i64,
}

#[event]
pub struct ParamsChanged {
    pub pool: Pubkey,
    pub old: PoolLimits,
    pub new: PoolLimits,
}

#[event]
pub struct PauseChanged {
    pub pool: Pubkey,
    pub paused: bool,
}

#[event]
pub struct AdminTransferStarted {
    pub pool: Pubkey,
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
pub struct AdminTransferAccepted {
    pub pool: Pubkey,
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct LendingMarketSet {
    pub pool: Pubkey,
    pub market: Pubkey,
}

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

#[event]
pub struct Harvested {
    pub pool: Pubkey,
    pub amount: u64,
    pub total_interest_harvested: u64,
    pub lent_principal: u64,
}

#[event]
pub struct RecalledAll {
    pub pool: Pubkey,
    pub principal: u64,
    pub interest: u64,
    pub lending_cost: u64,
    /// Principal still lent: what the market could not pay now (zero after a full recall).
    pub lent_principal: u64,
}

#[event]
pub struct LendingCostCovered {
    pub pool: Pubkey,
    pub amount: u64,
    pub total_lending_costs: u64,
}

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

#[event]
pub struct ChangeExecuted {
    pub pool: Pubkey,
    pub change: Change,
}

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

/// A market loss written off lent principal and off every share of principal pro rata.
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

/// A withdrawal paid partly in the market's receipt shares (`withdraw_in_kind`).
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
