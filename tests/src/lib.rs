//! Test harness: a bank (natively registered programs, or the SBF build in the VM: see
//! `bank`), mints and funded users, time moved through the Clock sysvar, account readers and
//! exact error assertions, and a cluster for the client's command tests. Tests in `tests/`
//! read as stories on top of these helpers, whichever backend runs them.
pub mod bank;
pub mod cluster;
pub mod errors;
pub mod fixture;
pub mod invariants;
pub mod market;
pub mod model;
pub mod model_world;
pub mod tokens;

pub use bank::{Bank, TxError, TxResult, GENESIS_TS};
pub use errors::*;
pub use fixture::*;
pub use market::*;

pub use staking_pool::constants::REBALANCE_INTERVAL;

/// The project's `tests/` directory, whichever manifest compiled this crate.
#[cfg(not(feature = "vm"))]
pub const SUITE_DIR: &str = env!("CARGO_MANIFEST_DIR");
#[cfg(feature = "vm")]
pub const SUITE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests");

pub const DAY: i64 = 86_400;
pub const YEAR: i64 = 365 * DAY;
