//! Token movements into and out of a program's vault, each followed by a reload of the vault
//! and a check that its balance moved by exactly the amount asked: the books are never trusted
//! to a CPI's word (a Token-2022 fee, a hook or a wrong account would show up here). The
//! vault's owner (the pool, the market) signs what leaves and names its program's error.
use core::ops::Deref;

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

/// The state of a program-derived account that owns token vaults.
pub trait VaultOwner {
    /// Calls `sign` with the seeds this account signs with.
    fn with_signer_seeds<R>(&self, sign: impl FnOnce(&[&[u8]]) -> R) -> R;

    /// Its program's error for a vault balance that moved by another amount than asked.
    fn transfer_mismatch(&self) -> anchor_lang::error::Error;
}

/// Whether a balance went from `before` to `after` by exactly `expected`, up when `incoming`.
pub fn moved_exactly(before: u64, after: u64, expected: u64, incoming: bool) -> bool {
    let moved = if incoming {
        after.checked_sub(before)
    } else {
        before.checked_sub(after)
    };
    moved == Some(expected)
}

/// Moves `amount` from `from` into `owner`'s `vault`, signed by `authority` (a signer of the
/// transaction).
pub fn transfer_into_vault<'info, O>(
    owner: &O,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    authority: &Signer<'info>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()>
where
    O: Deref<Target: VaultOwner>,
{
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
    checked_move(owner, vault, before, amount, true)
}

/// Moves `amount` out of `owner`'s `vault` to `to`, signed by `owner`.
pub fn transfer_out_of_vault<'info, O>(
    owner: &O,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()>
where
    O: Deref<Target: VaultOwner> + ToAccountInfo<'info>,
{
    let before = vault.amount;
    owner.with_signer_seeds(|seeds| {
        token_interface::transfer_checked(
            CpiContext::new_with_signer(
                token_program.key(),
                TransferChecked {
                    from: vault.to_account_info(),
                    mint: mint.to_account_info(),
                    to: to.to_account_info(),
                    authority: owner.to_account_info(),
                },
                &[seeds],
            ),
            amount,
            mint.decimals,
        )
    })?;
    checked_move(owner, vault, before, amount, false)
}

/// Moves `amount` from one of `owner`'s vaults to another, signed by `owner`, and checks
/// both: `from` shrank and `to` grew by exactly `amount`.
pub fn transfer_between_vaults<'info, O>(
    owner: &O,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &mut InterfaceAccount<'info, TokenAccount>,
    to: &mut InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()>
where
    O: Deref<Target: VaultOwner> + ToAccountInfo<'info>,
{
    let before = to.amount;
    transfer_out_of_vault(owner, token_program, mint, from, to, amount)?;
    checked_move(owner, to, before, amount, true)
}

/// Reloads `vault` and requires it moved from `before` by exactly `amount`.
fn checked_move<O: Deref<Target: VaultOwner>>(
    owner: &O,
    vault: &mut InterfaceAccount<'_, TokenAccount>,
    before: u64,
    amount: u64,
    incoming: bool,
) -> Result<()> {
    vault.reload()?;
    if moved_exactly(before, vault.amount, amount, incoming) {
        Ok(())
    } else {
        Err(owner.transfer_mismatch())
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
