use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::PositionClosed;
use crate::instructions::withdraw::{take_shares, WithdrawalSplit};
use crate::state::{LoadedPool, Pool, Position};

/// The pool and the owner's position as `Deposit` declares them (docs/accounts.md); the
/// position's rent goes to `rent_to` when the handler has found it empty.
#[derive(Accounts)]
pub struct ClosePosition<'info> {
    #[account(mut, constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, close = rent_to, constraint = position.load()?.is_at(&position.key(), &pool.key(), &owner.key()) @ StakingError::InvalidPositionAddress)]
    pub position: AccountLoader<'info, Position>,
    pub owner: Signer<'info>,
    /// Receives the position's rent: any account the owner (who signs) chooses, usually their
    /// own wallet.
    /// CHECK: only credited with lamports.
    #[account(mut)]
    pub rent_to: UncheckedAccount<'info>,
}

/// Closes an empty position and returns its rent. "Empty" means principal worth nothing and
/// less than one whole base unit owed; what is left (shares worth less than a base unit after
/// a write-down, the sub-unit remainder of rewards) is forfeited and removed from the pool's
/// totals and liability so the books stay exact.
pub fn handler(ctx: Context<ClosePosition>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;
    let shares = position.shares().ok_or(StakingError::MathOverflow)?;
    require!(
        pool.principal_value(shares) == 0 && position.owed_units() == 0,
        StakingError::PositionNotEmpty
    );
    // Shares worth nothing leave the books with the position.
    let dust = WithdrawalSplit {
        from_unbonding: 0,
        from_staked: 0,
        unbonding_shares: position.unbonding_shares,
        staked_shares: position.staked_shares,
    };
    take_shares(&mut pool, &mut position, &dust)?;
    // No whole unit is owed, so what is forfeited is the fraction alone.
    let forfeited = position.owed();
    pool.total_owed = pool
        .total_owed()
        .checked_sub(forfeited)
        .ok_or(StakingError::MathOverflow)?
        .into();
    pool.save()?;
    emit!(PositionClosed {
        pool: pool.key(),
        owner: position.owner,
        position: accounts.position.key(),
        forfeited_scaled: forfeited.frac,
    });
    // `close = rent_to` returns the rent once the handler succeeds.
    Ok(())
}
