//! The VM backend: the SBF build (`target/deploy/*.so`, or `SBF_OUT_DIR`) executed by Agave
//! 4.2's BPF loader through Mollusk, with SPL Token, Token-2022 and Associated Token from
//! Mollusk's bundled mainnet ELFs, over a persistent account store.
//!
//! Mollusk runs instructions, not transactions, so this backend supplies what a cluster adds
//! around them: a transaction is all or nothing (the accounts it names are restored when an
//! instruction fails), privileges are the message's (a key that signs the transaction signs
//! every instruction that names it; writable anywhere is writable everywhere), the transaction
//! must carry exactly the keypairs of its signers (checked as `Transaction::new_signed_with_payer`
//! does natively; Mollusk does not verify signatures), its unit limit is one budget its
//! instructions draw down, and a zero-lamport account reads as absent. On top, after every
//! successful instruction of either program it checks the compute-unit ceiling, and for the
//! pool every event against the state change it reports (`event_checks`); a breach fails the
//! test that sent it.
//!
//! Mollusk's context is single-threaded (`Rc`), so it lives on its own thread and the `Bank`
//! (which tests move across tokio tasks) sends it jobs.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::sync::mpsc;

use anchor_lang::prelude::Pubkey;
use mollusk_svm::MolluskContext;
use solana_account::Account;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_svm_log_collector::LogCollector;
use solana_transaction_error::TransactionError;

use super::vm_loader::{load_mollusk, PROGRAMS};
use super::{event_checks, market_event_checks};
use super::{TxError, TxResult, GENESIS_TS};

const COMPUTE_BUDGET: Pubkey = solana_compute_budget_interface::ID;
const RENT_SYSVAR: Pubkey = Pubkey::from_str_const("SysvarRent111111111111111111111111111111111");
const SYSVAR_OWNER: Pubkey = Pubkey::from_str_const("Sysvar1111111111111111111111111111111111111");
const PAYER_LAMPORTS: u64 = 1_000_000_000_000_000_000;

/// The ceiling every instruction of the two programs must stay under in the VM: 64,000
/// compute units, what a program composing the pool can spare out of a 200,000 budget and
/// the figure `cu-bench` holds every instruction to. One figure for all rather than the
/// benchmark's + 10 %: the suite's worst cases (Token-2022, u64-scale amounts, recalls that
/// cover rounding) cost more than the benchmark's paths, and a per-instruction margin would
/// tie the suite to one build's figures. Measured per instruction, not per transaction.
pub const COMPUTE_CEILING: u64 = 64_000;

type Job = Box<dyn FnOnce(&mut Vm) + Send>;

/// The way to the VM's thread; the bank and the client's transport share it.
#[derive(Clone)]
pub(super) struct Handle {
    jobs: mpsc::Sender<Job>,
}

impl Handle {
    pub(super) async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vm) -> R + Send + 'static,
    ) -> R {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |vm| {
                let _ = reply.send(job(vm));
            }))
            .expect("the VM thread is running");
        answer.await.expect("the VM thread answered")
    }
}

pub struct Bank {
    pub(super) vm: Handle,
    /// Pays every transaction `send` builds (and funds the client's wallets in command tests).
    pub(crate) payer_keypair: Keypair,
    /// Makes every transaction's compute-budget instruction unique, as natively.
    nonce: u32,
    /// Highest units per instruction name, merged from the VM after every send.
    peaks: BTreeMap<String, u64>,
    /// What the last `send` cost.
    last: Cost,
    /// Keypairs `new_keypair` has handed out.
    pub(super) keys_issued: u64,
}

/// What one transaction cost in the VM: the units of all its instructions and their logs.
#[derive(Clone, Debug, Default)]
pub struct Cost {
    pub units: u64,
    pub logs: Vec<String>,
}

/// What one transaction did in the VM.
pub(super) struct Execution {
    pub(super) result: TxResult,
    /// Ceiling and event-check breaches: the test fails with them.
    pub(super) violations: Vec<String>,
    /// Units of each successful program instruction, by name.
    units: Vec<(String, u64)>,
    /// Every instruction's logs, in order, up to the one that failed.
    pub(super) logs: Vec<String>,
    pub(super) total_units: u64,
}

impl Execution {
    /// # Panics
    /// With every ceiling and event-audit breach: the VM tier's own assertions.
    pub(super) fn assert_checks(&self) {
        assert!(
            self.violations.is_empty(),
            "the VM tier's checks failed:\n{}",
            self.violations.join("\n")
        );
    }
}

/// Lamports per signature, as the native bank charges.
const FEE_PER_SIGNATURE: u64 = 5_000;

