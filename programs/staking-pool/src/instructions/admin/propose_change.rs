use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::errors::StakingError;
use crate::events::ChangeProposed;
use crate::state::Change;

/// Announces a change against depositors. It becomes executable by anyone once the notice
/// period has passed (`execute_change`), for the notice period again (at least a day), then
/// lapses; the admin may cancel it before (`cancel_change`). A new proposal of the same kind
/// replaces the old one and restarts its clock; a direct change of the same kind drops it.
/// A pool without a notice period has nothing to announce: it makes changes directly. The value is
/// validated now as it will be at execution (where it is checked again, since other changes
/// may have applied in between).
pub fn handler(ctx: Context<AdminOnly>, change: Change) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(pool.limits.notice_period > 0, StakingError::NoNoticePeriod);
    require!(
        pool.is_against_depositors(change),
        StakingError::NotAgainstDepositors
    );
    // Would it apply if it were executable now? Same rules as at execution.
    if !matches!(change, Change::LendingMarket(_)) {
        let mut trial = (**pool).clone();
        trial.apply_change(change, now)?;
    }
    pool.pending.set(change, now);
    let (executable_at, lapses_at) = pool.execution_window(now);
    emit!(ChangeProposed {
        pool: pool.key(),
        change,
        executable_at,
        lapses_at,
    });
    Ok(())
}
