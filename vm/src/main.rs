//! Compute-unit benchmark of the SBF build: every instruction at 1 and at 10,000 existing
//! positions, against the floor program's deposit, plus `.so` sizes and account rent. Prints
//! the table and writes it to docs/compute-units.md.
//!
//! `cargo run --bin cu-bench` in vm/ (after `bash scripts/build-sbf.sh`);
//! `CU_BENCH_POSITIONS=N` changes the large ledger's size.
mod floor;
mod measure;

use std::fmt::Write as _;
use std::path::Path;

use measure::{measure, populated_ledger, Measured};
use stakepool_tests::bank::vm_loader::{deploy_dir, PROGRAMS};

/// Every instruction's bound (a failure), the same ceiling the VM suite holds every
/// instruction to.
const MAX_UNITS: u64 = 64_000;

/// The compute-unit diet's targets (reported, met or not; the bound above is what fails).
enum Target {
    /// At most this multiple of the floor deposit.
    Floor(f64),
    Units(u64),
}

const TARGETS: [(&str, Target); 8] = [
    ("deposit", Target::Floor(1.00)),
    ("claim", Target::Floor(1.05)),
    ("compound", Target::Floor(1.10)),
    // From idle, as the client sends it when nothing is lent (no lending accounts). One that
    // restores the reserve recalls from the market, and is a recall.
    ("withdraw (nothing lent)", Target::Floor(1.10)),
    ("first deposit incl. open_position", Target::Floor(1.70)),
    ("withdraw (with recall)", Target::Units(36_000)),
    ("rebalance (lending)", Target::Units(28_000)),
    ("harvest", Target::Units(30_000)),
];
const RECALLING_TARGET: (&str, u64) = ("rebalance (recalling)", 28_000);
const SO_TARGET: u64 = 550_000;

fn units(rows: &[Measured], label: &str) -> u64 {
    rows.iter()
        .find(|m| m.label == label)
        .unwrap_or_else(|| panic!("no row {label}"))
        .units
}

