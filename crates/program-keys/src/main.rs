//! `cargo run --bin keys -- list | sync`: the `anchor keys` steps without the Anchor CLI.
use std::path::PathBuf;
use std::process::ExitCode;

use program_keys::{list, sync};

const USAGE: &str = "usage: keys list | keys sync [--root DIR]

  list   each program's declared id, its keypair under target/deploy/ and any place
         (Anchor.toml, idl/*.json) that names another id; exits 1 if they disagree
  sync   gives each program a keypair under target/deploy/ (an existing one is kept: it is
         what lets you upgrade) and writes its address into the program's declare_id!,
         Anchor.toml and idl/*.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, root) = match args.as_slice() {
        [command] => (command.as_str(), workspace_root()),
        [command, flag, dir] if flag == "--root" => (command.as_str(), PathBuf::from(dir)),
        _ => return usage(),
    };
    let outcome = match command {
        "list" => run_list(&root),
        "sync" => run_sync(&root),
        _ => return usage(),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// The workspace this binary was built from (crates/program-keys/../..).
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_list(root: &std::path::Path) -> Result<ExitCode, String> {
    let mut agree = true;
    for listing in list(root)? {
        let keypair = listing
            .keypair
            .map_or("no keypair under target/deploy/".to_string(), |key| {
                format!("keypair {key}")
            });
        println!("{}: {} ({keypair})", listing.name, listing.declared);
        for (place, says) in &listing.disagreements {
            println!("  differs: {place} says {says}");
            agree = false;
        }
    }
    if !agree {
        println!("run `cargo run --bin keys -- sync` to write the keypairs' ids everywhere");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_sync(root: &std::path::Path) -> Result<ExitCode, String> {
    let synced = sync(root)?;
    let mut changed = false;
    for program in &synced {
        let keypair = if program.created_keypair {
            "new keypair"
        } else {
            "existing keypair"
        };
        println!(
            "{}: {} ({keypair} target/deploy/{}-keypair.json)",
            program.name, program.id, program.name
        );
        for file in &program.rewritten {
            println!("  wrote {file}");
        }
        changed |= !program.rewritten.is_empty();
    }
    if changed {
        println!(
            "The ids are compiled in: rebuild the programs (bash scripts/build-sbf.sh, or anchor build) \
             before deploying; cargo rebuilds the client (stakepool, stakepool-migrations) on its next run."
        );
    } else {
        println!("Every place already names these ids; nothing to rebuild.");
    }
    Ok(ExitCode::SUCCESS)
}
