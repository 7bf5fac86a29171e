use anchor_lang::prelude::constant;

/// Seed of a market: `[MARKET_SEED, mint, market_id (u16 LE)]`.
#[constant]
pub const MARKET_SEED: &[u8] = b"market";
/// Seed of a market's liquidity vault: `[LIQUIDITY_SEED, market]`.
#[constant]
pub const LIQUIDITY_SEED: &[u8] = b"liquidity";
/// Seed of a deposit receipt: `[RECEIPT_SEED, market, owner]`.
#[constant]
pub const RECEIPT_SEED: &[u8] = b"receipt";

/// Fixed-point scale of the exchange rate (liquidity per share). A new market starts at 1.0.
#[constant]
pub const RATE_SCALE: u128 = 1_000_000_000_000_000_000_u128;
/// Basis points in 100 %.
#[constant]
pub const BPS_DENOMINATOR: u128 = 10_000;
/// A year of 365 days, in seconds: a supply APR is "per 365 days".
#[constant]
pub const SECONDS_PER_YEAR: u128 = 365 * 86_400;
/// Highest supply APR a market accepts: 1,000 % a year.
#[constant]
pub const MAX_SUPPLY_APR_BPS: u32 = 100_000;
