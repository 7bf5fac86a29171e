//! The bank every test talks to: one API, two backends, and the tests do not know which runs
//! them.
//! - `native` (the default, this crate's own manifest): both programs registered natively in
//!   `solana-program-test` 3.1.12, the simulator's bank. Fast; sees the Rust logic.
//! - `vm` (feature `vm`, compiled by `vm/suite`): the `.so` files from `scripts/build-sbf.sh`
//!   in Agave 4.2's VM through Mollusk, with SPL Token, Token-2022 and Associated Token from
//!   their ELFs. It sees what users deploy: compute units, the SBF stack and heap, syscalls,
//!   the 128-bit libcalls and the events; it checks every event against the state change it
//!   reports and every instruction against a compute-unit ceiling.
//!
//! A backend provides `start`, `payer`, `send`, `simulate`, `clock`, `set_time`, `account`,
//! `set_account` and `rent_exempt`; everything else is written once here.
use std::fmt;

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use solana_keypair::Keypair;
use solana_transaction_error::TransactionError;

#[cfg(not(feature = "vm"))]
mod native;
#[cfg(not(feature = "vm"))]
pub use native::Bank;

#[cfg(feature = "vm")]
mod event_checks;
#[cfg(feature = "vm")]
mod market_event_checks;
#[cfg(feature = "vm")]
mod vm;
#[cfg(feature = "vm")]
pub mod vm_loader;
#[cfg(feature = "vm")]
mod vm_transport;
#[cfg(feature = "vm")]
pub use vm::{Bank, Cost, COMPUTE_CEILING};
#[cfg(feature = "vm")]
pub use vm_transport::VmTransport;

/// Where every bank's clock starts (the simulator's genesis, so both backends agree).
pub const GENESIS_TS: i64 = 1_700_000_000;

/// Why a transaction did not land.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxError {
    /// The runtime refused it: which instruction and why, as a cluster reports it.
    Transaction(TransactionError),
    /// The backend could not run it at all (a broken harness, never a program's answer).
    Backend(String),
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transaction(error) => write!(f, "{error}"),
            Self::Backend(message) => write!(f, "backend: {message}"),
        }
    }
}

pub type TxResult = Result<(), TxError>;

impl Bank {
    /// Index of the first caller instruction inside a transaction built by `send` (the
    /// compute-budget nonce comes first). Error assertions use it.
    pub const FIRST_IX: u8 = 1;

    /// A new keypair, the next of a sequence that is the same in every ledger: a test's
    /// accounts sit at the same addresses from run to run, and so do their PDA bump searches
    /// and compute units (the benchmark compares two ledgers by them). Test keys only: the
    /// secrets are public.
    pub fn new_keypair(&mut self) -> Keypair {
        self.keys_issued += 1;
        let mut secret = [0x5e; 32];
        secret[..8].copy_from_slice(&self.keys_issued.to_le_bytes());
        Keypair::new_from_array(secret)
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    pub async fn advance(&mut self, seconds: i64) {
        let now = self.now().await;
        self.set_time(now + seconds).await;
    }

    pub async fn lamports(&mut self, address: Pubkey) -> u64 {
        self.account(address).await.map(|a| a.lamports).unwrap_or(0)
    }

    /// Decodes an Anchor account; `None` when it does not exist.
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: Pubkey) -> Option<T> {
        let account = self.account(address).await?;
        Some(T::try_deserialize(&mut account.data.as_slice()).expect("decode"))
    }

    /// Raw state of `addresses`, for "nothing changed" assertions.
    pub async fn snapshot(&mut self, addresses: &[Pubkey]) -> Vec<Option<(u64, Vec<u8>)>> {
        let mut states = Vec::with_capacity(addresses.len());
        for address in addresses {
            states.push(self.account(*address).await.map(|a| (a.lamports, a.data)));
        }
        states
    }

    /// Highest compute units seen per instruction name, where the backend measures them
    /// (the VM); `None` natively, where units mean nothing.
    pub fn compute_peaks(&self) -> Option<std::collections::BTreeMap<String, u64>> {
        self.peaks()
    }
}
