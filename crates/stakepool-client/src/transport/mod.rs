//! Where transactions go: a real cluster over JSON-RPC (`Rpc`), or the in-process bank
//! (`stakepool_simulation::InProcess`). Every cluster command runs through this trait, so the
//! in-process implementation exercises the very code path that talks to RPC.
use anchor_lang::prelude::Pubkey;
// The types a `Transport` speaks, re-exported so an implementation (a test double, another
// backend) names the very versions this crate uses.
pub use solana_account::Account;
pub use solana_hash::Hash;
pub use solana_signature::Signature;
pub use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use thiserror::Error;

pub mod landing;
pub mod ledger;
pub mod rpc;

pub use landing::{land, Broadcaster, LandingPolicy};
pub use ledger::Ledger;
pub use rpc::Rpc;

/// A transaction the cluster refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub error: TransactionError,
    pub logs: Vec<String>,
    /// `Some` when it landed in a block and failed there (its fee was paid), `None` when it
    /// was refused before landing (preflight: nothing was paid).
    pub landed: Option<Landed>,
}

/// A failed transaction that landed: its fee was paid, nothing else changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landed {
    pub signature: Signature,
    /// Lamports paid, when the cluster still has the transaction to say.
    pub fee: Option<u64>,
}

/// One landed transaction that named an address (`getSignaturesForAddress`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureInfo {
    pub signature: Signature,
    pub slot: u64,
    /// Unix seconds of its block, when the cluster knows it.
    pub block_time: Option<i64>,
    /// It landed and failed: it changed nothing but its fee.
    pub failed: bool,
}

/// A landed transaction as the cluster keeps it (`getTransaction`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LandedTransaction {
    pub slot: u64,
    pub block_time: Option<i64>,
    pub error: Option<TransactionError>,
    pub fee: Option<u64>,
    /// `None` when the cluster did not keep its logs (a node started with log recording off).
    pub logs: Option<Vec<String>>,
}

#[derive(Debug, Error)]
pub enum TransportError {
    #[error("could not reach {endpoint}: {message}")]
    Unreachable { endpoint: String, message: String },
    #[error("transaction refused: {}", .0.error)]
    Refused(Refusal),
    /// Its blockhash passed its last valid block height and it was never seen: it did not
    /// land and now never can.
    #[error("transaction {signature} expired: its blockhash is no longer valid and it did not land; nothing changed, it is safe to retry")]
    Expired { signature: Signature },
    /// Sent, then contact was lost: it may or may not have landed.
    #[error("lost contact with {endpoint} after sending transaction {signature} ({message}): it may have landed; check with `solana confirm {signature}` before retrying")]
    Lost {
        endpoint: String,
        signature: Signature,
        message: String,
    },
}

/// A `getProgramAccounts` filter: `bytes` at `offset` of the account's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memcmp {
    pub offset: usize,
    pub bytes: Vec<u8>,
}

impl Memcmp {
    pub fn matches(&self, data: &[u8]) -> bool {
        data.get(self.offset..self.offset + self.bytes.len()) == Some(&self.bytes[..])
    }
}

/// What a simulation (dry run) reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simulation {
    pub error: Option<TransactionError>,
    pub logs: Vec<String>,
    pub units_consumed: Option<u64>,
}

#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Where transactions go, for messages ("http://127.0.0.1:8899", "in-process bank").
    fn endpoint(&self) -> String;
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError>;
    async fn latest_blockhash(&self) -> Result<Hash, TransportError>;
    /// Sends and waits until the transaction is confirmed.
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError>;
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError>;

    /// The history this transport keeps itself, for a transport without a node (the
    /// in-process bank, the VM): the history queries below answer from it.
    fn ledger(&self) -> Option<&Ledger> {
        None
    }

    /// Landed transactions that named `address`, newest first, older than `before`, at most
    /// `limit` (`getSignaturesForAddress`): as far back as the node keeps history.
    async fn signatures_for_address(
        &self,
        address: &Pubkey,
        before: Option<Signature>,
        limit: usize,
    ) -> Result<Vec<SignatureInfo>, TransportError> {
        let ledger = self.ledger().ok_or_else(|| self.keeps_no_history())?;
        Ok(ledger.signatures_for_address(address, before, limit))
    }

    /// A landed transaction's status, fee and logs (`getTransaction`); `None` when the node
    /// no longer has it.
    async fn transaction(
        &self,
        signature: &Signature,
    ) -> Result<Option<LandedTransaction>, TransportError> {
        let ledger = self.ledger().ok_or_else(|| self.keeps_no_history())?;
        Ok(ledger.transaction(signature))
    }

    #[doc(hidden)]
    fn keeps_no_history(&self) -> TransportError {
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message: "this transport keeps no transaction history".into(),
        }
    }

    /// Every account `program` owns whose data matches all `filters` (`getProgramAccounts`).
    async fn program_accounts(
        &self,
        _program: &Pubkey,
        _filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        Err(TransportError::Unreachable {
            endpoint: self.endpoint(),
            message: "this transport cannot list accounts".into(),
        })
    }

    /// Priority fees (micro-lamports per compute unit) paid in recent slots by transactions
    /// that wrote any of `writable`, one figure per slot. A bank with no fee market has none.
    async fn recent_prioritization_fees(
        &self,
        _writable: &[Pubkey],
    ) -> Result<Vec<u64>, TransportError> {
        Ok(Vec::new())
    }

    /// The cluster's current Unix time, from the Clock sysvar.
    async fn unix_time(&self) -> Result<i64, TransportError> {
        let clock = self
            .account(&solana_clock::sysvar::ID)
            .await?
            .ok_or_else(|| TransportError::Unreachable {
                endpoint: self.endpoint(),
                message: "no Clock sysvar".into(),
            })?;
        crate::accounts::clock_unix_timestamp(&clock.data).map_err(|e| {
            TransportError::Unreachable {
                endpoint: self.endpoint(),
                message: e.to_string(),
            }
        })
    }
}
