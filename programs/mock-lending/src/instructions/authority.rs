//! The market authority's levers: back the interest with tokens, take liquidity out or put it
//! back to simulate borrowers (so tests and demos can make the market illiquid), write loans
//! off as bad debt and later recover them (so a market can fail and mend), switch
//! the market to paying its index unbacked (so tests can show the pool defends itself
//! against a market that promises more than it holds), and hand the market to another
//! authority (as a real market's admin can, so a pool can be shown to notice).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::LendingError;
use crate::events::{
    AuthorityChanged, InterestFunded, LoanChanged, LoansRecovered, LoansWrittenOff,
    ValuationChanged,
};
use crate::state::Market;
use program_accounts::token_moves::{transfer_into_vault, transfer_out_of_vault};

#[derive(Accounts)]
pub struct AuthorityMove<'info> {
    #[account(
        mut,
        constraint = market.is_at(&market.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        has_one = authority @ LendingError::Unauthorized,
        has_one = liquidity_vault @ LendingError::InvalidVault,
        has_one = mint @ LendingError::InvalidMint,
        has_one = token_program @ LendingError::InvalidTokenProgram,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(mut)]
    pub liquidity_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub authority_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub authority: Signer<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn fund(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let a = &mut *ctx.accounts;
    transfer_into_vault(
        &*a.market,
        &a.token_program,
        &a.mint,
        &a.authority_token,
        &a.authority,
        &mut a.liquidity_vault,
        amount,
    )?;
    emit!(InterestFunded {
        market: a.market.key(),
        amount,
    });
    Ok(())
}

pub fn borrow(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let a = &mut *ctx.accounts;
    require!(
        amount <= a.liquidity_vault.amount,
        LendingError::InsufficientLiquidity
    );
    transfer_out_of_vault(
        &*a.market,
        &a.token_program,
        &a.mint,
        &mut a.liquidity_vault,
        &a.authority_token,
        amount,
    )?;
    let market = &mut a.market;
    market.outstanding_loans = market
        .outstanding_loans
        .checked_add(amount)
        .ok_or(LendingError::MathOverflow)?;
    emit!(LoanChanged {
        market: market.key(),
        borrowed: i128::from(amount),
        outstanding_loans: market.outstanding_loans,
    });
    Ok(())
}

pub fn repay(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let a = &mut *ctx.accounts;
    require!(
        amount <= a.market.outstanding_loans,
        LendingError::RepayExceedsLoans
    );
    transfer_into_vault(
        &*a.market,
        &a.token_program,
        &a.mint,
        &a.authority_token,
        &a.authority,
        &mut a.liquidity_vault,
        amount,
    )?;
    let market = &mut a.market;
    market.outstanding_loans -= amount;
    emit!(LoanChanged {
        market: market.key(),
        borrowed: -i128::from(amount),
        outstanding_loans: market.outstanding_loans,
    });
    Ok(())
}

/// Puts back `amount` of loans written off: tokens into the vault, so every share is worth
/// more again (up to the index).
pub fn recover(ctx: Context<AuthorityMove>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let a = &mut *ctx.accounts;
    require!(
        amount <= a.market.written_off,
        LendingError::RecoveryExceedsWriteOffs
    );
    transfer_into_vault(
        &*a.market,
        &a.token_program,
        &a.mint,
        &a.authority_token,
        &a.authority,
        &mut a.liquidity_vault,
        amount,
    )?;
    let market = &mut a.market;
    market.written_off -= amount;
    emit!(LoansRecovered {
        market: market.key(),
        amount,
        written_off: market.written_off,
    });
    Ok(())
}

/// The market and its authority, for levers that move no tokens.
#[derive(Accounts)]
pub struct MarketAuthority<'info> {
    #[account(
        mut,
        constraint = market.is_at(&market.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        has_one = authority @ LendingError::Unauthorized,
    )]
    pub market: Box<Account<'info, Market>>,
    pub authority: Signer<'info>,
}

/// `unbacked = true` makes the market pay its index rate whether or not its vault and loans
/// hold it (first come, first served), as the market did before it capped the rate by its
/// assets: a simulated unsound market. `false` restores the backed rate.
pub fn set_unbacked(ctx: Context<MarketAuthority>, unbacked: bool) -> Result<()> {
    let market = &mut ctx.accounts.market;
    market.unbacked = unbacked;
    emit!(ValuationChanged {
        market: market.key(),
        unbacked,
    });
    Ok(())
}

/// Hands the market's levers to `new_authority`, at once.
pub fn transfer(ctx: Context<MarketAuthority>, new_authority: Pubkey) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let old_authority = market.authority;
    market.authority = new_authority;
    emit!(AuthorityChanged {
        market: market.key(),
        old_authority,
        new_authority,
    });
    Ok(())
}

/// Writes `amount` of outstanding loans off as bad debt: the borrowers will never repay it, so
/// the market's assets fall and every share is worth less (`Market::payable_rate`), for every
/// holder alike. No tokens move: they left with the borrowers.
pub fn write_off(ctx: Context<MarketAuthority>, amount: u64) -> Result<()> {
    require!(amount > 0, LendingError::ZeroAmount);
    let market = &mut ctx.accounts.market;
    require!(
        amount <= market.outstanding_loans,
        LendingError::WriteOffExceedsLoans
    );
    market.outstanding_loans -= amount;
    let overflow = LendingError::MathOverflow;
    market.written_off = market.written_off.checked_add(amount).ok_or(overflow)?;
    emit!(LoansWrittenOff {
        market: market.key(),
        amount,
        outstanding_loans: market.outstanding_loans,
        written_off: market.written_off,
    });
    Ok(())
}
