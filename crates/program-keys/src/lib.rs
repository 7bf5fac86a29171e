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
    /// The library name: `target/deploy/<name>.so`, `<name>-keypair.json`, Anchor.toml's key,
    /// `idl/<name>.json`.
    pub name: &'static str,
    /// The crate's directory, relative to the workspace root.
    pub dir: &'static str,
    /// Accounts of other programs' IDLs pinned to this program's id: (IDL file, account name).
    pub pinned_in: &'static [(&'static str, &'static str)],
}

pub const PROGRAMS: [Program; 2] = [
    Program {
        name: "staking_pool",
        dir: "programs/staking-pool",
        pinned_in: &[],
    },
    Program {
        name: "mock_lending",
        dir: "programs/mock-lending",
        pinned_in: &[("idl/staking_pool.json", "lending_program")],
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

    pub fn idl(&self, root: &Path) -> PathBuf {
        root.join("idl").join(format!("{}.json", self.name))
    }

    /// Every id the IDLs give this program: its own IDL's `address` and the accounts pinned
    /// to it in the others'.
    fn idl_ids(&self, root: &Path) -> Result<Vec<(String, String)>, String> {
        let own = read_json(&self.idl(root))?;
        let mut ids = vec![(
            format!("idl/{}.json address", self.name),
            own["address"].as_str().unwrap_or("none").to_string(),
        )];
        for (file, account) in self.pinned_in {
            for id in pinned_addresses(&read_json(&root.join(file))?, account) {
                ids.push((format!("{file} {account}"), id));
            }
        }
        Ok(ids)
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

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// The `address` of every account called `account` anywhere in an IDL.
fn pinned_addresses(value: &serde_json::Value, account: &str) -> Vec<String> {
    let mut found = Vec::new();
    match value {
        serde_json::Value::Object(fields) => {
            if fields.get("name").and_then(|n| n.as_str()) == Some(account) {
                if let Some(address) = fields.get("address").and_then(|a| a.as_str()) {
                    found.push(address.to_string());
                }
            }
            fields
                .values()
                .for_each(|v| found.extend(pinned_addresses(v, account)));
        }
        serde_json::Value::Array(items) => {
            items
                .iter()
                .for_each(|v| found.extend(pinned_addresses(v, account)));
        }
        _ => {}
    }
    found
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
        for (place, id) in program.idl_ids(root)? {
            if id != declared.to_string() {
                disagreements.push((place, id));
            }
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
/// public key everywhere the workspace names the program's id, whatever id each place held
/// before (a hand edit or `anchor keys sync` may have left them apart). Running it again
/// changes nothing.
pub fn sync(root: &Path) -> Result<Vec<Synced>, String> {
    // Every keypair first, so one that cannot be read leaves every file as it was.
    let mut keypairs = Vec::new();
    for program in &PROGRAMS {
        let path = program.keypair_path(root);
        keypairs.push(if path.exists() {
            (read_keypair(&path)?.pubkey(), false)
        } else {
            (create_keypair(&path)?.pubkey(), true)
        });
    }
    let mut synced = Vec::new();
    for (program, (id, created_keypair)) in PROGRAMS.iter().zip(keypairs) {
        let new = id.to_string();
        let mut stale = vec![program.declared_id(root)?.to_string()];
        stale.extend(program.idl_ids(root)?.into_iter().map(|(_, id)| id));
        stale.retain(|old| *old != new);
        let mut rewritten = Vec::new();

        let source = program.source(root);
        let text = read(&source)?;
        let (declared, range) = declared_id_in(&text).expect("declared_id read it");
        if declared != new {
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

        // The IDL names ids as JSON strings (each program's own `address`, and the pool's
        // pinned lending program) and as 32-byte arrays (the program of the lending PDAs the
        // pool's IDL resolves). A stale id is a 32-44 character base58 string, or those exact
        // 32 numbers, so it cannot match anything else.
        for idl in IDL_FILES {
            let path = root.join(idl);
            let text = read(&path)?;
            let updated = stale.iter().fold(text.clone(), |text, old| {
                let text = text.replace(&format!("\"{old}\""), &format!("\"{new}\""));
                match old.parse::<Pubkey>() {
                    Ok(old) => replace_id_bytes(&text, &old.to_bytes(), &id.to_bytes()),
                    Err(_) => text,
                }
            });
            if updated != text {
                write(&path, &updated)?;
                rewritten.push(idl.into());
            }
        }
        synced.push(Synced {
            name: program.name,
            id,
            created_keypair,
            rewritten,
        });
    }
    // What list still finds is a place this function does not know how to write.
    for listing in list(root)? {
        if let Some((place, says)) = listing.disagreements.first() {
            return Err(format!(
                "{place} still says {says} for {}; write {} there",
                listing.name, listing.declared
            ));
        }
    }
    Ok(synced)
}

/// `text` with every JSON array of exactly the 32 numbers of `old` given those of `new`, its
/// layout (spaces, line breaks) kept.
fn replace_id_bytes(text: &str, old: &[u8; 32], new: &[u8; 32]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else {
            break;
        };
        let inside = &rest[..close];
        let numbers: Vec<&str> = inside.split(',').map(str::trim).collect();
        let is_old = numbers.len() == 32
            && numbers
                .iter()
                .zip(old)
                .all(|(n, b)| n.parse::<u8>() == Ok(*b));
        if is_old {
            let mut written = String::new();
            for (i, (part, byte)) in inside.split(',').zip(new).enumerate() {
                if i > 0 {
                    written.push(',');
                }
                let trimmed = part.trim();
                let start = part.find(trimmed).unwrap_or(0);
                written.push_str(&part[..start]);
                written.push_str(&byte.to_string());
                written.push_str(&part[start + trimmed.len()..]);
            }
            out.push_str(&written);
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    out
}

fn read_keypair(path: &Path) -> Result<Keypair, String> {
    solana_keypair::read_keypair_file(path)
        .map_err(|e| format!("cannot read the keypair {}: {e}", path.display()))
}

/// A new keypair, written as `solana-keygen new` writes one (a JSON array of 64 bytes, mode
/// 0600); an existing file, or a link where it would go, is never overwritten.
fn create_keypair(path: &Path) -> Result<Keypair, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let keypair = Keypair::new();
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let cannot = |e: std::io::Error| format!("cannot write the keypair {}: {e}", path.display());
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(cannot)?;
    let bytes: Vec<String> = keypair.to_bytes().iter().map(u8::to_string).collect();
    file.write_all(format!("[{}]", bytes.join(",")).as_bytes())
        .map_err(cannot)?;
    Ok(keypair)
}

#[cfg(test)]
mod tests;
