//! Seeds and protocol limits. Every number a reviewer might question is named here.

use anchor_lang::prelude::constant;

/// Seed of the pool PDA: `[POOL_SEED, creator, stake_mint, pool_id (u16 LE)]`.
/// The creator's key is part of the address, so nobody can pre-create (front-run) another
/// creator's pool for the same mint and id.
#[constant]
pub const POOL_SEED: &[u8] = b"pool";
/// Seed of the principal vault: `[VAULT_SEED, pool]`.
#[constant]
pub const VAULT_SEED: &[u8] = b"vault";
/// Seed of the reward vault: `[REWARD_VAULT_SEED, pool]`.
#[constant]
pub const REWARD_VAULT_SEED: &[u8] = b"reward_vault";
/// Seed of a position: `[POSITION_SEED, pool, owner]`.
#[constant]
pub const POSITION_SEED: &[u8] = b"position";

/// Fixed-point scale of the reward index. 1e18 keeps the floor error of the index below
/// 1e-18 base units per staked base unit per APR checkpoint.
#[constant]
pub const SCALE: u128 = 1_000_000_000_000_000_000_u128;
/// Basis points in 100 %.
#[constant]
pub const BPS_DENOMINATOR: u128 = 10_000;
/// A year of 365 days, in seconds: the rate is "apr_bps per 365 days".
#[constant]
pub const SECONDS_PER_YEAR: u128 = 365 * 86_400;

/// Highest APR the admin can set: 1,000 % a year. Above that a "fixed rate" is not a
/// credible promise, and the bound keeps index growth at most 10 × SCALE a year.
#[constant]
pub const MAX_APR_BPS: u32 = 100_000;
/// Reserve ratio is a share of principal: at most 100 %.
#[constant]
pub const MAX_RESERVE_BPS: u16 = 10_000;
/// Longest unbonding period the admin can impose: one year. Users must be able to know
/// their funds are never locked longer than this.
#[constant]
pub const MAX_UNBONDING_PERIOD: i64 = 365 * 86_400;
/// `deposit_cap` value that means "no cap".
#[constant]
pub const NO_DEPOSIT_CAP: u64 = u64::MAX;

/// Shortest time between two `rebalance` calls that move tokens: each lend or recall can cost
/// the reward books a unit of the market's share rounding, and anyone can crank, so this bounds
/// that cost by time rather than by how often someone calls (see `allocation::rebalance_due`).
#[constant]
pub const REBALANCE_INTERVAL: i64 = 3_600;

/// Longest notice period a pool can give: 30 days. Changes against depositors wait this long
/// at most, so a pool cannot announce a change and keep it pending for a year.
#[constant]
pub const MAX_NOTICE_PERIOD: i64 = 30 * 86_400;

/// How long an announced change stays executable once its notice has passed: the notice
/// period again, and at least a day. After that it lapses and must be announced again, so an
/// old announcement cannot be kept in reserve and sprung on depositors later.
#[constant]
pub const MIN_EXECUTION_WINDOW: i64 = 86_400;

/// Least time a notice period leaves beyond the unbonding period: a depositor who starts to
/// leave (`request_unbond`) within this long of an announcement is unlocked before the change
/// can apply. A day, so noticing an announcement does not need a watch kept around the clock.
#[constant]
pub const NOTICE_REACTION_MARGIN: i64 = 86_400;
