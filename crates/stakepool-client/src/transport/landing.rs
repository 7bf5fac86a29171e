//! Landing a transaction on a real cluster, the way the Solana CLI does: broadcast, poll its
//! status, rebroadcast while its blockhash is still valid, and stop only with an answer that
//! is true. A transaction whose blockhash has passed its last valid block height without
//! the transaction being seen can never land: that is reported as `Expired` (safe to retry),
//! never as "could not reach" the cluster.
use std::time::Duration;

use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use super::{Landed, LandedTransaction, Refusal, TransportError};

/// The three calls landing needs; `Rpc` makes them over JSON-RPC, the tests' double drops
/// and delays on purpose.
#[allow(async_fn_in_trait)]
pub trait Broadcaster {
    /// Where it broadcasts, for messages.
    fn url(&self) -> String;
    /// Sends once (with preflight: a refusal found there comes back as `Refused`). Fails
    /// `Unreachable` only when the transaction surely did not go out (no connection, or the
    /// node answered with an error); any other failure (a timeout) may have sent it.
    async fn broadcast(&self, transaction: &Transaction) -> Result<(), TransportError>;
    /// `None` while the transaction is not seen at the wanted commitment; `Some(Err)` when it
    /// landed and failed.
    async fn status(
        &self,
        signature: &Signature,
    ) -> Result<Option<Result<(), TransactionError>>, TransportError>;
    /// At least at "confirmed": an expiry seen only on a fork that may be abandoned does
    /// not prove the transaction cannot land, and the client re-signs on an expiry.
    async fn block_height(&self) -> Result<u64, TransportError>;
    /// A landed transaction's fee and logs, for reporting one that failed; `None` when the
    /// node cannot say (they are a courtesy: the failure itself is already known).
    async fn landed_transaction(&self, _signature: &Signature) -> Option<LandedTransaction> {
        None
    }
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

/// What one poll found.
enum Seen {
    Landed(Result<(), TransactionError>),
    Pending,
    /// The blockhash is past its last valid block height and the transaction is not seen.
    Expired,
}

/// Lands `transaction`, whose blockhash is valid up to `last_valid_block_height`.
pub async fn land(
    cluster: &impl Broadcaster,
    transaction: &Transaction,
    last_valid_block_height: u64,
    policy: LandingPolicy,
) -> Result<Signature, TransportError> {
    let signature = transaction.signatures[0];
    match cluster.broadcast(transaction).await {
        Ok(()) => {}
        // The cluster's own answer (a refusal), or it was never reached: nothing was sent.
        Err(error @ (TransportError::Refused(_) | TransportError::Unreachable { .. })) => {
            return Err(error)
        }
        // It may have gone out (a timeout after the node took it): poll as if it had.
        Err(_) => {}
    }
    let mut failures = 0u32;
    let mut since_broadcast = Duration::ZERO;
    loop {
        tokio::time::sleep(policy.poll).await;
        since_broadcast += policy.poll;
        match poll(cluster, &signature, last_valid_block_height).await {
            Ok(Seen::Landed(Ok(()))) => return Ok(signature),
            Ok(Seen::Landed(Err(error))) => return Err(failed(cluster, signature, error).await),
            Ok(Seen::Pending) => failures = 0,
            Ok(Seen::Expired) => {
                // Asked once more after the expiry was seen, so a landing in between (seen
                // by another node behind the same URL) is not missed.
                return match cluster.status(&signature).await {
                    Ok(Some(Ok(()))) => Ok(signature),
                    Ok(Some(Err(error))) => Err(failed(cluster, signature, error).await),
                    Ok(None) => Err(TransportError::Expired { signature }),
                    Err(error) => Err(lost(cluster, signature, error)),
                };
            }
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

async fn poll(
    cluster: &impl Broadcaster,
    signature: &Signature,
    last_valid_block_height: u64,
) -> Result<Seen, TransportError> {
    if let Some(result) = cluster.status(signature).await? {
        return Ok(Seen::Landed(result));
    }
    if cluster.block_height().await? > last_valid_block_height {
        return Ok(Seen::Expired);
    }
    Ok(Seen::Pending)
}

/// It landed and failed: its fee was paid. The logs and the fee come from the node, when it
/// has them yet.
async fn failed(
    cluster: &impl Broadcaster,
    signature: Signature,
    error: TransactionError,
) -> TransportError {
    let landed = cluster.landed_transaction(&signature).await;
    TransportError::Refused(Refusal {
        error,
        logs: landed
            .as_ref()
            .and_then(|landed| landed.logs.clone())
            .unwrap_or_default(),
        landed: Some(Landed {
            signature,
            fee: landed.and_then(|landed| landed.fee),
        }),
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
