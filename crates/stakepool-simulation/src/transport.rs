//! In-process transport: the program-test bank, with both programs registered natively.
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_hash::Hash;
use solana_program_test::ProgramTestContext;
use solana_signature::Signature;
use solana_transaction::Transaction;
use tokio::sync::Mutex;

use crate::in_process::next_slot;
use solana_clock::Clock;
use stakepool_client::transport::{Ledger, Memcmp, Refusal, Simulation, Transport, TransportError};

/// Shares the bank with whoever moves its clock (the simulator, the tests).
#[derive(Clone)]
pub struct InProcess {
    pub ctx: Arc<Mutex<ProgramTestContext>>,
    /// Every transaction that landed, in order: the history a node keeps, for
    /// `signatures_for_address` and `transaction`, and the accounts `program_accounts`
    /// searches (the banks client has no `getProgramAccounts`).
    ledger: Arc<Ledger>,
}

impl InProcess {
    pub fn new(ctx: ProgramTestContext) -> Self {
        Self {
            ctx: Arc::new(Mutex::new(ctx)),
            ledger: Arc::default(),
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

    /// Refused in preflight (nothing lands, as `process_transaction` does), else processed
    /// and kept in the ledger with its logs.
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let ctx = self.ctx.lock().await;
        let simulated = ctx
            .banks_client
            .simulate_transaction(transaction.clone())
            .await
            .map_err(|e| self.unreachable(e))?;
        if let Some(Err(error)) = simulated.result {
            let logs = simulated
                .simulation_details
                .map(|details| details.logs)
                .unwrap_or_default();
            return Err(TransportError::Refused(Refusal {
                error,
                logs,
                landed: None,
            }));
        }
        let processed = ctx
            .banks_client
            .process_transaction_with_metadata(transaction.clone())
            .await
            .map_err(|e| self.unreachable(e))?;
        let logs = processed
            .metadata
            .map(|metadata| metadata.log_messages)
            .unwrap_or_default();
        if let Err(error) = processed.result {
            return Err(TransportError::Refused(Refusal {
                error,
                logs,
                landed: None,
            }));
        }
        let clock: Clock = ctx
            .banks_client
            .get_sysvar()
            .await
            .map_err(|e| self.unreachable(e))?;
        let keys = transaction.message.account_keys.clone();
        let signature = transaction.signatures[0];
        self.ledger
            .record(signature, keys, clock.slot, clock.unix_timestamp, logs);
        Ok(signature)
    }

    fn ledger(&self) -> Option<&Ledger> {
        Some(&self.ledger)
    }

    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let mut found = Vec::new();
        for address in self.ledger.named_accounts() {
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
