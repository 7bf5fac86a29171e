//! Test harness: a bank with the programs registered natively, mints and funded users,
//! time moved through the Clock sysvar, account readers and exact error assertions.
//! Tests in `tests/` read as stories on top of these helpers.
pub mod bank;
pub mod errors;
pub mod fixture;
pub mod invariants;
pub mod market;
pub mod model;
pub mod tokens;

pub use bank::Bank;
pub use errors::*;
pub use fixture::*;
pub use market::*;

pub use staking_pool::constants::REBALANCE_INTERVAL;

pub const DAY: i64 = 86_400;
pub const YEAR: i64 = 365 * DAY;
