use anchor_lang::prelude::*;

use crate::constants::{MARKET_SEED, RECEIPT_SEED};
use crate::events::ReceiptOpened;
use crate::state::{Market, Receipt};

/// Creates `owner`'s receipt. Anyone may pay for it: the owner need not sign (a PDA owner,
/// like a staking pool, cannot pay rent itself), and an empty receipt grants nothing.
#[derive(Accounts)]
pub struct OpenReceipt<'info> {
    #[account(
        seeds = [MARKET_SEED, market.mint.as_ref(), &market.market_id.to_le_bytes()],
        bump = market.bump,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        init,
        payer = payer,
        space = Receipt::SPACE,
        seeds = [RECEIPT_SEED, market.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub receipt: Box<Account<'info, Receipt>>,
    /// CHECK: only its address is used, as the receipt's owner and seed.
    pub owner: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<OpenReceipt>) -> Result<()> {
    let receipt = &mut ctx.accounts.receipt;
    receipt.set_inner(Receipt {
        owner: ctx.accounts.owner.key(),
        market: ctx.accounts.market.key(),
        shares: 0,
        bump: ctx.bumps.receipt,
    });
    emit!(ReceiptOpened {
        market: receipt.market,
        owner: receipt.owner,
        receipt: receipt.key(),
    });
    Ok(())
}
