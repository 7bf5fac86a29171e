use anchor_lang::prelude::*;

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::events::PositionOpened;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct OpenPosition<'info> {
    #[account(
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
    )]
    pub pool: Account<'info, Pool>,
    #[account(
        init,
        payer = owner,
        space = Position::SPACE,
        seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub position: Account<'info, Position>,
    #[account(mut)]
    pub owner: Signer<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<OpenPosition>) -> Result<()> {
    let pool = &ctx.accounts.pool;
    let position = &mut ctx.accounts.position;
    position.set_inner(Position {
        owner: ctx.accounts.owner.key(),
        pool: pool.key(),
        staked: 0,
        unbonding: 0,
        unlock_ts: 0,
        // Nothing is staked yet, so the snapshot only has to be a value the pool has reached.
        index_snapshot: pool.accrued_index,
        owed_scaled: 0,
        total_claimed: 0,
        bump: ctx.bumps.position,
    });
    emit!(PositionOpened {
        pool: pool.key(),
        owner: position.owner,
        position: position.key(),
    });
    Ok(())
}
