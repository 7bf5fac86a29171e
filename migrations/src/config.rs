//! The deploy config: which cluster, who pays, and the pools to have there. Amounts are in
//! tokens ("10000", "0.5") and periods like the CLI's ("7d", "12h"), so a config reads like
//! the commands a person would type.
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use serde::Deserialize;
use stakepool_client::limits::LimitSettings;
use thiserror::Error;

/// Where a test mint's address comes from: `seeded_mint_address(payer, SEED_PREFIX + name)`.
pub const SEED_PREFIX: &str = "stakepool:";
/// `Pubkey::create_with_seed` takes seeds of at most 32 bytes.
pub const MAX_NAME_LEN: usize = 32 - SEED_PREFIX.len();

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    /// JSON-RPC URL or moniker: localhost (l), devnet (d), testnet (t), mainnet-beta (m).
    pub cluster: String,
    /// Keypair file that pays, creates the pools and administers them ("~" expands).
    pub payer: String,
    #[serde(default, rename = "pool")]
    pub pools: Vec<PoolConfig>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PoolConfig {
    /// A label for messages; also seeds the address of a test mint, so keep it stable.
    pub name: String,
    /// Lets one payer run several pools for one mint.
    #[serde(default)]
    pub pool_id: u16,
    /// A mint address, or "create-test-mint" (the payer becomes its mint authority).
    pub mint: String,
    /// Decimals of a test mint (ignored for an existing mint).
    #[serde(default = "default_decimals")]
    pub decimals: u8,
    pub apr_bps: u32,
    /// The pool's limits, a `[pool.limits]` table named as the CLI's flags: reserve_bps,
    /// min_deposit, deposit_cap, unbonding_period, notice_period; those left out take the
    /// defaults (reserve 10000 bps, nothing else limited). With a notice period, a run that
    /// changes the APR down, the reserve down, the unbonding period up, the notice down or
    /// the market proposes the change; a later run executes it once its time has come.
    #[serde(default)]
    pub limits: LimitSettings,
    /// "none", "create-mock-market", or a market address [default: none].
    #[serde(default = "default_market")]
    pub lending_market: String,
    /// Supply APR of a created mock market, in bps.
    #[serde(default)]
    pub mock_market_apr_bps: u32,
    /// Market id of a created mock market (one mock market per mint and id).
    #[serde(default)]
    pub mock_market_id: u16,
    /// Rewards the pool must have been funded with in all, in tokens: a run tops up the
    /// difference (minting it first when the mint is a test mint), never more.
    pub reward_funding: Option<String>,
    /// Test mints only: test tokens the payer's wallet keeps at least, in tokens (a run mints
    /// the shortfall), so the payer can stake and hand tokens out.
    pub payer_test_tokens: Option<String>,
}

fn default_decimals() -> u8 {
    6
}
fn default_market() -> String {
    "none".into()
}

/// What `mint` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintChoice {
    CreateTestMint,
    Existing(Pubkey),
}

/// What `lending_market` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketChoice {
    None,
    CreateMock,
    Existing(Pubkey),
}

impl PoolConfig {
    pub fn mint_choice(&self) -> Result<MintChoice, String> {
        match self.mint.as_str() {
            "create-test-mint" => Ok(MintChoice::CreateTestMint),
            other => other.parse().map(MintChoice::Existing).map_err(|_| {
                format!("mint '{other}' is neither an address nor \"create-test-mint\"")
            }),
        }
    }

    pub fn market_choice(&self) -> Result<MarketChoice, String> {
        match self.lending_market.as_str() {
            "none" => Ok(MarketChoice::None),
            "create-mock-market" => Ok(MarketChoice::CreateMock),
            other => other.parse().map(MarketChoice::Existing).map_err(|_| {
                format!(
                    "lending_market '{other}' is not an address, \"none\" or \"create-mock-market\""
                )
            }),
        }
    }

    /// The seed of this pool's test mint.
    pub fn mint_seed(&self) -> String {
        format!("{SEED_PREFIX}{}", self.name)
    }
}

