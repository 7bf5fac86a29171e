//! Exchange-rate math: pure functions, no Anchor types.
//!
//! The rate (liquidity per share, scaled by RATE_SCALE) grows linearly from its checkpoint:
//! `rate(t) = rate_cp + rate_cp × apr_bps × (t − t_cp) / (10_000 × YEAR)` (floor). Shares are
//! rounded in the market's favour: a deposit buys `floor(amount / rate)` shares, a
//! withdrawal burns `ceil(amount / rate)`, a holding is worth `floor(shares × rate)`.

use crate::constants::{BPS_DENOMINATOR, RATE_SCALE, SECONDS_PER_YEAR};

pub fn rate_at(rate_cp: u128, t_cp: i64, apr_bps: u32, now: i64) -> Option<u128> {
    if now <= t_cp {
        return Some(rate_cp);
    }
    let elapsed = u128::try_from(now.checked_sub(t_cp)?).ok()?;
    let growth = rate_cp
        .checked_mul(u128::from(apr_bps))?
        .checked_mul(elapsed)?
        / (BPS_DENOMINATOR * SECONDS_PER_YEAR);
    rate_cp.checked_add(growth)
}

/// Shares a deposit of `amount` buys (rounded down).
pub fn shares_for_deposit(amount: u64, rate: u128) -> Option<u64> {
    let shares = u128::from(amount).checked_mul(RATE_SCALE)? / rate;
    u64::try_from(shares).ok()
}

/// Shares a withdrawal of `amount` burns (rounded up).
pub fn shares_for_withdrawal(amount: u64, rate: u128) -> Option<u64> {
    let shares = u128::from(amount).checked_mul(RATE_SCALE)?.div_ceil(rate);
    u64::try_from(shares).ok()
}

/// Liquidity `shares` are worth (rounded down).
pub fn value_of(shares: u64, rate: u128) -> Option<u64> {
    let value = u128::from(shares).checked_mul(rate)? / RATE_SCALE;
    u64::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const YEAR: i64 = 365 * 86_400;

    #[test]
    fn a_year_at_eight_percent_grows_the_rate_by_exactly_eight_percent() {
        let rate = rate_at(RATE_SCALE, 0, 800, YEAR).unwrap();
        assert_eq!(rate, RATE_SCALE * 108 / 100);
        assert_eq!(value_of(800, rate), Some(864));
    }

    #[test]
    fn time_before_the_checkpoint_does_not_move_the_rate() {
        assert_eq!(rate_at(RATE_SCALE, 100, 800, 50), Some(RATE_SCALE));
    }

    proptest! {
        /// Depositing then withdrawing the value never returns more than was deposited, and a
        /// withdrawal never burns fewer shares than its value.
        #[test]
        fn rounding_favours_the_market(
            amount in 1u64..=1_000_000_000_000_000,
            apr in 0u32..=crate::constants::MAX_SUPPLY_APR_BPS,
            elapsed in 0i64..=10 * YEAR,
        ) {
            let rate = rate_at(RATE_SCALE, 0, apr, elapsed).unwrap();
            let shares = shares_for_deposit(amount, rate).unwrap();
            let value = value_of(shares, rate).unwrap();
            prop_assert!(value <= amount);
            let burned = shares_for_withdrawal(value, rate).unwrap();
            prop_assert!(burned <= shares);
            prop_assert!(u128::from(burned) * rate >= u128::from(value) * RATE_SCALE);
        }

        #[test]
        fn the_rate_never_decreases(
            apr in 0u32..=crate::constants::MAX_SUPPLY_APR_BPS,
            a in 0i64..=100 * YEAR,
            b in 0i64..=100 * YEAR,
        ) {
            let (early, late) = (a.min(b), a.max(b));
            prop_assert!(rate_at(RATE_SCALE, 0, apr, early).unwrap() <= rate_at(RATE_SCALE, 0, apr, late).unwrap());
        }
    }
}
