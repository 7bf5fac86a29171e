use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::errors::StakingError;
use crate::events::ChangeCancelled;
use crate::state::{CancelReason, ChangeKind};

/// Withdraws a pending proposal; the admin may do so at any time.
pub fn handler(ctx: Context<AdminOnly>, kind: ChangeKind) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let change = pool
        .pending
        .take(kind)
        .ok_or(StakingError::NoPendingChange)?;
    emit!(ChangeCancelled {
        pool: pool.key(),
        change,
        reason: CancelReason::ByAdmin,
    });
    Ok(())
}
