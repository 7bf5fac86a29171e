//! The bank: program-test with the staking pool registered as a native processor.
use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::{BanksClientError, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;

pub use stakepool_simulation::in_process::GENESIS_TS;

pub struct Bank {
    pub ctx: ProgramTestContext,
    /// Makes every transaction unique, so an identical instruction sent twice is not
    /// de-duplicated as a replay.
    nonce: u32,
}

impl Bank {
    /// The same bank the simulator runs: both programs registered natively.
    pub async fn start() -> Self {
        let ctx = stakepool_simulation::in_process::start().await;
        Self { ctx, nonce: 0 }
    }

    pub fn payer(&self) -> Pubkey {
        self.ctx.payer.pubkey()
    }

    /// Sends one transaction, paid by the bank's payer and signed by `signers` too.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), BanksClientError> {
        self.nonce += 1;
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(
            1_000_000 + self.nonce,
        )];
        all.extend_from_slice(instructions);
        let blockhash = self.ctx.banks_client.get_latest_blockhash().await?;
        let mut keys: Vec<&Keypair> = vec![&self.ctx.payer];
        keys.extend_from_slice(signers);
        let tx = Transaction::new_signed_with_payer(
            &all,
            Some(&self.ctx.payer.pubkey()),
            &keys,
            blockhash,
        );
        self.ctx.banks_client.process_transaction(tx).await
    }

    /// Simulates a transaction (nothing changes): whether it would succeed.
    pub async fn simulate(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), String> {
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(1_000_000)];
        all.extend_from_slice(instructions);
        let blockhash = self
            .ctx
            .banks_client
            .get_latest_blockhash()
            .await
            .map_err(|e| e.to_string())?;
        let mut keys: Vec<&Keypair> = vec![&self.ctx.payer];
        keys.extend_from_slice(signers);
        let tx = Transaction::new_signed_with_payer(
            &all,
            Some(&self.ctx.payer.pubkey()),
            &keys,
            blockhash,
        );
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

    /// Index of the first caller instruction inside a transaction built by `send` (the
    /// compute-budget nonce comes first). Error assertions use it.
    pub const FIRST_IX: u8 = 1;

    pub async fn clock(&mut self) -> Clock {
        self.ctx
            .banks_client
            .get_sysvar::<Clock>()
            .await
            .expect("clock")
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Sets the Clock's `unix_timestamp` (in a new slot), which is what the programs read.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        stakepool_simulation::in_process::set_time(&mut self.ctx, unix_timestamp).await;
    }

    pub async fn advance(&mut self, seconds: i64) {
        let now = self.now().await;
        self.set_time(now + seconds).await;
    }

    pub async fn account(&mut self, address: Pubkey) -> Option<solana_account::Account> {
        self.ctx
            .banks_client
            .get_account(address)
            .await
            .expect("get_account")
    }

    pub async fn lamports(&mut self, address: Pubkey) -> u64 {
        self.account(address).await.map(|a| a.lamports).unwrap_or(0)
    }

    /// Decodes an Anchor account; `None` when it does not exist.
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: Pubkey) -> Option<T> {
        let account = self.account(address).await?;
        Some(T::try_deserialize(&mut account.data.as_slice()).expect("decode"))
    }

    /// Raw state of `addresses`, for "nothing changed" assertions.
    pub async fn snapshot(&mut self, addresses: &[Pubkey]) -> Vec<Option<(u64, Vec<u8>)>> {
        let mut states = Vec::with_capacity(addresses.len());
        for address in addresses {
            states.push(self.account(*address).await.map(|a| (a.lamports, a.data)));
        }
        states
    }
}
