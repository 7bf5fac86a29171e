//! The transaction history a node keeps, for transports without a node (the in-process bank,
//! the VM): every landed transaction with the accounts it named and its logs, answering
//! `signatures_for_address` and `transaction` as JSON-RPC does.
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use solana_signature::Signature;

use super::{LandedTransaction, SignatureInfo};

#[derive(Default)]
pub struct Ledger {
    landed: Mutex<Vec<Landing>>,
}

struct Landing {
    signature: Signature,
    keys: Vec<Pubkey>,
    slot: u64,
    unix_time: i64,
    logs: Vec<String>,
}

impl Ledger {
    /// Records a transaction that landed and succeeded.
    pub fn record(
        &self,
        signature: Signature,
        keys: Vec<Pubkey>,
        slot: u64,
        unix_time: i64,
        logs: Vec<String>,
    ) {
        self.landed.lock().expect("ledger").push(Landing {
            signature,
            keys,
            slot,
            unix_time,
            logs,
        });
    }

    /// Those that named `address`, newest first, older than `before`, at most `limit`.
    pub fn signatures_for_address(
        &self,
        address: &Pubkey,
        before: Option<Signature>,
        limit: usize,
    ) -> Vec<SignatureInfo> {
        let landed = self.landed.lock().expect("ledger");
        let newest_first = landed.iter().rev();
        let older: Vec<&Landing> = match before {
            Some(before) => newest_first
                .skip_while(|landing| landing.signature != before)
                .skip(1)
                .collect(),
            None => newest_first.collect(),
        };
        older
            .into_iter()
            .filter(|landing| landing.keys.contains(address))
            .take(limit)
            .map(|landing| SignatureInfo {
                signature: landing.signature,
                slot: landing.slot,
                block_time: Some(landing.unix_time),
                failed: false,
            })
            .collect()
    }

    /// Every account a landed transaction named (what a node without `getProgramAccounts`
    /// can search: every account a client creates is named by the transaction creating it).
    pub fn named_accounts(&self) -> std::collections::BTreeSet<Pubkey> {
        let landed = self.landed.lock().expect("ledger");
        landed
            .iter()
            .flat_map(|landing| landing.keys.iter().copied())
            .collect()
    }

    pub fn transaction(&self, signature: &Signature) -> Option<LandedTransaction> {
        let landed = self.landed.lock().expect("ledger");
        landed
            .iter()
            .find(|landing| landing.signature == *signature)
            .map(|landing| LandedTransaction {
                slot: landing.slot,
                block_time: Some(landing.unix_time),
                error: None,
                fee: None,
                logs: Some(landing.logs.clone()),
            })
    }
}
