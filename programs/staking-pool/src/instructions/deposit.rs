use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::Deposited;
use crate::instructions::lending_books::recognise_loss_if_lent;
use crate::instructions::owner_position::*;
use crate::transfers::transfer_in;

owner_position_accounts! {
    pub struct Deposit<'info> {
        pool, position, owner, tokens: stake_mint, token_program,
        market: market, receipt, market_vault;
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

/// Moves `amount` into the vault for shares of principal at the pool's principal index. While
/// principal is lent the market is read first (`recognise_loss_if_lent`): a newcomer never buys
/// into a loss the market already shows.
pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let clock = Clock::get()?.unix_timestamp;
    recognise_loss_if_lent(
        pool,
        accounts.market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?;
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

    let shares = pool.shares_for_deposit(amount)?;
    let index = pool.accrue(clock)?;
    position.settle(index)?;
    transfer_in(
        token_program,
        stake_mint,
        &accounts.owner_token,
        owner,
        &mut accounts.vault,
        amount,
    )?;

    pool.add_staked(position, shares)?;
    pool.add_principal(amount)?;
    emit!(Deposited {
        pool: pool.key(),
        owner: position.owner,
        amount,
        shares,
        position_staked: pool.principal_value(position.staked_shares),
        total_staked: pool.total_staked(),
    });
    Ok(())
}
