use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::events::Compounded;
use crate::instructions::claim::settle_payable;
use crate::state::{Pool, Position};
use crate::transfers::transfer_out;

#[derive(Accounts)]
pub struct Compound<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = vault @ StakingError::InvalidVault,
        has_one = reward_vault @ StakingError::InvalidRewardVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
        // Compounding is a deposit of rewards: stopped while paused like any deposit.
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
    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub owner: Signer<'info>,
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Moves payable rewards from the reward vault into the position's principal. The deposit
/// cap applies; the minimum deposit does not (it exists to stop dust positions, and this
/// position exists already).
pub fn handler(ctx: Context<Compound>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let amount = settle_payable(
        &mut accounts.pool,
        &mut accounts.position,
        Clock::get()?.unix_timestamp,
    )?;
    let pool = &mut accounts.pool;
    let principal_after = pool
        .total_principal()
        .and_then(|p| p.checked_add(amount))
        .ok_or(StakingError::DepositCapExceeded)?;
    require!(
        principal_after <= pool.limits.deposit_cap,
        StakingError::DepositCapExceeded
    );
    pool.record_payout(amount)?;
    accounts.position.record_payout(amount)?;
    if amount > 0 {
        let vault_before = accounts.vault.amount;
        transfer_out(
            &accounts.pool,
            &accounts.token_program,
            &accounts.stake_mint,
            &mut accounts.reward_vault,
            &accounts.vault,
            amount,
        )?;
        accounts.vault.reload()?;
        crate::transfers::verify_delta(vault_before, accounts.vault.amount, amount, true)?;
    }
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
    emit!(Compounded {
        pool: pool.key(),
        owner: position.owner,
        amount,
        still_owed: position.owed_units(),
        position_staked: position.staked,
        total_staked: pool.total_staked,
    });
    Ok(())
}
