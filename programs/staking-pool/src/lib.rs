//! Staking pool: users deposit an SPL token into a PDA vault and earn a fixed per-annum rate,
//! paid from a separately funded reward vault. README.md describes the behaviour.
//!
//! This file only routes instructions; each handler lives in `instructions/`.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

// Links the libcalls an SBF build without platform-tools needs (see scripts/build-sbf.sh).
#[cfg(target_arch = "bpf")]
use sbf_libcalls as _;

pub mod allocation;
pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod lending;
pub mod lending_accounts;
pub mod lending_books;
pub mod principal;
pub mod rewards;
pub mod security;
pub mod state;
pub mod transfers;

pub use instructions::*;
pub use lending_accounts::*;
pub use state::{Change, ChangeKind, PoolLimits};

declare_id!("StkPoo1111111111111111111111111111111111111");

#[program]
pub mod staking_pool {
    use super::*;

    /// Anyone may create a pool of `stake_mint` with its vault and reward vault, paying the rent
    /// and becoming its creator and admin; refused for an APR or limits out of range, or a mint
    /// with an unsupported extension.
    pub fn initialize_pool(
        ctx: Context<InitializePool>,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
    ) -> Result<()> {
        initialize_pool::handler(ctx, pool_id, apr_bps, limits)
    }

    /// Anyone may fund rewards: moves `amount` of the stake mint from the funder's token account
    /// into the pool's reward vault, from which every position's rewards are paid.
    pub fn fund_rewards(ctx: Context<FundRewards>, amount: u64) -> Result<()> {
        fund_rewards::handler(ctx, amount)
    }

    /// Anyone may open their own position in the pool (one per owner and pool), paying its rent;
    /// it holds nothing until they deposit.
    pub fn open_position(ctx: Context<OpenPosition>) -> Result<()> {
        open_position::handler(ctx)
    }

