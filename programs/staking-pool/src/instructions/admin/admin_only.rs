use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::state::Pool;

/// Accounts of every admin instruction: the pool and its admin's signature. A stranger, or
/// a former admin after a transfer, fails `has_one = admin` with `Unauthorized`.
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        has_one = admin @ StakingError::Unauthorized,
    )]
    pub pool: AccountLoader<'info, Pool>,
    pub admin: Signer<'info>,
}
