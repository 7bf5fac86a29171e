//! Account rules both programs (the staking pool and the mock lending market) follow, written
//! once so a reviewer reads them once:
//! - `pda_account`: creating program-derived accounts and token vaults so that nobody can
//!   block the address by sending it lamports first;
//! - `pda_address`: recognising an existing PDA from its stored bump with one hash;
//! - `mint_policy`: the Token-2022 extension allow-list (a mint whose transfers can move a
//!   different amount, or whose accounts someone else can move, is refused);
//! - `token_moves`: moving tokens into and out of a vault, checked by the vault's balance;
//! - `error_enum!`: an error enum with its variants listed in code order.
pub mod error_enum;
pub mod mint_policy;
pub mod pda_account;
pub mod pda_address;
pub mod token_moves;
