//! The market's two token movements: into the liquidity vault (signed by a user) and out of
//! it (signed by the market PDA). Each reloads the vault afterwards and checks it moved by
//! exactly the amount asked: the books are never trusted to a CPI's word.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

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
    let before = vault.amount;
    token_interface::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: vault.to_account_info(),
                authority: authority.to_account_info(),
            },
        ),
        amount,
        mint.decimals,
    )?;
    vault.reload()?;
    verify_moved(vault.amount.checked_sub(before), amount)
}

pub fn out_of_vault<'info>(
    market: &Account<'info, Market>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let before = vault.amount;
    let id = market.market_id.to_le_bytes();
    let bump = [market.bump];
    let seeds = market.signer_seeds(&id, &bump);
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: vault.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: market.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        mint.decimals,
    )?;
    vault.reload()?;
    verify_moved(before.checked_sub(vault.amount), amount)
}

fn verify_moved(moved: Option<u64>, expected: u64) -> Result<()> {
    require!(
        moved == Some(expected),
        LendingError::TransferAmountMismatch
    );
    Ok(())
}
