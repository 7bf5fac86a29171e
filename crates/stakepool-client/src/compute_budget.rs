//! The compute budget a cluster transaction carries: a unit limit sized from its simulation
//! (never the default 200,000 per instruction, which overpays priority fees and crowds the
//! block scheduler) and, when asked, a unit price (`--with-compute-unit-price`).
use std::str::FromStr;

use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;

/// The most a transaction may ask for.
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;
/// Fees below this percentile of recent slots' fees are outbid by most senders.
pub const AUTO_PRICE_PERCENTILE: usize = 75;

/// `--with-compute-unit-price`: micro-lamports per compute unit, or `auto`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnitPrice {
    /// No price instruction: base fee only.
    #[default]
    None,
    Fixed(u64),
    /// The `AUTO_PRICE_PERCENTILE`th percentile of `getRecentPrioritizationFees` over the
    /// transaction's writable accounts.
    Auto,
}

impl FromStr for UnitPrice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(UnitPrice::Auto),
            number => number.parse::<u64>().map(UnitPrice::Fixed).map_err(|_| {
                format!("compute unit price must be micro-lamports (a whole number) or `auto`, not `{number}`")
            }),
        }
    }
}

/// What a path the simulation did not take can add when the transaction lands a few slots
/// later: a token transfer through either token program with its CPI (a claim that simulated
/// with nothing yet owed pays a base unit by the time it lands), or a recall from the market
/// that became needed.
pub const UNSIMULATED_PATH_UNITS: u64 = 20_000;

/// The limit for a transaction that used `consumed` units in simulation: 10 % and
/// `UNSIMULATED_PATH_UNITS` above it (the state moves between simulation and landing),
/// within the protocol's maximum.
pub fn limit_for(consumed: u64) -> u32 {
    let padded = consumed
        .saturating_add(consumed / 10)
        .saturating_add(UNSIMULATED_PATH_UNITS);
    u32::try_from(padded)
        .unwrap_or(u32::MAX)
        .min(MAX_COMPUTE_UNIT_LIMIT)
}

/// The limit a compute-budget instruction's `data` sets, if it is `set_compute_unit_limit`.
pub fn limit_set_by(data: &[u8]) -> Option<u32> {
    const SET_COMPUTE_UNIT_LIMIT: u8 = 2;
    match data {
        [SET_COMPUTE_UNIT_LIMIT, limit @ ..] => Some(u32::from_le_bytes(limit.try_into().ok()?)),
        _ => None,
    }
}

/// The `percentile`th of `fees` (nearest rank, rounded up: the fee that beats that share of
/// recent slots); 0 when there are none.
pub fn percentile(fees: &[u64], percentile: usize) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    let mut sorted = fees.to_vec();
    sorted.sort_unstable();
    let rank = (sorted.len() * percentile.min(100)).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// The budget instructions, first in the transaction as the runtime requires them to be read.
pub fn instructions(limit: u32, micro_lamports: u64) -> Vec<Instruction> {
    let mut budget = vec![ComputeBudgetInstruction::set_compute_unit_limit(limit)];
    if micro_lamports > 0 {
        budget.push(ComputeBudgetInstruction::set_compute_unit_price(
            micro_lamports,
        ));
    }
    budget
}

/// The priority fee in lamports: price × limit, micro-lamports rounded up, as the runtime
/// charges it.
pub fn priority_fee(limit: u32, micro_lamports: u64) -> u64 {
    let micro = u128::from(limit) * u128::from(micro_lamports);
    u64::try_from(micro.div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_the_simulated_units_with_a_margin_within_the_maximum() {
        assert_eq!(limit_for(0), 20_000);
        assert_eq!(limit_for(14_373), 14_373 + 1_437 + 20_000);
        assert_eq!(limit_for(2_000_000), MAX_COMPUTE_UNIT_LIMIT);
        assert_eq!(limit_for(u64::MAX), MAX_COMPUTE_UNIT_LIMIT);
    }

    #[test]
    fn the_auto_price_is_the_nearest_rank_percentile() {
        assert_eq!(percentile(&[], 75), 0);
        assert_eq!(percentile(&[7], 75), 7);
        assert_eq!(percentile(&[40, 10, 30, 20], 75), 30);
        assert_eq!(percentile(&[0, 0, 0, 1_000], 75), 0);
        assert_eq!(percentile(&[5, 1, 4, 2, 3], 50), 3);
        assert_eq!(percentile(&[5, 1, 4, 2, 3], 100), 5);
    }

    #[test]
    fn prices_parse_as_micro_lamports_or_auto() {
        assert_eq!("auto".parse(), Ok(UnitPrice::Auto));
        assert_eq!("2500".parse(), Ok(UnitPrice::Fixed(2_500)));
        assert!("1.5".parse::<UnitPrice>().is_err());
        assert!("-1".parse::<UnitPrice>().is_err());
    }

    #[test]
    fn the_priority_fee_rounds_micro_lamports_up() {
        assert_eq!(priority_fee(200_000, 1), 1);
        assert_eq!(priority_fee(200_000, 5), 1);
        assert_eq!(priority_fee(200_000, 6), 2);
        assert_eq!(priority_fee(1_400_000, 1_000_000), 1_400_000);
        assert_eq!(priority_fee(u32::MAX, u64::MAX), u64::MAX);
    }

    #[test]
    fn a_zero_price_adds_no_price_instruction() {
        assert_eq!(instructions(10_000, 0).len(), 1);
        assert_eq!(instructions(10_000, 1).len(), 2);
    }
}
