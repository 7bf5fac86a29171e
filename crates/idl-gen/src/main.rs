//! `cargo run --bin idl-gen` writes idl/staking_pool.json and idl/mock_lending.json from the
//! programs' code, the way `anchor idl build` does (compile with the `idl-build` feature on the
//! host, run the printing test, assemble); `-- --check` compares instead and fails on drift.
//!
//! The programs are compiled into target/idl-build/, apart from the test build: the IDL build
//! sets its own RUSTFLAGS, and sharing a target dir would make the two rebuild each other.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;

mod resolution;

const PROGRAMS: [(&str, &str); 2] = [
    ("staking_pool", "programs/staking-pool"),
    ("mock_lending", "programs/mock-lending"),
];

fn generate(root: &Path, program_dir: &str) -> Result<String, String> {
    let target = root.join("target/idl-build");
    let mut idl = IdlBuilder::new()
        .program_path(root.join(program_dir))
        .cargo_args(vec!["--target-dir".into(), target.display().to_string()])
        .build()
        .map_err(|e| format!("{program_dir}: {e}"))?;
    if idl.metadata.name == "staking_pool" {
        resolution::add_pool_resolution(&mut idl);
    }
    serde_json::to_string_pretty(&idl)
        .map(|json| json + "\n")
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    // anchor-lang-idl turns RUSTUP_TOOLCHAIN (which rustup sets for us) into a malformed
    // `cargo +{toolchain}`; the toolchain in use is the right one anyway.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    // Canonical: Anchor's safety-comment check resolves `mod` files from this path.
    let root = match PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
    {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: project root: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut drift = Vec::new();
    for (name, dir) in PROGRAMS {
        let json = match generate(&root, dir) {
            Ok(json) => json,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let path = root.join("idl").join(format!("{name}.json"));
        if check {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed == json {
                println!("idl/{name}.json matches the code");
            } else {
                drift.push(format!("idl/{name}.json"));
            }
        } else {
            if let Err(e) = std::fs::create_dir_all(root.join("idl"))
                .and_then(|()| std::fs::write(&path, &json))
            {
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("wrote idl/{name}.json");
        }
    }
    if drift.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {} out of date with the code; run `cargo run --bin idl-gen` and commit the result",
            drift.join(", ")
        );
        ExitCode::FAILURE
    }
}
