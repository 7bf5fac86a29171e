//! Unit and property tests of the reward math.
use super::*;
use crate::constants::MAX_APR_BPS;
use proptest::prelude::*;

const YEAR: i64 = 365 * 86_400;
const DAY: i64 = 86_400;

#[test]
fn one_million_at_ten_percent_for_a_year_is_exactly_one_hundred_thousand() {
    assert_eq!(
        closed_form_reward(1_000_000_000_000, 1_000, YEAR),
        Some(100_000_000_000)
    );
}

#[test]
fn time_before_the_checkpoint_accrues_nothing() {
    assert_eq!(index_at(42, 1_000, 5_000, 999), Some(42));
    assert_eq!(index_at(42, 1_000, 5_000, 1_000), Some(42));
    assert_eq!(index_at(42, 1_000, 5_000, i64::MIN), Some(42));
}

#[test]
fn payout_keeps_the_remainder() {
    let owed = 5 * SCALE + 7;
    assert_eq!(payable_units(owed), 5);
    assert_eq!(owed - to_scaled(5).unwrap(), 7);
}

#[test]
fn runway_of_an_idle_or_zero_rate_pool_is_unbounded() {
    assert_eq!(runway_seconds(100, 0, 0, 1_000), None);
    assert_eq!(runway_seconds(100, 0, 1_000, 0), None);
    // Nothing earns, but what is owed already exceeds the books: short now.
    assert_eq!(runway_seconds(5, 10, 0, 1_000), Some(0));
}

#[test]
fn runway_is_the_surplus_over_the_rate() {
    // 1,000 staked at 10 % earn 100 a year; a surplus of 50 lasts half a year.
    assert_eq!(
        runway_seconds(60, 10, 1_000, 1_000),
        Some((YEAR / 2) as u64)
    );
    // Already short: zero.
    assert_eq!(runway_seconds(5, 10, 1_000, 1_000), Some(0));
}

#[test]
fn u64_max_at_max_apr_over_a_century_overflows_cleanly() {
    let index = index_at(0, 0, MAX_APR_BPS, 100 * YEAR).expect("index fits in u128");
    // u64::MAX × 1_000 × SCALE does not fit in u128: refused, not wrapped.
    assert_eq!(earned_scaled(u64::MAX, 0, index), None);
    assert_eq!(closed_form_reward(u64::MAX, MAX_APR_BPS, 100 * YEAR), None);
}

#[test]
fn a_time_span_beyond_u128_overflows_cleanly() {
    assert_eq!(index_at(0, i64::MIN, MAX_APR_BPS, i64::MAX), None);
}

/// Owed after settling at each of `times` (ascending), starting at `start`.
fn settle_at_each(principal: u64, apr: u32, start: i64, times: &[i64]) -> Option<u128> {
    let mut snapshot = index_at(0, start, apr, start)?;
    let mut owed = 0u128;
    for &t in times {
        let index = index_at(0, start, apr, t)?;
        owed = owed.checked_add(earned_scaled(principal, snapshot, index)?)?;
        snapshot = index;
    }
    Some(owed)
}

