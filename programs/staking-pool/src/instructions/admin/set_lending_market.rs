use anchor_lang::prelude::*;
use mock_lending::constants::RECEIPT_SEED;
use mock_lending::program::MockLending;
use mock_lending::state::Market;

use crate::errors::StakingError;
use crate::events::{emit_dropped, LendingMarketSet};
use crate::state::{CancelReason, Change, ChangeKind, Dropped, LoadedPool, Pool};

#[derive(Accounts)]
pub struct SetLendingMarket<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        has_one = admin @ StakingError::Unauthorized,
    )]
    pub pool: AccountLoader<'info, Pool>,
    /// Pays the rent of the pool's receipt in the market.
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(constraint = market.mint == pool.load()?.stake_mint @ StakingError::LendingMintMismatch)]
    pub market: Box<Account<'info, Market>>,
    /// The pool's receipt in `market`, opened here through the lending program if it is missing.
    /// CHECK: address checked by `seeds` as a lending-program PDA, which only that program creates.
    #[account(
        mut,
        seeds = [RECEIPT_SEED, market.key().as_ref(), pool.key().as_ref()],
        seeds::program = mock_lending::ID,
        bump,
    )]
    pub receipt: UncheckedAccount<'info>,
    pub lending_program: Program<'info, MockLending>,
    pub system_program: Program<'info, System>,
}

/// Chooses the market idle principal is lent to, at once when the pool has no notice period
/// (with one, it is proposed and executed by `execute_change`).
pub fn handler(ctx: Context<SetLendingMarket>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    pool.require_no_notice_for(Change::LendingMarket(accounts.market.key()))?;
    attach_market(
        &mut pool,
        &accounts.market,
        &accounts.receipt,
        &accounts.admin.to_account_info(),
        &accounts.system_program.to_account_info(),
    )?;
    pool.save()
}

/// Points the pool at `market`, opening its receipt there (paid by `payer`) if it has none.
/// Only while nothing is lent, so principal is never stranded in a market the pool no longer
/// tracks.
pub fn attach_market<'info>(
    pool: &mut LoadedPool<'_, 'info>,
    market: &Account<'info, Market>,
    receipt: &UncheckedAccount<'info>,
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
) -> Result<()> {
    require!(pool.lent_principal == 0, StakingError::LendingActive);
    if receipt.data_is_empty() {
        mock_lending::cpi::open_receipt(CpiContext::new(
            mock_lending::ID,
            mock_lending::cpi::accounts::OpenReceipt {
                market: market.to_account_info(),
                receipt: receipt.to_account_info(),
                owner: pool.to_account_info(),
                payer: payer.clone(),
                system_program: system_program.clone(),
            },
        ))?;
    }
    pool.lending_market = market.key();
    pool.receipt = receipt.key();
    pool.market_vault = market.liquidity_vault;
    // A market proposed earlier no longer stands once another is attached directly (when
    // `execute_change` attaches the proposed one, it has taken it already).
    let mut dropped = Dropped::new(CancelReason::Superseded);
    dropped.add(pool.pending.take(ChangeKind::LendingMarket));
    emit_dropped(pool.key(), &dropped);
    emit!(LendingMarketSet {
        pool: pool.key(),
        market: pool.lending_market,
    });
    Ok(())
}
