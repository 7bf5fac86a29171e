//! The fuzz target's body (fuzz/), and the regression test's: an input's bytes are the
//! decisions of one drawn world. The fuzzer runs each in a bank that lives across inputs
//! (starting one costs more than a short world), every world on its own mint, pool and
//! market; the regression test runs each in a fresh bank, as a crash is reproduced (a fresh
//! process, its first input).
use std::sync::Mutex;

use super::{run_world, Choices, WorldConfig};
use crate::Bank;

/// Inputs run in one bank before it is replaced, so its memory stays bounded.
const WORLDS_PER_BANK: u32 = 200;

struct Shared {
    runtime: tokio::runtime::Runtime,
    bank: Option<Bank>,
    worlds: u32,
}

static SHARED: Mutex<Option<Shared>> = Mutex::new(None);

/// Runs the world `data` describes in the shared bank; any broken check panics (the fuzzer's
/// crash). Not from inside an async runtime: it runs its own.
pub fn run_input(data: &[u8]) {
    run(data, false);
}

/// `run_input` in a bank of its own.
pub fn run_input_alone(data: &[u8]) {
    run(data, true);
}

fn run(data: &[u8], alone: bool) {
    let mut guard = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let shared = guard.get_or_insert_with(|| Shared {
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
        bank: None,
        worlds: 0,
    });
    let bank = match shared.bank.take() {
        Some(bank) if !alone && shared.worlds < WORLDS_PER_BANK => bank,
        _ => {
            shared.worlds = 0;
            shared.runtime.block_on(Bank::start())
        }
    };
    let mut choices = Choices::from_bytes(data);
    let config = WorldConfig::drawn(&mut choices);
    let run = shared
        .runtime
        .block_on(run_world(bank, &mut choices, &config));
    assert_eq!(run.unaccounted, 0, "tokens unaccounted for");
    shared.bank = Some(run.bank);
    shared.worlds += 1;
}
