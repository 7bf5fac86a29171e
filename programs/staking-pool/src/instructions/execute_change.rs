use anchor_lang::prelude::*;
use mock_lending::constants::RECEIPT_SEED;
use mock_lending::program::MockLending;
use mock_lending::state::Market;

use crate::errors::StakingError;
use crate::events::{emit_dropped, AprChanged, ChangeExecuted, ParamsChanged};
use crate::instructions::admin::set_lending_market::attach_market;
use crate::state::{Change, ChangeKind, LoadedPool, Pool};

/// Anyone may execute a proposal within its announced window. A new lending market needs its
/// accounts (the market, still under the authority it had when proposed, the pool's receipt
/// there, which `payer` funds if it does not exist yet, and the programs); the other kinds
/// need the pool alone.
#[derive(Accounts)]
pub struct ExecuteChange<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
    )]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut)]
    pub payer: Signer<'info>,
    // Raw constraints, checked in the order written: which market first (none is pending:
    // `InvalidLendingMarket`), then its mint, then its authority as when it was proposed.
    #[account(
        constraint = market.key() == pool.load()?.pending.lending_market
            @ StakingError::InvalidLendingMarket,
        constraint = market.mint == pool.load()?.stake_mint @ StakingError::LendingMintMismatch,
        constraint = market.authority == pool.load()?.pending.lending_market_authority
            @ StakingError::MarketAuthorityChanged,
    )]
    pub market: Option<Box<Account<'info, Market>>>,
    /// The pool's receipt in the proposed market, needed for a new lending market only; it is
    /// opened through the lending program if it does not exist yet.
    /// CHECK: address checked by `seeds` as a lending-program PDA, which only that program creates.
    #[account(
        mut,
        seeds = [RECEIPT_SEED, pool.load()?.pending.lending_market.as_ref(), pool.key().as_ref()],
        seeds::program = mock_lending::ID,
        bump,
    )]
    pub receipt: Option<UncheckedAccount<'info>>,
    pub lending_program: Option<Program<'info, MockLending>>,
    pub system_program: Option<Program<'info, System>>,
}

pub fn handler(ctx: Context<ExecuteChange>, kind: ChangeKind) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let (change, window) = pool
        .pending
        .get(kind)
        .ok_or(StakingError::NoPendingChange)?;
    require!(now >= window.executable_at, StakingError::NoticeNotElapsed);
    require!(now <= window.lapses_at, StakingError::ProposalLapsed);
    // Executed, not dropped: taken before it applies, so only the others it drops are reported
    // cancelled.
    pool.pending.take(kind);
    match change {
        Change::LendingMarket(_) => {
            let (Some(market), Some(receipt), Some(_), Some(system_program)) = (
                accounts.market.as_ref(),
                accounts.receipt.as_ref(),
                accounts.lending_program.as_ref(),
                accounts.system_program.as_ref(),
            ) else {
                return err!(StakingError::LendingAccountsMissing);
            };
            attach_market(
                &mut pool,
                market,
                receipt,
                &accounts.payer.to_account_info(),
                &system_program.to_account_info(),
            )?;
        }
        _ => {
            let (old_apr_bps, old) = (pool.apr_bps, pool.limits());
            let dropped = pool.apply_change(change, now)?;
            emit_dropped(pool.key(), &dropped);
            // The same events as the direct path, so an indexer following them sees every
            // change whichever way it came.
            if let Change::Apr(new_apr_bps) = change {
                emit!(AprChanged {
                    pool: pool.key(),
                    old_apr_bps,
                    new_apr_bps,
                    index_checkpoint: pool.index_checkpoint.get(),
                    checkpoint_ts: pool.checkpoint_ts,
                });
            } else {
                emit!(ParamsChanged {
                    pool: pool.key(),
                    old,
                    new: pool.limits(),
                });
            }
        }
    }
    pool.save()?;
    emit!(ChangeExecuted {
        pool: pool.key(),
        change,
    });
    Ok(())
}
