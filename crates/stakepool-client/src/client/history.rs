//! An owner's history read from the cluster: the landed transactions that named their
//! position in one pool (or the owner, for every pool), each one's logs read for the
//! program's events (`crate::history`). What the node no longer keeps cannot be read: each
//! transaction whose logs are gone or cut short is an entry that says so.
use crate::history::{events_in_logs, Activity};
use crate::transport::SignatureInfo;

use super::*;

/// What one entry records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Happened {
    Did {
        pool: Pubkey,
        activity: Activity,
    },
    /// A landed transaction whose events cannot be read, and why.
    Unreadable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub signature: Signature,
    pub slot: u64,
    /// Unix seconds of its block, when the node knows it.
    pub time: Option<i64>,
    pub happened: Happened,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub owner: Pubkey,
    /// The address whose transactions were read: the position, or the owner.
    pub address: Pubkey,
    /// Oldest first.
    pub entries: Vec<Entry>,
    /// Transactions read.
    pub transactions: usize,
    /// Transactions that landed and failed: they changed nothing but their fee.
    pub failed: usize,
    /// The limit stopped the reading: older transactions were not read.
    pub more: bool,
}

/// `getSignaturesForAddress` returns at most this many per call.
const PAGE: usize = 1_000;

impl<T: Transport> StakeClient<T> {
    /// `owner`'s history in `pool` (read from the position's transactions, which stay listed
    /// after it closes), or in every pool (from the owner's), reading at most `limit`
    /// transactions, newest first.
    pub async fn history(
        &self,
        owner: &Pubkey,
        pool: Option<&Pubkey>,
        limit: usize,
    ) -> Result<History, ClientError> {
        let address = match pool {
            Some(pool) => crate::pda::position(pool, owner).0,
            None => *owner,
        };
        let signatures = self.signatures(&address, limit).await?;
        let mut history = History {
            owner: *owner,
            address,
            entries: Vec::new(),
            transactions: signatures.len().min(limit),
            failed: 0,
            more: signatures.len() > limit,
        };
        // Oldest first, as a statement reads.
        for info in signatures.into_iter().take(limit).rev() {
            if info.failed {
                history.failed += 1;
                continue;
            }
            let entry = |happened| Entry {
                signature: info.signature,
                slot: info.slot,
                time: info.block_time,
                happened,
            };
            let landed = self
                .transport
                .transaction(&info.signature)
                .await
                .map_err(ClientError::Transport)?;
            let Some(logs) = landed.and_then(|landed| landed.logs) else {
                history.entries.push(entry(Happened::Unreadable(
                        "the node no longer keeps this transaction's logs: ask a node with full history (`solana confirm -v`)".into(),
                    ),
                ));
                continue;
            };
            let decoded = events_in_logs(&crate::program_ids::staking_pool(), &logs);
            for event in decoded.events {
                let ours = event.owner == *owner && pool.is_none_or(|pool| event.pool == *pool);
                if ours {
                    history.entries.push(entry(Happened::Did {
                        pool: event.pool,
                        activity: event.activity,
                    }));
                }
            }
            // The pool logs an event for every change it makes: a run that logged none is
            // not passed over as if nothing happened.
            if decoded.silent && !decoded.truncated {
                history.entries.push(entry(Happened::Unreadable(
                    "the pool ran in this transaction but its logs hold none of its events: if it changed the position, `solana confirm -v` shows how".into(),
                )));
            }
            if decoded.truncated {
                history.entries.push(entry(Happened::Unreadable(
                        "its logs were cut short (a node keeps 10 KB per transaction): entries after the cut are missing here; `solana confirm -v` shows the instructions".into(),
                    ),
                ));
            }
        }
        Ok(history)
    }

    /// Up to `limit + 1` signatures for `address`, newest first (one more than asked says
    /// whether older ones are left).
    async fn signatures(
        &self,
        address: &Pubkey,
        limit: usize,
    ) -> Result<Vec<SignatureInfo>, ClientError> {
        let mut all: Vec<SignatureInfo> = Vec::new();
        loop {
            let want = (limit + 1 - all.len()).min(PAGE);
            let page = self
                .transport
                .signatures_for_address(address, all.last().map(|s| s.signature), want)
                .await
                .map_err(ClientError::Transport)?;
            let last_page = page.len() < want;
            all.extend(page);
            if last_page || all.len() > limit {
                return Ok(all);
            }
        }
    }
}
