//! Unit and property tests of the reward math.
use super::*;
use crate::constants::{BPS_DENOMINATOR, MAX_APR_BPS, SCALE, SECONDS_PER_YEAR};
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
    let owed = Owed { units: 5, frac: 7 };
    assert_eq!(owed.payable_units(), 5);
    assert_eq!(
        owed.checked_sub(Owed::from_units(5)),
        Some(Owed { units: 0, frac: 7 })
    );
    assert_eq!(owed.units_rounded_up(), 6);
    // A whole amount is reported as it is: rounding up adds a unit only for a fraction.
    assert_eq!(Owed::from_units(5).units_rounded_up(), 5);
}

#[test]
fn subtracting_a_smaller_fraction_leaves_the_difference() {
    let owed = Owed { units: 3, frac: 7 };
    assert_eq!(
        owed.checked_sub(Owed { units: 1, frac: 5 }),
        Some(Owed { units: 2, frac: 2 })
    );
}

#[test]
fn subtracting_a_larger_fraction_borrows_a_unit() {
    let owed = Owed { units: 3, frac: 2 };
    let less = Owed { units: 1, frac: 5 };
    assert_eq!(
        owed.checked_sub(less),
        Some(Owed {
            units: 1,
            frac: (SCALE as u64) - 3
        })
    );
}

#[test]
fn owed_fractions_carry_and_borrow_exactly() {
    let almost = Owed {
        units: 1,
        frac: (SCALE - 1) as u64,
    };
    let sum = almost.checked_add(Owed { units: 0, frac: 2 }).unwrap();
    assert_eq!(sum, Owed { units: 2, frac: 1 });
    assert_eq!(sum.checked_sub(Owed { units: 0, frac: 2 }), Some(almost));
    assert_eq!(
        Owed { units: 0, frac: 1 }.checked_sub(Owed::from_units(1)),
        None
    );
    // More than a u64 of units saturates a payout; the rest stays owed.
    assert_eq!(
        Owed::from_units(u64::MAX)
            .checked_add(Owed::from_units(1))
            .unwrap()
            .payable_units(),
        u64::MAX
    );
}

