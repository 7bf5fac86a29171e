//! JSON-RPC transport to a real cluster (localnet, devnet, ...).
use std::collections::HashMap;
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_hash::Hash;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use super::landing::{land, Broadcaster, LandingPolicy};
use super::{LandedTransaction, Refusal, SignatureInfo, Simulation, Transport, TransportError};

pub struct Rpc {
    client: RpcClient,
    /// The last valid block height of each blockhash handed out, so `send` knows when a
    /// transaction built on it can no longer land.
    expiry: Mutex<HashMap<Hash, u64>>,
    pub landing: LandingPolicy,
}

/// Why an endpoint could not be used, in words a user can act on: nothing listening, a host
/// that does not resolve, a timeout, or a server that does not speak Solana JSON-RPC. `None`
/// when the error says nothing more than its own message.
fn cause(error: &ClientError) -> Option<&'static str> {
    match error.kind() {
        ErrorKind::Reqwest(e) if e.is_timeout() => {
            Some("timed out: the endpoint did not answer in time; retry, or check --url")
        }
        ErrorKind::Reqwest(e) if e.is_connect() => {
            // The resolver's failure is only in the error's source chain.
            let chain = format!("{e:?}").to_lowercase();
            if chain.contains("dns") || chain.contains("lookup") || chain.contains("resolve") {
                Some("unknown host: check --url")
            } else {
                Some("connection refused: is a validator running there? (check --url)")
            }
        }
        ErrorKind::Reqwest(e) if e.is_status() => {
            Some("an HTTP error: this is not a Solana JSON-RPC endpoint (check --url)")
        }
        ErrorKind::Reqwest(e) if e.is_decode() => {
            Some("the answer is not Solana JSON-RPC: check --url")
        }
        ErrorKind::SerdeJson(_) | ErrorKind::RpcError(RpcError::ParseError(_)) => {
            Some("the answer is not Solana JSON-RPC: check --url")
        }
        _ => None,
    }
}

impl Rpc {
    /// Reads and confirms at "confirmed" (config.yml's default): "finalized" lags by ~15 s on
    /// a test validator.
    pub fn new(url: &str) -> Self {
        Self::with_commitment(url, CommitmentConfig::confirmed())
    }

    /// Reads, preflights and confirms at `commitment` (`--commitment`, config.yml).
    pub fn with_commitment(url: &str, commitment: CommitmentConfig) -> Self {
        Self {
            client: RpcClient::new_with_commitment(url.to_string(), commitment),
            expiry: Mutex::new(HashMap::new()),
            landing: LandingPolicy::default(),
        }
    }

    pub fn commitment(&self) -> CommitmentConfig {
        self.client.commitment()
    }

    fn unreachable(&self, error: ClientError) -> TransportError {
        let message = match cause(&error) {
            Some(cause) => format!("{cause} ({error})"),
            None => error.to_string(),
        };
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message,
        }
    }

    /// `unreachable`, for an error whose cause the RPC client folded into a message (an account
    /// read reports every failure as "AccountNotFound: …"): one `getVersion` asks the endpoint
    /// again, and its error, which keeps its kind, names the cause.
    async fn explained(&self, error: ClientError) -> TransportError {
        if cause(&error).is_none() {
            if let Err(probe) = self.client.get_version().await {
                if let Some(cause) = cause(&probe) {
                    return TransportError::Unreachable {
                        endpoint: self.endpoint(),
                        message: format!("{cause} ({probe})"),
                    };
                }
            }
        }
        self.unreachable(error)
    }

    /// At least "confirmed": a node serves history no lower, and an expiry seen at "processed"
    /// may be on a fork that is then abandoned.
    fn at_least_confirmed(&self) -> CommitmentConfig {
        match self.client.commitment() {
            processed if processed == CommitmentConfig::processed() => {
                CommitmentConfig::confirmed()
            }
            commitment => commitment,
        }
    }

    fn unreachable_message(&self, message: String) -> TransportError {
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message,
        }
    }

    /// A refused transaction carries its error (and, from preflight, its logs).
    fn classify(&self, error: ClientError) -> TransportError {
        let logs = match error.kind() {
            ErrorKind::RpcError(RpcError::RpcResponseError {
                data: RpcResponseErrorData::SendTransactionPreflightFailure(result),
                ..
            }) => result.logs.clone().unwrap_or_default(),
            _ => Vec::new(),
        };
        match error.get_transaction_error() {
            Some(error) => TransportError::Refused(Refusal {
                error,
                logs,
                landed: None,
            }),
            None => self.unreachable(error),
        }
    }
}

