//! Principal shares: pure functions over integers, no Anchor types.
//!
//! A position holds principal as shares of the pool's principal; a share is worth
//! `principal_index / SCALE` base units. The index starts at `SCALE` (a share is a base unit,
//! so until a loss every figure in shares equals the same figure in base units) and only ever
//! falls: a recognised market loss lowers it once for every share (`written_down_index`), which
//! writes every position down pro rata in O(1), settled lazily by reading the position's
//! shares at the new index. Σ position shares equals the pool's total exactly; only the
//! conversion to base units rounds, always in the pool's favour:
//! - a share holding is worth `floor(shares × index / SCALE)`;
//! - a deposit buys `floor(amount × SCALE / index)` shares;
//! - a withdrawal (or an unbonding request) moves `ceil(amount × SCALE / index)` shares, or
//!   all of a holding when it takes the holding's whole value (so no share dust is left);
//! - a write-down floors the new index, so depositors together lose at least the loss, and at
//!   most a base unit more per 10^18 shares.
//!
//! Widths: shares and amounts are u64 and the index at most `SCALE` (< 2^60), so every product
//! is below 2^124.

use crate::constants::SCALE;

/// Base units `shares` are worth at `index` (rounded down).
pub fn value_of(shares: u64, index: u128) -> u64 {
    // Until a loss the index is SCALE and a share is worth one base unit: the division below
    // would give `shares` exactly, and a 128-bit division costs hundreds of compute units.
    if index == SCALE {
        return shares;
    }
    // shares × index / SCALE ≤ shares, since the index never exceeds SCALE.
    u64::try_from(u128::from(shares) * index / SCALE).unwrap_or(u64::MAX)
}

/// Shares a deposit of `amount` buys at `index` (rounded down). `None` when the index is zero
/// (everything was written off) or the shares do not fit a u64.
pub fn shares_for_deposit(amount: u64, index: u128) -> Option<u64> {
    if index == 0 {
        return None;
    }
    // At SCALE a base unit buys one share: what the division gives, without it.
    if index == SCALE {
        return Some(amount);
    }
    u64::try_from(u128::from(amount) * SCALE / index).ok()
}

/// Shares to take out of a holding of `held` shares for `amount` base units of it (rounded up;
/// the whole holding when a non-zero `amount` is all it is worth). `None` when the holding is worth less.
pub fn shares_for_withdrawal(amount: u64, held: u64, index: u128) -> Option<u64> {
    if amount == 0 {
        return Some(0);
    }
    let worth = value_of(held, index);
    if amount > worth {
        return None;
    }
    if amount == worth {
        return Some(held);
    }
    // At SCALE each base unit is one share: what the division gives, without it.
    if index == SCALE {
        return Some(amount);
    }
    // amount < worth ≤ held × index / SCALE, so the index is not zero and the shares ≤ held.
    Some((u128::from(amount) * SCALE).div_ceil(index) as u64)
}

