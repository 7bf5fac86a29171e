use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::AdminTransferAccepted;
use crate::state::Pool;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    #[account(
        mut,
        constraint = pool.is_at(&pool.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        constraint = pool.pending_admin != Pubkey::default() @ StakingError::NoPendingAdmin,
        constraint = pool.pending_admin == new_admin.key() @ StakingError::Unauthorized,
    )]
    pub pool: Box<Account<'info, Pool>>,
    pub new_admin: Signer<'info>,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let old_admin = pool.admin;
    pool.admin = pool.pending_admin;
    pool.pending_admin = Pubkey::default();
    emit!(AdminTransferAccepted {
        pool: pool.key(),
        old_admin,
        new_admin: pool.admin,
    });
    Ok(())
}
