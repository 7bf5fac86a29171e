//! The two programs' ids and the keypairs they deploy under: what `anchor keys list` and
//! `anchor keys sync` do, for users without the Anchor CLI and platform-tools.
//!
//! A program's id is written in four kinds of place, and they must agree: its `declare_id!`
//! (which the programs, the SDK, the client, the migrations and the tests all compile in, and
//! the staking pool's pinned lending program id comes from mock-lending's), `Anchor.toml`'s
//! `[programs.*]` tables, and the committed IDL (`idl/*.json`, which also names the mock
//! lending program inside the pool's). The keypair under `target/deploy/` (never committed:
//! `target/` is ignored) is what `solana program deploy --program-id` deploys and upgrades
//! under.
use std::fs;
use std::path::{Path, PathBuf};

use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

pub struct Program {
    /// The library name: `target/deploy/<name>.so`, `<name>-keypair.json`, Anchor.toml's key.
    pub name: &'static str,
    /// The crate's directory, relative to the workspace root.
    pub dir: &'static str,
}

pub const PROGRAMS: [Program; 2] = [
    Program {
        name: "staking_pool",
        dir: "programs/staking-pool",
    },
    Program {
        name: "mock_lending",
        dir: "programs/mock-lending",
    },
];

/// The committed IDL files; any of them may name either program.
const IDL_FILES: [&str; 2] = ["idl/staking_pool.json", "idl/mock_lending.json"];

const DECLARE_ID: &str = "declare_id!(\"";

impl Program {
    pub fn source(&self, root: &Path) -> PathBuf {
        root.join(self.dir).join("src/lib.rs")
    }

    pub fn keypair_path(&self, root: &Path) -> PathBuf {
        root.join("target/deploy")
            .join(format!("{}-keypair.json", self.name))
    }

    /// The id in the program's `declare_id!`.
    pub fn declared_id(&self, root: &Path) -> Result<Pubkey, String> {
        let path = self.source(root);
        let text = read(&path)?;
        let (id, _) = declared_id_in(&text)
            .ok_or_else(|| format!("{}: no declare_id!(\"…\") found", path.display()))?;
        id.parse().map_err(|e| {
            format!(
                "{}: declare_id!(\"{id}\") is not a public key: {e}",
                path.display()
            )
        })
    }
}

/// The id string of the first `declare_id!("…")` and its byte range in `text`.
fn declared_id_in(text: &str) -> Option<(&str, std::ops::Range<usize>)> {
    let start = text.find(DECLARE_ID)? + DECLARE_ID.len();
    let len = text[start..].find('"')?;
    Some((&text[start..start + len], start..start + len))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `Anchor.toml`'s ids for `name`, one per `[programs.<cluster>]` table: (cluster, id).
pub fn anchor_toml_ids(text: &str, name: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut cluster = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(table) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            cluster = table.strip_prefix("programs.").map(str::to_string);
        } else if let (Some(cluster), Some(value)) = (&cluster, anchor_toml_value(line, name)) {
            found.push((cluster.clone(), value.to_string()));
        }
    }
    found
}

/// The quoted value of `name = "…"`, if `line` is that key.
fn anchor_toml_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix(name)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    rest.strip_prefix('"')?.split('"').next()
}

/// `text` with every `[programs.*]` entry for `name` set to `id`.
fn set_anchor_toml_ids(text: &str, name: &str, id: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_programs = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(table) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_programs = table.starts_with("programs.");
        } else if in_programs && anchor_toml_value(trimmed, name).is_some() {
            let indent = &line[..line.len() - line.trim_start().len()];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("{indent}{name} = \"{id}\"{newline}"));
            continue;
        }
        out.push_str(line);
    }
    out
}

/// One program as the workspace names it.
pub struct Listing {
    pub name: &'static str,
    pub declared: Pubkey,
    /// The keypair file's public key, if the file exists.
    pub keypair: Option<Pubkey>,
    /// Places that name another id than `declare_id!`: (place, what it says).
    pub disagreements: Vec<(String, String)>,
}

