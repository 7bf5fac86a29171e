//! The pool's token movements: into a vault signed by the user, out of one signed by the pool
//! PDA, each checked by the vault's balance (`program_accounts::token_moves`).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use program_accounts::token_moves::{moved_exactly, transfer_into_vault, transfer_out_of_vault};

use crate::errors::StakingError;
use crate::state::LoadedPool;

/// Verifies a balance moved by exactly `expected` in the stated direction, for the moves the
/// lending program makes on the pool's behalf.
pub fn verify_delta(before: u64, after: u64, expected: u64, incoming: bool) -> Result<()> {
    require!(
        moved_exactly(before, after, expected, incoming),
        StakingError::TransferAmountMismatch
    );
    Ok(())
}

/// Moves `amount` from a user-owned account into a pool vault, signed by the user.
pub fn transfer_in<'info>(
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    authority: &Signer<'info>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    transfer_into_vault(
        token_program,
        mint,
        from,
        authority.to_account_info(),
        vault,
        amount,
        StakingError::TransferAmountMismatch,
    )
}

/// Moves `amount` out of a pool vault, signed by the pool PDA.
pub fn transfer_out<'info>(
    pool: &LoadedPool<'_, 'info>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let id = pool.pool_id.to_le_bytes();
    let bump = [pool.bump];
    let seeds = pool.signer_seeds(&id, &bump);
    transfer_out_of_vault(
        token_program,
        mint,
        vault,
        to,
        pool.to_account_info(),
        &seeds,
        amount,
        StakingError::TransferAmountMismatch,
    )
}
