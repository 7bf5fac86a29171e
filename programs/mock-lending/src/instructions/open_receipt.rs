use anchor_lang::prelude::*;
use program_accounts::pda_account::create_pda_account;

use crate::constants::RECEIPT_SEED;
use crate::events::ReceiptOpened;
use crate::state::{Market, Receipt};

/// Creates `owner`'s receipt. Anyone may pay for it: the owner need not sign (a PDA owner,
/// like a staking pool, cannot pay rent itself), and an empty receipt grants nothing.
#[derive(Accounts)]
pub struct OpenReceipt<'info> {
    #[account(
        constraint = market.is_at(&market.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub market: Box<Account<'info, Market>>,
    /// The receipt to open for `owner` in `market`, at its PDA; the handler creates it, so
    /// lamports sent to the address first cannot block it.
    /// CHECK: the address is checked by `seeds`; creation fails if a receipt already exists.
    #[account(
        mut,
        seeds = [RECEIPT_SEED, market.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub receipt: UncheckedAccount<'info>,
    /// The account the receipt belongs to, such as a staking pool; it need not sign.
    /// CHECK: only its address is used, as the receipt's owner and seed.
    pub owner: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<OpenReceipt>) -> Result<()> {
    let accounts = &ctx.accounts;
    let market_key = accounts.market.key();
    let owner_key = accounts.owner.key();
    let receipt_info = accounts.receipt.to_account_info();
    let bump = [ctx.bumps.receipt];
    create_pda_account(
        &accounts.payer.to_account_info(),
        &receipt_info,
        &accounts.system_program.to_account_info(),
        Receipt::SPACE,
        ctx.program_id,
        &[RECEIPT_SEED, market_key.as_ref(), owner_key.as_ref(), &bump],
    )?;
    let receipt = Receipt {
        owner: owner_key,
        market: market_key,
        shares: 0,
        bump: ctx.bumps.receipt,
    };
    receipt.try_serialize(&mut &mut receipt_info.try_borrow_mut_data()?[..])?;
    emit!(ReceiptOpened {
        market: market_key,
        owner: owner_key,
        receipt: receipt_info.key(),
    });
    Ok(())
}