/// The index after a loss of `loss` base units out of `principal` (the value of every share
/// at `index`), rounded down. A loss of everything gives zero.
pub fn written_down_index(index: u128, principal: u64, loss: u64) -> u128 {
    if loss >= principal {
        return 0;
    }
    index * u128::from(principal - loss) / u128::from(principal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shortcuts at SCALE give what the general formulas give there.
    #[test]
    fn at_scale_every_shortcut_equals_the_division() {
        for amount in [0, 1, 2, 999, 1 << 40, u64::MAX - 1, u64::MAX] {
            let wide = u128::from(amount);
            assert_eq!(
                value_of(amount, SCALE),
                u64::try_from(wide * SCALE / SCALE).unwrap()
            );
            assert_eq!(
                shares_for_deposit(amount, SCALE),
                u64::try_from(wide * SCALE / SCALE).ok()
            );
            let up = u64::try_from((wide * SCALE).div_ceil(SCALE)).unwrap();
            assert_eq!(shares_for_withdrawal(amount, u64::MAX, SCALE), Some(up));
            // Just below SCALE the general path runs and rounds in the pool's favour.
            if amount > 1 {
                let below = u64::try_from(wide * (SCALE - 1) / SCALE).unwrap();
                assert_eq!(value_of(amount, SCALE - 1), below);
                assert!(below < amount);
            }
        }
    }

    #[test]
    fn before_any_loss_a_share_is_a_base_unit() {
        assert_eq!(value_of(1_234, SCALE), 1_234);
        assert_eq!(shares_for_deposit(1_234, SCALE), Some(1_234));
        assert_eq!(shares_for_withdrawal(1_000, 1_234, SCALE), Some(1_000));
        assert_eq!(shares_for_withdrawal(1_234, 1_234, SCALE), Some(1_234));
        assert_eq!(shares_for_withdrawal(1_235, 1_234, SCALE), None);
    }

    #[test]
    fn a_quarter_lost_writes_every_holding_down_by_a_quarter() {
        let index = written_down_index(SCALE, 1_000_000, 250_000);
        assert_eq!(index, SCALE * 3 / 4);
        assert_eq!(value_of(600_000, index), 450_000);
        assert_eq!(value_of(400_000, index), 300_000);
        // A newcomer buys at the written-down price: 300 buys 400 shares worth 300.
        assert_eq!(shares_for_deposit(300, index), Some(400));
    }

    #[test]
    fn everything_lost_leaves_nothing_to_buy_into() {
        assert_eq!(written_down_index(SCALE, 1_000, 1_000), 0);
        assert_eq!(value_of(1_000, 0), 0);
        assert_eq!(shares_for_deposit(5, 0), None);
        assert_eq!(shares_for_withdrawal(0, 1_000, 0), Some(0));
    }

    #[test]
    fn taking_the_whole_value_takes_the_share_dust_too() {
        // 3 shares at a third: worth 1; taking 1 takes all 3.
        let index = SCALE / 3;
        assert_eq!(value_of(3, index), 0);
        assert_eq!(value_of(4, index), 1);
        assert_eq!(shares_for_withdrawal(1, 4, index), Some(4));
        assert_eq!(shares_for_withdrawal(1, 7, index), Some(4));
    }

    proptest! {
        /// Depositing and taking the value out again never returns more than went in, and the
        /// shares taken never exceed the holding.
        #[test]
        fn rounding_favours_the_pool(
            amount in 1u64..=u64::MAX / 2,
            index in 1u128..=SCALE,
            part in 0u64..=u64::MAX,
        ) {
            let Some(shares) = shares_for_deposit(amount, index) else { return Ok(()); };
            let worth = value_of(shares, index);
            prop_assert!(worth <= amount);
            let take = part % (worth + 1);
            let taken = shares_for_withdrawal(take, shares, index).unwrap();
            prop_assert!(taken <= shares);
            // What is left is worth no more than what was not taken.
            prop_assert!(value_of(shares - taken, index) <= worth - take);
        }

        /// A write-down takes at least the loss from the holders together, and every holding
        /// bears the same fraction of it within one base unit.
        #[test]
        fn a_write_down_is_pro_rata(
            a in 1u64..=1_000_000_000_000_000,
            b in 1u64..=1_000_000_000_000_000,
            loss_bps in 0u64..=10_000,
        ) {
            let principal = value_of(a + b, SCALE);
            let loss = u64::try_from(u128::from(principal) * u128::from(loss_bps) / 10_000).unwrap();
            let index = written_down_index(SCALE, principal, loss);
            let total_after = value_of(a + b, index);
            prop_assert!(total_after <= principal - loss);
            for held in [a, b] {
                let exact = u128::from(held) * u128::from(principal - loss) / u128::from(principal);
                let after = u128::from(value_of(held, index));
                prop_assert!(after <= exact && exact - after <= 1);
            }
        }
    }
}
