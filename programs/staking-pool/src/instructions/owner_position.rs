//! The account groups every instruction on a position starts with, written once.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::errors::StakingError;
use crate::state::{Pool, Position};

/// An owner's position in its pool: the pool at its PDA (stored bump), the position at the
/// PDA of (pool, owner) (stored bump) belonging to both, and the owner signing. The PDAs are
/// recognised by one hash each from the stored bumps (`Pool::is_at`, `Position::is_at`).
#[derive(Accounts)]
pub struct OwnerPosition<'info> {
    #[account(
        mut,
        constraint = pool.is_at(&pool.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut,
        // In the order Anchor checked `seeds` and `has_one` before (raw constraints run in
        // the order written, after any `has_one`).
        constraint = position.is_at(&position.key(), &pool.key(), &owner.key())
            @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        constraint = position.owner == owner.key() @ StakingError::Unauthorized,
        constraint = position.pool == pool.key() @ anchor_lang::error::ErrorCode::ConstraintHasOne,
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
