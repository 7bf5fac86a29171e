//! Which cluster and keypair to use, the way the Solana CLI decides: `--url` (a URL or a
//! moniker) and `--keypair` win, then `~/.config/solana/cli/config.yml`, then the Solana CLI's
//! defaults.
use std::path::{Path, PathBuf};

use serde::Deserialize;
use solana_commitment_config::CommitmentConfig;
use thiserror::Error;

use crate::compute_budget::UnitPrice;

pub const DEFAULT_URL: &str = "https://api.mainnet-beta.solana.com";

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ClusterError {
    #[error("'{0}' is not a cluster URL or moniker (use http(s)://..., localhost/l, devnet/d, testnet/t or mainnet-beta/m)")]
    BadUrl(String),
    #[error("cannot read the config file {path}: {message}")]
    BadConfig { path: String, message: String },
    #[error("no home directory to find {0} in; pass --config, --url and --keypair")]
    NoHome(&'static str),
    #[error("'{0}' is not a commitment (use processed, confirmed or finalized)")]
    BadCommitment(String),
    #[error("{0}")]
    BadUnitPrice(String),
}

/// The fields of the Solana CLI's config.yml this client uses.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct SolanaConfig {
    #[serde(default)]
    pub json_rpc_url: Option<String>,
    #[serde(default)]
    pub keypair_path: Option<String>,
    /// The Solana CLI's own key: the commitment reads and confirmations wait for.
    #[serde(default)]
    pub commitment: Option<String>,
    /// This client's key (the Solana CLI ignores it): `--with-compute-unit-price`'s default,
    /// micro-lamports or `auto`.
    #[serde(default)]
    pub compute_unit_price: Option<String>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `~/.config/solana/cli/config.yml`.
pub fn default_config_path() -> Result<PathBuf, ClusterError> {
    Ok(home()
        .ok_or(ClusterError::NoHome("config.yml"))?
        .join(".config/solana/cli/config.yml"))
}

/// `~/.config/solana/id.json`.
pub fn default_keypair_path() -> Result<PathBuf, ClusterError> {
    Ok(home()
        .ok_or(ClusterError::NoHome("id.json"))?
        .join(".config/solana/id.json"))
}

/// Reads a config file. A missing file is not an error (the Solana CLI works without one);
/// an unreadable or malformed one is.
pub fn load_config(path: &Path) -> Result<SolanaConfig, ClusterError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_yaml::from_str(&text).map_err(|e| ClusterError::BadConfig {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SolanaConfig::default()),
        Err(e) => Err(ClusterError::BadConfig {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

/// A URL, or one of the Solana CLI's monikers, as a JSON-RPC URL.
pub fn resolve_url(url_or_moniker: &str) -> Result<String, ClusterError> {
    let url = match url_or_moniker {
        "localhost" | "l" => "http://localhost:8899",
        "devnet" | "d" => "https://api.devnet.solana.com",
        "testnet" | "t" => "https://api.testnet.solana.com",
        "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com",
        other if other.starts_with("http://") || other.starts_with("https://") => other,
        other => return Err(ClusterError::BadUrl(other.to_string())),
    };
    Ok(url.to_string())
}

/// Expands a leading `~/` the way the Solana CLI's config paths use it.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// The cluster, keypair, commitment and unit price a command uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    /// A file path, or another keypair source the Solana CLI accepts (`stdin`, `prompt://`).
    pub keypair_path: PathBuf,
    pub commitment: CommitmentConfig,
    pub unit_price: UnitPrice,
}

/// What the command line says; `None` leaves it to the config file.
#[derive(Clone, Copy, Debug, Default)]
pub struct TargetFlags<'a> {
    pub url: Option<&'a str>,
    pub keypair: Option<&'a str>,
    pub config: Option<&'a Path>,
    pub commitment: Option<&'a str>,
    pub compute_unit_price: Option<&'a str>,
}

/// Flags first, then the config file, then the Solana CLI's defaults (commitment
/// "confirmed", no priority fee).
pub fn resolve_target(flags: TargetFlags) -> Result<Target, ClusterError> {
    let config_path = match flags.config {
        Some(path) => path.to_path_buf(),
        None => default_config_path()?,
    };
    let config = load_config(&config_path)?;
    let url = match flags.url.or(config.json_rpc_url.as_deref()) {
        Some(url) => resolve_url(url)?,
        None => DEFAULT_URL.to_string(),
    };
    let keypair_path = match flags.keypair.or(config.keypair_path.as_deref()) {
        Some(path) => expand_home(path),
        None => default_keypair_path()?,
    };
    let commitment = match flags.commitment.or(config.commitment.as_deref()) {
        Some(level) => level
            .parse()
            .map_err(|_| ClusterError::BadCommitment(level.to_string()))?,
        None => CommitmentConfig::confirmed(),
    };
    let unit_price = match flags
        .compute_unit_price
        .or(config.compute_unit_price.as_deref())
    {
        Some(price) => price.parse().map_err(ClusterError::BadUnitPrice)?,
        None => UnitPrice::None,
    };
    Ok(Target {
        url,
        keypair_path,
        commitment,
        unit_price,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn monikers_resolve_like_the_solana_cli() {
        assert_eq!(resolve_url("l").unwrap(), "http://localhost:8899");
        assert_eq!(resolve_url("localhost").unwrap(), "http://localhost:8899");
        assert_eq!(resolve_url("d").unwrap(), "https://api.devnet.solana.com");
        assert_eq!(
            resolve_url("devnet").unwrap(),
            "https://api.devnet.solana.com"
        );
        assert_eq!(resolve_url("t").unwrap(), "https://api.testnet.solana.com");
        assert_eq!(
            resolve_url("m").unwrap(),
            "https://api.mainnet-beta.solana.com"
        );
        assert_eq!(
            resolve_url("http://127.0.0.1:8899").unwrap(),
            "http://127.0.0.1:8899"
        );
        assert!(matches!(
            resolve_url("devnett"),
            Err(ClusterError::BadUrl(_))
        ));
    }

    #[test]
    fn the_config_file_is_honoured_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        let mut file = std::fs::File::create(&path).unwrap();
        writeln!(file, "---\njson_rpc_url: https://api.devnet.solana.com\nwebsocket_url: ''\nkeypair_path: /tmp/me.json\naddress_labels:\n  '11111111111111111111111111111111': System Program\ncommitment: finalized\ncompute_unit_price: auto").unwrap();
        let from_file = TargetFlags {
            config: Some(&path),
            ..TargetFlags::default()
        };
        let target = resolve_target(from_file).unwrap();
        assert_eq!(target.url, "https://api.devnet.solana.com");
        assert_eq!(target.keypair_path, PathBuf::from("/tmp/me.json"));
        assert_eq!(target.commitment, CommitmentConfig::finalized());
        assert_eq!(target.unit_price, UnitPrice::Auto);
        let target = resolve_target(TargetFlags {
            url: Some("l"),
            keypair: Some("/tmp/other.json"),
            commitment: Some("processed"),
            compute_unit_price: Some("1000"),
            ..from_file
        })
        .unwrap();
        assert_eq!(target.url, "http://localhost:8899");
        assert_eq!(target.keypair_path, PathBuf::from("/tmp/other.json"));
        assert_eq!(target.commitment, CommitmentConfig::processed());
        assert_eq!(target.unit_price, UnitPrice::Fixed(1_000));
    }

    #[test]
    fn bad_commitments_and_prices_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let flags = TargetFlags {
            keypair: Some("/k.json"),
            config: Some(&dir.path().join("none.yml")),
            ..TargetFlags::default()
        };
        assert_eq!(
            resolve_target(TargetFlags {
                commitment: Some("max"),
                ..flags
            }),
            Err(ClusterError::BadCommitment("max".into()))
        );
        assert!(matches!(
            resolve_target(TargetFlags {
                compute_unit_price: Some("cheap"),
                ..flags
            }),
            Err(ClusterError::BadUnitPrice(_))
        ));
        let target = resolve_target(flags).unwrap();
        assert_eq!(target.commitment, CommitmentConfig::confirmed());
        assert_eq!(target.unit_price, UnitPrice::None);
    }

    #[test]
    fn a_missing_config_file_means_solana_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let target = resolve_target(TargetFlags {
            keypair: Some("/k.json"),
            config: Some(&dir.path().join("none.yml")),
            ..TargetFlags::default()
        })
        .unwrap();
        assert_eq!(target.url, DEFAULT_URL);
    }

    #[test]
    fn a_malformed_config_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "json_rpc_url: [unclosed").unwrap();
        let flags = TargetFlags {
            config: Some(&path),
            ..TargetFlags::default()
        };
        assert!(matches!(
            resolve_target(flags),
            Err(ClusterError::BadConfig { .. })
        ));
        std::fs::write(&path, "json_rpc_url: nonsense").unwrap();
        assert!(matches!(
            resolve_target(flags),
            Err(ClusterError::BadUrl(_))
        ));
    }
}