pub(super) struct Vm {
    ctx: MolluskContext<HashMap<Pubkey, Account>>,
}

impl Bank {
    /// A fresh ledger with the SBF programs loaded and the clock at `GENESIS_TS`.
    ///
    /// # Panics
    /// When a `.so` file is missing: build them with `bash scripts/build-sbf.sh`.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// `start`, with `extra` programs (name of the `.so` in `deploy_dir()`, and id) loaded
    /// beside the pool and the market.
    ///
    /// # Panics
    /// When a `.so` file is missing: build them with `bash scripts/build-sbf.sh`.
    pub async fn start_with(extra: &[(&'static str, Pubkey)]) -> Self {
        // A fixed payer, as `new_keypair` gives fixed keys: a ledger repeats from run to run.
        let payer_keypair = Keypair::new_from_array([0xA1; 32]);
        let payer = payer_keypair.pubkey();
        let programs: Vec<(&'static str, Pubkey)> = PROGRAMS.iter().chain(extra).copied().collect();
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready, loaded) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut vm = match Vm::load(payer, &programs) {
                Ok(vm) => vm,
                Err(message) => {
                    let _ = ready.send(Err(message));
                    return;
                }
            };
            let _ = ready.send(Ok(()));
            for job in inbox {
                job(&mut vm);
            }
        });
        if let Err(message) = loaded.await.expect("the VM thread started") {
            panic!("{message}");
        }
        Self {
            vm: Handle { jobs },
            payer_keypair,
            nonce: 0,
            peaks: BTreeMap::new(),
            last: Cost::default(),
            keys_issued: 0,
        }
    }

    async fn run<R: Send + 'static>(&self, job: impl FnOnce(&mut Vm) -> R + Send + 'static) -> R {
        self.vm.run(job).await
    }

    pub fn payer(&self) -> Pubkey {
        self.payer_keypair.pubkey()
    }

    /// The transaction `send` and `simulate` submit: a compute-unit limit first (`FIRST_IX`),
    /// with the signer set checked as a native transaction's signing checks it.
    fn transaction(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        limit: u32,
    ) -> (Vec<Instruction>, Vec<Pubkey>) {
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(limit)];
        all.extend_from_slice(instructions);
        let keys: Vec<Pubkey> = signers.iter().map(|k| k.pubkey()).collect();
        let required: BTreeSet<Pubkey> = all
            .iter()
            .flat_map(|ix| ix.accounts.iter())
            .filter(|meta| meta.is_signer)
            .map(|meta| meta.pubkey)
            .chain([self.payer()])
            .collect();
        for key in &keys {
            assert!(
                required.contains(key),
                "keypair {key} does not sign anything in this transaction (native signing refuses it)"
            );
        }
        for key in &required {
            assert!(
                *key == self.payer() || keys.contains(key),
                "not enough signers: {key} must sign (native signing refuses it)"
            );
        }
        (all, keys)
    }

    /// Sends one transaction, paid by the bank's payer and signed by `signers` too.
    ///
    /// # Panics
    /// When an instruction breaks its compute-unit ceiling or an event misreports its state
    /// change: the VM tier's own assertions.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxResult {
        self.nonce += 1;
        let (all, keys) = self.transaction(instructions, signers, 1_000_000 + self.nonce);
        let payer = self.payer();
        let execution = self
            .run(move |vm| vm.execute(&all, payer, &keys, true))
            .await;
        execution.assert_checks();
        for (name, units) in execution.units {
            let peak = self.peaks.entry(name).or_default();
            *peak = (*peak).max(units);
        }
        self.last = Cost {
            units: execution.total_units,
            logs: execution.logs,
        };
        execution.result
    }

    /// What the last `send` cost (units and logs), landed or not.
    pub fn last_cost(&self) -> &Cost {
        &self.last
    }

    /// Simulates a transaction (nothing changes): whether it would succeed.
    pub async fn simulate(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), String> {
        let (all, keys) = self.transaction(instructions, signers, 1_000_000);
        let payer = self.payer();
        let execution = self
            .run(move |vm| vm.execute(&all, payer, &keys, false))
            .await;
        execution.assert_checks();
        execution.result.map_err(|e| e.to_string())
    }

    pub async fn clock(&mut self) -> Clock {
        self.run(|vm| vm.clock()).await
    }

    /// Sets the Clock's `unix_timestamp` in a new slot, as the native bank does.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        self.run(move |vm| vm.set_time(unix_timestamp)).await;
    }

    pub async fn account(&mut self, address: Pubkey) -> Option<Account> {
        self.run(move |vm| vm.get(&address)).await
    }

    /// Writes an account directly (a forged or copied account an attack hands the program).
    pub async fn set_account(&mut self, address: Pubkey, account: Account) {
        self.run(move |vm| {
            vm.ctx.account_store.borrow_mut().insert(address, account);
        })
        .await;
    }

    /// Rent-exempt minimum for `space` bytes under the VM's Rent sysvar.
    pub async fn rent_exempt(&mut self, space: usize) -> u64 {
        self.run(move |vm| vm.ctx.mollusk.sysvars.rent.minimum_balance(space))
            .await
    }

    pub(super) fn peaks(&self) -> Option<BTreeMap<String, u64>> {
        Some(self.peaks.clone())
    }
}

