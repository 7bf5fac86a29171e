use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{POOL_SEED, REWARD_VAULT_SEED, VAULT_SEED};
use crate::errors::StakingError;
use crate::events::PoolInitialized;
use crate::mint_policy::check_mint_extensions;
use crate::state::{validate_apr, Pool, PoolLimits};

#[derive(Accounts)]
#[instruction(pool_id: u16)]
pub struct InitializePool<'info> {
    #[account(mut)]
    pub creator: Signer<'info>,
    #[account(
        mint::token_program = token_program,
        constraint = check_mint_extensions(&stake_mint.to_account_info()).is_ok()
            @ StakingError::UnsupportedMintExtension,
    )]
    pub stake_mint: InterfaceAccount<'info, Mint>,
    #[account(
        init,
        payer = creator,
        space = Pool::SPACE,
        seeds = [POOL_SEED, creator.key().as_ref(), stake_mint.key().as_ref(), &pool_id.to_le_bytes()],
        bump,
    )]
    pub pool: Account<'info, Pool>,
    #[account(
        init,
        payer = creator,
        seeds = [VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = stake_mint,
        token::authority = pool,
        token::token_program = token_program,
    )]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    #[account(
        init,
        payer = creator,
        seeds = [REWARD_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = stake_mint,
        token::authority = pool,
        token::token_program = token_program,
    )]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

pub fn handler(
    mut ctx: Context<InitializePool>,
    pool_id: u16,
    apr_bps: u32,
    limits: PoolLimits,
) -> Result<()> {
    validate_apr(apr_bps)?;
    limits.validate()?;
    let now = Clock::get()?.unix_timestamp;
    let accounts = &mut ctx.accounts;
    let pool = &mut accounts.pool;
    pool.set_inner(Pool {
        creator: accounts.creator.key(),
        pool_id,
        admin: accounts.creator.key(),
        pending_admin: Pubkey::default(),
        stake_mint: accounts.stake_mint.key(),
        token_program: accounts.token_program.key(),
        vault: accounts.vault.key(),
        reward_vault: accounts.reward_vault.key(),
        apr_bps,
        index_checkpoint: 0,
        checkpoint_ts: now,
        accrued_index: 0,
        last_update_ts: now,
        total_owed_scaled: 0,
        total_staked: 0,
        total_unbonding: 0,
        total_rewards_funded: 0,
        total_rewards_paid: 0,
        total_interest_harvested: 0,
        lending_market: Pubkey::default(),
        lent_principal: 0,
        limits,
        paused: false,
        bump: ctx.bumps.pool,
        vault_bump: ctx.bumps.vault,
        reward_vault_bump: ctx.bumps.reward_vault,
        reserved: [0; 64],
    });
    emit!(PoolInitialized {
        pool: pool.key(),
        creator: pool.creator,
        pool_id,
        stake_mint: pool.stake_mint,
        apr_bps,
        limits,
    });
    Ok(())
}