/// Every program's ids, and where the workspace disagrees with itself.
pub fn list(root: &Path) -> Result<Vec<Listing>, String> {
    let anchor_toml = read(&root.join("Anchor.toml"))?;
    let mut listings = Vec::new();
    for program in &PROGRAMS {
        let declared = program.declared_id(root)?;
        let keypair_path = program.keypair_path(root);
        let keypair = if keypair_path.exists() {
            Some(read_keypair(&keypair_path)?.pubkey())
        } else {
            None
        };
        let mut disagreements = Vec::new();
        if let Some(key) = keypair.filter(|key| *key != declared) {
            disagreements.push((keypair_path.display().to_string(), key.to_string()));
        }
        let tables = anchor_toml_ids(&anchor_toml, program.name);
        if tables.is_empty() {
            disagreements.push(("Anchor.toml".into(), format!("no {} entry", program.name)));
        }
        for (cluster, id) in tables
            .into_iter()
            .filter(|(_, id)| *id != declared.to_string())
        {
            disagreements.push((format!("Anchor.toml [programs.{cluster}]"), id));
        }
        let idl = root.join("idl").join(format!("{}.json", program.name));
        if !read(&idl)?.contains(&format!("\"address\": \"{declared}\"")) {
            disagreements.push((idl.display().to_string(), "another address".into()));
        }
        listings.push(Listing {
            name: program.name,
            declared,
            keypair,
            disagreements,
        });
    }
    Ok(listings)
}

/// What `sync` did for one program.
pub struct Synced {
    pub name: &'static str,
    pub id: Pubkey,
    /// The keypair was generated by this run (otherwise the existing file was used).
    pub created_keypair: bool,
    /// The files rewritten, relative to the root.
    pub rewritten: Vec<String>,
}

/// Gives each program a keypair under `target/deploy/` (kept if it exists) and writes its
/// public key everywhere the workspace names the program's id. Running it again changes
/// nothing.
pub fn sync(root: &Path) -> Result<Vec<Synced>, String> {
    let mut synced = Vec::new();
    for program in &PROGRAMS {
        let old = program.declared_id(root)?.to_string();
        let keypair_path = program.keypair_path(root);
        let created_keypair = !keypair_path.exists();
        let keypair = if created_keypair {
            create_keypair(&keypair_path)?
        } else {
            read_keypair(&keypair_path)?
        };
        let id = keypair.pubkey();
        let new = id.to_string();
        let mut rewritten = Vec::new();

        let source = program.source(root);
        let text = read(&source)?;
        let (_, range) = declared_id_in(&text).expect("declared_id read it");
        if old != new {
            write(
                &source,
                &format!("{}{new}{}", &text[..range.start], &text[range.end..]),
            )?;
            rewritten.push(format!("{}/src/lib.rs", program.dir));
        }

        let anchor_toml = root.join("Anchor.toml");
        let text = read(&anchor_toml)?;
        let updated = set_anchor_toml_ids(&text, program.name, &new);
        if updated != text {
            write(&anchor_toml, &updated)?;
            rewritten.push("Anchor.toml".into());
        }

        // The IDL names the id as a JSON string: the program's own `address`, and the pool's
        // pinned lending program. The old id is a 32-44 character base58 string, so it
        // cannot match anything else.
        if old != new {
            for idl in IDL_FILES {
                let path = root.join(idl);
                let text = read(&path)?;
                let quoted = format!("\"{old}\"");
                if text.contains(&quoted) {
                    write(&path, &text.replace(&quoted, &format!("\"{new}\"")))?;
                    rewritten.push(idl.into());
                }
            }
        }
        synced.push(Synced {
            name: program.name,
            id,
            created_keypair,
            rewritten,
        });
    }
    Ok(synced)
}

fn read_keypair(path: &Path) -> Result<Keypair, String> {
    solana_keypair::read_keypair_file(path)
        .map_err(|e| format!("cannot read the keypair {}: {e}", path.display()))
}

/// A new keypair, written as `solana-keygen new` writes one (a JSON array of 64 bytes, mode
/// 0600); an existing file is never overwritten.
fn create_keypair(path: &Path) -> Result<Keypair, String> {
    let keypair = Keypair::new();
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    solana_keypair::write_keypair_file(&keypair, path)
        .map_err(|e| format!("cannot write the keypair {}: {e}", path.display()))?;
    Ok(keypair)
}

#[cfg(test)]
mod tests;