#[tokio::main]
async fn main() {
    let large: u64 = std::env::var("CU_BENCH_POSITIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    eprintln!("ledger with 1 existing position");
    let (mut one, mut pool) = populated_ledger(1, |_| {}).await;
    let at_one = measure(&mut one, &mut pool).await;
    eprintln!("ledger with {large} existing positions (created through real instructions)");
    let (mut many, mut pool) = populated_ledger(large, |n| eprintln!("  {n} positions")).await;
    let at_many = measure(&mut many, &mut pool).await;

    let floor = units(&at_one, "floor: deposit");
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Compute units of the SBF build\n\n\
         Written by `cargo run --bin cu-bench` in `vm/` (see vm/README.md). Programs built by \
         `scripts/build-sbf.sh` (upstream nightly Rust + LLVM 23 + sbpf-linker, SBPF v3) and run \
         by Agave 4.2's loader through Mollusk. Platform-tools builds differ in absolute figures; \
         the floor program is built the same way as the pool, so the ratio compares like with \
         like.\n\n\
         Run on the test suite's VM bank (every instruction measured also passes its event \
         audit), at addresses from the bank's fixed key sequence. An instruction that creates a \
         PDA searches its bump: each bump tried after the first costs about 1,500 units, so \
         `initialize_pool`, `init_market` and the floor's `initialize` carry what these \
         addresses need; the measured owner's position is found at the first try, as half of \
         all owners' are.\n"
    );
    let _ = writeln!(
        md,
        "| instruction | CU, 1 position | CU, {large} positions | of which in CPIs | own | × floor deposit |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    let mut same = true;
    let mut under = true;
    for (a, b) in at_one.iter().zip(&at_many) {
        assert_eq!(a.label, b.label);
        same &= a.units == b.units;
        under &= a.units < MAX_UNITS && b.units < MAX_UNITS;
        let _ = writeln!(
            md,
            "| {} | {} | {}{} | {} | {} | {:.2} |",
            a.label,
            a.units,
            b.units,
            if a.units == b.units { "" } else { " ≠" },
            a.cpi_units,
            a.units - a.cpi_units,
            a.units as f64 / floor as f64
        );
    }
    let first = units(&at_one, "open_position") + units(&at_one, "deposit (first)");
    // The targets' figures: a row of the table, or the first deposit's pair.
    let figure = |label: &str| {
        if label == "first deposit incl. open_position" {
            first
        } else {
            units(&at_one, label)
        }
    };
    let _ = writeln!(
        md,
        "| first deposit incl. open_position | {first} | {} | | | {:.2} |",
        units(&at_many, "open_position") + units(&at_many, "deposit (first)"),
        first as f64 / floor as f64
    );
    let _ = writeln!(md, "\n## Checks\n");
    let _ = writeln!(
        md,
        "- Same units at 1 and at {large} existing positions (O(1)): {}",
        if same {
            "yes, every row"
        } else {
            "NO (rows marked ≠)"
        }
    );
    let _ = writeln!(
        md,
        "- Every instruction below {MAX_UNITS} CU: {}",
        if under { "yes" } else { "NO" }
    );
    let _ = writeln!(
        md,
        "\n## Targets of the compute-unit diet\n\nMet or not; where the rest goes is measured in vm/README.md.\n\n| instruction | CU | × floor | target | met |\n|---|---:|---:|---|---|"
    );
    let mut rows: Vec<(String, u64, String, bool)> = TARGETS
        .iter()
        .map(|(label, target)| {
            let units = figure(label);
            match target {
                Target::Floor(times) => (
                    label.to_string(),
                    units,
                    format!("≤ {times:.2} × floor"),
                    units as f64 <= times * floor as f64,
                ),
                Target::Units(max) => (label.to_string(), units, format!("≤ {max}"), units <= *max),
            }
        })
        .collect();
    let (label, max) = RECALLING_TARGET;
    let recalling = figure(label);
    rows.push((
        label.into(),
        recalling,
        format!("≤ {max}"),
        recalling <= max,
    ));
    for (label, units, target, met) in rows {
        let _ = writeln!(
            md,
            "| {label} | {units} | {:.2} | {target} | {} |",
            units as f64 / floor as f64,
            if met { "yes" } else { "NO" }
        );
    }
    let pool_so = std::fs::metadata(deploy_dir().join("staking_pool.so"))
        .map(|m| m.len())
        .unwrap_or(0);
    let _ = writeln!(
        md,
        "| `staking_pool.so` bytes | {pool_so} | | ≤ {SO_TARGET} | {} |",
        if pool_so <= SO_TARGET { "yes" } else { "NO" }
    );

    let _ = writeln!(
        md,
        "\n## Program sizes\n\n| program | .so bytes |\n|---|---:|"
    );
    for (name, _) in PROGRAMS.iter().chain([&floor::PROGRAM]) {
        let path = deploy_dir().join(format!("{name}.so"));
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let _ = writeln!(md, "| {name}.so | {size} |");
    }
    let _ = writeln!(
        md,
        "\n## Accounts\n\n| account | bytes | rent-exempt lamports |\n|---|---:|---:|"
    );
    let accounts = [
        ("Pool", staking_pool::state::Pool::SPACE),
        ("Position", staking_pool::state::Position::SPACE),
        ("mock Market", mock_lending::state::Market::SPACE),
        ("mock Receipt", mock_lending::state::Receipt::SPACE),
        ("SPL token account (vault)", 165),
    ];
    for (name, space) in accounts {
        let rent = one.rent_exempt(space).await;
        let _ = writeln!(md, "| {name} | {space} | {rent} |");
    }

    print!("{md}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/compute-units.md");
    match std::fs::write(&out, &md) {
        Ok(()) => eprintln!("written to docs/compute-units.md"),
        Err(e) => eprintln!("could not write {}: {e}", out.display()),
    }
    if !same || !under {
        std::process::exit(1);
    }
}
