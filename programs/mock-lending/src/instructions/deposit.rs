use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::LendingError;
use crate::events::LiquidityDeposited;
use crate::exchange_rate::shares_for_deposit;
use crate::state::{Market, Receipt};
use program_accounts::token_moves::transfer_into_vault;

/// Accounts shared by `deposit` and `withdraw`: `owner_token` is the source or destination.
#[derive(Accounts)]
pub struct MoveLiquidity<'info> {
    #[account(
        mut,
        constraint = market.is_at(&market.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        has_one = liquidity_vault @ LendingError::InvalidVault,
        has_one = mint @ LendingError::InvalidMint,
        has_one = token_program @ LendingError::InvalidTokenProgram,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut,
        // In the order Anchor checked `seeds` and `has_one` before (raw constraints run in
        // the order written, after any `has_one`).
        constraint = receipt.is_at(&receipt.key(), &market.key(), &owner.key())
            @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        constraint = receipt.owner == owner.key() @ LendingError::Unauthorized,
        constraint = receipt.market == market.key() @ anchor_lang::error::ErrorCode::ConstraintHasOne,
    )]
    pub receipt: Box<Account<'info, Receipt>>,
    #[account(mut)]
    pub liquidity_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub owner: Signer<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<MoveLiquidity>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    // Bought at the index: a share costs all the interest earned before it, funded or not, so
    // a deposit placed just before `fund_interest` buys none of it (the funding is what the
    // earlier holders' shares were already priced at).
    let rate = accounts.market.index_rate(Clock::get()?.unix_timestamp)?;
    let shares = shares_for_deposit(amount, rate).ok_or(LendingError::MathOverflow)?;
    require!(shares > 0, LendingError::DepositTooSmall);
    transfer_into_vault(
        &*accounts.market,
        &accounts.token_program,
        &accounts.mint,
        &accounts.owner_token,
        &accounts.owner,
        &mut accounts.liquidity_vault,
        amount,
    )?;
    let receipt = &mut accounts.receipt;
    let market = &mut accounts.market;
    market.issue_shares(receipt, shares)?;
    emit!(LiquidityDeposited {
        market: market.key(),
        owner: receipt.owner,
        amount,
        shares,
        total_shares: market.total_shares,
    });
    Ok(())
}
