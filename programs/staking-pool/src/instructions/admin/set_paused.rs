use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::PauseChanged;

/// `pause` and `unpause`. Paused stops deposits (and lending out); withdrawals and claims
/// keep working so a pause can never trap users' funds.
pub fn handler(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    pool.paused = paused;
    emit!(PauseChanged {
        pool: pool.key(),
        paused,
    });
    Ok(())
}
