//! One thing a plan does, and how it reads to the user.
use std::fmt;

use anchor_lang::prelude::Pubkey;
use stakepool_client::amount::format_ui_amount;
use stakepool_client::limits::describe;
use stakepool_client::projection::format_utc;
use staking_pool::state::{ChangeKind, PoolLimits};

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    CreateTestMint {
        seed: String,
        mint: Pubkey,
        decimals: u8,
    },
    CreateMockMarket {
        market: Pubkey,
        mint: Pubkey,
        market_id: u16,
        supply_apr_bps: u32,
    },
    CreatePool {
        pool: Pubkey,
        mint: Pubkey,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
        decimals: u8,
    },
    SetApr {
        pool: Pubkey,
        from: u32,
        to: u32,
    },
    SetParams {
        pool: Pubkey,
        from: PoolLimits,
        to: PoolLimits,
        decimals: u8,
    },
    SetLendingMarket {
        pool: Pubkey,
        market: Pubkey,
    },
    /// A change the config asks for was proposed by an earlier run and its time has come.
    ExecuteChange {
        pool: Pubkey,
        kind: ChangeKind,
        what: String,
    },
    /// A change the config asks for was proposed by an earlier run; nothing to send yet.
    AwaitChange {
        pool: Pubkey,
        what: String,
        until: i64,
    },
    /// Test mints only: mint what the reward funding needs to the payer first.
    MintToPayer {
        mint: Pubkey,
        token_program: Pubkey,
        amount: u64,
        decimals: u8,
    },
    FundRewards {
        pool: Pubkey,
        amount: u64,
        funded: u64,
        target: u64,
        decimals: u8,
    },
}

fn limits_text(limits: &PoolLimits, decimals: u8) -> String {
    format!(
        "reserve {} bps, {}",
        limits.reserve_bps,
        describe(limits, decimals)
    )
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateTestMint {
                seed,
                mint,
                decimals,
            } => write!(
                f,
                "create test mint {mint} ({decimals} decimals, seed \"{seed}\", you mint)"
            ),
            Step::CreateMockMarket {
                market,
                market_id,
                supply_apr_bps,
                ..
            } => write!(
                f,
                "create mock lending market {market} (id {market_id}, supply APR {supply_apr_bps} bps)"
            ),
            Step::CreatePool {
                pool,
                apr_bps,
                limits,
                decimals,
                ..
            } => write!(
                f,
                "create pool {pool} at {apr_bps} bps ({})",
                limits_text(limits, *decimals)
            ),
            Step::SetApr { from, to, .. } => write!(f, "set APR {from} → {to} bps"),
            Step::SetParams {
                from, to, decimals, ..
            } => write!(
                f,
                "set params: {} → {}",
                limits_text(from, *decimals),
                limits_text(to, *decimals)
            ),
            Step::SetLendingMarket { market, .. } => write!(f, "lend idle funds to market {market}"),
            Step::ExecuteChange { what, .. } => write!(f, "execute the announced change: {what}"),
            Step::AwaitChange { what, until, .. } => {
                write!(
                    f,
                    "waiting until {} for the announced change: {what}",
                    format_utc(*until)
                )
            }
            Step::MintToPayer {
                amount, decimals, ..
            } => write!(
                f,
                "mint {} test tokens to the payer",
                format_ui_amount(*amount, *decimals)
            ),
            Step::FundRewards {
                amount,
                funded,
                target,
                decimals,
                ..
            } => write!(
                f,
                "fund rewards with {} (funded {} of {})",
                format_ui_amount(*amount, *decimals),
                format_ui_amount(*funded, *decimals),
                format_ui_amount(*target, *decimals)
            ),
        }
    }
}
