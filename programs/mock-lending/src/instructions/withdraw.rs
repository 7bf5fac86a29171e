use anchor_lang::prelude::*;

use crate::errors::LendingError;
use crate::events::LiquidityWithdrawn;
use crate::exchange_rate::shares_for_withdrawal;
use crate::instructions::deposit::MoveLiquidity;
use program_accounts::token_moves::transfer_out_of_vault;

pub fn handler(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    // Paid at what a share is really worth: a depositor never takes interest nobody funded,
    // which would be another depositor's principal.
    let rate = accounts.market.payable_rate(
        Clock::get()?.unix_timestamp,
        accounts.liquidity_vault.amount,
    )?;
    let burned = shares_for_withdrawal(amount, rate).ok_or(LendingError::MathOverflow)?;
    require!(
        burned <= accounts.receipt.shares,
        LendingError::InsufficientShares
    );
    require!(
        amount <= accounts.liquidity_vault.amount,
        LendingError::InsufficientLiquidity
    );
    transfer_out_of_vault(
        &*accounts.market,
        &accounts.token_program,
        &accounts.mint,
        &mut accounts.liquidity_vault,
        &accounts.owner_token,
        amount,
    )?;
    let receipt = &mut accounts.receipt;
    let market = &mut accounts.market;
    market.burn_shares(receipt, burned)?;
    emit!(LiquidityWithdrawn {
        market: market.key(),
        owner: receipt.owner,
        amount,
        shares_burned: burned,
        total_shares: market.total_shares,
    });
    Ok(())
}
