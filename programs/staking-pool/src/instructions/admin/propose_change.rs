use anchor_lang::prelude::*;
use mock_lending::state::Market;

use crate::errors::StakingError;
use crate::events::{ChangeCancelled, ChangeProposed};
use crate::state::{CancelReason, Change, LoadedPool, Pool};

/// The admin's pool, and for a proposed lending market the market itself: it must exist and
/// lend the pool's mint when it is announced, so nobody can create it after the announcement
/// and become its authority.
#[derive(Accounts)]
pub struct ProposeChange<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        has_one = admin @ StakingError::Unauthorized,
    )]
    pub pool: AccountLoader<'info, Pool>,
    pub admin: Signer<'info>,
    #[account(constraint = market.mint == pool.load()?.stake_mint @ StakingError::LendingMintMismatch)]
    pub market: Option<Box<Account<'info, Market>>>,
}

/// Announces a change against depositors. It becomes executable by anyone once the notice
/// period has passed (`execute_change`), for the notice period again (at least a day), then
/// lapses for good; the window is fixed now. The admin may cancel it before (`cancel_change`).
/// A new proposal of the same kind replaces the old one (which is reported cancelled) and
/// starts a new window; a direct change of the same kind, or any change of the notice period,
/// drops it. A pool without a notice period has nothing to announce: it makes changes
/// directly. The value is validated now as it will be at execution (where it is checked
/// again, since other changes may have applied in between).
pub fn handler(ctx: Context<ProposeChange>, change: Change) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    require!(pool.limits.notice_period > 0, StakingError::NoNoticePeriod);
    require!(
        pool.is_against_depositors(change),
        StakingError::NotAgainstDepositors
    );
    let market_authority = match change {
        Change::LendingMarket(address) => {
            let market = accounts
                .market
                .as_ref()
                .ok_or(StakingError::LendingAccountsMissing)?;
            require_keys_eq!(market.key(), address, StakingError::InvalidLendingMarket);
            market.authority
        }
        // Would it apply if it were executable now? Same rules as at execution.
        _ => {
            let mut trial = *pool;
            trial.apply_change(change, now)?;
            Pubkey::default()
        }
    };
    if let Some(replaced) = pool.pending.take(change.kind()) {
        emit!(ChangeCancelled {
            pool: pool.key(),
            change: replaced,
            reason: CancelReason::Replaced,
        });
    }
    let window = pool.announcement_window(now);
    pool.pending.set(change, window);
    if let Change::LendingMarket(_) = change {
        pool.pending.lending_market_authority = market_authority;
    }
    pool.save()?;
    emit!(ChangeProposed {
        pool: pool.key(),
        change,
        executable_at: window.executable_at,
        lapses_at: window.lapses_at,
        market_authority,
    });
    Ok(())
}
