use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::UnbondRequested;
use crate::principal;
use crate::state::{LoadedPool, Pool, Position};

/// The pool and the owner's position as `Deposit` declares them (docs/accounts.md); nothing
/// moves tokens.
#[derive(Accounts)]
pub struct RequestUnbond<'info> {
    #[account(mut, constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        constraint = position.load()?.is_at(&position.key(), &pool.key(), &owner.key())
            @ StakingError::InvalidPositionAddress,
        constraint = pool.load()?.limits.unbonding_period > 0 @ StakingError::UnbondingNotEnabled,
    )]
    pub position: AccountLoader<'info, Position>,
    pub owner: Signer<'info>,
}

/// Moves `amount` base units from earning to unbonding: the shares they are worth, rounded up
/// (all of them for the whole value), so the position stops earning on at least `amount`.
/// A new request restarts the timer for everything still unbonding: one unlock time per
/// position keeps the account O(1) in size. Unbonding principal still shares a market loss
/// with everyone (it is principal of the pool until it leaves), so moving it needs no market.
pub fn handler(ctx: Context<RequestUnbond>, amount: u64) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    require!(amount > 0, StakingError::ZeroAmount);
    let shares =
        principal::shares_for_withdrawal(amount, position.staked_shares, pool.principal_index())
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
    pool.save()?;
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
