//! Projecting a pool's and a position's reward state to a moment, exactly as the program would
//! settle it then. Pure functions over decoded accounts.
use staking_pool::rewards::{self, Owed};
use staking_pool::state::{Pool, Position};

/// The pool's reward and allocation figures at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolFigures {
    /// Principal in base units, at the pool's principal index (written down by every loss
    /// recognised).
    pub total_staked: u64,
    pub total_unbonding: u64,
    /// Σ market losses written off principal so far.
    pub losses: u64,
    /// What a base unit of principal deposited before any loss is worth now, in millionths
    /// (1,000,000 until a loss; rounded down).
    pub principal_ppm: u64,
    pub idle: u64,
    pub lent: u64,
    /// What the reward books hold for payouts.
    pub reward_balance: u64,
    /// Owed to every position at `now`, whole base units rounded up (exact at any size).
    pub liability: u128,
    /// Seconds until the reward books no longer cover what is owed; `None` = never.
    pub runway_seconds: Option<u64>,
    pub rewards_paid: u64,
}

/// The pool's index at `now` (the pool never runs its clock backwards).
pub fn index_at(pool: &Pool, now: i64) -> Option<u128> {
    let now = now.max(pool.last_update_ts);
    rewards::share_index_at(
        pool.index_checkpoint.get(),
        pool.checkpoint_ts,
        pool.apr_bps,
        pool.principal_index(),
        now,
    )
}

/// Everything the pool owes at `now`, exactly: O(1) from the pool account.
pub fn liability_at(pool: &Pool, now: i64) -> Option<Owed> {
    let index = index_at(pool, now)?;
    rewards::liability(
        pool.total_owed(),
        pool.total_staked_shares,
        pool.accrued_index(),
        index,
    )
}

/// What `position` is owed at `now`, exactly as a settle then would make it.
pub fn owed_at(pool: &Pool, position: &Position, now: i64) -> Option<Owed> {
    let index = index_at(pool, now)?;
    let earned = rewards::earned(position.staked_shares, position.index_snapshot.get(), index)?;
    position.owed().checked_add(earned)
}

pub fn pool_figures(pool: &Pool, now: i64) -> Option<PoolFigures> {
    // Reported in whole units rounded up (never understating what is owed), exact at any size.
    let liability = liability_at(pool, now)?.units_rounded_up();
    let reward_balance = pool.reward_balance()?;
    Some(PoolFigures {
        total_staked: pool.total_staked(),
        total_unbonding: pool.total_unbonding(),
        losses: pool.total_losses,
        principal_ppm: u64::try_from(
            pool.principal_index() / (staking_pool::constants::SCALE / 1_000_000),
        )
        .unwrap_or(u64::MAX),
        idle: pool.idle_principal()?,
        lent: pool.lent_principal,
        reward_balance,
        liability,
        runway_seconds: rewards::runway_seconds(
            reward_balance,
            // Beyond a u64 no reward balance covers it: the runway is zero either way.
            u64::try_from(liability).unwrap_or(u64::MAX),
            pool.total_staked(),
            pool.apr_bps,
        ),
        rewards_paid: pool.total_rewards_paid,
    })
}

/// A warning when the reward books cannot keep the promise: they already hold less than is
/// owed, or they run dry before a depositor who starts to leave now is out (unbonding plus
/// notice). `None` when the runway is longer, or nothing accrues.
pub fn underfunded(pool: &Pool, figures: &PoolFigures) -> Option<String> {
    let runway = figures.runway_seconds?;
    let leaving = pool
        .limits
        .unbonding_period
        .saturating_add(pool.limits.notice_period)
        .max(0) as u64;
    if runway == 0 {
        Some("UNDERFUNDED: the reward vault holds less than is owed now; claims pay what it holds and the rest stays owed until the pool is funded".to_string())
    } else if runway < leaving {
        Some(format!(
            "UNDERFUNDED: the reward vault runs dry in {}, before a depositor who starts to leave now is out ({}); what it cannot pay stays owed",
            format_duration(runway),
            format_duration(leaving)
        ))
    } else {
        None
    }
}

