use anchor_lang::prelude::*;

use crate::constants::POOL_SEED;
use crate::errors::StakingError;
use crate::state::Pool;

/// Accounts of every admin instruction: the pool and its admin's signature. A stranger, or
/// a former admin after a transfer, fails `has_one = admin` with `Unauthorized`.
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = admin @ StakingError::Unauthorized,
    )]
    pub pool: Box<Account<'info, Pool>>,
    pub admin: Signer<'info>,
}
