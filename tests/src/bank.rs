//! The bank: program-test with the staking pool registered as a native processor.
use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::AccountDeserialize;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::{processor, BanksClientError, ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;

/// Anchor's `entry` ties the program id, the accounts and the data to one lifetime, which the
/// native processor signature cannot express. The runtime keeps all three alive for the whole
/// call, so re-typing them to the shortest of their lifetimes is sound in practice; this is
/// the one unsafe block of the test suite and it exists only for native registration.
macro_rules! native_processor {
    ($name:ident, $entry:path) => {
        fn $name<'a, 'b, 'c, 'd>(
            program_id: &'a Pubkey,
            accounts: &'b [AccountInfo<'c>],
            data: &'d [u8],
        ) -> ProgramResult {
            // SAFETY: see above; nothing outlives this call.
            let (program_id, accounts, data) = unsafe {
                (
                    &*(program_id as *const Pubkey),
                    std::mem::transmute::<&'b [AccountInfo<'c>], &'b [AccountInfo<'b>]>(accounts),
                    std::slice::from_raw_parts(data.as_ptr(), data.len()),
                )
            };
            $entry(program_id, accounts, data)
        }
    };
}

native_processor!(staking_pool_processor, staking_pool::entry);
native_processor!(mock_lending_processor, mock_lending::entry);

/// Genesis time of every test: a fixed, realistic Unix timestamp.
pub const GENESIS_TS: i64 = 1_700_000_000;

pub struct Bank {
    pub ctx: ProgramTestContext,
    /// Makes every transaction unique, so an identical instruction sent twice is not
    /// de-duplicated as a replay.
    nonce: u32,
}

impl Bank {
    pub async fn start() -> Self {
        let mut program_test = ProgramTest::default();
        // ProgramTest installs a debug logger that prints every instruction; keep test output
        // readable. RUST_LOG still overrides this when debugging.
        agave_logger::setup_with_default("error");
        program_test.prefer_bpf(false);
        program_test.add_program(
            "staking_pool",
            staking_pool::ID,
            processor!(staking_pool_processor),
        );
        program_test.add_program(
            "mock_lending",
            mock_lending::ID,
            processor!(mock_lending_processor),
        );
        let ctx = program_test.start_with_context().await;
        let mut bank = Self { ctx, nonce: 0 };
        bank.set_time(GENESIS_TS).await;
        bank
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

    /// Moves to a new slot and sets the Clock's `unix_timestamp`, which is what the program
    /// reads. Slot warps alone do not move the timestamp predictably.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let clock = self.clock().await;
        let slot = clock.slot + 1;
        self.ctx.warp_to_slot(slot).expect("warp");
        self.ctx.set_sysvar(&Clock {
            slot,
            unix_timestamp,
            ..clock
        });
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
