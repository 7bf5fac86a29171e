//! The pool's limits as people write them, declared once for every front end: the CLI's
//! `create-pool` and `set-params` (flags, `#[command(flatten)]`), the deploy config and the
//! simulator's scenarios (a `limits` table). A limit's name, how it is written (tokens, a cap
//! of "none", a period like "7d"), and its bounds (the program's own `PoolLimits::validate`)
//! live here and nowhere else; a front end says only what the limits apply to.
use serde::Deserialize;
use staking_pool::constants::NO_DEPOSIT_CAP;
use staking_pool::errors::StakingError;
use staking_pool::state::{Change, PoolLimits};
use thiserror::Error;

use crate::amount::{format_ui_amount, parse_ui_amount};
use crate::duration::parse_offset;
use crate::projection::format_duration;

/// The pool's limits, each as written, or absent: an absent limit keeps the value of what the
/// settings apply to (the pool's current limits, or the defaults for a new pool: reserve
/// 10000 bps, no minimum deposit, no cap, no unbonding period, no notice period).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Share of principal kept idle, in basis points (0 to 10000); the rest may be lent
    #[arg(long, value_name = "BPS")]
    #[serde(default)]
    pub reserve_bps: Option<Written>,
    /// Smallest deposit, in tokens
    #[arg(long, value_name = "TOKENS")]
    #[serde(default)]
    pub min_deposit: Option<Written>,
    /// Largest total principal, in tokens, or "none"
    #[arg(long, value_name = "TOKENS|none")]
    #[serde(default)]
    pub deposit_cap: Option<Written>,
    /// Time between request-unbond and withdraw, like 7d or 12h, or 0 for none
    #[arg(long, value_name = "DURATION")]
    #[serde(default)]
    pub unbonding_period: Option<Written>,
    /// How long a change against depositors waits after its announcement, like 14d, or 0 for
    /// none (changes apply at once); a day longer than the unbonding period at least
    #[arg(long, value_name = "DURATION")]
    #[serde(default)]
    pub notice_period: Option<Written>,
}

/// A limit as written: on the command line, text; in TOML, text or a whole number (never a
/// float, which would lose decimals).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written(pub String);

impl std::str::FromStr for Written {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.to_string()))
    }
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Whole(i64),
            Float(f64),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Text(text) => Ok(Self(text)),
            Raw::Whole(whole) => Ok(Self(whole.to_string())),
            Raw::Float(float) => Err(serde::de::Error::custom(format!(
                "write {float} as a string (\"{float}\") so no decimal is lost"
            ))),
        }
    }
}

/// A limit that cannot be read or breaks the program's rules, named as the settings name it.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct LimitError {
    /// The limit's name (`min_deposit`); `limits` for a rule between two of them.
    pub field: &'static str,
    pub message: String,
}

/// One limit as written, read by `parse`; an error names the limit.
fn read<T>(
    written: &Option<Written>,
    field: &'static str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, LimitError> {
    written
        .as_ref()
        .map(|w| parse(w.0.trim()).map_err(|m| error(field, m)))
        .transpose()
}

fn error(field: &'static str, message: impl ToString) -> LimitError {
    LimitError {
        field,
        message: message.to_string(),
    }
}

/// The limits given, in the program's units, each `None` where absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LimitChange {
    pub reserve_bps: Option<u16>,
    pub min_deposit: Option<u64>,
    pub deposit_cap: Option<u64>,
    pub unbonding_period: Option<i64>,
    pub notice_period: Option<i64>,
}

