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

    /// Anyone may create a lending market of `mint` with its liquidity vault, paying the rent and
    /// becoming its authority; refused for a supply APR above the maximum or a mint with an
    /// unsupported extension.
    pub fn init_market(
        ctx: Context<InitMarket>,
        market_id: u16,
        supply_apr_bps: u32,
    ) -> Result<()> {
        init_market::handler(ctx, market_id, supply_apr_bps)
    }

    /// Anyone may open `owner`'s receipt in the market, paying its rent; the owner need not sign,
    /// since an empty receipt grants nothing.
    pub fn open_receipt(ctx: Context<OpenReceipt>) -> Result<()> {
        open_receipt::handler(ctx)
    }

    /// The receipt's owner moves `amount` from their token account into the liquidity vault for
    /// shares at the market's index rate; refused if it buys no share.
    pub fn deposit(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
        deposit::handler(ctx, amount)
    }

    /// The receipt's owner takes `amount` from the liquidity vault to their token account, burning
    /// shares at what a share is really worth; refused beyond their shares or the liquidity.
    pub fn withdraw(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
        withdraw::handler(ctx, amount)
    }

    /// The market authority moves `amount` from its token account into the liquidity vault,
    /// backing the interest the market's index promises.
    pub fn fund_interest(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::fund(ctx, amount)
    }

    /// Test lever of the mock market: the authority takes `amount` of liquidity out to its token
    /// account as an outstanding loan, so the market holds less liquidity.
    pub fn simulate_borrow(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::borrow(ctx, amount)
    }

    /// Test lever of the mock market: the authority pays `amount` of outstanding loans back into
    /// the liquidity vault.
    pub fn simulate_repay(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::repay(ctx, amount)
    }

    /// Test lever of the mock market: the authority makes the market pay its index rate whether or
    /// not its assets back it (`unbacked = true`), or restores the backed rate (`false`).
    pub fn simulate_unbacked_index(ctx: Context<MarketAuthority>, unbacked: bool) -> Result<()> {
        authority::set_unbacked(ctx, unbacked)
    }

    /// Test lever of the mock market: the authority writes `amount` of outstanding loans off as bad
    /// debt, so every share is worth less; no tokens move.
    pub fn simulate_default(ctx: Context<MarketAuthority>, amount: u64) -> Result<()> {
        authority::write_off(ctx, amount)
    }

    /// Test lever of the mock market: the authority puts `amount` of written-off loans back into
    /// the liquidity vault, so every share is worth more again.
    pub fn simulate_recovery(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
        authority::recover(ctx, amount)
    }

    /// A receipt's owner moves `shares` to another receipt of the same market, whose owner need not
    /// sign; no liquidity moves.
    pub fn transfer_shares(ctx: Context<TransferShares>, shares: u64) -> Result<()> {
        transfer_shares::handler(ctx, shares)
    }

    /// The market authority hands the market and its levers to `new_authority` at once.
    pub fn transfer_authority(ctx: Context<MarketAuthority>, new_authority: Pubkey) -> Result<()> {
        authority::transfer(ctx, new_authority)
    }
}