impl Vm {
    fn load(payer: Pubkey, programs: &[(&str, Pubkey)]) -> Result<Self, String> {
        let mut mollusk = load_mollusk(programs)?;
        mollusk.sysvars.clock.unix_timestamp = GENESIS_TS;
        let vm = Self {
            ctx: mollusk.with_context(HashMap::new()),
        };
        vm.ctx.account_store.borrow_mut().insert(
            payer,
            Account {
                lamports: PAYER_LAMPORTS,
                ..Account::default()
            },
        );
        Ok(vm)
    }

    pub(super) fn clock(&self) -> Clock {
        self.ctx.mollusk.sysvars.clock.clone()
    }

    pub(super) fn set_time(&mut self, unix_timestamp: i64) {
        let clock = &mut self.ctx.mollusk.sysvars.clock;
        clock.unix_timestamp = unix_timestamp;
        clock.slot += 1;
    }

    /// Every existing account `program` owns, for `getProgramAccounts`.
    pub(super) fn owned_by(&self, program: &Pubkey) -> Vec<(Pubkey, Account)> {
        self.ctx
            .account_store
            .borrow()
            .iter()
            .filter(|(_, account)| account.owner == *program && account.lamports > 0)
            .map(|(address, account)| (*address, account.clone()))
            .collect()
    }

    /// An account as a cluster reports it: one with no lamports does not exist, and the
    /// Clock and Rent sysvars read as the programs see them.
    pub(super) fn get(&self, address: &Pubkey) -> Option<Account> {
        if let Some(sysvar) = self.sysvar(address) {
            return Some(sysvar);
        }
        self.ctx
            .account_store
            .borrow()
            .get(address)
            .filter(|account| account.lamports > 0)
            .cloned()
    }

    /// The Clock and Rent sysvar accounts (bincode layouts, little-endian fields).
    #[allow(deprecated)] // Rent's `exemption_threshold` bytes are still its sysvar layout.
    fn sysvar(&self, address: &Pubkey) -> Option<Account> {
        let sysvars = &self.ctx.mollusk.sysvars;
        let data = if *address == solana_clock::sysvar::ID {
            let clock = &sysvars.clock;
            [
                clock.slot.to_le_bytes(),
                clock.epoch_start_timestamp.to_le_bytes(),
                clock.epoch.to_le_bytes(),
                clock.leader_schedule_epoch.to_le_bytes(),
                clock.unix_timestamp.to_le_bytes(),
            ]
            .concat()
        } else if *address == RENT_SYSVAR {
            let rent = &sysvars.rent;
            let mut data = rent.lamports_per_byte.to_le_bytes().to_vec();
            data.extend_from_slice(&rent.exemption_threshold);
            data.push(rent.burn_percent);
            data
        } else {
            return None;
        };
        Some(Account {
            lamports: 1,
            data,
            owner: SYSVAR_OWNER,
            executable: false,
            rent_epoch: 0,
        })
    }

    fn restore(&self, saved: &[(Pubkey, Option<Account>)]) {
        let mut store = self.ctx.account_store.borrow_mut();
        for (address, account) in saved {
            match account {
                Some(account) => store.insert(*address, account.clone()),
                None => store.remove(address),
            };
        }
    }

    /// Runs `all` as one transaction, paid by `payer` (its fee stays paid when it fails, as on
    /// a cluster); with `commit` false (a simulation) nothing stays.
    pub(super) fn execute(
        &mut self,
        all: &[Instruction],
        payer: Pubkey,
        signers: &[Pubkey],
        commit: bool,
    ) -> Execution {
        let mut execution = Execution {
            result: Ok(()),
            violations: Vec::new(),
            units: Vec::new(),
            logs: Vec::new(),
            total_units: 0,
        };
        let fee = FEE_PER_SIGNATURE * (1 + signers.iter().filter(|k| **k != payer).count() as u64);
        let paid_fee = {
            let mut store = self.ctx.account_store.borrow_mut();
            match store.get_mut(&payer) {
                Some(account) if account.lamports >= fee => {
                    if commit {
                        account.lamports -= fee;
                    }
                    true
                }
                _ => false,
            }
        };
        if !paid_fee {
            execution.result = Err(TxError::Transaction(
                TransactionError::InsufficientFundsForFee,
            ));
            return execution;
        }
        self.run_instructions(all, payer, signers, commit, execution)
    }

