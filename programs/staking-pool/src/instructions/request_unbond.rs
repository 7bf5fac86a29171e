use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::UnbondRequested;
use crate::instructions::owner_position::*;

owner_position_accounts! {
    pub struct RequestUnbond<'info> {
        pool, position, owner,
        require: pool.limits.unbonding_period > 0 => StakingError::UnbondingNotEnabled;
    }
}

/// Moves `amount` from earning to unbonding. A new request restarts the timer for everything
/// still unbonding: one unlock time per position keeps the account O(1) in size.
pub fn handler(ctx: Context<RequestUnbond>, amount: u64) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    require!(amount > 0, StakingError::ZeroAmount);
    require!(amount <= position.staked, StakingError::InsufficientStake);
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;

    position.staked -= amount;
    position.unbonding = position
        .unbonding
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    position.unlock_ts = pool
        .last_update_ts
        .checked_add(pool.limits.unbonding_period)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked = pool
        .total_staked
        .checked_sub(amount)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_unbonding = pool
        .total_unbonding
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    emit!(UnbondRequested {
        pool: pool.key(),
        owner: position.owner,
        amount,
        position_unbonding: position.unbonding,
        unlock_ts: position.unlock_ts,
        total_unbonding: pool.total_unbonding,
    });
    Ok(())
}