impl DeployConfig {
    /// Reads and checks `path`: TOML syntax, unknown keys, names, mint and market choices.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Self::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let config: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        // Two entries for one pool (or one mock market) would undo each other on every run.
        let mut pools = std::collections::HashSet::new();
        let mut markets = std::collections::HashSet::new();
        for pool in &config.pools {
            if pool.name.is_empty() || pool.name.len() > MAX_NAME_LEN {
                return Err(format!(
                    "pool name '{}' must be 1 to {MAX_NAME_LEN} bytes (it seeds the test mint's address)",
                    pool.name
                ));
            }
            if !seen.insert(pool.name.as_str()) {
                return Err(format!("two pools are named '{}'", pool.name));
            }
            let mint = pool.mint_choice()?;
            if pool.payer_test_tokens.is_some() && mint != MintChoice::CreateTestMint {
                return Err(format!(
                    "pool '{}': payer_test_tokens needs mint = \"create-test-mint\"",
                    pool.name
                ));
            }
            if let MintChoice::Existing(address) = mint {
                if !pools.insert((address, pool.pool_id)) {
                    return Err(format!(
                        "two pools use mint {address} with pool_id {}",
                        pool.pool_id
                    ));
                }
                if pool.market_choice()? == MarketChoice::CreateMock
                    && !markets.insert((address, pool.mock_market_id))
                {
                    return Err(format!(
                        "two pools create the mock market of mint {address} with id {}; share it \
                         by address, or give one another mock_market_id",
                        pool.mock_market_id
                    ));
                }
            }
            pool.market_choice()?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
        cluster = "localhost"
        payer = "~/.config/solana/id.json"

        [[pool]]
        name = "demo"
        mint = "create-test-mint"
        apr_bps = 1000
        lending_market = "create-mock-market"
        mock_market_apr_bps = 800
        reward_funding = "10000"

        [pool.limits]
        reserve_bps = 2000
        unbonding_period = "7d"
    "#;

    #[test]
    fn the_example_parses_with_its_defaults() {
        let config = DeployConfig::parse(EXAMPLE).unwrap();
        let pool = &config.pools[0];
        assert_eq!(pool.decimals, 6);
        assert_eq!(pool.pool_id, 0);
        assert_eq!(pool.mint_choice(), Ok(MintChoice::CreateTestMint));
        assert_eq!(pool.market_choice(), Ok(MarketChoice::CreateMock));
        assert_eq!(pool.mint_seed(), "stakepool:demo");
    }

    #[test]
    fn mistakes_are_named() {
        let typo = EXAMPLE.replace("apr_bps = 1000", "apr = 1000");
        assert!(DeployConfig::parse(&typo)
            .unwrap_err()
            .contains("unknown field `apr`"));
        let mint = EXAMPLE.replace("create-test-mint", "my-mint");
        assert!(DeployConfig::parse(&mint)
            .unwrap_err()
            .contains("'my-mint'"));
        let long = EXAMPLE.replace("\"demo\"", "\"a-name-much-too-long-for-a-seed\"");
        assert!(DeployConfig::parse(&long)
            .unwrap_err()
            .contains("1 to 22 bytes"));
        let mint = "So11111111111111111111111111111111111111112";
        let same_pool = format!(
            "cluster = \"l\"\npayer = \"p\"\n[[pool]]\nname = \"a\"\nmint = \"{mint}\"\napr_bps = 1\n[[pool]]\nname = \"b\"\nmint = \"{mint}\"\napr_bps = 2\n"
        );
        assert!(DeployConfig::parse(&same_pool)
            .unwrap_err()
            .contains("pool_id 0"));
        let twice = format!(
            "{EXAMPLE}\n[[pool]]\nname = \"demo\"\nmint = \"create-test-mint\"\napr_bps = 1\n"
        );
        assert!(DeployConfig::parse(&twice)
            .unwrap_err()
            .contains("two pools"));
    }
}
