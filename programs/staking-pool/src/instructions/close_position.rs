use anchor_lang::prelude::*;

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::events::PositionClosed;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct ClosePosition<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut,
        seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ StakingError::Unauthorized,
        has_one = pool,
        close = owner,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(mut)]
    pub owner: Signer<'info>,
}

/// Closes an empty position and returns its rent. "Empty" means no principal and less than
/// one whole base unit owed; that sub-unit remainder is forfeited and removed from the
/// pool's liability so the books stay exact.
pub fn handler(ctx: Context<ClosePosition>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let position = &mut ctx.accounts.position;
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;
    require!(
        position.staked == 0 && position.unbonding == 0 && position.owed_units() == 0,
        StakingError::PositionNotEmpty
    );
    // No whole unit is owed, so what is forfeited is the fraction alone.
    let forfeited = position.owed;
    pool.total_owed = pool
        .total_owed
        .checked_sub(forfeited)
        .ok_or(StakingError::MathOverflow)?;
    emit!(PositionClosed {
        pool: pool.key(),
        owner: position.owner,
        position: position.key(),
        forfeited_scaled: forfeited.frac,
    });
    Ok(())
}