proptest! {
    /// Settling at arbitrary intermediate times gives exactly the closed form: the index is
    /// a closed form of time, so settle frequency cannot create drift.
    #[test]
    fn accumulated_settles_equal_the_closed_form(
        principal in 0u64..=1_000_000_000_000_000,
        apr in 0u32..=MAX_APR_BPS,
        mut times in proptest::collection::vec(0i64..=10 * YEAR, 1..40),
    ) {
        times.sort_unstable();
        let end = *times.last().unwrap();
        let accumulated = settle_at_each(principal, apr, 0, &times).unwrap();
        let closed = u128::from(closed_form_reward(principal, apr, end).unwrap());
        prop_assert_eq!(accumulated / SCALE, closed);
    }

    /// Claiming (flooring) at every settle loses at most one base unit per claim, and never
    /// pays more than the closed form.
    #[test]
    fn claiming_at_every_settle_is_bounded_by_the_closed_form(
        principal in 0u64..=1_000_000_000_000_000,
        apr in 0u32..=MAX_APR_BPS,
        mut times in proptest::collection::vec(0i64..=10 * YEAR, 1..40),
    ) {
        times.sort_unstable();
        let end = *times.last().unwrap();
        let mut snapshot = 0u128;
        let mut owed = 0u128;
        let mut paid = 0u128;
        for &t in &times {
            let index = index_at(0, 0, apr, t).unwrap();
            owed += earned_scaled(principal, snapshot, index).unwrap();
            snapshot = index;
            let payout = payable_units(owed);
            owed -= to_scaled(payout).unwrap();
            paid += u128::from(payout);
        }
        let closed = u128::from(closed_form_reward(principal, apr, end).unwrap());
        prop_assert!(paid <= closed);
        prop_assert!(closed - paid <= 1, "paid {} closed {}", paid, closed);
    }

    /// The index never decreases as time moves forward.
    #[test]
    fn index_is_monotonic_in_time(
        index_cp in 0u128..=SCALE * 1_000,
        t_cp in -YEAR..=YEAR,
        apr in 0u32..=MAX_APR_BPS,
        a in -YEAR..=100 * YEAR,
        b in -YEAR..=100 * YEAR,
    ) {
        let (early, late) = (a.min(b), a.max(b));
        let i_early = index_at(index_cp, t_cp, apr, early).unwrap();
        let i_late = index_at(index_cp, t_cp, apr, late).unwrap();
        prop_assert!(i_early <= i_late);
        prop_assert!(i_early >= index_cp);
    }

    /// Any u64 amount at any APR up to the maximum over up to 100 years: a value that matches
    /// a 256-bit reference, or None. Never a panic, never a wrapped value.
    #[test]
    fn extremes_give_a_correct_value_or_overflow(
        principal in prop_oneof![Just(u64::MAX), any::<u64>()],
        apr in prop_oneof![Just(MAX_APR_BPS), 0u32..=MAX_APR_BPS],
        seconds in prop_oneof![Just(100 * YEAR), 0i64..=100 * YEAR],
    ) {
        let index = index_at(0, 0, apr, seconds).unwrap();
        // index ≤ 1_000 × SCALE < 2^70, principal < 2^64: the exact product fits in 134 bits.
        let (hi, lo) = wide_mul(u128::from(principal), index);
        match earned_scaled(principal, 0, index) {
            Some(owed) => prop_assert!(hi == 0 && owed == lo),
            None => prop_assert!(hi != 0),
        }
    }

    /// Liability in O(1) equals the sum of individually settled positions.
    #[test]
    fn aggregate_liability_equals_the_sum_of_positions(
        stakes in proptest::collection::vec((0u64..=1_000_000_000_000, 0i64..=YEAR), 1..20),
        apr in 0u32..=MAX_APR_BPS,
        end_offset in 0i64..=YEAR,
    ) {
        // Each position enters at its own time; the pool accrues at each entry.
        let mut entries = stakes.clone();
        entries.sort_by_key(|&(_, t)| t);
        let mut total_owed = 0u128;
        let mut total_staked = 0u64;
        let mut accrued_index = 0u128;
        let mut snapshots = Vec::new();
        for &(amount, t) in &entries {
            let index = index_at(0, 0, apr, t).unwrap();
            total_owed = liability_scaled(total_owed, total_staked, accrued_index, index).unwrap();
            accrued_index = index;
            total_staked += amount;
            snapshots.push((amount, index));
        }
        let end = entries.last().unwrap().1 + end_offset;
        let index = index_at(0, 0, apr, end).unwrap();
        let aggregate = liability_scaled(total_owed, total_staked, accrued_index, index).unwrap();
        let sum: u128 = snapshots
            .iter()
            .map(|&(amount, snap)| earned_scaled(amount, snap, index).unwrap())
            .sum();
        prop_assert_eq!(aggregate, sum);
    }
}

#[test]
fn daily_claims_for_a_year_match_one_claim_within_a_unit_each() {
    let principal = 1_000_000_000_000u64;
    let times: Vec<i64> = (1..=365).map(|d| d * DAY).collect();
    let one = closed_form_reward(principal, 1_000, YEAR).unwrap();
    let mut snapshot = 0u128;
    let mut owed = 0u128;
    let mut paid = 0u64;
    for t in times {
        let index = index_at(0, 0, 1_000, t).unwrap();
        owed += earned_scaled(principal, snapshot, index).unwrap();
        snapshot = index;
        let payout = payable_units(owed);
        owed -= to_scaled(payout).unwrap();
        paid += payout;
    }
    assert!(
        paid <= one && one - paid <= 365,
        "paid {paid}, one claim {one}"
    );
}

/// 128 × 128 → 256-bit product as (high, low) halves: the reference for overflow tests.
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    let mask = u128::from(u64::MAX);
    let (a_hi, a_lo) = (a >> 64, a & mask);
    let (b_hi, b_lo) = (b >> 64, b & mask);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    let cross = (lo_lo >> 64) + (hi_lo & mask) + (lo_hi & mask);
    let lo = (lo_lo & mask) | (cross << 64);
    let hi = hi_hi + (hi_lo >> 64) + (lo_hi >> 64) + (cross >> 64);
    (hi, lo)
}
