use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::PauseChanged;
use crate::state::LoadedPool;

/// `pause` and `unpause`. Paused stops deposits (and lending out); withdrawals and claims
/// keep working so a pause can never trap users' funds.
pub fn handler(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    pool.paused = u8::from(paused);
    pool.save()?;
    emit!(PauseChanged {
        pool: pool.key(),
        paused,
    });
    Ok(())
}
