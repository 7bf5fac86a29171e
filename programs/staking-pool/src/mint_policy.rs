//! Which stake mints a pool accepts.
//!
//! The pool's books assume that `transfer_checked(amount)` moves exactly `amount`, that only
//! the owner (or the pool PDA) can move a token account's balance, and that vault accounts
//! stay usable. Token-2022 extensions that break one of these are refused. The check is an
//! allow-list: an extension this program does not know is refused too, so a future
//! extension cannot slip in unreviewed.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{
        default_account_state::DefaultAccountState, BaseStateWithExtensions, ExtensionType,
        StateWithExtensions,
    },
    state::{AccountState, Mint},
};

use crate::errors::StakingError;

/// Extensions that only carry metadata or are harmless to the pool's books. Not
/// `MintCloseAuthority`: a mint closed at zero supply can be recreated at the same address
/// with a permanent delegate, after the pool checked it.
fn is_allowed(extension: ExtensionType) -> bool {
    matches!(
        extension,
        ExtensionType::MetadataPointer
            | ExtensionType::TokenMetadata
            | ExtensionType::GroupPointer
            | ExtensionType::TokenGroup
            | ExtensionType::GroupMemberPointer
            | ExtensionType::TokenGroupMember
            // Checked below: allowed only when new accounts start unfrozen.
            | ExtensionType::DefaultAccountState
    )
}

/// Accepts a mint owned by SPL Token (no extensions exist) or a Token-2022 mint whose
/// extensions are all on the allow-list.
pub fn check_mint_extensions(mint: &AccountInfo) -> Result<()> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<Mint>::unpack(&data)?;
    let extensions = state.get_extension_types()?;
    for extension in extensions {
        require!(
            is_allowed(extension),
            StakingError::UnsupportedMintExtension
        );
        if extension == ExtensionType::DefaultAccountState {
            let default_state = state.get_extension::<DefaultAccountState>()?;
            require!(
                default_state.state == AccountState::Initialized as u8,
                StakingError::UnsupportedMintExtension
            );
        }
    }
    Ok(())
}
