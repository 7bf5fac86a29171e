use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::errors::StakingError;
use crate::events::ChangeProposed;
use crate::state::Change;

/// Announces a change against depositors. It becomes executable by anyone once the notice
/// period has passed (`execute_change`); the admin may cancel it before (`cancel_change`). A
/// new proposal of the same kind replaces the old one and restarts its clock. The value is
/// validated now as it will be at execution (where it is checked again, since other changes
/// may have applied in between).
pub fn handler(ctx: Context<AdminOnly>, change: Change) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(
        pool.is_against_depositors(change),
        StakingError::NotAgainstDepositors
    );
    // Would it apply if it were executable now? Same rules as at execution.
    if !matches!(change, Change::LendingMarket(_)) {
        let mut trial = (**pool).clone();
        trial.apply_change(change, now)?;
    }
    let executable_at = now
        .checked_add(pool.limits.notice_period)
        .ok_or(StakingError::MathOverflow)?;
    pool.pending.set(change, executable_at);
    emit!(ChangeProposed {
        pool: pool.key(),
        change,
        executable_at,
    });
    Ok(())
}