    fn run_instructions(
        &mut self,
        all: &[Instruction],
        payer: Pubkey,
        signers: &[Pubkey],
        commit: bool,
        mut execution: Execution,
    ) -> Execution {
        let signing: HashSet<Pubkey> = signers.iter().copied().chain([payer]).collect();
        let writable: HashSet<Pubkey> = all
            .iter()
            .flat_map(|ix| ix.accounts.iter())
            .filter(|meta| meta.is_writable)
            .map(|meta| meta.pubkey)
            .chain([payer])
            .collect();
        let named: BTreeSet<Pubkey> = all
            .iter()
            .flat_map(|ix| ix.accounts.iter().map(|meta| meta.pubkey))
            .chain([payer])
            .collect();
        let saved: Vec<(Pubkey, Option<Account>)> = {
            let store = self.ctx.account_store.borrow();
            named
                .iter()
                .map(|address| (*address, store.get(address).cloned()))
                .collect()
        };
        // One budget for the whole transaction, as the runtime meters it: what an instruction
        // leaves is what the next one may use.
        let mut budget = unit_limit(all);
        for (index, instruction) in all.iter().enumerate() {
            if instruction.program_id == COMPUTE_BUDGET {
                // Read before execution, and charged as the builtin's own cost.
                budget = budget.saturating_sub(COMPUTE_BUDGET_UNITS);
                continue;
            }
            let mut instruction = instruction.clone();
            for meta in &mut instruction.accounts {
                meta.is_signer |= signing.contains(&meta.pubkey);
                meta.is_writable |= writable.contains(&meta.pubkey);
            }
            let before = self.accounts_of(&instruction);
            let logger = LogCollector::new_ref();
            self.ctx.mollusk.logger = Some(Rc::clone(&logger));
            self.ctx.mollusk.compute_budget.compute_unit_limit = budget;
            let result = self.ctx.process_instruction(&instruction);
            self.ctx.mollusk.compute_budget.compute_unit_limit = MAX_UNIT_LIMIT;
            self.ctx.mollusk.logger = None;
            let logs = logger.borrow().get_recorded_content().to_vec();
            execution.logs.extend_from_slice(&logs);
            execution.total_units += result.compute_units_consumed;
            budget = budget.saturating_sub(result.compute_units_consumed);
            if let Err(error) = result.raw_result {
                self.restore(&saved);
                let index = u8::try_from(index).expect("fewer than 256 instructions");
                execution.result = Err(TxError::Transaction(TransactionError::InstructionError(
                    index, error,
                )));
                return execution;
            }
            let Some(name) = instruction_name(&instruction.program_id, &instruction.data) else {
                continue;
            };
            let units = result.compute_units_consumed;
            if units > COMPUTE_CEILING {
                execution.violations.push(format!(
                    "{name} used {units} compute units, above the ceiling of {COMPUTE_CEILING}"
                ));
            }
            if logs.iter().any(|line| line == "Log truncated") {
                // At 10 KB, as on a cluster: the events after the cut are lost to indexers.
                execution
                    .violations
                    .push(format!("{name}: its logs were truncated"));
            }
            let after = self.accounts_of(&instruction);
            let pool_instruction = instruction.program_id == staking_pool::ID;
            let mut problems =
                market_event_checks::check(&logs, &before, &after, !pool_instruction);
            if pool_instruction {
                let now = self.ctx.mollusk.sysvars.clock.unix_timestamp;
                problems.extend(event_checks::check(&logs, &before, &after, now));
            }
            for problem in problems {
                execution.violations.push(format!("{name}: {problem}"));
            }
            execution.units.push((name, units));
        }
        if !commit {
            self.restore(&saved);
        }
        execution
    }

    /// The instruction's accounts as they stand (absent when they have no lamports).
    fn accounts_of(&self, instruction: &Instruction) -> HashMap<Pubkey, Account> {
        instruction
            .accounts
            .iter()
            .filter_map(|meta| Some((meta.pubkey, self.get(&meta.pubkey)?)))
            .collect()
    }
}

/// The most units a transaction may have.
const MAX_UNIT_LIMIT: u64 = 1_400_000;
/// What each compute-budget instruction costs its transaction.
const COMPUTE_BUDGET_UNITS: u64 = 150;

