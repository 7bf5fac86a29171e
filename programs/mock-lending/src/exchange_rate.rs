//! Exchange-rate math: pure functions, no Anchor types.
//!
//! The index rate (liquidity per share, scaled by RATE_SCALE) grows linearly from its
//! checkpoint: `rate(t) = rate_cp + rate_cp × apr_bps × (t − t_cp) / (10_000 × YEAR)` (floor).
//! That is what the market *promises*. What it *pays* is `payable_rate`: never more per share
//! than it holds (vault + outstanding loans, over all shares). So interest nobody funded is
//! never paid, an unfunded market pays every depositor exactly what they put in, a funded one
//! adds exactly the funded interest (up to the index), and no depositor can take another's:
//! every share is worth the same, and all shares together never more than the market holds.
//!
//! A deposit buys at the index rate, a withdrawal is paid at the payable rate: interest earned
//! before a deposit is never the depositor's, funded or not (a deposit placed just before
//! `fund_interest` buys none of it), and while interest is unfunded a newcomer pays the full
//! price for shares that pay less until it is funded.
//!
//! Shares are rounded in the market's favour: a deposit buys `floor(amount / rate)` shares, a
//! withdrawal burns `ceil(amount / rate)`, a holding is worth `floor(shares × rate)`. Buying at
//! the index (at least the backing per share) and burning at the payable rate (at most it)
//! never lower the backing per share, and borrowing or repaying moves liquidity between the
//! vault and the loans without changing it. Only a write-off (`simulate_default`) lowers the
//! payable rate: the loss falls on every share alike, as a real market socialises bad debt.

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

/// The rate the market pays: the index rate, but never more than its assets (vault plus
/// outstanding loans) per share (rounded down). With no shares outstanding there is nothing to
/// share: the index rate. `unbacked` markets pay the index whatever they hold: a lever of this
/// mock to simulate a market that promises more than it has, so the staking pool's own
/// defences can be tested (see `simulate_unbacked_index`).
pub fn payable_rate(
    index_rate: u128,
    assets: u128,
    total_shares: u64,
    unbacked: bool,
) -> Option<u128> {
    if unbacked || total_shares == 0 {
        return Some(index_rate);
    }
    let backing = assets.checked_mul(RATE_SCALE)? / u128::from(total_shares);
    Some(index_rate.min(backing))
}

/// Shares a deposit of `amount` buys (rounded down). `None` at a rate of zero (a market whose
/// every loan was written off has nothing to sell).
pub fn shares_for_deposit(amount: u64, rate: u128) -> Option<u64> {
    let shares = u128::from(amount)
        .checked_mul(RATE_SCALE)?
        .checked_div(rate)?;
    u64::try_from(shares).ok()
}

/// Shares a withdrawal of `amount` burns (rounded up). At a rate of zero (every loan written
/// off) no number of shares pays anything: `u64::MAX`, more than any receipt holds, so every
/// caller's "not enough shares" check refuses it by its own name.
pub fn shares_for_withdrawal(amount: u64, rate: u128) -> Option<u64> {
    if amount == 0 {
        return Some(0);
    }
    if rate == 0 {
        return Some(u64::MAX);
    }
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
    fn an_unfunded_market_pays_what_was_put_in() {
        // 80,000 lent at 1.0, a year at 8 %: the index says 1.08, the vault holds 80,000.
        let index = rate_at(RATE_SCALE, 0, 800, YEAR).unwrap();
        let rate = payable_rate(index, 80_000, 80_000, false).unwrap();
        assert_eq!(rate, RATE_SCALE);
        assert_eq!(value_of(80_000, rate), Some(80_000));
        // Half the interest funded: half of it is paid.
        let rate = payable_rate(index, 83_200, 80_000, false).unwrap();
        assert_eq!(value_of(80_000, rate), Some(83_200));
        // An unbacked market (the test lever) pays the index.
        assert_eq!(payable_rate(index, 80_000, 80_000, true), Some(index));
    }

    #[test]
    fn a_deposit_just_before_the_funding_buys_none_of_the_interest() {
        // 80,000 lent at 1.0 earned 6,400 over a year at 8 %, unfunded. 1,000,000 deposited just
        // before the funding buys at 1.08; after it, each side gets what it is owed.
        let index = rate_at(RATE_SCALE, 0, 800, YEAR).unwrap();
        let early = shares_for_deposit(80_000, RATE_SCALE).unwrap();
        let late = shares_for_deposit(1_000_000, index).unwrap();
        let assets = 80_000 + 1_000_000 + 6_400;
        let rate = payable_rate(index, assets, early + late, false).unwrap();
        assert_eq!(value_of(early, rate), Some(86_400));
        assert!(value_of(late, rate).unwrap() <= 1_000_000);
        assert!(value_of(late, rate).unwrap() >= 1_000_000 - 2);
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

        /// Whatever the depositors do, every share is paid the same and all of them together
        /// never more than the market holds; unfunded interest is never paid.
        #[test]
        fn the_payable_rate_never_promises_more_than_the_market_holds(
            first in 1u64..=1_000_000_000_000,
            second in 1u64..=1_000_000_000_000,
            funded in 0u64..=1_000_000_000,
            apr in 0u32..=crate::constants::MAX_SUPPLY_APR_BPS,
            elapsed in 0i64..=10 * YEAR,
        ) {
            // First depositor at 1.0; time passes; maybe some interest is funded; a second
            // depositor buys at the index.
            let mut assets = u128::from(first);
            let mut shares = shares_for_deposit(first, RATE_SCALE).unwrap();
            let index = rate_at(RATE_SCALE, 0, apr, elapsed).unwrap();
            assets += u128::from(funded);
            let before = payable_rate(index, assets, shares, false).unwrap();
            prop_assert!(before <= index);
            let bought = shares_for_deposit(second, index).unwrap();
            assets += u128::from(second);
            shares += bought;
            let rate = payable_rate(index, assets, shares, false).unwrap();
            prop_assert!(u128::from(value_of(shares, rate).unwrap()) <= assets);
            // The first depositor's shares are worth no less than before the second came, and
            // never more than the index promised them.
            let first_value = value_of(shares - bought, rate).unwrap();
            prop_assert!(first_value >= value_of(shares - bought, before).unwrap());
            prop_assert!(first_value >= first);
            prop_assert!(first_value <= value_of(shares - bought, index).unwrap());
            // The second never gets more than they put in: the interest before them is not theirs.
            prop_assert!(value_of(bought, rate).unwrap() <= second);
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
