use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::{emit_dropped, ParamsChanged};
use crate::state::LoadedPool;
use crate::state::PoolLimits;

/// Replaces the pool's limits. A longer unbonding period applies to later `request_unbond`
/// calls only: an unlock time already promised to a user is never moved later. Setting the
/// period to 0 frees everything still unbonding at once (see `split_withdrawal`).
///
/// With a notice period, a lower reserve, a longer unbonding period or a shorter notice period
/// is proposed instead (`propose_change`) and the whole call is refused; the deposit limits and
/// changes for depositors apply at once. A change of the notice period drops every pending
/// proposal, and a changed reserve or unbonding period the proposal of its kind, each with a
/// `ChangeCancelled`.
pub fn handler(ctx: Context<AdminOnly>, limits: PoolLimits) -> Result<()> {
    limits.validate()?;
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    for change in limits.noticed_changes() {
        pool.require_no_notice_for(change)?;
    }
    let old = pool.limits();
    let dropped = pool.set_limits(limits, Clock::get()?.unix_timestamp)?;
    emit_dropped(pool.key(), &dropped);
    pool.save()?;
    emit!(ParamsChanged {
        pool: pool.key(),
        old,
        new: limits,
    });
    Ok(())
}
