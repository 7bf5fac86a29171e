use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::Compounded;
use crate::instructions::claim::settle_payable;
use crate::instructions::lending_books::recognise_loss_if_lent;
use crate::instructions::owner_position::*;
use crate::transfers::transfer_out;

owner_position_accounts! {
    pub struct Compound<'info> {
        pool, position, owner, tokens: stake_mint, token_program,
        market: market, receipt, market_vault;
        #[account(
            mut,
            address = pool.vault @ StakingError::InvalidVault,
            // Compounding is a deposit of rewards: stopped while paused like any deposit.
            constraint = !pool.paused @ StakingError::PoolPaused,
        )]
        pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
        #[account(mut, address = pool.reward_vault @ StakingError::InvalidRewardVault)]
        pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    }
}

/// Moves payable rewards from the reward vault into the position's principal. The deposit
/// cap applies; the minimum deposit does not (it exists to stop dust positions, and this
/// position exists already). Like a deposit, it reads the market first while principal is lent.
pub fn handler(ctx: Context<Compound>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    let clock = Clock::get()?.unix_timestamp;
    recognise_loss_if_lent(
        pool,
        accounts.market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?;
    let amount = settle_payable(pool, position, clock)?;
    let shares = pool.shares_for_deposit(amount)?;
    let principal_after = pool
        .total_principal()
        .and_then(|p| p.checked_add(amount))
        .ok_or(StakingError::DepositCapExceeded)?;
    require!(
        principal_after <= pool.limits.deposit_cap,
        StakingError::DepositCapExceeded
    );
    pool.record_payout(amount)?;
    position.record_payout(amount)?;
    if amount > 0 {
        let vault_before = accounts.vault.amount;
        transfer_out(
            pool,
            token_program,
            stake_mint,
            &mut accounts.reward_vault,
            &accounts.vault,
            amount,
        )?;
        accounts.vault.reload()?;
        crate::transfers::verify_delta(vault_before, accounts.vault.amount, amount, true)?;
    }
    pool.add_staked(position, shares)?;
    pool.add_principal(amount)?;
    emit!(Compounded {
        pool: pool.key(),
        owner: position.owner,
        amount,
        shares,
        still_owed: position.owed_units(),
        position_staked: pool.principal_value(position.staked_shares),
        total_staked: pool.total_staked(),
    });
    Ok(())
}
