use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::events::Claimed;
use crate::state::{Pool, Position};
use crate::transfers::transfer_out;

#[derive(Accounts)]
pub struct Claim<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = reward_vault @ StakingError::InvalidRewardVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
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
    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub owner: Signer<'info>,
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Settles the position and returns what can be paid now: everything owed, or what the
/// reward books hold if that is less. The rest stays owed.
pub fn settle_payable(pool: &mut Pool, position: &mut Position, now: i64) -> Result<u64> {
    let index = pool.accrue(now)?;
    position.settle(index)?;
    let available = pool.reward_balance().ok_or(StakingError::MathOverflow)?;
    Ok(position.owed_units().min(available))
}

pub fn handler(ctx: Context<Claim>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let amount = settle_payable(
        &mut accounts.pool,
        &mut accounts.position,
        Clock::get()?.unix_timestamp,
    )?;
    accounts.pool.record_payout(amount)?;
    accounts.position.record_payout(amount)?;
    if amount > 0 {
        transfer_out(
            &accounts.pool,
            &accounts.token_program,
            &accounts.stake_mint,
            &mut accounts.reward_vault,
            &accounts.owner_token,
            amount,
        )?;
    }
    let pool = &accounts.pool;
    let position = &accounts.position;
    emit!(Claimed {
        pool: pool.key(),
        owner: position.owner,
        amount,
        still_owed: position.owed_units(),
        total_rewards_paid: pool.total_rewards_paid,
    });
    Ok(())
}
