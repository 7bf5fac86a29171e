//! The native backend: program-test with both programs registered as native processors (the
//! simulator's bank).
use anchor_lang::prelude::Pubkey;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::{BanksClientError, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;
use stakepool_simulation::in_process;

use super::{TxError, TxResult, GENESIS_TS};

const _: () = assert!(in_process::GENESIS_TS == GENESIS_TS);

pub struct Bank {
    pub ctx: ProgramTestContext,
    /// Makes every transaction unique, so an identical instruction sent twice is not
    /// de-duplicated as a replay.
    nonce: u32,
    /// Keypairs `new_keypair` has handed out.
    pub(super) keys_issued: u64,
}

impl From<BanksClientError> for TxError {
    fn from(error: BanksClientError) -> Self {
        match error {
            BanksClientError::TransactionError(error)
            | BanksClientError::SimulationError { err: error, .. } => Self::Transaction(error),
            other => Self::Backend(other.to_string()),
        }
    }
}

impl Bank {
    /// The same bank the simulator runs: both programs registered natively.
    pub async fn start() -> Self {
        let ctx = in_process::start().await;
        Self {
            ctx,
            nonce: 0,
            keys_issued: 0,
        }
    }

    pub fn payer(&self) -> Pubkey {
        self.ctx.payer.pubkey()
    }

    /// The transaction `send` and `simulate` submit: a compute-unit limit first (`FIRST_IX`).
    async fn signed(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        limit: u32,
    ) -> Result<Transaction, BanksClientError> {
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(limit)];
        all.extend_from_slice(instructions);
        let blockhash = self.ctx.banks_client.get_latest_blockhash().await?;
        let mut keys: Vec<&Keypair> = vec![&self.ctx.payer];
        keys.extend_from_slice(signers);
        Ok(Transaction::new_signed_with_payer(
            &all,
            Some(&self.ctx.payer.pubkey()),
            &keys,
            blockhash,
        ))
    }

    /// Sends one transaction, paid by the bank's payer and signed by `signers` too.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxResult {
        self.nonce += 1;
        let tx = self
            .signed(instructions, signers, 1_000_000 + self.nonce)
            .await?;
        // Executed on the working bank at once: `process_transaction` would send it to the
        // bank's thread and poll its status every tick, which is most of a transaction's time.
        // This path does not verify signatures (every transaction here is fully signed by
        // construction; the programs' `is_signer` checks still run), and a transaction the
        // bank cannot load (a replay, an unknown blockhash) is an error at once.
        let processed = self
            .ctx
            .banks_client
            .process_transaction_with_metadata(tx)
            .await?;
        processed.result.map_err(TxError::Transaction)
    }

    /// Simulates a transaction (nothing changes): whether it would succeed.
    pub async fn simulate(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), String> {
        let tx = self
            .signed(instructions, signers, 1_000_000)
            .await
            .map_err(|e| e.to_string())?;
        let result = self
            .ctx
            .banks_client
            .simulate_transaction(tx)
            .await
            .map_err(|e| e.to_string())?;
        match result.result {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(e.to_string()),
            None => Err("not simulated".into()),
        }
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx
            .banks_client
            .get_sysvar::<Clock>()
            .await
            .expect("clock")
    }

    /// Sets the Clock's `unix_timestamp` (in a new slot), which is what the programs read.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        in_process::set_time(&mut self.ctx, unix_timestamp).await;
    }

    pub async fn account(&mut self, address: Pubkey) -> Option<solana_account::Account> {
        self.ctx
            .banks_client
            .get_account(address)
            .await
            .expect("get_account")
    }

    /// Writes an account directly (a forged or copied account an attack hands the program).
    pub async fn set_account(&mut self, address: Pubkey, account: solana_account::Account) {
        self.ctx.set_account(&address, &account.into());
    }

    /// Rent-exempt minimum for `space` bytes.
    pub async fn rent_exempt(&mut self, space: usize) -> u64 {
        let rent = self.ctx.banks_client.get_rent().await.expect("rent");
        rent.minimum_balance(space)
    }

    pub(super) fn peaks(&self) -> Option<std::collections::BTreeMap<String, u64>> {
        None
    }
}
