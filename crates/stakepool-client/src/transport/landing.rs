//! Landing a transaction on a real cluster, the way the Solana CLI does: broadcast, poll its
//! status, rebroadcast while its blockhash is still valid, and stop only with an answer that
//! is true. A transaction whose blockhash has passed its last valid block height without
//! the transaction being seen can never land: that is reported as `Expired` (safe to retry),
//! never as "could not reach" the cluster.
use std::time::Duration;

use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use super::{Refusal, TransportError};

/// The three calls landing needs; `Rpc` makes them over JSON-RPC, the tests' double drops
/// and delays on purpose.
#[allow(async_fn_in_trait)]
pub trait Broadcaster {
    /// Where it broadcasts, for messages.
    fn url(&self) -> String;
    /// Sends once (with preflight: a refusal found there comes back as `Refused`).
    async fn broadcast(&self, transaction: &Transaction) -> Result<(), TransportError>;
    /// `None` while the transaction is not seen at the wanted commitment; `Some(Err)` when it
    /// landed and failed.
    async fn status(
        &self,
        signature: &Signature,
    ) -> Result<Option<Result<(), TransactionError>>, TransportError>;
    async fn block_height(&self) -> Result<u64, TransportError>;
}

/// How often to ask and to resend. The Solana CLI polls about twice a second and resends
/// every couple of seconds until the blockhash expires (~60-90 s after it was fetched).
#[derive(Clone, Copy, Debug)]
pub struct LandingPolicy {
    pub poll: Duration,
    pub rebroadcast: Duration,
    /// Consecutive failed calls after the first broadcast before giving up as `Lost`.
    pub max_call_failures: u32,
}

impl Default for LandingPolicy {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            rebroadcast: Duration::from_secs(2),
            max_call_failures: 10,
        }
    }
}

/// Lands `transaction`, whose blockhash is valid up to `last_valid_block_height`.
pub async fn land(
    cluster: &impl Broadcaster,
    transaction: &Transaction,
    last_valid_block_height: u64,
    policy: LandingPolicy,
) -> Result<Signature, TransportError> {
    let signature = transaction.signatures[0];
    // Before the first broadcast reaches the cluster nothing can have landed: an error here
    // is the cluster's answer (a refusal) or the cluster being unreachable.
    cluster.broadcast(transaction).await?;
    let mut failures = 0u32;
    let mut since_broadcast = Duration::ZERO;
    loop {
        tokio::time::sleep(policy.poll).await;
        since_broadcast += policy.poll;
        let checked = async {
            if let Some(result) = cluster.status(&signature).await? {
                return Ok(Some(result));
            }
            Ok::<_, TransportError>(
                (cluster.block_height().await? > last_valid_block_height).then_some(Ok(())),
            )
        }
        .await;
        match checked {
            Ok(None) => failures = 0,
            Ok(Some(Ok(()))) => {
                // Either landed, or the blockhash expired: the status is asked once more,
                // after the expiry was seen, so a landing in between is not missed.
                return match cluster.status(&signature).await {
                    Ok(Some(Ok(()))) => Ok(signature),
                    Ok(Some(Err(error))) => Err(refused(error)),
                    Ok(None) => Err(TransportError::Expired { signature }),
                    Err(error) => Err(lost(cluster, signature, error)),
                };
            }
            Ok(Some(Err(error))) => return Err(refused(error)),
            Err(TransportError::Refused(refusal)) => return Err(TransportError::Refused(refusal)),
            Err(error) => {
                failures += 1;
                if failures >= policy.max_call_failures {
                    return Err(lost(cluster, signature, error));
                }
                continue;
            }
        }
        if since_broadcast >= policy.rebroadcast {
            since_broadcast = Duration::ZERO;
            // A resend can fail like any call (or be refused as already processed): the
            // status poll is what decides.
            let _ = cluster.broadcast(transaction).await;
        }
    }
}

fn refused(error: TransactionError) -> TransportError {
    TransportError::Refused(Refusal {
        error,
        logs: Vec::new(),
    })
}

/// Contact lost after the transaction went out: whether it landed is not known.
fn lost(cluster: &impl Broadcaster, signature: Signature, error: TransportError) -> TransportError {
    TransportError::Lost {
        endpoint: cluster.url(),
        signature,
        message: error.to_string(),
    }
}
