//! The account groups every instruction on a position starts with, written once.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::state::{Pool, Position};

/// An owner's position in its pool: the pool at its PDA (stored bump), the position at the
/// PDA of (pool, owner) (stored bump) belonging to both, and the owner signing.
#[derive(Accounts)]
pub struct OwnerPosition<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut,
        seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ StakingError::Unauthorized,
        has_one = pool,
    )]
    pub position: Box<Account<'info, Position>>,
    pub owner: Signer<'info>,
}

/// `OwnerPosition` plus what moving the pool's tokens takes: its stake mint and the token
/// program that owns it, both pinned to the pool.
#[derive(Accounts)]
pub struct PositionTokens<'info> {
    pub owned: OwnerPosition<'info>,
    #[account(address = owned.pool.stake_mint @ StakingError::InvalidMint)]
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = owned.pool.token_program @ StakingError::InvalidTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

/// The parts of `PositionTokens` a handler works with, borrowed at once.
pub type PositionParts<'a, 'info> = (
    &'a mut Account<'info, Pool>,
    &'a mut Account<'info, Position>,
    &'a Signer<'info>,
    &'a InterfaceAccount<'info, Mint>,
    &'a Interface<'info, TokenInterface>,
);

impl<'info> PositionTokens<'info> {
    /// Pool, position, owner, stake mint and token program, borrowed at once.
    pub fn parts(&mut self) -> PositionParts<'_, 'info> {
        let owned = &mut self.owned;
        (
            &mut owned.pool,
            &mut owned.position,
            &owned.owner,
            &self.stake_mint,
            &self.token_program,
        )
    }
}
