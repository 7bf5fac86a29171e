use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{LIQUIDITY_SEED, MARKET_SEED, MAX_SUPPLY_APR_BPS, RATE_SCALE};
use crate::errors::LendingError;
use crate::events::MarketInitialized;
use crate::state::Market;

#[derive(Accounts)]
#[instruction(market_id: u16)]
pub struct InitMarket<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = authority,
        space = Market::SPACE,
        seeds = [MARKET_SEED, mint.key().as_ref(), &market_id.to_le_bytes()],
        bump,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        init,
        payer = authority,
        seeds = [LIQUIDITY_SEED, market.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = market,
        token::token_program = token_program,
    )]
    pub liquidity_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<InitMarket>, market_id: u16, supply_apr_bps: u32) -> Result<()> {
    require!(
        supply_apr_bps <= MAX_SUPPLY_APR_BPS,
        LendingError::InvalidApr
    );
    let market = &mut ctx.accounts.market;
    market.set_inner(Market {
        authority: ctx.accounts.authority.key(),
        mint: ctx.accounts.mint.key(),
        market_id,
        token_program: ctx.accounts.token_program.key(),
        liquidity_vault: ctx.accounts.liquidity_vault.key(),
        supply_apr_bps,
        rate_checkpoint: RATE_SCALE,
        checkpoint_ts: Clock::get()?.unix_timestamp,
        total_shares: 0,
        outstanding_loans: 0,
        bump: ctx.bumps.market,
        vault_bump: ctx.bumps.liquidity_vault,
    });
    emit!(MarketInitialized {
        market: market.key(),
        authority: market.authority,
        mint: market.mint,
        supply_apr_bps,
    });
    Ok(())
}
