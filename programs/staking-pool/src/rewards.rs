//! Reward math: pure functions over integers, no Anchor types, so it is unit- and
//! property-tested on the host.
//!
//! Model. A global index `I(t)` grows linearly at `apr_bps / (10_000 × YEAR)` per second per
//! staked unit, scaled by `SCALE`. A position earns `staked × (I(now) − snapshot)` scaled
//! units between two settles. Rounding:
//! - `index_at` floors once per APR checkpoint (not per settle), so settling every second or
//!   once a year reads the same index: no cumulative drift from settle frequency.
//! - settles keep the owed amount scaled (no rounding at all);
//! - a payout is `floor(owed_scaled / SCALE)`, the remainder stays owed.
//!
//! Every rounding is down, i.e. in the pool's favour.
//!
//! Overflow. Every function is checked and returns `None` on overflow; handlers turn that into
//! `MathOverflow`. `staked × Δindex` is computed in u128: if it does not fit, the owed amount
//! is above `u128::MAX / SCALE` ≈ 3.4e20 base units, more than any u64 payout, so refusing is
//! the correct answer rather than a loss of precision.

use crate::constants::{BPS_DENOMINATOR, SCALE, SECONDS_PER_YEAR};

/// Index at `now`, from the checkpoint `(index_cp, t_cp)` and the APR in force since then.
/// A `now` at or before the checkpoint accrues nothing.
pub fn index_at(index_cp: u128, t_cp: i64, apr_bps: u32, now: i64) -> Option<u128> {
    if now <= t_cp {
        return Some(index_cp);
    }
    let elapsed = u128::try_from(now.checked_sub(t_cp)?).ok()?;
    let growth = u128::from(apr_bps)
        .checked_mul(elapsed)?
        .checked_mul(SCALE)?
        .checked_div(BPS_DENOMINATOR * SECONDS_PER_YEAR)?;
    index_cp.checked_add(growth)
}

/// Scaled rewards earned by `staked` while the index moved from `snapshot` to `index`.
/// The caller guarantees `index ≥ snapshot` (the pool's index never goes back).
pub fn earned_scaled(staked: u64, snapshot: u128, index: u128) -> Option<u128> {
    u128::from(staked).checked_mul(index.checked_sub(snapshot)?)
}

/// Whole base units that `owed_scaled` can pay; the remainder below `SCALE` stays owed.
/// Saturates at u64::MAX: nobody can be paid more than that in one transfer anyway.
pub fn payable_units(owed_scaled: u128) -> u64 {
    u64::try_from(owed_scaled / SCALE).unwrap_or(u64::MAX)
}

/// Scaled form of a whole number of base units.
pub fn to_scaled(units: u64) -> Option<u128> {
    u128::from(units).checked_mul(SCALE)
}

/// Total owed by the pool at `index`, in O(1): the owed amount accrued up to `accrued_index`
/// plus what every earning unit has earned since.
pub fn liability_scaled(
    total_owed_scaled: u128,
    total_staked: u64,
    accrued_index: u128,
    index: u128,
) -> Option<u128> {
    total_owed_scaled.checked_add(earned_scaled(total_staked, accrued_index, index)?)
}

/// Closed-form reward for `principal` over `seconds` at `apr_bps`, floored: what a single
/// settle at the end pays. Used by tests and by the client's projections.
pub fn closed_form_reward(principal: u64, apr_bps: u32, seconds: i64) -> Option<u64> {
    let index = index_at(0, 0, apr_bps, seconds)?;
    let owed = earned_scaled(principal, 0, index)?;
    u64::try_from(owed / SCALE).ok()
}

/// Seconds until the reward vault can no longer cover what is owed, at the current rate.
/// `None` means never (nothing is earning, or the APR is zero). Zero means it is already short.
/// Rounded down: the reported runway is never longer than the real one.
pub fn runway_seconds(
    reward_balance: u64,
    liability_units: u64,
    total_staked: u64,
    apr_bps: u32,
) -> Option<u64> {
    if reward_balance < liability_units {
        return Some(0);
    }
    let per_year = u128::from(total_staked).checked_mul(u128::from(apr_bps))?;
    if per_year == 0 {
        return None;
    }
    let surplus = u128::from(reward_balance - liability_units);
    // surplus / (per_year / (BPS × YEAR)) = surplus × BPS × YEAR / per_year
    let seconds = surplus
        .checked_mul(BPS_DENOMINATOR * SECONDS_PER_YEAR)
        .map(|scaled| scaled / per_year)
        .unwrap_or(u128::MAX);
    Some(u64::try_from(seconds).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests;