impl LimitSettings {
    /// Every limit's name, as the struct declares it (read from its `Deserialize`, so no list
    /// is kept beside it).
    pub fn names() -> &'static [&'static str] {
        use serde::de::value::Error;
        use serde::de::{Deserializer, Error as _, Visitor};
        struct Probe(Option<&'static [&'static str]>);
        impl<'de> Deserializer<'de> for &mut Probe {
            type Error = Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
                Err(Error::custom("only the struct's field names are read"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Error> {
                self.0 = Some(fields);
                Err(Error::custom("field names read"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut probe = Probe(None);
        let _ = LimitSettings::deserialize(&mut probe);
        probe.0.unwrap_or_default()
    }

    /// Every limit given, read for a mint of `decimals`; nothing checked against the others.
    pub fn parse(&self, decimals: u8) -> Result<LimitChange, LimitError> {
        // Destructured whole: a limit added to the settings does not compile until it is read.
        let Self {
            reserve_bps,
            min_deposit,
            deposit_cap,
            unbonding_period,
            notice_period,
        } = self;
        let tokens = |text: &str| parse_ui_amount(text, decimals).map_err(|e| e.to_string());
        let period = |text: &str| parse_offset(text).map_err(|e| e.to_string());
        Ok(LimitChange {
            reserve_bps: read(reserve_bps, "reserve_bps", |text| {
                text.parse()
                    .map_err(|_| format!("'{text}' is not a number of basis points (0 to 10000)"))
            })?,
            min_deposit: read(min_deposit, "min_deposit", tokens)?,
            deposit_cap: read(deposit_cap, "deposit_cap", |text| match text {
                "none" => Ok(NO_DEPOSIT_CAP),
                cap => tokens(cap),
            })?,
            unbonding_period: read(unbonding_period, "unbonding_period", period)?,
            notice_period: read(notice_period, "notice_period", period)?,
        })
    }

    /// `base` with the limits given replaced, checked by the program's own rules, so what the
    /// program would refuse is refused before anything is sent.
    pub fn apply(&self, base: PoolLimits, decimals: u8) -> Result<PoolLimits, LimitError> {
        let limits = self.parse(decimals)?.apply(base);
        check(&limits, decimals)?;
        Ok(limits)
    }
}

impl LimitChange {
    /// These limits with the one `change` sets given too (an APR or market change sets none).
    pub fn with(self, change: Change) -> Self {
        match change {
            Change::Reserve(v) => Self {
                reserve_bps: Some(v),
                ..self
            },
            Change::UnbondingPeriod(v) => Self {
                unbonding_period: Some(v),
                ..self
            },
            Change::NoticePeriod(v) => Self {
                notice_period: Some(v),
                ..self
            },
            Change::Apr(_) | Change::LendingMarket(_) => self,
        }
    }

    /// `base` with the limits given replaced.
    pub fn apply(&self, base: PoolLimits) -> PoolLimits {
        PoolLimits {
            reserve_bps: self.reserve_bps.unwrap_or(base.reserve_bps),
            min_deposit: self.min_deposit.unwrap_or(base.min_deposit),
            deposit_cap: self.deposit_cap.unwrap_or(base.deposit_cap),
            unbonding_period: self.unbonding_period.unwrap_or(base.unbonding_period),
            notice_period: self.notice_period.unwrap_or(base.notice_period),
        }
    }
}

/// The program's `PoolLimits::validate`, its refusal said with the numbers that broke it.
pub fn check(limits: &PoolLimits, decimals: u8) -> Result<(), LimitError> {
    let code = match limits.validate() {
        Ok(()) => return Ok(()),
        Err(anchor_lang::error::Error::AnchorError(refusal)) => refusal.error_code_number,
        Err(other) => return Err(error("limits", other)),
    };
    let is = |rule: StakingError| code == u32::from(rule);
    let too_long = |field: &'static str, period: i64, longest: i64| {
        error(
            field,
            format!(
                "{} is longer than the longest the program allows, {}",
                format_duration(period.max(0) as u64),
                format_duration(longest as u64)
            ),
        )
    };
    Err(if is(StakingError::InvalidReserve) {
        error(
            "reserve_bps",
            format!("{} is above 10000 (100 %)", limits.reserve_bps),
        )
    } else if is(StakingError::InvalidUnbondingPeriod) {
        too_long(
            "unbonding_period",
            limits.unbonding_period,
            staking_pool::constants::MAX_UNBONDING_PERIOD,
        )
    } else if is(StakingError::InvalidDepositLimits) {
        error(
            "limits",
            format!(
                "the minimum deposit {} is above the deposit cap {}",
                format_ui_amount(limits.min_deposit, decimals),
                format_ui_amount(limits.deposit_cap, decimals)
            ),
        )
    } else if is(StakingError::InvalidNoticePeriod) {
        too_long(
            "notice_period",
            limits.notice_period,
            staking_pool::constants::MAX_NOTICE_PERIOD,
        )
    } else if is(StakingError::NoticeTooCloseToUnbonding) {
        error(
            "notice_period",
            format!(
                "{} must exceed the unbonding period ({}) by at least {}, so depositors who \
                 start to leave at an announcement are out before it applies",
                format_duration(limits.notice_period.max(0) as u64),
                format_duration(limits.unbonding_period.max(0) as u64),
                format_duration(staking_pool::constants::NOTICE_REACTION_MARGIN as u64)
            ),
        )
    } else {
        error("limits", format!("refused by the program's rule {code}"))
    })
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
