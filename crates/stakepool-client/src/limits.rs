//! Pool limits as people write them: amounts in tokens, a cap of "none", a period like "7d".
//! The CLI's `create-pool`/`set-params` and the deploy configs read them the same way.
use staking_pool::constants::NO_DEPOSIT_CAP;
use staking_pool::state::PoolLimits;

use crate::amount::{format_ui_amount, parse_ui_amount};
use crate::client::ClientError;
use crate::duration::parse_offset;
use crate::projection::format_duration;

/// `base` with whatever was given replaced; what was not given keeps `base`'s value.
pub fn with_overrides(
    base: PoolLimits,
    decimals: u8,
    min_deposit: Option<&str>,
    deposit_cap: Option<&str>,
    unbonding_period: Option<&str>,
    notice_period: Option<&str>,
) -> Result<PoolLimits, ClientError> {
    let period = |text: Option<&str>, what: &str, base: i64| {
        text.map(|p| parse_offset(p).map_err(|e| ClientError::Failed(format!("{what}: {e}"))))
            .transpose()
            .map(|p| p.unwrap_or(base))
    };
    Ok(PoolLimits {
        min_deposit: min_deposit
            .map(|a| parse_ui_amount(a, decimals))
            .transpose()?
            .unwrap_or(base.min_deposit),
        deposit_cap: match deposit_cap {
            Some(cap) => parse_deposit_cap(cap, decimals)?,
            None => base.deposit_cap,
        },
        unbonding_period: period(unbonding_period, "unbonding period", base.unbonding_period)?,
        notice_period: period(notice_period, "notice period", base.notice_period)?,
        ..base
    })
}

/// A deposit cap in tokens, or "none".
pub fn parse_deposit_cap(text: &str, decimals: u8) -> Result<u64, crate::amount::AmountError> {
    match text {
        "none" => Ok(NO_DEPOSIT_CAP),
        cap => parse_ui_amount(cap, decimals),
    }
}

/// "min deposit 1, cap none, unbonding 7d, notice 14d": the limits, for people.
pub fn describe(limits: &PoolLimits, decimals: u8) -> String {
    let cap = if limits.deposit_cap == NO_DEPOSIT_CAP {
        "none".to_string()
    } else {
        format_ui_amount(limits.deposit_cap, decimals)
    };
    let notice = if limits.notice_period == 0 {
        "none (changes apply at once)".to_string()
    } else {
        format_duration(limits.notice_period as u64)
    };
    format!(
        "min deposit {}, cap {cap}, unbonding {}, notice {notice}",
        format_ui_amount(limits.min_deposit, decimals),
        format_duration(limits.unbonding_period.max(0) as u64)
    )
}
