use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};
use program_accounts::mint_policy::is_supported_mint;
use program_accounts::pda_account::{create_pda_account, create_pda_token_account};

use crate::constants::{LIQUIDITY_SEED, MARKET_SEED, MAX_SUPPLY_APR_BPS, RATE_SCALE};
use crate::errors::LendingError;
use crate::events::MarketInitialized;
use crate::state::Market;

#[derive(Accounts)]
#[instruction(market_id: u16)]
pub struct InitMarket<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mint::token_program = token_program,
        constraint = is_supported_mint(&mint.to_account_info())
            @ LendingError::UnsupportedMintExtension,
    )]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The market to create for `mint` and `market_id`, at its PDA; the handler creates it, so
    /// lamports sent to the address first cannot block it.
    /// CHECK: the address is checked by `seeds`; creation fails if an account already exists.
    #[account(
        mut,
        seeds = [MARKET_SEED, mint.key().as_ref(), &market_id.to_le_bytes()],
        bump,
    )]
    pub market: UncheckedAccount<'info>,
    /// The market's liquidity vault, at its PDA, which holds the tokens lent to the market.
    /// CHECK: created by the handler as a token account of `mint` owned by the market.
    #[account(mut, seeds = [LIQUIDITY_SEED, market.key().as_ref()], bump)]
    pub liquidity_vault: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<InitMarket>, market_id: u16, supply_apr_bps: u32) -> Result<()> {
    require!(
        supply_apr_bps <= MAX_SUPPLY_APR_BPS,
        LendingError::InvalidApr
    );
    let accounts = &ctx.accounts;
    let authority = accounts.authority.to_account_info();
    let system_program = accounts.system_program.to_account_info();
    let market_info = accounts.market.to_account_info();
    let mint_key = accounts.mint.key();
    let market_key = market_info.key();
    let id = market_id.to_le_bytes();
    let market_bump = [ctx.bumps.market];
    create_pda_account(
        &authority,
        &market_info,
        &system_program,
        Market::SPACE,
        ctx.program_id,
        &[MARKET_SEED, mint_key.as_ref(), &id, &market_bump],
    )?;
    create_pda_token_account(
        &authority,
        &accounts.liquidity_vault.to_account_info(),
        &accounts.mint.to_account_info(),
        &market_info,
        &accounts.token_program.to_account_info(),
        &system_program,
        &[
            LIQUIDITY_SEED,
            market_key.as_ref(),
            &[ctx.bumps.liquidity_vault],
        ],
    )?;
    let market = Market {
        authority: authority.key(),
        mint: mint_key,
        market_id,
        token_program: accounts.token_program.key(),
        liquidity_vault: accounts.liquidity_vault.key(),
        supply_apr_bps,
        rate_checkpoint: RATE_SCALE,
        checkpoint_ts: Clock::get()?.unix_timestamp,
        total_shares: 0,
        outstanding_loans: 0,
        written_off: 0,
        unbacked: false,
        bump: ctx.bumps.market,
        vault_bump: ctx.bumps.liquidity_vault,
    };
    market.try_serialize(&mut &mut market_info.try_borrow_mut_data()?[..])?;
    emit!(MarketInitialized {
        market: market_key,
        authority: market.authority,
        mint: market.mint,
        supply_apr_bps,
    });
    Ok(())
}
