//! End to end on a real `solana-test-validator`: the test starts one on 127.0.0.1 with both
//! programs' `.so` files preloaded and a temporary ledger, runs the migrations binary twice
//! (the second run must have nothing to do), then drives the `stakepool` CLI over JSON-RPC
//! (deposit, show position, rebalance, withdraw with recall, claim) and checks balances. The
//! validator is stopped when the test ends, pass or fail.
//!
//! It runs its own `main` (no libtest harness) so that it can skip honestly: without
//! `solana-test-validator` on PATH or the `.so` files it prints `SKIPPED` and why, and counts
//! as neither passed nor failed. With them it runs, in `cargo test --workspace` as in
//! `bash scripts/e2e.sh`, and prints a libtest-style result line.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Output};
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::client::StakeClient;
use stakepool_client::transport::{Rpc, Transport};
use stakepool_client::{token_setup, PoolKeys};

const TOKEN: u64 = 1_000_000;

/// The validator process; killed and reaped on drop, so a failing assertion stops it too.
struct Validator {
    child: Child,
    url: String,
    ledger: tempfile::TempDir,
}

impl Drop for Validator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn start_validator(payer: &Pubkey) -> Validator {
    let deploy = project_root().join("target/deploy");
    let ledger = tempfile::tempdir().expect("temporary ledger");
    let rpc_port = free_port();
    let mut command = Command::new("solana-test-validator");
    command
        // A directory that does not exist yet: an existing ledger ignores --bpf-program.
        .arg("--ledger")
        .arg(ledger.path().join("ledger"))
        .args(["--bind-address", "127.0.0.1"])
        .args(["--rpc-port", &rpc_port.to_string()])
        .args(["--faucet-port", &free_port().to_string()])
        .args(["--mint", &payer.to_string(), "--quiet"]);
    for (name, id) in [
        ("staking_pool", staking_pool::ID),
        ("mock_lending", mock_lending::ID),
    ] {
        let so = deploy.join(format!("{name}.so"));
        assert!(
            so.exists(),
            "{} is missing: bash scripts/build-sbf.sh (or anchor build)",
            so.display()
        );
        command.arg("--bpf-program").arg(id.to_string()).arg(so);
    }
    // What it prints goes to a file, so a validator that will not start can say why.
    let log = std::fs::File::create(ledger.path().join("validator.log")).expect("validator log");
    let child = command
        .stdout(log.try_clone().expect("validator log"))
        .stderr(log)
        .spawn()
        .expect("solana-test-validator on PATH (scripts/e2e.sh checks this)");
    Validator {
        child,
        url: format!("http://127.0.0.1:{rpc_port}"),
        ledger,
    }
}

/// The slot the cluster is at, from the Clock sysvar (its first field).
fn slot(runtime: &tokio::runtime::Runtime, rpc: &Rpc) -> Option<u64> {
    let clock = runtime
        .block_on(rpc.account(&solana_clock::sysvar::ID))
        .ok()??;
    Some(u64::from_le_bytes(clock.data.get(..8)?.try_into().ok()?))
}

