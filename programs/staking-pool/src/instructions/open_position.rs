use anchor_lang::prelude::*;

use crate::constants::POSITION_SEED;
use crate::errors::StakingError;
use crate::events::PositionOpened;
use crate::state::{Pool, Position};
use program_accounts::pda_account::{create_pda_account, write_zero_copy};

#[derive(Accounts)]
pub struct OpenPosition<'info> {
    #[account(
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
    )]
    pub pool: AccountLoader<'info, Pool>,
    /// The owner's position to create in the pool, at its PDA; the handler creates it, so
    /// lamports sent to the address first cannot block it.
    /// CHECK: the address is checked by `seeds`; creation fails if a position already exists.
    #[account(mut, seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()], bump)]
    pub position: UncheckedAccount<'info>,
    #[account(mut)]
    pub owner: Signer<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<OpenPosition>) -> Result<()> {
    let accounts = &ctx.accounts;
    let pool_key = accounts.pool.key();
    let owner_key = accounts.owner.key();
    let position_info = accounts.position.to_account_info();
    let bump = [ctx.bumps.position];
    create_pda_account(
        &accounts.owner.to_account_info(),
        &position_info,
        &accounts.system_program.to_account_info(),
        Position::SPACE,
        ctx.program_id,
        &[POSITION_SEED, pool_key.as_ref(), owner_key.as_ref(), &bump],
    )?;
    let position = Position {
        owner: owner_key,
        pool: pool_key,
        // Nothing is staked yet, so the snapshot only has to be a value the pool has reached.
        index_snapshot: accounts.pool.load()?.accrued_index,
        bump: ctx.bumps.position,
        ..bytemuck::Zeroable::zeroed()
    };
    write_zero_copy(&position_info, &position)?;
    emit!(PositionOpened {
        pool: pool_key,
        owner: owner_key,
        position: position_info.key(),
    });
    Ok(())
}
