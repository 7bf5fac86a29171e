//! JSON-RPC transport to a real cluster (localnet, devnet, ...).
use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_hash::Hash;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_signature::Signature;
use solana_transaction::Transaction;

use super::{Refusal, Simulation, Transport, TransportError};

pub struct Rpc {
    client: RpcClient,
}

impl Rpc {
    /// Queries at "confirmed": "finalized" lags by ~15 s on a test validator.
    pub fn new(url: &str) -> Self {
        Self {
            client: RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed()),
        }
    }

    fn unreachable(&self, error: ClientError) -> TransportError {
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message: error.to_string(),
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
            Some(error) => TransportError::Refused(Refusal { error, logs }),
            None => self.unreachable(error),
        }
    }
}

impl Transport for Rpc {
    fn endpoint(&self) -> String {
        self.client.url()
    }

    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.client
            .get_account_with_commitment(address, self.client.commitment())
            .await
            .map(|response| response.value)
            .map_err(|e| self.unreachable(e))
    }

    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.client
            .get_latest_blockhash()
            .await
            .map_err(|e| self.unreachable(e))
    }

    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        self.client
            .send_and_confirm_transaction(transaction)
            .await
            .map_err(|e| self.classify(e))
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
