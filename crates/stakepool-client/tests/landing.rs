//! Landing against an RPC double that drops, delays and loses transactions (no network):
//! what the client reports must be what happened. Time is tokio's paused clock, so the
//! rebroadcast and poll intervals pass instantly.
use std::sync::Mutex;
use std::time::Duration;

use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use stakepool_client::transport::{
    land, Broadcaster, Landed, LandedTransaction, LandingPolicy, Refusal, TransportError,
};

/// A cluster seen through JSON-RPC. Each status poll is one block.
#[derive(Default)]
struct Double {
    /// Broadcasts lost on the way (the leader never sees them).
    drops: usize,
    /// Polls between the first broadcast that arrives and the status showing it.
    delay: usize,
    /// When set, a transaction that arrives is never processed.
    never_lands: bool,
    /// It lands, and fails with this.
    fails_with: Option<TransactionError>,
    /// Preflight refuses it.
    preflight_refusal: Option<TransactionError>,
    /// Every call fails from the first poll on (the cluster went away after the send).
    gone_after_send: bool,
    /// The first broadcast cannot reach the cluster.
    unreachable: bool,
    /// The first broadcast times out after the node took it.
    first_times_out: bool,
    /// The status shows the landing once, then a lagging node behind the URL says `None`.
    flaps: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    broadcasts: usize,
    arrived_at_poll: Option<usize>,
    polls: usize,
    height: u64,
}

fn gone() -> TransportError {
    TransportError::Unreachable {
        endpoint: "double".into(),
        message: "connection refused".into(),
    }
}

impl Broadcaster for Double {
    fn url(&self) -> String {
        "double".into()
    }

    async fn broadcast(&self, _transaction: &Transaction) -> Result<(), TransportError> {
        let mut state = self.state.lock().unwrap();
        if self.unreachable {
            return Err(gone());
        }
        if let Some(error) = &self.preflight_refusal {
            return Err(TransportError::Refused(Refusal {
                error: error.clone(),
                logs: vec!["Program log: refused in preflight".into()],
                landed: None,
            }));
        }
        state.broadcasts += 1;
        if state.broadcasts > self.drops && state.arrived_at_poll.is_none() {
            state.arrived_at_poll = Some(state.polls);
        }
        if self.first_times_out && state.broadcasts == 1 {
            return Err(TransportError::Lost {
                endpoint: "double".into(),
                signature: Signature::default(),
                message: "timed out".into(),
            });
        }
        Ok(())
    }

    async fn status(
        &self,
        _signature: &Signature,
    ) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        let mut state = self.state.lock().unwrap();
        if self.gone_after_send {
            return Err(gone());
        }
        state.polls += 1;
        state.height += 1;
        let seen_at = state
            .arrived_at_poll
            .map(|arrived| arrived + self.delay + 1);
        let landed = !self.never_lands
            && seen_at.is_some_and(|at| {
                if self.flaps {
                    state.polls == at
                } else {
                    state.polls >= at
                }
            });
        Ok(landed.then(|| self.fails_with.clone().map_or(Ok(()), Err)))
    }

    async fn block_height(&self) -> Result<u64, TransportError> {
        let state = self.state.lock().unwrap();
        if self.gone_after_send {
            return Err(gone());
        }
        Ok(state.height)
    }

    async fn landed_transaction(&self, _signature: &Signature) -> Option<LandedTransaction> {
        let state = self.state.lock().unwrap();
        self.fails_with.clone().map(|error| LandedTransaction {
            slot: state.height,
            block_time: None,
            error: Some(error),
            fee: Some(FEE),
            logs: Some(vec!["Program log: failed on chain".into()]),
        })
    }
}

/// What the double says a landed transaction paid.
const FEE: u64 = 5_000;

const LAST_VALID: u64 = 150;

fn transaction() -> Transaction {
    let payer = Keypair::new();
    let instruction =
        solana_system_interface::instruction::transfer(&payer.pubkey(), &payer.pubkey(), 1);
    Transaction::new_signed_with_payer(
        &[instruction],
        Some(&payer.pubkey()),
        &[&payer],
        Hash::new_unique(),
    )
}

async fn land_on(double: &Double) -> (Transaction, Result<Signature, TransportError>) {
    let transaction = transaction();
    let policy = LandingPolicy {
        poll: Duration::from_millis(500),
        rebroadcast: Duration::from_secs(2),
        max_call_failures: 10,
    };
    let result = land(double, &transaction, LAST_VALID, policy).await;
    (transaction, result)
}