/// The unit limit `all` asks for with `set_compute_unit_limit`, or the runtime's default
/// without one (3,000 per builtin instruction, System's and the compute budget's, and 200,000
/// per other), at most `MAX_UNIT_LIMIT`.
fn unit_limit(all: &[Instruction]) -> u64 {
    let asked = all
        .iter()
        .filter(|ix| ix.program_id == COMPUTE_BUDGET)
        .find_map(|ix| stakepool_client::compute_budget::limit_set_by(&ix.data))
        .map(u64::from);
    let default = || {
        all.iter()
            .map(|ix| {
                let builtin = ix.program_id == COMPUTE_BUDGET
                    || ix.program_id == anchor_lang::system_program::ID;
                if builtin {
                    3_000
                } else {
                    200_000
                }
            })
            .sum()
    };
    asked.unwrap_or_else(default).min(MAX_UNIT_LIMIT)
}

/// The name of a pool or market instruction, from its Anchor discriminator (the pool is built
/// without Anchor's `Instruction: <Name>` log line, `no-log-ix-name`); `None` for other
/// programs (system, token), whose units are not ours to cap.
fn instruction_name(program: &Pubkey, data: &[u8]) -> Option<String> {
    use anchor_lang::Discriminator;
    use mock_lending::instruction as M;
    use staking_pool::instruction as P;
    if *program != staking_pool::ID && *program != mock_lending::ID {
        return None;
    }
    let names: [(&[u8], &str); 36] = [
        (P::InitializePool::DISCRIMINATOR, "initialize_pool"),
        (P::FundRewards::DISCRIMINATOR, "fund_rewards"),
        (P::OpenPosition::DISCRIMINATOR, "open_position"),
        (P::Deposit::DISCRIMINATOR, "deposit"),
        (P::Withdraw::DISCRIMINATOR, "withdraw"),
        (P::WithdrawInKind::DISCRIMINATOR, "withdraw_in_kind"),
        (P::RequestUnbond::DISCRIMINATOR, "request_unbond"),
        (P::Claim::DISCRIMINATOR, "claim"),
        (P::Compound::DISCRIMINATOR, "compound"),
        (P::ClosePosition::DISCRIMINATOR, "close_position"),
        (P::Rebalance::DISCRIMINATOR, "rebalance"),
        (P::Harvest::DISCRIMINATOR, "harvest"),
        (P::RecogniseLoss::DISCRIMINATOR, "recognise_loss"),
        (P::SetLendingMarket::DISCRIMINATOR, "set_lending_market"),
        (P::RecallAll::DISCRIMINATOR, "recall_all"),
        (P::SetApr::DISCRIMINATOR, "set_apr"),
        (P::SetParams::DISCRIMINATOR, "set_params"),
        (P::Pause::DISCRIMINATOR, "pause"),
        (P::Unpause::DISCRIMINATOR, "unpause"),
        (P::TransferAdmin::DISCRIMINATOR, "transfer_admin"),
        (P::AcceptAdmin::DISCRIMINATOR, "accept_admin"),
        (P::ProposeChange::DISCRIMINATOR, "propose_change"),
        (P::CancelChange::DISCRIMINATOR, "cancel_change"),
        (P::ExecuteChange::DISCRIMINATOR, "execute_change"),
        (M::InitMarket::DISCRIMINATOR, "mock: init_market"),
        (M::OpenReceipt::DISCRIMINATOR, "mock: open_receipt"),
        (M::Deposit::DISCRIMINATOR, "mock: deposit"),
        (M::Withdraw::DISCRIMINATOR, "mock: withdraw"),
        (M::FundInterest::DISCRIMINATOR, "mock: fund_interest"),
        (M::SimulateBorrow::DISCRIMINATOR, "mock: simulate_borrow"),
        (M::SimulateRepay::DISCRIMINATOR, "mock: simulate_repay"),
        (
            M::SimulateUnbackedIndex::DISCRIMINATOR,
            "mock: simulate_unbacked_index",
        ),
        (M::SimulateDefault::DISCRIMINATOR, "mock: simulate_default"),
        (
            M::SimulateRecovery::DISCRIMINATOR,
            "mock: simulate_recovery",
        ),
        (M::TransferShares::DISCRIMINATOR, "mock: transfer_shares"),
        (
            M::TransferAuthority::DISCRIMINATOR,
            "mock: transfer_authority",
        ),
    ];
    let name = names
        .iter()
        .find(|(discriminator, name)| {
            data.starts_with(discriminator)
                && name.starts_with("mock: ") == (*program == mock_lending::ID)
        })
        .map_or("unnamed", |(_, name)| name);
    Some(name.to_string())
}