    /// The position's owner moves `amount` of the stake mint from their token account into the
    /// pool's vault for shares of principal; refused while paused, below the minimum deposit or
    /// above the deposit cap.
    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        deposit::handler(ctx, amount)
    }

    /// The position's owner takes `amount` of principal in tokens to an account they choose:
    /// unlocked unbonding principal first, earning principal only without an unbonding period.
    /// Lent principal is recalled as needed, and the recall's rounding is kept from the payout.
    pub fn withdraw(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
        withdraw::handler(ctx, amount)
    }

    /// The position's owner takes `amount` of principal as the pool holds it: the lent part as
    /// receipt shares to a receipt of the pool's market they choose, the rest in tokens. The
    /// unbonding rules of `withdraw` apply; the market's liquidity is not needed.
    pub fn withdraw_in_kind(ctx: Context<WithdrawInKind>, amount: u64) -> Result<()> {
        withdraw_in_kind::handler(ctx, amount)
    }

    /// The position's owner moves `amount` of principal from earning to unbonding, unlocked after
    /// the pool's unbonding period; a new request restarts the timer for all of it. Refused in a
    /// pool without an unbonding period.
    pub fn request_unbond(ctx: Context<RequestUnbond>, amount: u64) -> Result<()> {
        request_unbond::handler(ctx, amount)
    }

    /// The position's owner takes the rewards owed to them from the reward vault to an account
    /// they choose, as far as the reward books hold them; the rest stays owed.
    pub fn claim(ctx: Context<Claim>) -> Result<()> {
        claim::handler(ctx)
    }

    /// The position's owner adds the rewards payable to them to their principal, moved from the
    /// reward vault into the vault; refused while paused or above the deposit cap.
    pub fn compound(ctx: Context<Compound>) -> Result<()> {
        compound::handler(ctx)
    }

    /// The position's owner closes their empty position and sends its rent to an account they
    /// choose; a remainder of rewards below one base unit is forfeited.
    pub fn close_position(ctx: Context<ClosePosition>) -> Result<()> {
        close_position::handler(ctx)
    }

    /// Anyone may crank it: lends idle principal above the reserve target (at most once an
    /// interval, not while paused), or recalls what is missing below it as far as the market can
    /// pay. A market with a deficit gets nothing, and all it can pay is recalled at once.
    pub fn rebalance(ctx: Context<ManageLending>) -> Result<()> {
        rebalance::handler(ctx)
    }

    /// Anyone may crank it: moves lending interest the market has backed and can pay from the
    /// pool's receipt into the reward vault; lent principal is never touched.
    pub fn harvest(ctx: Context<ManageLending>) -> Result<()> {
        harvest::handler(ctx)
    }

    /// Anyone may crank it: when the pool's receipt is worth less than lent principal by more
    /// than rounding, writes the loss off every position pro rata; no tokens move.
    pub fn recognise_loss(ctx: Context<ManageLending>) -> Result<()> {
        recognise_loss::handler(ctx)
    }

    /// The admin chooses the lending market idle principal is lent to and opens the pool's
    /// receipt there, paying its rent; refused while anything is lent. In a pool with a notice
    /// period a new market must be proposed first (`propose_change`).
    pub fn set_lending_market(ctx: Context<SetLendingMarket>) -> Result<()> {
        admin::set_lending_market::handler(ctx)
    }

    /// The admin brings lent principal back into the vault, then lending interest into the reward
    /// vault, each as far as the market can pay now; what it cannot pay stays lent.
    pub fn recall_all(ctx: Context<RecallAll>) -> Result<()> {
        admin::recall_all::handler(ctx)
    }

    /// The admin sets the pool's APR to `apr_bps` from now on; rewards already earned keep the old
    /// rate. In a pool with a notice period a cut must be proposed first (`propose_change`).
    pub fn set_apr(ctx: Context<AdminOnly>, apr_bps: u32) -> Result<()> {
        admin::set_apr::handler(ctx, apr_bps)
    }

    /// The admin replaces the pool's limits. In a pool with a notice period, a call that lowers
    /// the reserve, lengthens the unbonding period or shortens the notice period is refused:
    /// those changes are proposed first (`propose_change`).
    pub fn set_params(ctx: Context<AdminOnly>, limits: PoolLimits) -> Result<()> {
        admin::set_params::handler(ctx, limits)
    }

    /// The admin pauses the pool: deposits, compounding and lending stop, while withdrawals,
    /// claims and unbonding keep working.
    pub fn pause(ctx: Context<AdminOnly>) -> Result<()> {
        admin::set_paused::handler(ctx, true)
    }

    /// The admin unpauses the pool: deposits, compounding and lending resume.
    pub fn unpause(ctx: Context<AdminOnly>) -> Result<()> {
        admin::set_paused::handler(ctx, false)
    }

    /// The admin names `new_admin` as pending admin, who becomes admin only by calling
    /// `accept_admin`; the default key cancels a pending transfer.
    pub fn transfer_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
        admin::transfer_admin::handler(ctx, new_admin)
    }

    /// The pending admin named by `transfer_admin` accepts and becomes the pool's admin.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        admin::accept_admin::handler(ctx)
    }

    /// The admin announces a change against depositors in a pool with a notice period; anyone may
    /// execute it once the notice period has passed, until it lapses. A new proposal of the same
    /// kind replaces the pending one.
    pub fn propose_change(ctx: Context<ProposeChange>, change: Change) -> Result<()> {
        admin::propose_change::handler(ctx, change)
    }

    /// The admin withdraws the pending proposal of `kind` at any time before it is executed.
    pub fn cancel_change(ctx: Context<AdminOnly>, kind: ChangeKind) -> Result<()> {
        admin::cancel_change::handler(ctx, kind)
    }

    /// Anyone may apply the pending proposal of `kind` once its notice period has passed and before
    /// it lapses. A new lending market also needs its accounts; `payer` funds the pool's receipt
    /// there if it does not exist yet.
    pub fn execute_change(ctx: Context<ExecuteChange>, kind: ChangeKind) -> Result<()> {
        execute_change::handler(ctx, kind)
    }
}
