use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::AdminTransferStarted;
use crate::state::LoadedPool;

/// First step of an admin change: names the pending admin, who must accept. Passing the
/// default key cancels a pending transfer.
pub fn handler(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    pool.pending_admin = new_admin;
    pool.save()?;
    emit!(AdminTransferStarted {
        pool: pool.key(),
        admin: pool.admin,
        pending_admin: new_admin,
    });
    Ok(())
}