/// Waits until the validator answers and has left its first slots: programs loaded at genesis
/// (SPL Token among them) are refused as "Unsupported program id" right after start.
fn wait_until_ready(runtime: &tokio::runtime::Runtime, validator: &mut Validator) {
    let rpc = Rpc::new(&validator.url);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if slot(runtime, &rpc).is_some_and(|slot| slot >= 8) {
            return;
        }
        if let Ok(Some(status)) = validator.child.try_wait() {
            let log = std::fs::read_to_string(validator.ledger.path().join("validator.log"));
            panic!(
                "solana-test-validator exited early ({status}):\n{}",
                log.unwrap_or_default()
            );
        }
        assert!(Instant::now() < deadline, "validator not ready after 90 s");
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn run(program: &Path, args: &[&str]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{}\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `stakepool` as a user runs it, with `--output json`; the parsed document.
fn stakepool(validator: &Validator, keypair: &Path, args: &[&str]) -> Value {
    // Built by `cargo test --workspace` (the app's CLI tests need it) next to this test's deps/.
    let bin = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("stakepool")))
        .filter(|bin| bin.exists())
        .expect("target/debug/stakepool: run `cargo test --workspace --no-run` first");
    let keypair = keypair.to_str().expect("utf-8 path");
    let mut all = vec!["-u", &validator.url, "-k", keypair, "--output", "json"];
    all.extend_from_slice(args);
    let output = run(&bin, &all);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stakepool {args:?} printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn raw(value: &Value, key: &str) -> u64 {
    value[format!("{key}_raw")]
        .as_str()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or_else(|| panic!("no {key}_raw (a string of base units) in {value}"))
}

const NAME: &str = "migrations_then_the_cli_over_json_rpc_on_a_real_validator";

/// Why the test cannot run here, if it cannot.
fn missing() -> Option<String> {
    let validator = Command::new("solana-test-validator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !validator {
        return Some(
            "solana-test-validator is not on PATH (README: \"Run on a local validator\")".into(),
        );
    }
    ["staking_pool", "mock_lending"]
        .iter()
        .map(|name| project_root().join(format!("target/deploy/{name}.so")))
        .find(|so| !so.exists())
        .map(|so| {
            format!(
                "{} is missing (bash scripts/build-sbf.sh, or anchor build)",
                so.display()
            )
        })
}

fn main() -> ExitCode {
    // Honour cargo test's name filters and --list like a libtest binary would.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("{NAME}: test");
        return ExitCode::SUCCESS;
    }
    if args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .any(|filter| !NAME.contains(filter.as_str()))
    {
        return ExitCode::SUCCESS;
    }
    if let Some(reason) = missing() {
        println!("test {NAME} ... SKIPPED: {reason}");
        return ExitCode::SUCCESS;
    }
    println!("running 1 test");
    // The validator is stopped by `Validator`'s drop while the panic unwinds.
    let passed = std::panic::catch_unwind(end_to_end).is_ok();
    println!("test {NAME} ... {}", if passed { "ok" } else { "FAILED" });
    if passed {
        println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
        ExitCode::SUCCESS
    } else {
        println!(
            "\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"
        );
        ExitCode::FAILURE
    }
}

