use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::AdminTransferStarted;

/// First step of an admin change: names the pending admin, who must accept. Passing the
/// default key cancels a pending transfer.
pub fn handler(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    pool.pending_admin = new_admin;
    emit!(AdminTransferStarted {
        pool: pool.key(),
        admin: pool.admin,
        pending_admin: new_admin,
    });
    Ok(())
}
