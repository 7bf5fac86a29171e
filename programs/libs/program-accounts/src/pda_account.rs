//! Creating program-derived accounts in a way nobody can block.
//!
//! Anyone can send lamports to an address before its account exists. Anchor 1.2's `init`
//! handles such a prefunded address with the system program's `CreateAccountAllowPrefund`,
//! which clusters running Agave 3.1 reject ("invalid instruction data"): one lamport
//! transfer to a user's future position address would stop that user from ever opening a
//! position. This module creates the account with `create_account` when the address is
//! empty, and otherwise with the long-supported transfer + allocate + assign, each signed
//! by the PDA.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};
use anchor_spl::token_2022::spl_token_2022::{
    extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
    state::{Account as TokenAccountState, Mint as MintState},
};
use anchor_spl::token_interface::{self, InitializeAccount3};

/// Writes the first state of a zero-copy account just created with exactly its space: `T`'s
/// discriminator, then `state`'s bytes.
pub fn write_zero_copy<T: anchor_lang::ZeroCopy>(target: &AccountInfo, state: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    let discriminator = T::DISCRIMINATOR;
    let bytes = bytemuck::bytes_of(state);
    require!(
        data.len() == discriminator.len() + bytes.len(),
        ErrorCode::AccountDidNotSerialize
    );
    data[..discriminator.len()].copy_from_slice(discriminator);
    data[discriminator.len()..].copy_from_slice(bytes);
    Ok(())
}

/// Creates `target` (a PDA signed by `signer_seeds`) with `space` bytes, owned by `owner`,
/// rent-exempt, paid by `payer`.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let required = Rent::get()?.minimum_balance(space);
    let current = target.lamports();
    let program = system_program.key();
    if current == 0 {
        return system_program::create_account(
            CpiContext::new_with_signer(
                program,
                CreateAccount {
                    from: payer.clone(),
                    to: target.clone(),
                },
                &[signer_seeds],
            ),
            required,
            space as u64,
            owner,
        );
    }
    let top_up = required.saturating_sub(current);
    if top_up > 0 {
        system_program::transfer(
            CpiContext::new(
                program,
                Transfer {
                    from: payer.clone(),
                    to: target.clone(),
                },
            ),
            top_up,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(
            program,
            Allocate {
                account_to_allocate: target.clone(),
            },
            &[signer_seeds],
        ),
        space as u64,
    )?;
    system_program::assign(
        CpiContext::new_with_signer(
            program,
            Assign {
                account_to_assign: target.clone(),
            },
            &[signer_seeds],
        ),
        owner,
    )
}

/// Size of a token account for `mint`, including the account extensions a Token-2022 mint
/// requires (the same rule Anchor's `token::` init uses).
pub fn token_account_space(mint: &AccountInfo) -> Result<usize> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(TokenAccountState::LEN);
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    let required =
        ExtensionType::get_required_init_account_extensions(&state.get_extension_types()?);
    Ok(ExtensionType::try_calculate_account_len::<TokenAccountState>(&required)?)
}

/// Creates a token account at a PDA and initialises it for `mint` with `authority`.
#[allow(clippy::too_many_arguments)]
pub fn create_pda_token_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let space = token_account_space(mint)?;
    create_pda_account(
        payer,
        target,
        system_program,
        space,
        token_program.key,
        signer_seeds,
    )?;
    token_interface::initialize_account3(CpiContext::new(
        token_program.key(),
        InitializeAccount3 {
            account: target.clone(),
            mint: mint.clone(),
            authority: authority.clone(),
        },
    ))
}
