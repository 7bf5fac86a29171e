use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::ParamsChanged;
use crate::state::PoolLimits;

/// Replaces the pool's limits. A new unbonding period applies to later `request_unbond`
/// calls only: an unlock time already promised to a user is never moved.
pub fn handler(ctx: Context<AdminOnly>, limits: PoolLimits) -> Result<()> {
    limits.validate()?;
    let pool = &mut ctx.accounts.pool;
    let old = pool.limits;
    pool.limits = limits;
    emit!(ParamsChanged {
        pool: pool.key(),
        old,
        new: limits,
    });
    Ok(())
}
