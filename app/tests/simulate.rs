//! The `stakepool` binary's `simulate`: the demo a newcomer runs first, the shipped examples,
//! the JSON document, and malformed scenarios.
use std::path::Path;
use std::process::{Command, Output};

fn stakepool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stakepool"))
        .args(args)
        .output()
        .expect("run stakepool")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_built_in_demo_runs_and_agrees_with_the_closed_form() {
    let out = stakepool(&["simulate"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{}", stdout, text(&out.stderr));
    // A year at the demo's 10 % on 100,000 is exactly 10,000.
    assert!(
        stdout.contains("✓ alice: 100,000 for 1y at 10 % → closed form 10,000, earned 10,000"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✗ LendingIlliquid"),
        "the illiquid period shows: {stdout}"
    );
    assert!(stdout.contains("✗ PoolPaused"));
    assert_eq!(
        stdout.matches('✗').count(),
        2,
        "only the two expected refusals fail"
    );
    assert!(stdout.contains("✓ no token created or destroyed"));
    assert!(
        !stdout.contains("Instruction:"),
        "program logs stay out of the report"
    );
}

#[test]
fn json_output_is_one_document_with_the_spec_keys() {
    let out = stakepool(&["simulate", "--output", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let steps = doc["steps"].as_array().unwrap();
    assert_eq!(steps[0]["outcome"], "ok");
    let refused = steps.iter().find(|s| s["outcome"] != "ok").unwrap();
    assert_eq!(refused["outcome"], "LendingIlliquid");
    assert_eq!(doc["decimals"], 6);
    // Each step carries the state after it and what it moved: the first deposit left the
    // wallet and landed idle in the vault, a refused step moved nothing.
    let deposit = steps.iter().find(|s| s["action"] == "deposit").unwrap();
    let amount = deposit["amount_raw"].as_str().unwrap();
    assert_eq!(
        deposit["moved"]["wallet_raw"],
        format!("-{amount}"),
        "{deposit}"
    );
    assert_eq!(deposit["moved"]["idle_raw"], amount, "{deposit}");
    assert_eq!(deposit["after"]["user"]["staked_raw"], amount, "{deposit}");
    assert!(deposit["after"]["pool"]["idle_raw"].is_string());
    for key in ["wallet_raw", "idle_raw", "lent_raw", "reward_vault_raw"] {
        assert_eq!(refused["moved"][key], "0", "{key}: {refused}");
    }
    let pool = &doc["final"]["pool"];
    for key in [
        "total_staked",
        "idle",
        "lent",
        "reward_vault",
        "liability",
        "rewards_paid",
    ] {
        assert!(pool[key].is_string(), "{key}");
        assert!(pool[format!("{key}_raw")].is_string(), "{key}_raw");
    }
    let alice = &doc["final"]["users"]["alice"];
    for key in ["wallet", "staked", "owed", "claimed"] {
        assert!(
            alice[key].is_string() && alice[format!("{key}_raw")].is_string(),
            "{key}"
        );
    }
    // The pool's totals are the users' sums.
    let users = doc["final"]["users"].as_object().unwrap();
    let staked: u64 = users
        .values()
        .map(|u| u["staked_raw"].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        pool["total_staked_raw"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap(),
        staked
    );
    let owed: u64 = users
        .values()
        .map(|u| u["owed_raw"].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    let liability = pool["liability_raw"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert!(
        liability >= owed && liability - owed <= users.len() as u64,
        "liability rounds up, owed down"
    );
    let paused = steps
        .iter()
        .find(|s| s["action"] == "deposit" && s["outcome"] != "ok")
        .unwrap();
    assert_eq!(
        paused["outcome"], "PoolPaused",
        "refusals are the program's own error names"
    );
    // Alice withdrew everything, claimed twice and closed: her wallet is her principal plus
    // claims, and what she claimed is still reported after the position is gone.
    assert_eq!(alice["position_open"], false);
    let claimed = alice["claimed_raw"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert!(
        claimed > 10_000_000_000,
        "a year's 10,000 and more: {claimed}"
    );
    assert_eq!(
        alice["wallet_raw"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap(),
        100_000_000_000 + claimed
    );
}

#[test]
fn every_shipped_example_runs_with_all_checks_holding() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let out = stakepool(&["simulate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}: {}\n{}",
            path.display(),
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("closed form"),
            "{}: every example checks a closed form",
            path.display()
        );
        count += 1;
    }
    assert!(count >= 3);
}

#[test]
fn malformed_scenarios_name_the_step_and_field_and_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let head = "[pool]\ndecimals = 6\napr_bps = 1000\n[users]\nalice = \"100\"\n[[step]]\nat = \"1d\"\nuser = \"alice\"\n";
    let cases = [
        (
            "action = \"stake\"\namount = \"1\"",
            "step 1 (stake): field `action`: unknown action 'stake'",
        ),
        (
            "action = \"deposit\"\namount = \"1.0000001\"",
            "step 1 (deposit): field `amount`: '1.0000001' has more than 6 decimals",
        ),
        (
            "action = \"deposit\"\namount = \"-1\"",
            "step 1 (deposit): field `amount`: '-1' is negative",
        ),
        (
            "action = \"deposit\"\namount = \"ten\"",
            "step 1 (deposit): field `amount`: 'ten' is not a number",
        ),
    ];
    for (i, (body, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, format!("{head}{body}\n")).unwrap();
        let out = stakepool(&["simulate", path.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
    let bad_offset = dir.path().join("offset.toml");
    std::fs::write(&bad_offset, "[pool]\ndecimals = 6\napr_bps = 1000\n[users]\n[[step]]\nat = \"next week\"\naction = \"pause\"\n").unwrap();
    let out = stakepool(&["simulate", bad_offset.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("step 1 (pause): field `at`: 'next week' is not a time offset")
    );
    let unknown_user = dir.path().join("user.toml");
    std::fs::write(&unknown_user, "[pool]\ndecimals = 6\napr_bps = 1000\n[users]\n[[step]]\nat = \"1d\"\nuser = \"zed\"\naction = \"claim\"\n").unwrap();
    let out = stakepool(&["simulate", unknown_user.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("step 1 (claim): field `user`: unknown user 'zed'"));
    let missing = stakepool(&["simulate", "/no/such/file.toml"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).starts_with("error: cannot read /no/such/file.toml"));
}

/// A Solana CLI config in `dir` naming a keypair file that does not exist and a cluster
/// where nothing listens (port 1): a command gets as far as asking the cluster.
fn config_without_keypair(dir: &std::path::Path) -> String {
    let config = dir.join("config.yml");
    std::fs::write(
        &config,
        format!(
            "json_rpc_url: http://127.0.0.1:1\nkeypair_path: {}\n",
            dir.join("none.json").display()
        ),
    )
    .unwrap();
    config.to_str().unwrap().to_string()
}

#[test]
fn cluster_commands_without_a_keypair_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let config = &config_without_keypair(dir.path());
    let pool = "11111111111111111111111111111111";
    let out = stakepool(&["-C", config, "deposit", "--pool", pool, "1"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot read the keypair") && stderr.contains("solana-keygen new"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    // `show position` defaults its owner to the keypair's: without one, it says to name it.
    let out = stakepool(&["-C", config, "show", "position", "--pool", pool]);
    assert!(
        text(&out.stderr).contains("name the OWNER"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn read_only_commands_need_no_keypair() {
    let dir = tempfile::tempdir().unwrap();
    let config = &config_without_keypair(dir.path());
    let pool = "11111111111111111111111111111111";
    for args in [
        vec!["-C", config, "show", "pool", pool],
        vec!["-C", config, "show", "position", "--pool", pool, pool],
    ] {
        let out = stakepool(&args);
        let stderr = text(&out.stderr);
        assert!(!out.status.success());
        assert!(!stderr.contains("keypair"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("could not reach http://127.0.0.1:1"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn failures_under_json_output_are_json() {
    let out = stakepool(&["--output", "json", "simulate", "/no/such/file.toml"]);
    assert!(!out.status.success());
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("a JSON error document");
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .starts_with("cannot read /no/such/file.toml"),
        "{doc}"
    );
    assert_eq!(doc["code"]["name"], "InvalidArguments", "{doc}");
    assert!(doc["code"]["number"].is_null(), "{doc}");

    // A cluster that cannot be reached is named as such, for a script to retry.
    let dir = tempfile::tempdir().unwrap();
    let config = &config_without_keypair(dir.path());
    let pool = "11111111111111111111111111111111";
    let out = stakepool(&["--output", "json", "-C", config, "show", "pool", pool]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["code"]["name"], "Unreachable", "{doc}");

    // CSV is history's alone: refused before anything runs.
    let out = stakepool(&["--output", "csv", "simulate"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--output csv is for `history`"),
        "{}",
        text(&out.stderr)
    );
}

/// `-k stdin` and `-k prompt://` read the keypair as the Solana CLI does; with one read, a
/// command gets as far as the cluster.
#[test]
fn keypairs_come_from_stdin_or_a_seed_phrase_prompt() {
    use std::io::Write;
    use std::process::Stdio;
    let keypair = solana_keypair::Keypair::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id.json");
    solana_keypair::write_keypair_file(&keypair, &path).unwrap();
    let json = std::fs::read(&path).unwrap();
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\nsecret\nsecret\n";
    let pool = "11111111111111111111111111111111";
    for (source, input) in [("stdin", json.as_slice()), ("prompt://", phrase.as_bytes())] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stakepool"))
            .args([
                "-u",
                "http://127.0.0.1:1",
                "-k",
                source,
                "claim",
                "--pool",
                pool,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = text(&out.stderr);
        assert!(!out.status.success());
        assert!(!stderr.contains("cannot read"), "{source}: {stderr}");
        assert!(
            stderr.contains("could not reach http://127.0.0.1:1"),
            "{source}: {stderr}"
        );
    }
    // A broken stdin keypair is named.
    let mut child = Command::new(env!("CARGO_BIN_EXE_stakepool"))
        .args([
            "-u",
            "http://127.0.0.1:1",
            "-k",
            "stdin",
            "claim",
            "--pool",
            pool,
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"[1, 2").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(text(&out.stderr).contains("cannot read a keypair from stdin"));
}

/// `stakepool simulate | head -1`: the reader closes the pipe early; the command ends quietly.
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stakepool"))
        .arg("simulate")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the report is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}

/// Cluster flags mean nothing to the in-process simulator: refused, by name, not ignored.
#[test]
fn simulate_refuses_cluster_flags_it_would_ignore() {
    let out = stakepool(&["-u", "devnet", "--dry-run", "simulate"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("would ignore --url, --dry-run: leave them out"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing ran");
}

/// The same scenario gives the same report on every run: every key is derived from a name.
#[test]
fn a_scenario_gives_the_same_output_every_run() {
    let first = stakepool(&["simulate", "--output", "json"]);
    let second = stakepool(&["simulate", "--output", "json"]);
    assert!(first.status.success());
    assert_eq!(text(&first.stdout), text(&second.stdout));
}
