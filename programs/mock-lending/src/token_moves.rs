//! The market's two token movements: into the liquidity vault (signed by a user) and out of
//! it (signed by the market PDA), each checked by the vault's balance
//! (`program_accounts::token_moves`).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use program_accounts::token_moves::{transfer_into_vault, transfer_out_of_vault};

use crate::errors::LendingError;
use crate::state::Market;

pub fn into_vault<'info>(
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    authority: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    transfer_into_vault(
        token_program,
        mint,
        from,
        authority.to_account_info(),
        vault,
        amount,
        LendingError::TransferAmountMismatch,
    )
}

pub fn out_of_vault<'info>(
    market: &Account<'info, Market>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let id = market.market_id.to_le_bytes();
    let bump = [market.bump];
    let seeds = market.signer_seeds(&id, &bump);
    transfer_out_of_vault(
        token_program,
        mint,
        vault,
        to,
        market.to_account_info(),
        &seeds,
        amount,
        LendingError::TransferAmountMismatch,
    )
}
