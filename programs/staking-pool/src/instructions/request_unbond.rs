use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::UnbondRequested;
use crate::instructions::owner_position::*;
use crate::principal;

owner_position_accounts! {
    pub struct RequestUnbond<'info> {
        pool, position, owner,
        require: pool.limits.unbonding_period > 0 => StakingError::UnbondingNotEnabled;
    }
}

/// Moves `amount` base units from earning to unbonding: the shares they are worth, rounded up
/// (all of them for the whole value), so the position stops earning on at least `amount`.
/// A new request restarts the timer for everything still unbonding: one unlock time per
/// position keeps the account O(1) in size. Unbonding principal still shares a market loss
/// with everyone (it is principal of the pool until it leaves), so moving it needs no market.
pub fn handler(ctx: Context<RequestUnbond>, amount: u64) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    require!(amount > 0, StakingError::ZeroAmount);
    let shares =
        principal::shares_for_withdrawal(amount, position.staked_shares, pool.principal_index)
            .ok_or(StakingError::InsufficientStake)?;
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;

    position.staked_shares -= shares;
    position.unbonding_shares = position
        .unbonding_shares
        .checked_add(shares)
        .ok_or(StakingError::MathOverflow)?;
    position.unlock_ts = pool
        .last_update_ts
        .checked_add(pool.limits.unbonding_period)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked_shares = pool
        .total_staked_shares
        .checked_sub(shares)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_unbonding_shares = pool
        .total_unbonding_shares
        .checked_add(shares)
        .ok_or(StakingError::MathOverflow)?;
    emit!(UnbondRequested {
        pool: pool.key(),
        owner: position.owner,
        amount,
        shares,
        position_unbonding: pool.principal_value(position.unbonding_shares),
        unlock_ts: position.unlock_ts,
        total_unbonding: pool.total_unbonding(),
    });
    Ok(())
}