/// A position's figures at `now`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PositionFigures {
    pub staked: u64,
    pub unbonding: u64,
    pub unlock_ts: i64,
    /// Owed at `now`, whole base units (rounded down, as a claim pays), exact at any size.
    pub owed: u128,
    /// What a claim at `now` pays: owed, limited by the reward books and by what one transfer
    /// can move (u64::MAX base units); the rest stays owed.
    pub claimable: u64,
    pub claimed: u64,
    /// Whether the unbonding amount can be withdrawn now (its time has come, or the pool has
    /// no unbonding period any more).
    pub unlocked: bool,
}

pub fn position_figures(pool: &Pool, position: &Position, now: i64) -> Option<PositionFigures> {
    let owed = owed_at(pool, position, now)?.units;
    Some(PositionFigures {
        staked: pool.principal_value(position.staked_shares),
        unbonding: pool.principal_value(position.unbonding_shares),
        unlock_ts: position.unlock_ts,
        unlocked: now.max(pool.last_update_ts) >= position.unlock_ts
            || pool.limits.unbonding_period == 0,
        owed,
        claimable: u64::try_from(owed)
            .unwrap_or(u64::MAX)
            .min(pool.reward_balance()?),
        claimed: position.total_claimed,
    })
}

/// "2026-12-10 16:12 UTC": a unix time as a calendar date and time for people.
pub fn format_utc(unix: i64) -> String {
    let (year, month, day, seconds) = civil(unix);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        seconds / 3_600,
        seconds % 3_600 / 60
    )
}

/// "2026-12-10T16:12:00Z": a unix time in RFC 3339, for JSON beside the unix seconds.
pub fn format_rfc3339(unix: i64) -> String {
    let (year, month, day, seconds) = civil(unix);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

/// A unix time's (year, month, day, seconds into the day), proleptic Gregorian, days counted
/// from 1970-01-01 by the civil-from-days algorithm.
fn civil(unix: i64) -> (i64, i64, i64, i64) {
    let (days, seconds) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day, seconds)
}

/// "3y 41d", "12d 4h", "5h 3m", "42s": a runway or a lock for people.
pub fn format_duration(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const YEAR: u64 = 365 * DAY;
    let pair = |big: u64, big_unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{big}{big_unit}")
        } else {
            format!("{big}{big_unit} {small}{small_unit}")
        }
    };
    match seconds {
        s if s >= YEAR => pair(s / YEAR, "y", (s % YEAR) / DAY, "d"),
        s if s >= DAY => pair(s / DAY, "d", (s % DAY) / HOUR, "h"),
        s if s >= HOUR => pair(s / HOUR, "h", (s % HOUR) / MINUTE, "m"),
        s if s >= MINUTE => pair(s / MINUTE, "m", s % MINUTE, "s"),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owed_beyond_a_u64_is_exact_and_a_claim_pays_what_one_transfer_can() {
        // A 12-decimal whale owed 3,999,000,000 tokens: 3.999e21 base units, past u64::MAX.
        let mut pool: Pool = bytemuck::Zeroable::zeroed();
        pool.principal_index = staking_pool::constants::SCALE.into();
        pool.total_rewards_funded = u64::MAX;
        let mut position: Position = bytemuck::Zeroable::zeroed();
        let owed = 3_999_000_000u128 * 10u128.pow(12);
        position.owed = Owed {
            units: owed,
            frac: 0,
        }
        .into();
        pool.total_owed = position.owed;
        let figures = position_figures(&pool, &position, 0).unwrap();
        assert_eq!(figures.owed, owed);
        assert_eq!(figures.claimable, u64::MAX);
        assert_eq!(pool_figures(&pool, 0).unwrap().liability, owed);
    }

    #[test]
    fn unix_times_read_as_utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_796_315_520), "2026-12-03 16:32 UTC");
        assert_eq!(format_utc(-86_400), "1969-12-31 00:00 UTC");
        assert_eq!(format_rfc3339(1_796_315_521), "2026-12-03T16:32:01Z");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42), "42s");
        assert_eq!(format_duration(3 * 3600 + 120), "3h 2m");
        assert_eq!(format_duration(12 * 86_400 + 4 * 3600), "12d 4h");
        assert_eq!(format_duration(3 * 365 * 86_400 + 41 * 86_400), "3y 41d");
        assert_eq!(format_duration(90 * 86_400), "90d");
        assert_eq!(format_duration(365 * 86_400), "1y");
    }
}
