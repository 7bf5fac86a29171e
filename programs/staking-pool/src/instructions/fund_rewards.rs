use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::StakingError;
use crate::events::RewardsFunded;
use crate::state::{LoadedPool, Pool};
use program_accounts::token_moves::transfer_into_vault;

#[derive(Accounts)]
pub struct FundRewards<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        has_one = reward_vault @ StakingError::InvalidRewardVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
    )]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub funder_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub funder: Signer<'info>,
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<FundRewards>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    pool.accrue(Clock::get()?.unix_timestamp)?;
    transfer_into_vault(
        &pool,
        &accounts.token_program,
        &accounts.stake_mint,
        &accounts.funder_token,
        &accounts.funder,
        &mut accounts.reward_vault,
        amount,
    )?;
    pool.total_rewards_funded = pool
        .total_rewards_funded
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    pool.save()?;
    emit!(RewardsFunded {
        pool: pool.key(),
        funder: accounts.funder.key(),
        amount,
        total_rewards_funded: pool.total_rewards_funded,
        reward_balance: pool.reward_balance().ok_or(StakingError::MathOverflow)?,
        liability: pool.liability_units(),
    });
    Ok(())
}
