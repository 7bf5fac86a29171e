//! Staking pool: users deposit an SPL token into a PDA vault and earn a fixed per-annum rate,
//! paid from a separately funded reward vault. See SPEC.md and README.md.
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
pub mod principal;
pub mod rewards;
pub mod state;
pub mod transfers;

pub use instructions::*;
pub use state::{Change, ChangeKind, PoolLimits};

declare_id!("StkPoo1111111111111111111111111111111111111");

#[program]
pub mod staking_pool {
    use super::*;

    pub fn initialize_pool(
        ctx: Context<InitializePool>,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
    ) -> Result<()> {
        initialize_pool::handler(ctx, pool_id, apr_bps, limits)
    }

    pub fn fund_rewards(ctx: Context<FundRewards>, amount: u64) -> Result<()> {
        fund_rewards::handler(ctx, amount)
    }

    pub fn open_position(ctx: Context<OpenPosition>) -> Result<()> {
        open_position::handler(ctx)
    }

    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        deposit::handler(ctx, amount)
    }

    pub fn withdraw(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
        withdraw::handler(ctx, amount)
    }

    pub fn withdraw_in_kind(ctx: Context<WithdrawInKind>, amount: u64) -> Result<()> {
        withdraw_in_kind::handler(ctx, amount)
    }

    pub fn request_unbond(ctx: Context<RequestUnbond>, amount: u64) -> Result<()> {
        request_unbond::handler(ctx, amount)
    }

    pub fn claim(ctx: Context<Claim>) -> Result<()> {
        claim::handler(ctx)
    }

    pub fn compound(ctx: Context<Compound>) -> Result<()> {
        compound::handler(ctx)
    }

    pub fn close_position(ctx: Context<ClosePosition>) -> Result<()> {
        close_position::handler(ctx)
    }

    pub fn rebalance(ctx: Context<ManageLending>) -> Result<()> {
        rebalance::handler(ctx)
    }

    pub fn harvest(ctx: Context<ManageLending>) -> Result<()> {
        harvest::handler(ctx)
    }

    pub fn recognise_loss(ctx: Context<ManageLending>) -> Result<()> {
        recognise_loss::handler(ctx)
    }

    pub fn set_lending_market(ctx: Context<SetLendingMarket>) -> Result<()> {
        admin::set_lending_market::handler(ctx)
    }

    pub fn recall_all(ctx: Context<RecallAll>) -> Result<()> {
        admin::recall_all::handler(ctx)
    }

    pub fn set_apr(ctx: Context<AdminOnly>, apr_bps: u32) -> Result<()> {
        admin::set_apr::handler(ctx, apr_bps)
    }

    pub fn set_params(ctx: Context<AdminOnly>, limits: PoolLimits) -> Result<()> {
        admin::set_params::handler(ctx, limits)
    }

    pub fn pause(ctx: Context<AdminOnly>) -> Result<()> {
        admin::set_paused::handler(ctx, true)
    }

    pub fn unpause(ctx: Context<AdminOnly>) -> Result<()> {
        admin::set_paused::handler(ctx, false)
    }

    pub fn transfer_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
        admin::transfer_admin::handler(ctx, new_admin)
    }

    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        admin::accept_admin::handler(ctx)
    }

    pub fn propose_change(ctx: Context<ProposeChange>, change: Change) -> Result<()> {
        admin::propose_change::handler(ctx, change)
    }

    pub fn cancel_change(ctx: Context<AdminOnly>, kind: ChangeKind) -> Result<()> {
        admin::cancel_change::handler(ctx, kind)
    }

    pub fn execute_change(ctx: Context<ExecuteChange>, kind: ChangeKind) -> Result<()> {
        execute_change::handler(ctx, kind)
    }
}
