use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::events::Deposited;
use crate::state::{Pool, Position};
use crate::transfers::transfer_in;

#[derive(Accounts)]
pub struct Deposit<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = vault @ StakingError::InvalidVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
        constraint = !pool.paused @ StakingError::PoolPaused,
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
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub owner: Signer<'info>,
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let pool = &mut accounts.pool;
    require!(
        amount >= pool.limits.min_deposit,
        StakingError::BelowMinimumDeposit
    );
    let principal_after = pool
        .total_principal()
        .and_then(|p| p.checked_add(amount))
        .ok_or(StakingError::DepositCapExceeded)?;
    require!(
        principal_after <= pool.limits.deposit_cap,
        StakingError::DepositCapExceeded
    );

    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    accounts.position.settle(index)?;
    transfer_in(
        &accounts.token_program,
        &accounts.stake_mint,
        &accounts.owner_token,
        &accounts.owner,
        &mut accounts.vault,
        amount,
    )?;

    let position = &mut accounts.position;
    let pool = &mut accounts.pool;
    position.staked = position
        .staked
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked = pool
        .total_staked
        .checked_add(amount)
        .ok_or(StakingError::MathOverflow)?;
    emit!(Deposited {
        pool: pool.key(),
        owner: position.owner,
        amount,
        position_staked: position.staked,
        total_staked: pool.total_staked,
    });
    Ok(())
}
