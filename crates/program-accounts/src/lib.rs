//! Account rules both programs (the staking pool and the mock lending market) follow, written
//! once so a reviewer reads them once:
//! - `pda_account`: creating program-derived accounts and token vaults so that nobody can
//!   block the address by sending it lamports first;
//! - `pda_address`: recognising an existing PDA from its stored bump with one hash;
//! - `mint_policy`: the Token-2022 extension allow-list (a mint whose transfers can move a
//!   different amount, or whose accounts someone else can move, is refused).
pub mod mint_policy;
pub mod pda_account;
pub mod pda_address;
