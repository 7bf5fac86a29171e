use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::ParamsChanged;
use crate::state::{Change, ChangeKind, PoolLimits};

/// Replaces the pool's limits. A longer unbonding period applies to later `request_unbond`
/// calls only: an unlock time already promised to a user is never moved later. Setting the
/// period to 0 frees everything still unbonding at once (see `split_withdrawal`).
///
/// With a notice period, a lower reserve, a longer unbonding period or a shorter notice period
/// is proposed instead (`propose_change`) and the whole call is refused; the deposit limits and
/// changes for depositors apply at once.
pub fn handler(ctx: Context<AdminOnly>, limits: PoolLimits) -> Result<()> {
    limits.validate()?;
    let pool = &mut ctx.accounts.pool;
    for change in [
        Change::Reserve(limits.reserve_bps),
        Change::UnbondingPeriod(limits.unbonding_period),
        Change::NoticePeriod(limits.notice_period),
    ] {
        pool.require_no_notice_for(change)?;
    }
    // Checkpoint first (SPEC §2), so every parameter change starts from settled books.
    pool.accrue(Clock::get()?.unix_timestamp)?;
    let old = pool.limits;
    // A direct change of a kind drops what was announced for it (see `Pool::apply_change`).
    for (kind, changed) in [
        (ChangeKind::Reserve, limits.reserve_bps != old.reserve_bps),
        (
            ChangeKind::UnbondingPeriod,
            limits.unbonding_period != old.unbonding_period,
        ),
        (
            ChangeKind::NoticePeriod,
            limits.notice_period != old.notice_period,
        ),
    ] {
        if changed {
            pool.pending.clear(kind);
        }
    }
    pool.limits = limits;
    emit!(ParamsChanged {
        pool: pool.key(),
        old,
        new: limits,
    });
    Ok(())
}
