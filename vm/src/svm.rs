//! The real VM with the SBF builds loaded: Agave 4.2's BPF loader (through Mollusk) running
//! `target/deploy/*.so`, SPL Token and Associated Token from Mollusk's bundled ELFs, and a
//! persistent account store, so one instruction after another behaves like a ledger.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use mollusk_svm::result::ProgramResult;
use mollusk_svm::{Mollusk, MolluskContext};
use solana_account::Account;
use solana_program_error::ProgramError;
use solana_svm_log_collector::LogCollector;

/// The upgradeable loader, as `anchor deploy` and `solana program deploy` use.
const LOADER: Pubkey = anchor_lang::solana_program::bpf_loader_upgradeable::ID;

/// The `.so` files the harness loads, by program id.
pub const PROGRAMS: [(&str, Pubkey); 3] = [
    ("staking_pool", staking_pool::ID),
    ("mock_lending", mock_lending::ID),
    ("floor_vault", floor_vault::ID),
];

/// `target/deploy/` of the project (or `SBF_OUT_DIR` when set).
pub fn deploy_dir() -> PathBuf {
    std::env::var_os("SBF_OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy"))
}

/// What one instruction did in the VM.
#[derive(Debug)]
pub struct Outcome {
    pub compute_units: u64,
    pub logs: Vec<String>,
    /// `None` on success; the error otherwise (state is then left unchanged).
    pub error: Option<VmError>,
}

#[derive(Debug)]
pub enum VmError {
    /// The program (or a program it called) returned this error.
    Program(ProgramError),
    /// The runtime refused before or around the program (a loader or account-rule error).
    Runtime(String),
}

impl Outcome {
    /// The Anchor/custom error code, if the program refused with one.
    pub fn custom_code(&self) -> Option<u32> {
        match self.error {
            Some(VmError::Program(ProgramError::Custom(code))) => Some(code),
            _ => None,
        }
    }

    /// # Panics
    /// With the program's logs when the instruction failed: a test step that must succeed.
    pub fn expect_ok(self, what: &str) -> Self {
        if let Some(error) = &self.error {
            panic!(
                "{what} failed in the VM: {error:?}\n{}",
                self.logs.join("\n")
            );
        }
        self
    }
}

/// Agave 4.2's VM with `programs` loaded from `deploy_dir()` under the upgradeable loader, and
/// SPL Token, Token-2022 and Associated Token from Mollusk's bundled mainnet ELFs. Shared by
/// this harness and the whole suite's VM backend (`tests/src/bank/vm.rs`).
///
/// # Errors
/// Names the missing file and the command that builds it.
pub fn load_mollusk(programs: &[(&str, Pubkey)]) -> Result<Mollusk, String> {
    // Mollusk turns on the runtime's debug log (every program log line to stderr) unless
    // RUST_LOG says otherwise; the logs are collected per transaction instead.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let dir = deploy_dir();
    let mut mollusk = Mollusk::default();
    for (name, id) in programs {
        let path = dir.join(format!("{name}.so"));
        let elf = std::fs::read(&path).map_err(|e| {
            format!(
                "{}: {e} (build it with `bash scripts/build-sbf.sh`)",
                path.display()
            )
        })?;
        mollusk.add_program_with_loader_and_elf(id, &LOADER, &elf);
    }
    mollusk_svm_programs_token::token::add_program(&mut mollusk);
    mollusk_svm_programs_token::token2022::add_program(&mut mollusk);
    mollusk_svm_programs_token::associated_token::add_program(&mut mollusk);
    Ok(mollusk)
}

pub struct Svm {
    ctx: MolluskContext<HashMap<Pubkey, Account>>,
}

impl Svm {
    /// Loads the three `.so` files from `deploy_dir()`.
    ///
    /// # Errors
    /// Names the missing file and the command that builds it.
    pub fn load() -> Result<Self, String> {
        let mut mollusk = load_mollusk(&PROGRAMS)?;
        // A plausible present, so unbonding deadlines and interest have room in both directions.
        mollusk.sysvars.clock.unix_timestamp = 1_767_225_600;
        Ok(Self {
            ctx: mollusk.with_context(HashMap::new()),
        })
    }

    /// Runs one instruction as its own transaction: on failure no account changes.
    pub fn send(&mut self, instruction: &Instruction) -> Outcome {
        self.send_all(std::slice::from_ref(instruction))
    }

    /// Runs instructions as one transaction (all or nothing); units are their sum.
    pub fn send_all(&mut self, instructions: &[Instruction]) -> Outcome {
        // A fresh log collector per transaction keeps each one's logs apart.
        let logger = LogCollector::new_ref();
        self.ctx.mollusk.logger = Some(Rc::clone(&logger));
        let result = self.ctx.process_instruction_chain(instructions);
        self.ctx.mollusk.logger = None;
        let logs = logger.borrow().get_recorded_content().to_vec();
        Outcome {
            compute_units: result.compute_units_consumed,
            logs,
            error: match result.program_result {
                ProgramResult::Success => None,
                ProgramResult::Failure(error) => Some(VmError::Program(error)),
                ProgramResult::UnknownError(error) => Some(VmError::Runtime(format!("{error:?}"))),
            },
        }
    }

    pub fn account(&self, address: &Pubkey) -> Option<Account> {
        self.ctx.account_store.borrow().get(address).cloned()
    }

    pub fn set_account(&self, address: Pubkey, account: Account) {
        self.ctx.account_store.borrow_mut().insert(address, account);
    }

    pub fn unix_time(&self) -> i64 {
        self.ctx.mollusk.sysvars.clock.unix_timestamp
    }

    /// Moves the Clock sysvar forward (slot and time), as the native suite does.
    pub fn advance(&mut self, seconds: i64) {
        let clock = &mut self.ctx.mollusk.sysvars.clock;
        clock.unix_timestamp += seconds;
        clock.slot += u64::try_from(seconds.max(1)).unwrap_or(1);
    }

    /// Rent-exempt minimum for `space` bytes under this VM's Rent sysvar.
    pub fn rent_exempt(&self, space: usize) -> u64 {
        self.ctx.mollusk.sysvars.rent.minimum_balance(space)
    }
}
