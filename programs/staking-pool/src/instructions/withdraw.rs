use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{POOL_SEED, POSITION_SEED};
use crate::errors::StakingError;
use crate::events::Withdrawn;
use crate::state::{Pool, Position};
use crate::transfers::transfer_out;

#[derive(Accounts)]
pub struct Withdraw<'info> {
    #[account(
        mut,
        seeds = [POOL_SEED, pool.creator.as_ref(), pool.stake_mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = vault @ StakingError::InvalidVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
    )]
    pub pool: Account<'info, Pool>,
    #[account(
        mut,
        seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ StakingError::Unauthorized,
        has_one = pool,
    )]
    pub position: Account<'info, Position>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// Where the principal goes: any account of the stake mint the owner chooses.
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: InterfaceAccount<'info, TokenAccount>,
    pub owner: Signer<'info>,
    pub stake_mint: InterfaceAccount<'info, Mint>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// How a withdrawal splits between unlocked unbonding principal and earning principal.
/// Unbonding principal goes first: it no longer earns, so the owner loses nothing by it.
/// Earning principal can only be withdrawn directly in a pool without an unbonding period.
pub fn split_withdrawal(
    position: &Position,
    amount: u64,
    unbonding_period: i64,
    now: i64,
) -> Result<(u64, u64)> {
    let principal = position.principal().ok_or(StakingError::MathOverflow)?;
    require!(amount <= principal, StakingError::InsufficientStake);
    let unlocked = if now >= position.unlock_ts {
        position.unbonding
    } else {
        0
    };
    let from_unbonding = amount.min(unlocked);
    let from_staked = amount - from_unbonding;
    require!(
        from_staked == 0 || unbonding_period == 0,
        StakingError::StillUnbonding
    );
    require!(from_staked <= position.staked, StakingError::StillUnbonding);
    Ok((from_unbonding, from_staked))
}

pub fn handler(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let pool = &mut accounts.pool;
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    let now = pool.last_update_ts;
    let position = &mut accounts.position;
    let (from_unbonding, from_staked) =
        split_withdrawal(position, amount, pool.limits.unbonding_period, now)?;
    position.settle(index)?;

    position.unbonding -= from_unbonding;
    position.staked -= from_staked;
    pool.total_unbonding = pool
        .total_unbonding
        .checked_sub(from_unbonding)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked = pool
        .total_staked
        .checked_sub(from_staked)
        .ok_or(StakingError::MathOverflow)?;

    transfer_out(
        &accounts.pool,
        &accounts.token_program,
        &accounts.stake_mint,
        &mut accounts.vault,
        &accounts.owner_token,
        amount,
    )?;

    let pool = &accounts.pool;
    let position = &accounts.position;
    emit!(Withdrawn {
        pool: pool.key(),
        owner: position.owner,
        amount,
        position_staked: position.staked,
        position_unbonding: position.unbonding,
        total_staked: pool.total_staked,
        total_unbonding: pool.total_unbonding,
    });
    Ok(())
}
