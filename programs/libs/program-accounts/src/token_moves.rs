//! Token movements into and out of a program's vault, each followed by a reload of the vault
//! and a check that its balance moved by exactly the amount asked: the books are never trusted
//! to a CPI's word (a Token-2022 fee, a hook or a wrong account would show up here). Each
//! program wraps these with its own signer seeds and its own `TransferAmountMismatch`.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

/// Whether a balance went from `before` to `after` by exactly `expected`, up when `incoming`.
pub fn moved_exactly(before: u64, after: u64, expected: u64, incoming: bool) -> bool {
    let moved = if incoming {
        after.checked_sub(before)
    } else {
        before.checked_sub(after)
    };
    moved == Some(expected)
}

/// Moves `amount` from `from` into `vault`, signed by `authority` (a signer of the
/// transaction). `mismatch` is the error when the vault did not grow by exactly `amount`.
pub fn transfer_into_vault<'info>(
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    authority: AccountInfo<'info>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    amount: u64,
    mismatch: impl Into<anchor_lang::error::Error>,
) -> Result<()> {
    let before = vault.amount;
    token_interface::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: vault.to_account_info(),
                authority,
            },
        ),
        amount,
        mint.decimals,
    )?;
    vault.reload()?;
    if moved_exactly(before, vault.amount, amount, true) {
        Ok(())
    } else {
        Err(mismatch.into())
    }
}

/// Moves `amount` out of `vault` to `to`, signed by the PDA `authority` with `signer_seeds`.
/// `mismatch` is the error when the vault did not shrink by exactly `amount`.
#[allow(clippy::too_many_arguments)]
pub fn transfer_out_of_vault<'info>(
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    authority: AccountInfo<'info>,
    signer_seeds: &[&[u8]],
    amount: u64,
    mismatch: impl Into<anchor_lang::error::Error>,
) -> Result<()> {
    let before = vault.amount;
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: vault.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority,
            },
            &[signer_seeds],
        ),
        amount,
        mint.decimals,
    )?;
    vault.reload()?;
    if moved_exactly(before, vault.amount, amount, false) {
        Ok(())
    } else {
        Err(mismatch.into())
    }
}

#[cfg(test)]
mod tests {
    use super::moved_exactly;

    #[test]
    fn a_short_or_long_transfer_is_a_mismatch() {
        assert!(moved_exactly(100, 150, 50, true));
        assert!(moved_exactly(100, 50, 50, false));
        for (before, after, expected, incoming) in [
            (100, 149, 50, true),
            (100, 151, 50, true),
            (100, 51, 50, false),
            (100, 120, 50, false),
            (100, 150, 50, false),
            (100, 50, 50, true),
        ] {
            assert!(!moved_exactly(before, after, expected, incoming));
        }
    }
}
