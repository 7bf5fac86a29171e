use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::AdminTransferAccepted;
use crate::state::{LoadedPool, Pool};

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        constraint = pool.load()?.pending_admin != Pubkey::default() @ StakingError::NoPendingAdmin,
        constraint = pool.load()?.pending_admin == new_admin.key() @ StakingError::Unauthorized,
    )]
    pub pool: AccountLoader<'info, Pool>,
    pub new_admin: Signer<'info>,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    let old_admin = pool.admin;
    pool.admin = pool.pending_admin;
    pool.pending_admin = Pubkey::default();
    pool.save()?;
    emit!(AdminTransferAccepted {
        pool: pool.key(),
        old_admin,
        new_admin: pool.admin,
    });
    Ok(())
}
