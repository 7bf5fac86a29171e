//! Model-based test: a seeded random sequence of every user, crank and admin instruction, time
//! jumps, donations, illiquid periods, a stranger depositing into and withdrawing from the
//! same lending market, and (odd seeds) interest the market never funds, run against the
//! programs and a plain Rust model side by side; half the worlds have a notice period, so
//! changes against depositors are proposed, executed and cancelled among the rest, and a
//! hostile admin plays the notice rules against depositors (announces, springs changes at their
//! first instant with a crank and a borrow of everything in its market, lets announcements
//! lapse and tries to revive them, swings the notice). After every step, principal that has
//! started to leave is idle: no lend takes it, and a crank leaves it lent only as far as the
//! market cannot pay. At the end the hostile market authority borrows everything it can and
//! every leaver must still withdraw all unbonding principal; then the borrowers repay and every
//! user must be able to withdraw all principal. After every step the programs' accounts must equal the
//! model's, a refusal must carry the model's exact error code, and every invariant of the
//! client's `invariants` module must hold. `STAKEPOOL_MODEL_OPS` (default 10,000) and `STAKEPOOL_MODEL_SEED` change the run;
//! a failure prints the seed and the step.
//!
//! The world itself is `stakepool_tests::model_world`; the fuzz target (fuzz/) drives the same
//! world from its input bytes.
use std::io::Write;

use stakepool_tests::model_world::{run_world, Choices, ComputePeaks, WorldConfig, WorldRun};
use stakepool_tests::*;

const USERS: usize = 20;

/// World `seed`: seeds s, s+1 without a notice period, s+2, s+3 with three days of it; even
/// seeds back part of the market's interest up front, odd seeds never do.
fn seeded_world(seed: u64, ops: usize) -> WorldConfig {
    WorldConfig {
        label: format!("seed {seed}"),
        users: USERS,
        ops,
        funded: seed.is_multiple_of(2),
        notice: if seed % 4 >= 2 { 3 * DAY } else { 0 },
        token_program: tokens::SPL_TOKEN,
        // Forward only: a clock that steps back lets the market price recalls at an older
        // rate (a real, tiny loss the pool does not absorb); extremes.rs, lending.rs and the
        // fuzz target cover backward clocks.
        clock_back: false,
    }
}

/// "; highest compute units per instruction: claim 19898, deposit 18862, ..." in the VM.
fn describe_peaks(peaks: Option<ComputePeaks>) -> String {
    let Some(peaks) = peaks else {
        return String::new();
    };
    let listed: Vec<String> = peaks
        .iter()
        .map(|(name, units)| format!("{name} {units}"))
        .collect();
    format!(
        "; highest compute units per instruction (each under its ceiling): {}",
        listed.join(", ")
    )
}

/// Four independent sequences run side by side, each in its own bank with 20 users.
const WORLDS: u64 = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_operations_match_the_model_and_keep_every_invariant() {
    let ops: usize = std::env::var("STAKEPOOL_MODEL_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("STAKEPOOL_MODEL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let per_world = ops.div_ceil(WORLDS as usize);
    let worlds: Vec<_> = (0..WORLDS)
        .map(|i| {
            tokio::spawn(async move {
                let bank = Bank::start().await;
                let mut choices = Choices::seeded(seed + i);
                run_world(bank, &mut choices, &seeded_world(seed + i, per_world)).await
            })
        })
        .collect();
    let (mut refusals, mut checks, mut unaccounted, mut executed) = (0, 0, 0, 0);
    let (mut hostile, mut leavers, mut left) = (0, 0, 0);
    let (mut losses, mut shared, mut in_kind) = (0, 0, 0);
    let mut peaks: Option<ComputePeaks> = None;
    for world in worlds {
        let WorldRun {
            tally,
            unaccounted: u,
            peaks: world_peaks,
            ..
        } = world
            .await
            .expect("a world failed: see its seed and step above");
        refusals += tally.refusals;
        checks += tally.checks;
        executed += tally.executed;
        hostile += tally.hostile;
        leavers += tally.leavers;
        left += tally.left;
        losses += tally.losses;
        shared += tally.shared;
        in_kind += tally.in_kind;
        unaccounted += u;
        for (name, units) in world_peaks.into_iter().flatten() {
            let peak = peaks.get_or_insert_default().entry(name).or_default();
            *peak = (*peak).max(units);
        }
    }
    // Straight to stderr: libtest captures print! in passing tests, and this line is the
    // test's report.
    let _ = writeln!(
        std::io::stderr(),
        "model-based: {} operations over {WORLDS} × {USERS} users and a market stranger (seeds {seed}..{}, odd seeds with unfunded interest, half with a notice period: {executed} announced changes executed, {hostile} hostile admin moves carried out), {refusals} refusals matched, {checks} invariant checks (all of docs/invariants.md after every step, and unbonding principal never lent), {unaccounted} tokens unaccounted for, {leavers} leavers took {left} base units of unbonding principal out in full from a market its authority had emptied, {losses} market losses recognised with {shared} depositors each keeping their pro-rata share within a base unit, {in_kind} withdrawals in kind, every principal withdrawn at the end{}",
        per_world * WORLDS as usize,
        seed + WORLDS - 1,
        describe_peaks(peaks)
    );
    assert_eq!(unaccounted, 0);
    assert!(executed > 0, "no announced change ever reached its time");
    assert!(hostile > 0, "the hostile admin never carried out a move");
    assert!(leavers > 0, "nobody was leaving at the end");
    assert!(
        losses > 0 && shared > 0,
        "no market loss was ever recognised"
    );
    assert!(in_kind > 0, "nobody ever left in kind");
}

/// The fuzz target's seed corpus (fuzz/corpus) is seeded worlds recorded as bytes. Replayed
/// from those bytes, a world must take the same decisions and the programs must do the same:
/// the same refusals, checks and moves. With `STAKEPOOL_FUZZ_CORPUS=<dir>` the bytes of 16 such
/// worlds are written there, one file per seed.
#[tokio::test]
async fn a_recorded_world_replays_from_its_bytes() {
    let corpus = std::env::var("STAKEPOOL_FUZZ_CORPUS").ok();
    let worlds = if corpus.is_some() { 16 } else { 2 };
    let mut bank = Bank::start().await;
    for seed in 1..=worlds {
        let mut recording = Choices::recording(seed);
        let config = WorldConfig::drawn(&mut recording);
        let recorded = run_world(bank, &mut recording, &config).await;
        let bytes = recording.recorded().to_vec();
        let mut replay = Choices::from_bytes(&bytes);
        let config = WorldConfig::drawn(&mut replay);
        let replayed = run_world(recorded.bank, &mut replay, &config).await;
        assert!(
            replay.exhausted(),
            "seed {seed}: the replay left bytes unread"
        );
        assert_eq!(replayed.tally, recorded.tally, "seed {seed}");
        assert!(
            recorded.tally.checks > 0,
            "seed {seed}: nothing was checked"
        );
        assert_eq!((recorded.unaccounted, replayed.unaccounted), (0, 0));
        if let Some(dir) = &corpus {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(format!("{dir}/seed-{seed:02}"), &bytes).unwrap();
        }
        bank = replayed.bank;
    }
}