fn end_to_end() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let payer = Keypair::new();
    let mut validator = start_validator(&payer.pubkey());
    wait_until_ready(&runtime, &mut validator);

    // The example config, pointed at this validator and a throwaway payer.
    let dir = tempfile::tempdir().unwrap();
    let keypair_path = dir.path().join("payer.json");
    solana_keypair::write_keypair_file(&payer, &keypair_path).unwrap();
    let example = std::fs::read_to_string(project_root().join("migrations/localnet.toml")).unwrap();
    let config = example
        .replace(
            "cluster = \"localhost\"",
            &format!("cluster = \"{}\"", validator.url),
        )
        .replace(
            "payer = \"~/.config/solana/id.json\"",
            &format!("payer = \"{}\"", keypair_path.display()),
        );
    let config_path = dir.path().join("localnet.toml");
    std::fs::write(&config_path, config).unwrap();
    let migrations = Path::new(env!("CARGO_BIN_EXE_stakepool-migrations"));
    let config_arg = config_path.to_str().unwrap();

    let first = String::from_utf8(run(migrations, &[config_arg]).stdout).unwrap();
    assert!(first.contains("create pool"), "{first}");
    assert!(first.contains("Done"), "{first}");
    let second = String::from_utf8(run(migrations, &[config_arg]).stdout).unwrap();
    assert!(second.contains("Nothing to do"), "{second}");

    // The pool migrations made; they also left the payer 10,000 test tokens to stake.
    let token_program = anchor_spl::token::ID;
    let mint = token_setup::seeded_mint_address(&payer.pubkey(), "stakepool:demo", &token_program);
    let keys = PoolKeys::derive(&payer.pubkey(), &mint, 0, &token_program);
    let pool = keys.pool.to_string();
    let client = StakeClient::new(Rpc::new(&validator.url), payer.insecure_clone());
    let wallet = anchor_spl::associated_token::get_associated_token_address_with_program_id(
        &payer.pubkey(),
        &mint,
        &token_program,
    );
    let balance = || {
        runtime
            .block_on(client.token_balance(&wallet))
            .unwrap()
            .unwrap_or(0)
    };
    assert_eq!(balance(), 10_000 * TOKEN);

    let deposited = stakepool(
        &validator,
        &keypair_path,
        // Priority fees as a user on a busy cluster sends them (the limit is always sized).
        &[
            "deposit",
            "--pool",
            &pool,
            "1000",
            "--with-compute-unit-price",
            "auto",
        ],
    );
    assert!(deposited["signature"].is_string(), "{deposited}");
    assert_eq!(balance(), 9_000 * TOKEN);
    let position = stakepool(
        &validator,
        &keypair_path,
        &["show", "position", "--pool", &pool],
    );
    assert_eq!(raw(&position, "staked"), 1_000 * TOKEN);
    assert_eq!(
        runtime.block_on(client.token_balance(&keys.vault)).unwrap(),
        Some(1_000 * TOKEN)
    );

    // Lend 80 % (reserve 20 %), then withdraw more than is idle: recalled in the same
    // transaction, through the mock market's CPI, on a real validator.
    // The market's shares are rounded in its favour, so a base unit or two may stay idle.
    stakepool(&validator, &keypair_path, &["rebalance", "--pool", &pool]);
    let idle = runtime
        .block_on(client.token_balance(&keys.vault))
        .unwrap()
        .unwrap_or(0);
    assert!((200 * TOKEN..=200 * TOKEN + 2).contains(&idle), "{idle}");
    // The mock market migrations created for the mint (id 0).
    let market_vault =
        stakepool_client::MarketKeys::derive(&mint, 0, &token_program).liquidity_vault;
    // The pool pays that rounding from its reward books (LendingCostCovered), so idle and
    // lent together may exceed the principal by those units.
    let lent = runtime
        .block_on(client.token_balance(&market_vault))
        .unwrap()
        .unwrap_or(0);
    assert!((800 * TOKEN - 2..=800 * TOKEN).contains(&lent), "{lent}");
    let withdrawn = stakepool(
        &validator,
        &keypair_path,
        &[
            "withdraw",
            "--pool",
            &pool,
            "400",
            "--with-compute-unit-price",
            "1000",
        ],
    );
    // The recall's share rounding (a base unit or two) is the withdrawer's: what arrived is
    // what the command reports.
    let received = raw(&withdrawn, "received");
    assert!(
        (400 * TOKEN - 2..=400 * TOKEN).contains(&received),
        "{withdrawn}"
    );
    assert_eq!(balance(), 9_000 * TOKEN + received);
    let position = stakepool(
        &validator,
        &keypair_path,
        &["show", "position", "--pool", &pool],
    );
    assert_eq!(raw(&position, "staked"), 600 * TOKEN);

    let before = balance();
    let claimed = stakepool(&validator, &keypair_path, &["claim", "--pool", &pool]);
    assert_eq!(balance(), before + raw(&claimed, "amount"));
    let position = stakepool(
        &validator,
        &keypair_path,
        &["show", "position", "--pool", &pool],
    );
    assert_eq!(raw(&position, "claimed"), raw(&claimed, "amount"));

    // Discovery: the pool by its mint and the payer's position, by getProgramAccounts.
    let mint_text = mint.to_string();
    let pools = stakepool(&validator, &keypair_path, &["pools", "--mint", &mint_text]);
    let listed: Vec<&str> = pools["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pool"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec![pool.as_str()], "{pools}");
    let positions = stakepool(&validator, &keypair_path, &["positions"]);
    assert_eq!(
        positions["positions"].as_array().unwrap().len(),
        1,
        "{positions}"
    );
    assert_eq!(raw(&positions["positions"][0], "staked"), 600 * TOKEN);

    // An admin change signed only (nothing sent), then completed with the admin's public key
    // and the signature alone.
    let signed = stakepool(
        &validator,
        &keypair_path,
        &["set-apr", "--pool", &pool, "700", "--sign-only"],
    );
    assert_eq!(signed["sign_only"], true, "{signed}");
    let signature = signed["signers"][0]["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let blockhash = signed["blockhash"].as_str().unwrap().to_string();
    let limit = signed["compute_unit_limit"].as_u64().unwrap().to_string();
    let price = signed["compute_unit_price"].as_str().unwrap().to_string();
    let admin = payer.pubkey().to_string();
    let presigned = format!("{admin}={signature}");
    let landed = stakepool(
        &validator,
        Path::new(&admin),
        &[
            "set-apr",
            "--pool",
            &pool,
            "700",
            "--blockhash",
            &blockhash,
            "--signer",
            &presigned,
            "--with-compute-unit-limit",
            &limit,
            "--with-compute-unit-price",
            &price,
        ],
    );
    assert_eq!(
        landed["signature"].as_str(),
        Some(signature.as_str()),
        "{landed}"
    );
    let shown = stakepool(&validator, &keypair_path, &["show", "pool", &pool]);
    assert_eq!(shown["apr_bps"], 700, "{shown}");

    leave_and_read_the_history(&validator, &keypair_path, &pool, raw(&claimed, "amount"));
    an_underfunded_pool_is_flagged(&validator, &keypair_path, &mint_text);
}