#[test]
fn runway_of_an_idle_or_zero_rate_pool_is_unbounded() {
    assert_eq!(runway_seconds(100, 0, 0, 1_000), None);
    assert_eq!(runway_seconds(100, 0, 1_000, 0), None);
    // Nothing earns, but what is owed already exceeds the books: short now.
    assert_eq!(runway_seconds(5, 10, 0, 1_000), Some(0));
    // Exactly funded and nothing earning: it never runs short (not "short now").
    assert_eq!(runway_seconds(10, 10, 0, 1_000), None);
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
fn u64_max_at_max_apr_over_a_century_is_owed_exactly() {
    let index = index_at(0, 0, MAX_APR_BPS, 100 * YEAR).expect("index fits in u128");
    assert_eq!(index, 1_000 * SCALE);
    // u64::MAX × 1,000: more than a u64, held exactly.
    let owed = earned(u64::MAX, 0, index).unwrap();
    assert_eq!(
        owed,
        Owed {
            units: u128::from(u64::MAX) * 1_000,
            frac: 0
        }
    );
    assert_eq!(owed.payable_units(), u64::MAX);
    // The closed form, a single u64 payout, says it does not fit one transfer.
    assert_eq!(closed_form_reward(u64::MAX, MAX_APR_BPS, 100 * YEAR), None);
}

#[test]
fn the_widest_span_an_i64_clock_has_is_still_exact() {
    let index = index_at(0, i64::MIN, MAX_APR_BPS, i64::MAX).expect("fits");
    let owed = earned(u64::MAX, 0, index).expect("fits");
    assert_eq!(as_wide(owed), wide_mul(u128::from(u64::MAX), index));
}

/// Owed after settling at each of `times` (ascending), starting at `start`.
fn settle_at_each(principal: u64, apr: u32, start: i64, times: &[i64]) -> Option<Owed> {
    let mut snapshot = index_at(0, start, apr, start)?;
    let mut owed = Owed::ZERO;
    for &t in times {
        let index = index_at(0, start, apr, t)?;
        owed = owed.checked_add(earned(principal, snapshot, index)?)?;
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
        prop_assert_eq!(accumulated.units, closed);
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
        let mut owed = Owed::ZERO;
        let mut paid = 0u128;
        for &t in &times {
            let index = index_at(0, 0, apr, t).unwrap();
            owed = owed.checked_add(earned(principal, snapshot, index).unwrap()).unwrap();
            snapshot = index;
            let payout = owed.payable_units();
            owed = owed.checked_sub(Owed::from_units(payout)).unwrap();
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

    /// Any u64 amount at any APR up to the maximum over any span an i64 clock has: exactly
    /// the 256-bit reference. Never None, never a panic, never a wrapped value.
    #[test]
    fn extremes_are_owed_exactly(
        principal in prop_oneof![Just(u64::MAX), any::<u64>()],
        apr in prop_oneof![Just(MAX_APR_BPS), 0u32..=MAX_APR_BPS],
        seconds in prop_oneof![Just(100 * YEAR), 0i64..=100 * YEAR, Just(i64::MAX), 0i64..=i64::MAX],
    ) {
        let index = index_at(0, 0, apr, seconds).unwrap();
        let owed = earned(principal, 0, index).unwrap();
        prop_assert!(u128::from(owed.frac) < SCALE);
        prop_assert_eq!(as_wide(owed), wide_mul(u128::from(principal), index));
    }

    /// The year-by-year index is the specification's single floor, wherever that fits u128.
    #[test]
    fn the_index_is_the_single_floor_of_the_spec(
        apr in 0u32..=MAX_APR_BPS,
        seconds in 0i64..=1_000 * YEAR,
    ) {
        let naive = u128::from(apr) * seconds as u128 * SCALE / (BPS_DENOMINATOR * SECONDS_PER_YEAR);
        prop_assert_eq!(index_at(0, 0, apr, seconds), Some(naive));
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
        let mut total_owed = Owed::ZERO;
        let mut total_staked = 0u64;
        let mut accrued_index = 0u128;
        let mut snapshots = Vec::new();
        for &(amount, t) in &entries {
            let index = index_at(0, 0, apr, t).unwrap();
            total_owed = liability(total_owed, total_staked, accrued_index, index).unwrap();
            accrued_index = index;
            total_staked += amount;
            snapshots.push((amount, index));
        }
        let end = entries.last().unwrap().1 + end_offset;
        let index = index_at(0, 0, apr, end).unwrap();
        let aggregate = liability(total_owed, total_staked, accrued_index, index).unwrap();
        let sum = snapshots
            .iter()
            .map(|&(amount, snap)| earned(amount, snap, index).unwrap())
            .fold(Owed::ZERO, |sum, owed| sum.checked_add(owed).unwrap());
        prop_assert_eq!(aggregate, sum);
    }
}

#[test]
fn daily_claims_for_a_year_match_one_claim_within_a_unit_each() {
    let principal = 1_000_000_000_000u64;
    let times: Vec<i64> = (1..=365).map(|d| d * DAY).collect();
    let one = closed_form_reward(principal, 1_000, YEAR).unwrap();
    let mut snapshot = 0u128;
    let mut owed = Owed::ZERO;
    let mut paid = 0u64;
    for t in times {
        let index = index_at(0, 0, 1_000, t).unwrap();
        owed = owed
            .checked_add(earned(principal, snapshot, index).unwrap())
            .unwrap();
        snapshot = index;
        let payout = owed.payable_units();
        owed = owed.checked_sub(Owed::from_units(payout)).unwrap();
        paid += payout;
    }
    assert!(
        paid <= one && one - paid <= 365,
        "paid {paid}, one claim {one}"
    );
}

/// `units × SCALE + frac` as a 256-bit (high, low) pair: an owed amount in the spec's scaled form.
fn as_wide(owed: Owed) -> (u128, u128) {
    let (hi, lo) = wide_mul(owed.units, SCALE);
    let (lo, carry) = lo.overflowing_add(u128::from(owed.frac));
    (hi + u128::from(carry), lo)
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
