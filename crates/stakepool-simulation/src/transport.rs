//! In-process transport: the program-test bank, with both programs registered natively.
use std::collections::BTreeSet;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_hash::Hash;
use solana_program_test::{BanksClientError, ProgramTestContext};
use solana_signature::Signature;
use solana_transaction::Transaction;
use tokio::sync::Mutex;

use crate::in_process::next_slot;
use stakepool_client::transport::{Memcmp, Refusal, Simulation, Transport, TransportError};

/// Shares the bank with whoever moves its clock (the simulator, the tests).
#[derive(Clone)]
pub struct InProcess {
    pub ctx: Arc<Mutex<ProgramTestContext>>,
    /// Every account a landed transaction named: what `program_accounts` searches, since
    /// the banks client has no `getProgramAccounts` (every account this client creates is
    /// named by the transaction creating it).
    seen: Arc<Mutex<BTreeSet<Pubkey>>>,
}

impl InProcess {
    pub fn new(ctx: ProgramTestContext) -> Self {
        Self {
            ctx: Arc::new(Mutex::new(ctx)),
            seen: Arc::default(),
        }
    }

    fn unreachable(&self, error: impl std::fmt::Display) -> TransportError {
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message: error.to_string(),
        }
    }
}

impl Transport for InProcess {
    fn endpoint(&self) -> String {
        "in-process bank".into()
    }

    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        let ctx = self.ctx.lock().await;
        ctx.banks_client
            .get_account(*address)
            .await
            .map_err(|e| self.unreachable(e))
    }

    /// Every transaction gets a fresh slot and blockhash (the clock's time is kept), so two
    /// identical instructions at the same moment are two transactions, as on a cluster.
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        let mut ctx = self.ctx.lock().await;
        next_slot(&mut ctx).await;
        ctx.banks_client
            .get_latest_blockhash()
            .await
            .map_err(|e| self.unreachable(e))
    }

    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let ctx = self.ctx.lock().await;
        match ctx
            .banks_client
            .process_transaction(transaction.clone())
            .await
        {
            Ok(()) => {
                let keys = &transaction.message.account_keys;
                self.seen.lock().await.extend(keys.iter().copied());
                Ok(transaction.signatures[0])
            }
            Err(BanksClientError::TransactionError(error)) => {
                Err(TransportError::Refused(Refusal {
                    error,
                    logs: vec![],
                }))
            }
            Err(BanksClientError::SimulationError { err, logs, .. }) => {
                Err(TransportError::Refused(Refusal { error: err, logs }))
            }
            Err(other) => Err(self.unreachable(other)),
        }
    }

    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let seen: Vec<Pubkey> = self.seen.lock().await.iter().copied().collect();
        let mut found = Vec::new();
        for address in seen {
            if let Some(account) = self.account(&address).await? {
                if account.owner == *program && filters.iter().all(|f| f.matches(&account.data)) {
                    found.push((address, account));
                }
            }
        }
        Ok(found)
    }

    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        let ctx = self.ctx.lock().await;
        let result = ctx
            .banks_client
            .simulate_transaction(transaction.clone())
            .await
            .map_err(|e| self.unreachable(e))?;
        let (logs, units_consumed) = result
            .simulation_details
            .map(|details| (details.logs, Some(details.units_consumed)))
            .unwrap_or_default();
        Ok(Simulation {
            error: result.result.and_then(|r| r.err()),
            logs,
            units_consumed,
        })
    }
}
