//! Which mints the programs accept.
//!
//! The books of both programs assume that `transfer_checked(amount)` moves exactly `amount`, that only
//! the owner (or the program's PDA) can move a token account's balance, and that vault accounts
//! stay usable. Token-2022 extensions that break one of these are refused. The check is an
//! allow-list: an extension this program does not know is refused too, so a future
//! extension cannot slip in unreviewed.

use anchor_lang::prelude::AccountInfo;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{
        default_account_state::DefaultAccountState, BaseStateWithExtensions, ExtensionType,
        StateWithExtensions,
    },
    state::{AccountState, Mint},
};

/// Extensions that only carry metadata or are harmless to the pool's books. Not
/// `MintCloseAuthority`: a mint closed at zero supply can be recreated at the same address
/// with a permanent delegate, after the program checked it.
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

/// True for a mint owned by SPL Token (no extensions exist) or a Token-2022 mint whose
/// extensions are all on the allow-list. Each program turns `false` into its own named error
/// (`UnsupportedMintExtension`); a mint that cannot be parsed is refused too.
pub fn is_supported_mint(mint: &AccountInfo) -> bool {
    if *mint.owner != anchor_spl::token_2022::ID {
        return true;
    }
    let Ok(data) = mint.try_borrow_data() else {
        return false;
    };
    let Ok(state) = StateWithExtensions::<Mint>::unpack(&data) else {
        return false;
    };
    let Ok(extensions) = state.get_extension_types() else {
        return false;
    };
    extensions.into_iter().all(|extension| {
        is_allowed(extension)
            && (extension != ExtensionType::DefaultAccountState
                || state
                    .get_extension::<DefaultAccountState>()
                    .is_ok_and(|default| default.state == AccountState::Initialized as u8))
    })
}
