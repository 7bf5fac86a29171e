//! The client's `Transport` over the VM: `StakeClient` (and so every CLI command) talks to the
//! SBF build as it talks to a cluster. Signatures are verified here (Mollusk does not), the
//! message's privileges become the instructions' metas, and refusals carry the logs.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use solana_hash::Hash;
use solana_instruction::{AccountMeta, Instruction};
use solana_signature::Signature;
use solana_transaction::Transaction;
use stakepool_client::transport::{Ledger, Memcmp, Refusal, Simulation, Transport, TransportError};

use super::vm::{Execution, Handle};
use super::{Bank, TxError};

#[derive(Clone)]
pub struct VmTransport {
    vm: Handle,
    /// A fresh blockhash per request, as a cluster's advancing slots give.
    blockhashes: Arc<AtomicU64>,
    /// Every transaction that landed, for `signatures_for_address` and `transaction`.
    ledger: Arc<Ledger>,
}

impl Bank {
    /// A transport onto this bank's ledger, for `StakeClient`.
    pub fn transport(&self) -> VmTransport {
        VmTransport {
            vm: self.vm.clone(),
            blockhashes: Arc::new(AtomicU64::new(1)),
            ledger: Arc::default(),
        }
    }
}

/// The instructions of a signed transaction, with the message's privileges, compute-budget
/// ones included: the VM reads the unit limit from them as the runtime does, and an error's
/// instruction index counts them as a cluster's does.
fn instructions(transaction: &Transaction) -> Vec<Instruction> {
    let message = &transaction.message;
    let keys = &message.account_keys;
    message
        .instructions
        .iter()
        .map(|compiled| Instruction {
            program_id: keys[usize::from(compiled.program_id_index)],
            accounts: compiled
                .accounts
                .iter()
                .map(|&index| {
                    let index = usize::from(index);
                    AccountMeta {
                        pubkey: keys[index],
                        is_signer: message.is_signer(index),
                        is_writable: message.is_maybe_writable(index, None),
                    }
                })
                .collect(),
            data: compiled.data.clone(),
        })
        .collect()
}

fn signers(transaction: &Transaction) -> (Pubkey, Vec<Pubkey>) {
    let keys = &transaction.message.account_keys;
    let signing = usize::from(transaction.message.header.num_required_signatures);
    (keys[0], keys[..signing].to_vec())
}

/// A VM account as the client's `Transport` speaks it (its own `solana-account` version).
fn as_client_account(a: solana_account::Account) -> solana_account_v3::Account {
    solana_account_v3::Account {
        lamports: a.lamports,
        data: a.data,
        owner: a.owner,
        executable: a.executable,
        rent_epoch: a.rent_epoch,
    }
}

impl VmTransport {
    /// Sets the Clock's `unix_timestamp` in a new slot.
    pub async fn set_time(&self, unix_timestamp: i64) {
        self.vm.run(move |vm| vm.set_time(unix_timestamp)).await;
    }

    async fn execute(
        &self,
        transaction: &Transaction,
        commit: bool,
    ) -> Result<Execution, TransportError> {
        // `verify` pairs signatures with signer keys and stops at the shorter list: count
        // them first, as a cluster's sanitizing does.
        let required = usize::from(transaction.message.header.num_required_signatures);
        if required == 0 || transaction.signatures.len() != required {
            return Err(TransportError::Refused(Refusal {
                error: solana_transaction_error::TransactionError::SanitizeFailure,
                logs: vec![],
                landed: None,
            }));
        }
        transaction.verify().map_err(|error| {
            TransportError::Refused(Refusal {
                error,
                logs: vec![],
                landed: None,
            })
        })?;
        let all = instructions(transaction);
        let (payer, signers) = signers(transaction);
        let execution = self
            .vm
            .run(move |vm| vm.execute(&all, payer, &signers, commit))
            .await;
        execution.assert_checks();
        Ok(execution)
    }

    fn unreachable(&self, message: String) -> TransportError {
        TransportError::Unreachable {
            endpoint: self.endpoint(),
            message,
        }
    }
}

impl Transport for VmTransport {
    fn endpoint(&self) -> String {
        "the SBF build in the VM".into()
    }

    async fn account(
        &self,
        address: &Pubkey,
    ) -> Result<Option<solana_account_v3::Account>, TransportError> {
        let address = *address;
        let account = self.vm.run(move |vm| vm.get(&address)).await;
        Ok(account.map(as_client_account))
    }

    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, solana_account_v3::Account)>, TransportError> {
        let program = *program;
        let owned = self.vm.run(move |vm| vm.owned_by(&program)).await;
        Ok(owned
            .into_iter()
            .filter(|(_, a)| filters.iter().all(|f| f.matches(&a.data)))
            .map(|(address, a)| (address, as_client_account(a)))
            .collect())
    }

    fn ledger(&self) -> Option<&Ledger> {
        Some(&self.ledger)
    }

    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        let n = self.blockhashes.fetch_add(1, Ordering::Relaxed);
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&n.to_le_bytes());
        Ok(Hash::new_from_array(bytes))
    }

    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let execution = self.execute(transaction, true).await?;
        match execution.result {
            Ok(()) => {
                let clock = self.vm.run(|vm| vm.clock()).await;
                let signature = transaction.signatures[0];
                self.ledger.record(
                    signature,
                    transaction.message.account_keys.clone(),
                    clock.slot,
                    clock.unix_timestamp,
                    execution.logs,
                );
                Ok(signature)
            }
            Err(TxError::Transaction(error)) => Err(TransportError::Refused(Refusal {
                error,
                logs: execution.logs,
                landed: None,
            })),
            Err(TxError::Backend(message)) => Err(self.unreachable(message)),
        }
    }

    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        let execution = self.execute(transaction, false).await?;
        let error = match execution.result {
            Ok(()) => None,
            Err(TxError::Transaction(error)) => Some(error),
            Err(TxError::Backend(message)) => return Err(self.unreachable(message)),
        };
        Ok(Simulation {
            error,
            logs: execution.logs,
            units_consumed: Some(execution.total_units),
        })
    }
}
