use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::errors::StakingError;
use crate::events::Deposited;
use crate::instructions::owner_position::*;
use crate::transfers::transfer_in;

owner_position_accounts! {
    pub struct Deposit<'info> {
        pool, position, owner, tokens: stake_mint, token_program;
        #[account(
            mut,
            address = pool.vault @ StakingError::InvalidVault,
            constraint = !pool.paused @ StakingError::PoolPaused,
        )]
        pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
        #[account(
            mut,
            token::mint = stake_mint,
            token::token_program = token_program,
        )]
        pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    }
}

pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let (owner, stake_mint, token_program) = (
        &accounts.owner,
        &accounts.stake_mint,
        &accounts.token_program,
    );
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
    position.settle(index)?;
    transfer_in(
        token_program,
        stake_mint,
        &accounts.owner_token,
        owner,
        &mut accounts.vault,
        amount,
    )?;

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
