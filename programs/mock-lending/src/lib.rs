//! Mock lending market: a real time-based exchange-rate index, paid only as far as the market
//! holds it (vault + loans per share), shares rounded in the market's favour, and authority
//! levers to fund interest, simulate borrowers, write loans off as bad debt (and recover them)
//! and simulate an unbacked index, so every path of the staking pool's lending allocation,
//! including a market that fails, can be tested. A receipt's owner can hand shares to another
//! receipt, which is how a pool pays a depositor out in kind.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

// Links the libcalls an SBF build without platform-tools needs (see scripts/build-sbf.sh).
#[cfg(target_arch = "bpf")]
use sbf_libcalls as _;

pub mod constants;
pub mod errors;
pub mod events;
pub mod exchange_rate;
pub mod instructions;
pub mod state;

pub use instructions::*;

declare_id!("MockLend11111111111111111111111111111111111");

#[program]
pub mod mock_lending {
    use super::*;

    pub fn init_market(
        ctx: Context<InitMarket>,
        market_id: u16,
        supply_apr_bps: u32,
    ) -> Result<()> {
        init_market::handler(ctx, market_id, supply_apr_bps)
    }

    pub fn open_receipt(ctx: Context<OpenReceipt>) -> Result<()> {
        open_receipt::handler(ctx)
    }

    pub fn deposit(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
        deposit::handler(ctx, amount)
    }

    pub fn withdraw(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
        withdraw::handler(ctx, amount)
    }

    pub fn fund_interest(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::fund(ctx, amount)
    }

    pub fn simulate_borrow(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::borrow(ctx, amount)
    }

    pub fn simulate_repay(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::repay(ctx, amount)
    }

    pub fn simulate_unbacked_index(ctx: Context<MarketAuthority>, unbacked: bool) -> Result<()> {
        authority::set_unbacked(ctx, unbacked)
    }

    pub fn simulate_default(ctx: Context<MarketAuthority>, amount: u64) -> Result<()> {
        authority::write_off(ctx, amount)
    }

    pub fn simulate_recovery(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::recover(ctx, amount)
    }

    pub fn transfer_shares(ctx: Context<TransferShares>, shares: u64) -> Result<()> {
        transfer_shares::handler(ctx, shares)
    }

    pub fn transfer_authority(ctx: Context<MarketAuthority>, new_authority: Pubkey) -> Result<()> {
        authority::transfer(ctx, new_authority)
    }
}
