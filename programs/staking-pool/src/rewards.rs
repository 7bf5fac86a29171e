//! Reward math: pure functions over integers (and `Owed`, a plain pair of integers that only
//! derives serialization), no Anchor account types, so it is unit- and property-tested on the
//! host.
//!
//! Model. A global index `I(t)` grows linearly at `apr_bps / (10_000 × YEAR)` per second per
//! base unit of earning principal, scaled by `SCALE`; principal is held in shares
//! (`principal.rs`), so the index grows per share by that times a share's worth, which changes
//! only at a checkpoint. A position earns `staked shares × (I(now) − snapshot)` scaled units
//! between two settles. Rounding:
//! - `index_at` floors once per APR checkpoint (not per settle), so settling every second or
//!   once a year reads the same index: no cumulative drift from settle frequency.
//! - settles keep the owed amount exact, whole units and fraction (no rounding at all);
//! - a payout is the whole units owed, the fraction stays owed.
//!
//! Every rounding is down, i.e. in the pool's favour.
//!
//! Width. An owed amount is `Owed`: whole base units in a u128 plus the fraction of one below
//! `SCALE`. The index is computed year by year (`index_at`), and a settle splits the index
//! delta into whole and fractional parts, so no u64 stake at any APR up to the maximum over
//! any span an i64 clock can express overflows anything: the largest owed amount, u64::MAX
//! at 1,000 % for 2.9e11 years, is about 5e31 units, far below u128::MAX. Reward arithmetic
//! therefore never fails, and principal exit never depends on it. Every
//! function is still checked and returns `None` on overflow; handlers turn that into
//! `MathOverflow`.

use anchor_lang::prelude::{AnchorDeserialize, AnchorSerialize, InitSpace};

use crate::constants::{BPS_DENOMINATOR, SCALE, SECONDS_PER_YEAR};

/// `SCALE` as the type of `Owed::frac`.
const SCALE_U64: u64 = SCALE as u64;

/// An owed reward amount: `units` whole base units plus `frac / SCALE` of one (`frac < SCALE`).
/// Kept exact: no remainder is ever lost between settles and claims.
#[derive(
    AnchorSerialize,
    AnchorDeserialize,
    InitSpace,
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
)]
pub struct Owed {
    pub units: u128,
    pub frac: u64,
}

impl Owed {
    pub const ZERO: Owed = Owed { units: 0, frac: 0 };

    pub fn from_units(units: u64) -> Owed {
        Owed {
            units: u128::from(units),
            frac: 0,
        }
    }

    pub fn checked_add(self, other: Owed) -> Option<Owed> {
        // Both fractions are below SCALE (1e18), so their sum fits a u64 (max 1.8e19).
        let frac = self.frac.checked_add(other.frac)?;
        let (carry, frac) = if frac >= SCALE_U64 {
            (1, frac - SCALE_U64)
        } else {
            (0, frac)
        };
        let units = self.units.checked_add(other.units)?.checked_add(carry)?;
        Some(Owed { units, frac })
    }

    pub fn checked_sub(self, other: Owed) -> Option<Owed> {
        let (borrow, frac) = if self.frac >= other.frac {
            (0, self.frac - other.frac)
        } else {
            (1, self.frac + SCALE_U64 - other.frac)
        };
        let units = self.units.checked_sub(other.units)?.checked_sub(borrow)?;
        Some(Owed { units, frac })
    }

    /// Whole base units this can pay; the fraction stays owed. Saturates at u64::MAX: nobody
    /// can be paid more than that in one transfer, and what is left stays owed.
    pub fn payable_units(self) -> u64 {
        u64::try_from(self.units).unwrap_or(u64::MAX)
    }

    /// Whole base units, a fraction counting as one (for reports that must not understate).
    pub fn units_rounded_up(self) -> u128 {
        self.units.saturating_add(u128::from(self.frac > 0))
    }
}

/// Index at `now` while a share is worth a base unit (no loss recognised): see
/// `share_index_at`.
pub fn index_at(index_cp: u128, t_cp: i64, apr_bps: u32, now: i64) -> Option<u128> {
    share_index_at(index_cp, t_cp, apr_bps, SCALE, now)
}

/// Index at `now`, per share of principal worth `principal_index / SCALE` base units
/// (`principal.rs`), from the checkpoint `(index_cp, t_cp)` and the APR and principal index in
/// force since then (both change only at a checkpoint). A `now` at or before the checkpoint
/// accrues nothing.
///
/// `floor(apr × Δt × principal_index / (10_000 × YEAR))`, computed as whole years plus the
/// rest, each floored once: at a principal index of `SCALE` a whole year adds exactly
/// `apr × SCALE / 10_000` (SCALE is a multiple of 10_000), so the split floors once, like the
/// formula. No intermediate exceeds u128 for any i64 span.
pub fn share_index_at(
    index_cp: u128,
    t_cp: i64,
    apr_bps: u32,
    principal_index: u128,
    now: i64,
) -> Option<u128> {
    if now <= t_cp {
        return Some(index_cp);
    }
    let elapsed = u128::try_from(i128::from(now) - i128::from(t_cp)).ok()?;
    let (years, rest) = (elapsed / SECONDS_PER_YEAR, elapsed % SECONDS_PER_YEAR);
    let per_share = u128::from(apr_bps).checked_mul(principal_index)?;
    let growth = per_share
        .checked_mul(years)?
        .checked_div(BPS_DENOMINATOR)?
        .checked_add(per_share.checked_mul(rest)? / (BPS_DENOMINATOR * SECONDS_PER_YEAR))?;
    index_cp.checked_add(growth)
}

/// Rewards earned by `staked` while the index moved from `snapshot` to `index`, exactly.
/// The caller guarantees `index ≥ snapshot` (the pool's index never goes back).
/// `staked × Δ` is split as `staked × ⌊Δ/SCALE⌋` whole units plus `staked × (Δ mod SCALE)`
/// scaled, which is below 2^124: nothing wider than u128 is needed.
pub fn earned(staked: u64, snapshot: u128, index: u128) -> Option<Owed> {
    let delta = index.checked_sub(snapshot)?;
    let staked = u128::from(staked);
    let scaled_part = staked * (delta % SCALE);
    let units = staked
        .checked_mul(delta / SCALE)?
        .checked_add(scaled_part / SCALE)?;
    Some(Owed {
        units,
        frac: (scaled_part % SCALE) as u64,
    })
}

/// Total owed by the pool at `index`, in O(1): the owed amount accrued up to `accrued_index`
/// plus what every earning unit has earned since.
pub fn liability(
    total_owed: Owed,
    total_staked: u64,
    accrued_index: u128,
    index: u128,
) -> Option<Owed> {
    total_owed.checked_add(earned(total_staked, accrued_index, index)?)
}

/// Closed-form reward for `principal` over `seconds` at `apr_bps`, floored: what a single
/// settle at the end pays. Used by tests and by the client's projections.
pub fn closed_form_reward(principal: u64, apr_bps: u32, seconds: i64) -> Option<u64> {
    let index = index_at(0, 0, apr_bps, seconds)?;
    u64::try_from(earned(principal, 0, index)?.units).ok()
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
