//! Which cluster and keypair to use, the way the Solana CLI decides: `--url` (a URL or a
//! moniker) and `--keypair` win, then `~/.config/solana/cli/config.yml`, then the Solana CLI's
//! defaults.
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

pub const DEFAULT_URL: &str = "https://api.mainnet-beta.solana.com";

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ClusterError {
    #[error("'{0}' is not a cluster URL or moniker (use http(s)://..., localhost/l, devnet/d, testnet/t or mainnet-beta/m)")]
    BadUrl(String),
    #[error("cannot read the config file {path}: {message}")]
    BadConfig { path: String, message: String },
    #[error("no home directory to find {0} in; pass --config, --url and --keypair")]
    NoHome(&'static str),
}

/// The fields of the Solana CLI's config.yml this client uses.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct SolanaConfig {
    #[serde(default)]
    pub json_rpc_url: Option<String>,
    #[serde(default)]
    pub keypair_path: Option<String>,
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

/// The cluster URL and keypair path a command uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub keypair_path: PathBuf,
}

/// Flags first, then the config file, then the Solana CLI's defaults.
pub fn resolve_target(
    url_flag: Option<&str>,
    keypair_flag: Option<&str>,
    config_path: Option<&Path>,
) -> Result<Target, ClusterError> {
    let config_path = match config_path {
        Some(path) => path.to_path_buf(),
        None => default_config_path()?,
    };
    let config = load_config(&config_path)?;
    let url = match url_flag.or(config.json_rpc_url.as_deref()) {
        Some(url) => resolve_url(url)?,
        None => DEFAULT_URL.to_string(),
    };
    let keypair_path = match keypair_flag.or(config.keypair_path.as_deref()) {
        Some(path) => expand_home(path),
        None => default_keypair_path()?,
    };
    Ok(Target { url, keypair_path })
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
        writeln!(file, "---\njson_rpc_url: https://api.devnet.solana.com\nwebsocket_url: ''\nkeypair_path: /tmp/me.json\naddress_labels:\n  '11111111111111111111111111111111': System Program\ncommitment: confirmed").unwrap();
        let target = resolve_target(None, None, Some(&path)).unwrap();
        assert_eq!(target.url, "https://api.devnet.solana.com");
        assert_eq!(target.keypair_path, PathBuf::from("/tmp/me.json"));
        let target = resolve_target(Some("l"), Some("/tmp/other.json"), Some(&path)).unwrap();
        assert_eq!(target.url, "http://localhost:8899");
        assert_eq!(target.keypair_path, PathBuf::from("/tmp/other.json"));
    }

    #[test]
    fn a_missing_config_file_means_solana_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let target =
            resolve_target(None, Some("/k.json"), Some(&dir.path().join("none.yml"))).unwrap();
        assert_eq!(target.url, DEFAULT_URL);
    }

    #[test]
    fn a_malformed_config_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "json_rpc_url: [unclosed").unwrap();
        assert!(matches!(
            resolve_target(None, None, Some(&path)),
            Err(ClusterError::BadConfig { .. })
        ));
        std::fs::write(&path, "json_rpc_url: nonsense").unwrap();
        assert!(matches!(
            resolve_target(None, None, Some(&path)),
            Err(ClusterError::BadUrl(_))
        ));
    }
}