/// A full exit (withdraw ALL, claim, close-position), then `history`: every entry read back
/// from the validator's transaction history and the program's events, with the claimed total
/// after the position is gone, in JSON and CSV.
fn leave_and_read_the_history(validator: &Validator, keypair: &Path, pool: &str, first_claim: u64) {
    stakepool(validator, keypair, &["withdraw", "--pool", pool, "ALL"]);
    let last_claim = raw(
        &stakepool(validator, keypair, &["claim", "--pool", pool]),
        "amount",
    );
    stakepool(validator, keypair, &["close-position", "--pool", pool]);
    let history = stakepool(validator, keypair, &["history", "--pool", pool]);
    let kinds: Vec<&str> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["open", "deposit", "withdraw", "claim", "withdraw", "claim", "close"],
        "{history}"
    );
    let entries = &history["entries"];
    assert_eq!(raw(&entries[1], "amount"), 1_000 * TOKEN);
    assert_eq!(raw(&entries[2], "amount"), 400 * TOKEN);
    assert_eq!(raw(&entries[4], "amount"), 600 * TOKEN);
    let totals = &history["totals"][0];
    assert_eq!(
        raw(totals, "claimed"),
        first_claim + last_claim,
        "{history}"
    );
    assert_eq!(raw(totals, "withdrawn"), 1_000 * TOKEN);
    let bin = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("stakepool")))
        .unwrap();
    let keypair = keypair.to_str().unwrap();
    let csv = run(
        &bin,
        &[
            "-u",
            &validator.url,
            "-k",
            keypair,
            "--output",
            "csv",
            "history",
            "--pool",
            pool,
        ],
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(csv.lines().count(), 1 + kinds.len(), "{csv}");
    println!("history after a full exit, as CSV:\n{csv}");
}

/// A pool whose reward vault cannot pay for the time a depositor needs to leave is flagged.
fn an_underfunded_pool_is_flagged(validator: &Validator, keypair: &Path, mint: &str) {
    let created = stakepool(
        validator,
        keypair,
        &[
            "create-pool",
            "--mint",
            mint,
            "--pool-id",
            "7",
            "--apr-bps",
            "1000",
            "--unbonding-period",
            "7d",
        ],
    );
    let pool = created["pool"].as_str().unwrap();
    stakepool(
        validator,
        keypair,
        &["fund-rewards", "--pool", pool, "0.001"],
    );
    stakepool(validator, keypair, &["deposit", "--pool", pool, "100"]);
    let shown = stakepool(validator, keypair, &["show", "pool", pool]);
    let warning = shown["underfunded"]
        .as_str()
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(warning.starts_with("UNDERFUNDED"), "{warning}");
    println!("show pool on an underfunded pool warns: {warning}");
}
