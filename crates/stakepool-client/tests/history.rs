//! `StakeClient::history` over a node double that serves signatures and logs: a transaction
//! whose logs were cut short, or are gone, is an entry that says so, never a gap; one that
//! failed is counted, not listed; a limit says older ones were left unread.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{Discriminator, Event};
use base64::Engine;
use solana_keypair::Keypair;
use solana_signature::Signature;
use stakepool_client::client::history::Happened;
use stakepool_client::client::StakeClient;
use stakepool_client::history::Activity;
use stakepool_client::transport::{
    Account, Hash, LandedTransaction, SignatureInfo, Simulation, Transaction, Transport,
    TransportError,
};

fn signature(n: u8) -> Signature {
    Signature::from([n; 64])
}

/// A node keeping `kept`: (signature, failed, logs if kept), newest first.
struct Node {
    kept: Vec<(Signature, bool, Option<Vec<String>>)>,
}

fn nothing() -> TransportError {
    TransportError::Unreachable {
        endpoint: "node double".into(),
        message: "not served".into(),
    }
}

impl Transport for Node {
    fn endpoint(&self) -> String {
        "node double".into()
    }
    async fn account(&self, _: &Pubkey) -> Result<Option<Account>, TransportError> {
        Err(nothing())
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        Err(nothing())
    }
    async fn send(&self, _: &Transaction) -> Result<Signature, TransportError> {
        Err(nothing())
    }
    async fn simulate(&self, _: &Transaction) -> Result<Simulation, TransportError> {
        Err(nothing())
    }
    async fn signatures_for_address(
        &self,
        _: &Pubkey,
        before: Option<Signature>,
        limit: usize,
    ) -> Result<Vec<SignatureInfo>, TransportError> {
        let start = before.map_or(0, |before| {
            self.kept.iter().position(|(s, ..)| *s == before).unwrap() + 1
        });
        Ok(self.kept[start..]
            .iter()
            .take(limit)
            .enumerate()
            .map(|(i, (signature, failed, _))| SignatureInfo {
                signature: *signature,
                slot: 100 - (start + i) as u64,
                block_time: Some(1_700_000_000 - (start + i) as i64),
                failed: *failed,
            })
            .collect())
    }
    async fn transaction(
        &self,
        signature: &Signature,
    ) -> Result<Option<LandedTransaction>, TransportError> {
        Ok(self
            .kept
            .iter()
            .find(|(s, ..)| s == signature)
            .map(|(_, _, logs)| LandedTransaction {
                slot: 0,
                block_time: None,
                error: None,
                fee: Some(5_000),
                logs: logs.clone(),
            }))
    }
}

fn claim_logs(pool: Pubkey, owner: Pubkey, amount: u64) -> Vec<String> {
    let event = staking_pool::events::Claimed {
        pool,
        owner,
        amount,
        still_owed: 0,
        total_rewards_paid: amount,
    };
    assert!(event
        .data()
        .starts_with(staking_pool::events::Claimed::DISCRIMINATOR));
    let program = staking_pool::ID;
    vec![
        format!("Program {program} invoke [1]"),
        format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(event.data())
        ),
        format!("Program {program} success"),
    ]
}

#[tokio::test]
async fn cut_or_missing_logs_are_entries_and_failures_are_counted() {
    let (pool, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
    let program = staking_pool::ID;
    let truncated = vec![
        format!("Program {program} invoke [1]"),
        "Log truncated".to_string(),
    ];
    let (a, b, c, d) = (signature(1), signature(2), signature(3), signature(4));
    // Newest first, as a node answers.
    let node = Node {
        kept: vec![
            (d, false, None),
            (c, true, Some(claim_logs(pool, owner, 1))),
            (b, false, Some(truncated)),
            (a, false, Some(claim_logs(pool, owner, 90))),
        ],
    };
    let client = StakeClient::new(node, Keypair::new());
    let history = client.history(&owner, Some(&pool), 1_000).await.unwrap();
    assert_eq!(history.transactions, 4);
    assert_eq!(history.failed, 1, "the failed one is counted");
    assert!(!history.more);
    let entries: Vec<(Signature, Happened)> = history
        .entries
        .into_iter()
        .map(|e| (e.signature, e.happened))
        .collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
    // Oldest first.
    assert_eq!(
        entries[0],
        (
            a,
            Happened::Did {
                pool,
                activity: Activity::Claimed {
                    amount: 90,
                    still_owed: 0
                }
            }
        )
    );
    assert_eq!(entries[1].0, b);
    assert!(matches!(&entries[1].1, Happened::Unreadable(why) if why.contains("cut short")));
    assert_eq!(entries[2].0, d);
    assert!(matches!(&entries[2].1, Happened::Unreadable(why) if why.contains("no longer keeps")));
    // Someone else's events in the same logs are not this owner's history.
    let other = client
        .history(&Pubkey::new_unique(), Some(&pool), 1_000)
        .await
        .unwrap();
    assert!(other
        .entries
        .iter()
        .all(|e| matches!(e.happened, Happened::Unreadable(_))));
}

#[tokio::test]
async fn a_limit_reads_the_newest_and_says_older_ones_are_left() {
    let (pool, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
    let kept: Vec<_> = (0..5)
        .map(|i| {
            (
                signature(10 + i as u8),
                false,
                Some(claim_logs(pool, owner, 10 + i)),
            )
        })
        .collect();
    let newest = kept[0].0;
    let client = StakeClient::new(Node { kept }, Keypair::new());
    let history = client.history(&owner, Some(&pool), 2).await.unwrap();
    assert_eq!(history.transactions, 2);
    assert!(history.more, "older transactions were left unread");
    assert_eq!(history.entries.len(), 2);
    assert_eq!(
        history.entries[1].signature, newest,
        "the newest, oldest first"
    );
}
