use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::errors::StakingError;
use crate::events::ChangeCancelled;
use crate::state::LoadedPool;
use crate::state::{CancelReason, ChangeKind};

/// Withdraws a pending proposal; the admin may do so at any time.
pub fn handler(ctx: Context<AdminOnly>, kind: ChangeKind) -> Result<()> {
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    let change = pool
        .pending
        .take(kind)
        .ok_or(StakingError::NoPendingChange)?;
    pool.save()?;
    emit!(ChangeCancelled {
        pool: pool.key(),
        change,
        reason: CancelReason::ByAdmin,
    });
    Ok(())
}