impl Transport for Rpc {
    fn endpoint(&self) -> String {
        self.client.url()
    }

    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        match self
            .client
            .get_account_with_commitment(address, self.client.commitment())
            .await
        {
            Ok(response) => Ok(response.value),
            Err(error) => Err(self.explained(error).await),
        }
    }

    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        let (blockhash, last_valid) = self
            .client
            .get_latest_blockhash_with_commitment(self.client.commitment())
            .await
            .map_err(|e| self.unreachable(e))?;
        self.expiry
            .lock()
            .expect("expiry map")
            .insert(blockhash, last_valid);
        Ok(blockhash)
    }

    /// Broadcasts, rebroadcasts and confirms until the blockhash expires (`landing::land`).
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let blockhash = transaction.message.recent_blockhash;
        let known = self
            .expiry
            .lock()
            .expect("expiry map")
            .get(&blockhash)
            .copied();
        let last_valid = match known {
            Some(height) => height,
            // A blockhash this transport did not hand out: at most 150 blocks from now.
            None => Broadcaster::block_height(self).await? + 150,
        };
        land(self, transaction, last_valid, self.landing).await
    }

    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[super::Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        use solana_rpc_client_api::config::{
            RpcAccountInfoConfig, RpcProgramAccountsConfig, UiAccountEncoding,
        };
        use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
        let config = RpcProgramAccountsConfig {
            filters: Some(
                filters
                    .iter()
                    .map(|f| {
                        RpcFilterType::Memcmp(Memcmp::new_raw_bytes(f.offset, f.bytes.clone()))
                    })
                    .collect(),
            ),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.client.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        // The replacement returns UI accounts, to decode again; this one decodes the base64.
        #[allow(deprecated)]
        self.client
            .get_program_accounts_with_config(program, config)
            .await
            .map_err(|e| self.unreachable(e))
    }

    async fn recent_prioritization_fees(
        &self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, TransportError> {
        let fees = self
            .client
            .get_recent_prioritization_fees(writable)
            .await
            .map_err(|e| self.unreachable(e))?;
        Ok(fees.into_iter().map(|fee| fee.prioritization_fee).collect())
    }

    async fn signatures_for_address(
        &self,
        address: &Pubkey,
        before: Option<Signature>,
        limit: usize,
    ) -> Result<Vec<SignatureInfo>, TransportError> {
        use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
        let config = GetConfirmedSignaturesForAddress2Config {
            before,
            until: None,
            limit: Some(limit),
            commitment: Some(self.at_least_confirmed()),
        };
        let found = self
            .client
            .get_signatures_for_address_with_config(address, config)
            .await
            .map_err(|e| self.unreachable(e))?;
        found
            .into_iter()
            .map(|entry| {
                let signature = entry.signature.parse().map_err(|_| {
                    self.unreachable_message(format!(
                        "the node answered a signature that is not one: {}",
                        entry.signature
                    ))
                })?;
                Ok(SignatureInfo {
                    signature,
                    slot: entry.slot,
                    block_time: entry.block_time,
                    failed: entry.err.is_some(),
                })
            })
            .collect()
    }

    async fn transaction(
        &self,
        signature: &Signature,
    ) -> Result<Option<LandedTransaction>, TransportError> {
        use solana_rpc_client_api::config::RpcTransactionConfig;
        use solana_transaction_status_client_types::UiTransactionEncoding;
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(self.at_least_confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let found = match self
            .client
            .get_transaction_with_config(signature, config)
            .await
        {
            Ok(found) => found,
            // The node answers `null` (not found) as an error the client cannot parse.
            Err(error) if matches!(error.kind(), ErrorKind::SerdeJson(_)) => return Ok(None),
            Err(error) => return Err(self.unreachable(error)),
        };
        let meta = found.transaction.meta;
        Ok(Some(LandedTransaction {
            slot: found.slot,
            block_time: found.block_time,
            error: meta
                .as_ref()
                .and_then(|meta| meta.err.clone().map(Into::into)),
            fee: meta.as_ref().map(|meta| meta.fee),
            logs: meta.and_then(|meta| meta.log_messages.into()),
        }))
    }

    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        let result = self
            .client
            .simulate_transaction(transaction)
            .await
            .map_err(|e| self.unreachable(e))?
            .value;
        Ok(Simulation {
            error: result.err.map(Into::into),
            logs: result.logs.unwrap_or_default(),
            units_consumed: result.units_consumed,
        })
    }
}

impl Broadcaster for Rpc {
    fn url(&self) -> String {
        self.client.url()
    }

    async fn broadcast(&self, transaction: &Transaction) -> Result<(), TransportError> {
        let config = RpcSendTransactionConfig {
            preflight_commitment: Some(self.client.commitment().commitment),
            // This client rebroadcasts itself, until the blockhash expires.
            max_retries: Some(0),
            ..RpcSendTransactionConfig::default()
        };
        self.client
            .send_transaction_with_config(transaction, config)
            .await
            .map(drop)
            .map_err(|error| {
                // No connection, or a JSON-RPC error answer: the node did not take it.
                let not_sent = match error.kind() {
                    ErrorKind::Reqwest(reqwest) => reqwest.is_connect(),
                    ErrorKind::RpcError(_) => true,
                    _ => false,
                };
                match self.classify(error) {
                    TransportError::Unreachable { endpoint, message } if !not_sent => {
                        TransportError::Lost {
                            endpoint,
                            signature: transaction.signatures[0],
                            message,
                        }
                    }
                    classified => classified,
                }
            })
    }

    async fn status(
        &self,
        signature: &Signature,
    ) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        let statuses = self
            .client
            .get_signature_statuses(&[*signature])
            .await
            .map_err(|e| self.unreachable(e))?
            .value;
        Ok(statuses
            .into_iter()
            .next()
            .flatten()
            .filter(|status| status.satisfies_commitment(self.client.commitment()))
            .map(|status| status.err.map_or(Ok(()), Err)))
    }

    async fn block_height(&self) -> Result<u64, TransportError> {
        self.client
            .get_block_height_with_commitment(self.at_least_confirmed())
            .await
            .map_err(|e| self.unreachable(e))
    }

    async fn landed_transaction(&self, signature: &Signature) -> Option<LandedTransaction> {
        Transport::transaction(self, signature).await.ok().flatten()
    }
}
