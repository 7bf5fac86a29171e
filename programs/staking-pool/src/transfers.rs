//! Token movements in and out of the pool's vaults, each followed by a check that the
//! vault's balance moved by exactly the requested amount (the books are never trusted to a
//! CPI's word).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::errors::StakingError;
use crate::state::LoadedPool;

/// Verifies a balance moved by exactly `expected` in the stated direction.
pub fn verify_delta(before: u64, after: u64, expected: u64, incoming: bool) -> Result<()> {
    let moved = if incoming {
        after.checked_sub(before)
    } else {
        before.checked_sub(after)
    };
    require!(
        moved == Some(expected),
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
    verify_delta(before, vault.amount, amount, true)
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
    let before = vault.amount;
    let id = pool.pool_id.to_le_bytes();
    let bump = [pool.bump];
    let seeds = pool.signer_seeds(&id, &bump);
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: vault.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: pool.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        mint.decimals,
    )?;
    vault.reload()?;
    verify_delta(before, vault.amount, amount, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_or_long_transfer_is_a_mismatch() {
        assert!(verify_delta(100, 150, 50, true).is_ok());
        assert!(verify_delta(100, 50, 50, false).is_ok());
        for (before, after, expected, incoming) in [
            (100, 149, 50, true),
            (100, 151, 50, true),
            (100, 51, 50, false),
            (100, 120, 50, false),
        ] {
            let err = verify_delta(before, after, expected, incoming).unwrap_err();
            assert_eq!(err, StakingError::TransferAmountMismatch.into());
        }
    }
}