#[tokio::test(start_paused = true)]
async fn a_delayed_transaction_is_waited_for_and_sent_once_while_it_is_seen_in_time() {
    let double = Double {
        delay: 2,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    assert_eq!(result.unwrap(), transaction.signatures[0]);
    let state = double.state.lock().unwrap();
    assert_eq!(
        state.polls, 3,
        "seen on the third poll, and that is the answer"
    );
    assert_eq!(
        state.broadcasts, 1,
        "landed inside the first rebroadcast interval"
    );
}

#[tokio::test(start_paused = true)]
async fn dropped_broadcasts_are_resent_until_one_lands() {
    let double = Double {
        drops: 3,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    assert_eq!(result.unwrap(), transaction.signatures[0]);
    assert_eq!(double.state.lock().unwrap().broadcasts, 4);
}

#[tokio::test(start_paused = true)]
async fn a_transaction_that_never_lands_is_reported_expired_with_its_signature() {
    let double = Double {
        never_lands: true,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    match result {
        Err(TransportError::Expired { signature }) => {
            assert_eq!(signature, transaction.signatures[0])
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    let state = double.state.lock().unwrap();
    // Polled until the height passed the last valid one, then asked once more.
    assert_eq!(state.polls as u64, LAST_VALID + 2);
    // Rebroadcast every 2 s (4 polls) until then.
    assert_eq!(state.broadcasts, 1 + (state.polls - 1) / 4);
    let message = TransportError::Expired {
        signature: transaction.signatures[0],
    }
    .to_string();
    assert!(message.contains(&transaction.signatures[0].to_string()));
    assert!(message.contains("did not land") && message.contains("safe to retry"));
    assert!(!message.contains("could not reach"));
}

#[tokio::test(start_paused = true)]
async fn a_transaction_that_landed_and_failed_says_so_with_its_fee_and_logs() {
    let double = Double {
        fails_with: Some(TransactionError::InsufficientFundsForFee),
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    match result {
        Err(TransportError::Refused(refusal)) => {
            assert_eq!(refusal.error, TransactionError::InsufficientFundsForFee);
            assert_eq!(
                refusal.logs,
                vec!["Program log: failed on chain".to_string()]
            );
            assert_eq!(
                refusal.landed,
                Some(Landed {
                    signature: transaction.signatures[0],
                    fee: Some(FEE),
                })
            );
        }
        other => panic!("expected Refused, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_preflight_refusal_comes_back_with_its_logs_and_nothing_is_polled() {
    let double = Double {
        preflight_refusal: Some(TransactionError::AccountNotFound),
        ..Double::default()
    };
    let (_, result) = land_on(&double).await;
    match result {
        Err(TransportError::Refused(refusal)) => {
            assert_eq!(refusal.error, TransactionError::AccountNotFound);
            assert_eq!(refusal.logs.len(), 1);
            assert_eq!(refusal.landed, None, "refused before landing: no fee paid");
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    assert_eq!(double.state.lock().unwrap().polls, 0);
}

#[tokio::test(start_paused = true)]
async fn contact_lost_after_the_send_is_not_called_unreachable_and_keeps_the_signature() {
    let double = Double {
        gone_after_send: true,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    match result {
        Err(error @ TransportError::Lost { signature, .. }) => {
            assert_eq!(signature, transaction.signatures[0]);
            assert!(error.to_string().contains("may have landed"));
        }
        other => panic!("expected Lost, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_cluster_unreachable_before_the_send_is_unreachable() {
    let double = Double {
        unreachable: true,
        ..Double::default()
    };
    let (_, result) = land_on(&double).await;
    assert!(matches!(result, Err(TransportError::Unreachable { .. })));
}

#[tokio::test(start_paused = true)]
async fn a_landing_seen_once_is_a_landing_even_if_a_lagging_node_then_forgets_it() {
    let double = Double {
        delay: 1,
        flaps: true,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    assert_eq!(result.unwrap(), transaction.signatures[0]);
}

#[tokio::test(start_paused = true)]
async fn a_first_broadcast_that_timed_out_is_polled_and_its_landing_reported() {
    let double = Double {
        first_times_out: true,
        ..Double::default()
    };
    let (transaction, result) = land_on(&double).await;
    assert_eq!(result.unwrap(), transaction.signatures[0]);
    assert_eq!(
        double.state.lock().unwrap().broadcasts,
        1,
        "not resent: it landed at once"
    );
}
