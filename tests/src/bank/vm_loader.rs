//! The SBF builds loaded into Agave 4.2's VM: `target/deploy/*.so` (or `SBF_OUT_DIR`) under the
//! upgradeable loader, and SPL Token, Token-2022 and Associated Token from Mollusk's bundled
//! mainnet ELFs.
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use mollusk_svm::Mollusk;

/// The upgradeable loader, as `solana program deploy` uses.
const LOADER: Pubkey = anchor_lang::solana_program::bpf_loader_upgradeable::ID;

/// The two programs every VM bank runs.
pub const PROGRAMS: [(&str, Pubkey); 2] = [
    ("staking_pool", staking_pool::ID),
    ("mock_lending", mock_lending::ID),
];

/// `target/deploy/` of the project (or `SBF_OUT_DIR` when set).
pub fn deploy_dir() -> PathBuf {
    std::env::var_os("SBF_OUT_DIR").map_or_else(
        || Path::new(crate::SUITE_DIR).join("../target/deploy"),
        PathBuf::from,
    )
}

/// A VM with `programs` loaded from `deploy_dir()` and the token programs from Mollusk.
///
/// # Errors
/// Names the missing file and the command that builds it.
pub fn load_mollusk(programs: &[(&str, Pubkey)]) -> Result<Mollusk, String> {
    // Mollusk turns on the runtime's debug log (every program log line to stderr) unless
    // RUST_LOG says otherwise; the bank collects the logs per transaction instead.
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
