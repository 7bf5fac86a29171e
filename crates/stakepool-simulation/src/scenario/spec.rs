//! The scenario file: TOML read into raw tables, then checked into a `Scenario` where every
//! amount is in base units and every user and action is known. Every mistake names its step
//! and field.
use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

use stakepool_client::amount::parse_ui_amount;
use stakepool_client::duration::parse_offset;
use staking_pool::state::ChangeKind;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ScenarioError {
    #[error("the scenario is not valid TOML: {0}")]
    Syntax(String),
    #[error("[pool] field `{field}`: {message}")]
    Pool {
        field: &'static str,
        message: String,
    },
    #[error("[users] `{user}`: {message}")]
    User { user: String, message: String },
    #[error("step {step} ({action}): field `{field}`: {message}")]
    Step {
        step: usize,
        action: String,
        field: &'static str,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    name: Option<String>,
    pool: RawPool,
    users: BTreeMap<String, RawAmount>,
    #[serde(default, rename = "step")]
    steps: Vec<RawStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    decimals: u8,
    apr_bps: u32,
    #[serde(default = "full_reserve")]
    reserve_bps: u16,
    #[serde(default)]
    lending_apr_bps: Option<u32>,
    #[serde(default)]
    unbonding: Option<String>,
    /// How long a change against depositors waits after its announcement, like "14d".
    #[serde(default)]
    notice: Option<String>,
    #[serde(default)]
    reward_funding: Option<RawAmount>,
}

fn full_reserve() -> u16 {
    10_000
}

/// Amounts are written as strings ("1.5") or whole numbers; floats would lose decimals.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawAmount {
    Text(String),
    Whole(i64),
    Float(f64),
}

impl RawAmount {
    fn parse(&self, decimals: u8) -> Result<u64, String> {
        match self {
            RawAmount::Text(text) => parse_ui_amount(text, decimals).map_err(|e| e.to_string()),
            RawAmount::Whole(whole) => {
                parse_ui_amount(&whole.to_string(), decimals).map_err(|e| e.to_string())
            }
            RawAmount::Float(float) => Err(format!(
                "write {float} as a string (\"{float}\") so no decimal is lost"
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    at: String,
    #[serde(default)]
    user: Option<String>,
    action: String,
    #[serde(default)]
    amount: Option<RawAmount>,
    #[serde(default)]
    apr_bps: Option<u32>,
    /// The kind of announced change `execute` and `cancel` act on: apr, reserve,
    /// unbonding-period or notice-period.
    #[serde(default)]
    change: Option<String>,
}

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Deposit(u64),
    Withdraw(u64),
    RequestUnbond(u64),
    Claim,
    Compound,
    ClosePosition,
    FundRewards(u64),
    Rebalance,
    Harvest,
    SetApr(u32),
    Pause,
    Unpause,
    RecallAll,
    /// The market's borrowers take liquidity out (illiquidity).
    Borrow(u64),
    Repay(u64),
    /// The market writes loans off as bad debt, or recovers loans written off.
    Default(u64),
    Recover(u64),
    /// Anyone makes a loss the market shows official (every instruction reading it does too).
    RecogniseLoss,
    /// A user withdraws, the lent part as market shares into their own receipt.
    WithdrawInKind(u64),
    /// The admin announces an APR change (it applies after the notice period).
    Propose(u32),
    /// Anyone executes the announced change of this kind once its time has come.
    Execute(ChangeKind),
    /// The admin withdraws the announced change of this kind.
    Cancel(ChangeKind),
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Deposit(_) => "deposit",
            Action::Withdraw(_) => "withdraw",
            Action::RequestUnbond(_) => "request_unbond",
            Action::Claim => "claim",
            Action::Compound => "compound",
            Action::ClosePosition => "close_position",
            Action::FundRewards(_) => "fund_rewards",
            Action::Rebalance => "rebalance",
            Action::Harvest => "harvest",
            Action::SetApr(_) => "set_apr",
            Action::Pause => "pause",
            Action::Unpause => "unpause",
            Action::RecallAll => "recall_all",
            Action::Borrow(_) => "borrow",
            Action::Repay(_) => "repay",
            Action::Default(_) => "default",
            Action::Recover(_) => "recover",
            Action::RecogniseLoss => "recognise_loss",
            Action::WithdrawInKind(_) => "withdraw_in_kind",
            Action::Propose(_) => "propose",
            Action::Execute(_) => "execute",
            Action::Cancel(_) => "cancel",
        }
    }

    pub fn amount(&self) -> Option<u64> {
        match *self {
            Action::Deposit(a)
            | Action::Withdraw(a)
            | Action::RequestUnbond(a)
            | Action::FundRewards(a)
            | Action::Borrow(a)
            | Action::Repay(a)
            | Action::Default(a)
            | Action::Recover(a)
            | Action::WithdrawInKind(a) => Some(a),
            _ => None,
        }
    }

    /// Actions a user performs on their own position.
    pub fn needs_user(&self) -> bool {
        matches!(
            self,
            Action::Deposit(_)
                | Action::Withdraw(_)
                | Action::WithdrawInKind(_)
                | Action::RequestUnbond(_)
                | Action::Claim
                | Action::Compound
                | Action::ClosePosition
        )
    }

    pub fn needs_lending(&self) -> bool {
        matches!(
            self,
            Action::Rebalance
                | Action::Harvest
                | Action::RecallAll
                | Action::Borrow(_)
                | Action::Repay(_)
                | Action::Default(_)
                | Action::Recover(_)
                | Action::RecogniseLoss
                | Action::WithdrawInKind(_)
        )
    }
}

const ACTIONS: &str = "deposit, withdraw, withdraw_in_kind, request_unbond, claim, compound, close_position, fund_rewards, rebalance, harvest, recognise_loss, set_apr, propose, execute, cancel, pause, unpause, recall_all, borrow, repay, default, recover";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSpec {
    pub decimals: u8,
    pub apr_bps: u32,
    pub reserve_bps: u16,
    pub lending_apr_bps: Option<u32>,
    pub unbonding_period: i64,
    pub notice_period: i64,
    pub reward_funding: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Seconds after the scenario's start.
    pub at: i64,
    /// Index into `Scenario::users`.
    pub user: Option<usize>,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub name: String,
    pub pool: PoolSpec,
    /// (name, starting wallet balance in base units), in name order.
    pub users: Vec<(String, u64)>,
    pub steps: Vec<Step>,
}

impl Scenario {
    pub fn parse(text: &str) -> Result<Self, ScenarioError> {
        let raw: RawScenario =
            toml::from_str(text).map_err(|e| ScenarioError::Syntax(e.message().to_string()))?;
        let pool = check_pool(&raw.pool)?;
        let mut users = Vec::new();
        for (name, balance) in &raw.users {
            let raw_amount =
                balance
                    .parse(pool.decimals)
                    .map_err(|message| ScenarioError::User {
                        user: name.clone(),
                        message,
                    })?;
            users.push((name.clone(), raw_amount));
        }
        let mut steps = Vec::new();
        let mut previous_at = 0;
        for (index, raw_step) in raw.steps.iter().enumerate() {
            let step = check_step(index + 1, raw_step, &pool, &users, previous_at)?;
            previous_at = step.at;
            steps.push(step);
        }
        Ok(Scenario {
            name: raw.name.unwrap_or_else(|| "scenario".into()),
            pool,
            users,
            steps,
        })
    }
}

fn check_pool(raw: &RawPool) -> Result<PoolSpec, ScenarioError> {
    let err = |field, message: String| ScenarioError::Pool { field, message };
    if raw.decimals > 12 {
        return Err(err(
            "decimals",
            format!(
                "{} decimals is more than this simulator supports (12)",
                raw.decimals
            ),
        ));
    }
    if raw.apr_bps > staking_pool::constants::MAX_APR_BPS {
        return Err(err(
            "apr_bps",
            format!(
                "{} is above the program's maximum of {}",
                raw.apr_bps,
                staking_pool::constants::MAX_APR_BPS
            ),
        ));
    }
    if raw.reserve_bps > 10_000 {
        return Err(err(
            "reserve_bps",
            format!("{} is above 10000 (100 %)", raw.reserve_bps),
        ));
    }
    if let Some(lending) = raw.lending_apr_bps {
        if lending > mock_lending::constants::MAX_SUPPLY_APR_BPS {
            return Err(err(
                "lending_apr_bps",
                format!("{lending} is above the market's maximum"),
            ));
        }
    }
    let unbonding_period = match &raw.unbonding {
        Some(text) => parse_offset(text).map_err(|e| err("unbonding", e.to_string()))?,
        None => 0,
    };
    let notice_period = match &raw.notice {
        Some(text) => parse_offset(text).map_err(|e| err("notice", e.to_string()))?,
        None => 0,
    };
    if notice_period != 0
        && notice_period < unbonding_period + staking_pool::constants::NOTICE_REACTION_MARGIN
    {
        return Err(err(
            "notice",
            "must exceed the unbonding period by at least a day, so depositors who start to leave at an announcement are out before it applies".into(),
        ));
    }
    let reward_funding = match &raw.reward_funding {
        Some(amount) => amount
            .parse(raw.decimals)
            .map_err(|m| err("reward_funding", m))?,
        None => 0,
    };
    Ok(PoolSpec {
        decimals: raw.decimals,
        apr_bps: raw.apr_bps,
        reserve_bps: raw.reserve_bps,
        lending_apr_bps: raw.lending_apr_bps,
        unbonding_period,
        notice_period,
        reward_funding,
    })
}

fn check_step(
    number: usize,
    raw: &RawStep,
    pool: &PoolSpec,
    users: &[(String, u64)],
    previous_at: i64,
) -> Result<Step, ScenarioError> {
    let err = |field, message: String| ScenarioError::Step {
        step: number,
        action: raw.action.clone(),
        field,
        message,
    };
    let at = parse_offset(&raw.at).map_err(|e| err("at", e.to_string()))?;
    if at < previous_at {
        return Err(err(
            "at",
            format!("'{}' is earlier than the step before it", raw.at),
        ));
    }
    let amount = || -> Result<u64, ScenarioError> {
        let value = raw
            .amount
            .as_ref()
            .ok_or_else(|| err("amount", format!("`{}` needs an amount", raw.action)))?;
        value.parse(pool.decimals).map_err(|m| err("amount", m))
    };
    let change_kind = || -> Result<ChangeKind, ScenarioError> {
        match raw.change.as_deref() {
            Some("apr") => Ok(ChangeKind::Apr),
            Some("reserve") => Ok(ChangeKind::Reserve),
            Some("unbonding-period") => Ok(ChangeKind::UnbondingPeriod),
            Some("notice-period") => Ok(ChangeKind::NoticePeriod),
            Some(other) => Err(err(
                "change",
                format!(
                    "unknown change '{other}'; use apr, reserve, unbonding-period or notice-period"
                ),
            )),
            None => Err(err(
                "change",
                format!("`{}` needs a change, like \"apr\"", raw.action),
            )),
        }
    };
    let action = match raw.action.as_str() {
        "deposit" => Action::Deposit(amount()?),
        "withdraw" => Action::Withdraw(amount()?),
        "request_unbond" => Action::RequestUnbond(amount()?),
        "claim" => Action::Claim,
        "compound" => Action::Compound,
        "close_position" => Action::ClosePosition,
        "fund_rewards" => Action::FundRewards(amount()?),
        "rebalance" => Action::Rebalance,
        "harvest" => Action::Harvest,
        "set_apr" => Action::SetApr(
            raw.apr_bps
                .ok_or_else(|| err("apr_bps", "`set_apr` needs apr_bps".into()))?,
        ),
        "propose" => Action::Propose(raw.apr_bps.ok_or_else(|| {
            err(
                "apr_bps",
                "`propose` announces an APR: it needs apr_bps".into(),
            )
        })?),
        "execute" => Action::Execute(change_kind()?),
        "cancel" => Action::Cancel(change_kind()?),
        "pause" => Action::Pause,
        "unpause" => Action::Unpause,
        "recall_all" => Action::RecallAll,
        "borrow" => Action::Borrow(amount()?),
        "repay" => Action::Repay(amount()?),
        "default" => Action::Default(amount()?),
        "recover" => Action::Recover(amount()?),
        "recognise_loss" => Action::RecogniseLoss,
        "withdraw_in_kind" => Action::WithdrawInKind(amount()?),
        other => {
            return Err(err(
                "action",
                format!("unknown action '{other}'; use one of: {ACTIONS}"),
            ))
        }
    };
    if raw.amount.is_some() && action.amount().is_none() {
        return Err(err("amount", format!("`{}` takes no amount", raw.action)));
    }
    if raw.apr_bps.is_some() && !matches!(action, Action::SetApr(_) | Action::Propose(_)) {
        return Err(err("apr_bps", format!("`{}` takes no apr_bps", raw.action)));
    }
    if raw.change.is_some() && !matches!(action, Action::Execute(_) | Action::Cancel(_)) {
        return Err(err("change", format!("`{}` takes no change", raw.action)));
    }
    if action.needs_lending() && pool.lending_apr_bps.is_none() {
        return Err(err(
            "action",
            format!(
                "`{}` needs a lending market: set [pool] lending_apr_bps",
                raw.action
            ),
        ));
    }
    let user = match (&raw.user, action.needs_user()) {
        (Some(name), true) => Some(users.iter().position(|(n, _)| n == name).ok_or_else(|| {
            err(
                "user",
                format!("unknown user '{name}'; declare it under [users]"),
            )
        })?),
        (None, true) => return Err(err("user", format!("`{}` needs a user", raw.action))),
        (Some(_), false) => {
            return Err(err(
                "user",
                format!("`{}` is not done by a user", raw.action),
            ))
        }
        (None, false) => None,
    };
    Ok(Step { at, user, action })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "[pool]\ndecimals = 6\napr_bps = 1000\nlending_apr_bps = 800\n[users]\nalice = \"100\"\n";

    fn step(body: &str) -> Result<Scenario, ScenarioError> {
        Scenario::parse(&format!("{HEAD}[[step]]\n{body}\n"))
    }

    #[test]
    fn a_valid_scenario_parses_to_base_units() {
        let s =
            step("at = \"30d\"\nuser = \"alice\"\naction = \"deposit\"\namount = \"1.5\"").unwrap();
        assert_eq!(
            s.steps[0],
            Step {
                at: 30 * 86_400,
                user: Some(0),
                action: Action::Deposit(1_500_000)
            }
        );
        assert_eq!(s.users, vec![("alice".to_string(), 100_000_000)]);
    }

    #[test]
    fn every_mistake_names_its_step_and_field() {
        let cases = [
            (
                "at = \"1d\"\naction = \"dance\"",
                "step 1 (dance): field `action`: unknown action 'dance'",
            ),
            (
                "at = \"soon\"\naction = \"harvest\"",
                "step 1 (harvest): field `at`: 'soon' is not a time offset",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"\namount = \"1.0000001\"",
                "step 1 (deposit): field `amount`: '1.0000001' has more than 6 decimals",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"\namount = \"-5\"",
                "step 1 (deposit): field `amount`: '-5' is negative",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"\namount = -5",
                "step 1 (deposit): field `amount`: '-5' is negative",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"\namount = \"lots\"",
                "step 1 (deposit): field `amount`: 'lots' is not a number",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"\namount = 1.5",
                "step 1 (deposit): field `amount`: write 1.5 as a string",
            ),
            (
                "at = \"1d\"\nuser = \"mallory\"\naction = \"claim\"",
                "step 1 (claim): field `user`: unknown user 'mallory'",
            ),
            (
                "at = \"1d\"\naction = \"claim\"",
                "step 1 (claim): field `user`: `claim` needs a user",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"deposit\"",
                "step 1 (deposit): field `amount`: `deposit` needs an amount",
            ),
            (
                "at = \"1d\"\naction = \"set_apr\"",
                "step 1 (set_apr): field `apr_bps`: `set_apr` needs apr_bps",
            ),
            (
                "at = \"1d\"\nuser = \"alice\"\naction = \"claim\"\namount = \"1\"",
                "step 1 (claim): field `amount`: `claim` takes no amount",
            ),
        ];
        for (body, expected) in cases {
            let error = step(body).unwrap_err().to_string();
            assert!(
                error.starts_with(expected),
                "{error}\n  expected: {expected}"
            );
        }
    }

    #[test]
    fn steps_must_not_go_back_in_time() {
        let text = format!("{HEAD}[[step]]\nat = \"2d\"\naction = \"harvest\"\n[[step]]\nat = \"1d\"\naction = \"harvest\"\n");
        let error = Scenario::parse(&text).unwrap_err().to_string();
        assert!(
            error.starts_with("step 2 (harvest): field `at`: '1d' is earlier"),
            "{error}"
        );
    }

    #[test]
    fn pool_and_user_mistakes_are_named_too() {
        let error = Scenario::parse("[pool]\ndecimals = 6\napr_bps = 999999\n[users]\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("[pool] field `apr_bps`"), "{error}");
        let error =
            Scenario::parse("[pool]\ndecimals = 2\napr_bps = 1\n[users]\nbob = \"0.001\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            error.starts_with("[users] `bob`: '0.001' has more than 2 decimals"),
            "{error}"
        );
        let error = Scenario::parse("[pool]\ndecimals = 2\napr_bps = 1\n[users]\n[[step]]\nat = \"1d\"\naction = \"harvest\"\n").unwrap_err().to_string();
        assert!(error.contains("needs a lending market"), "{error}");
        assert!(matches!(
            Scenario::parse("[pool\n"),
            Err(ScenarioError::Syntax(_))
        ));
        assert!(matches!(
            Scenario::parse("[pool]\ndecimals = 6\napr_bps = 1\ncolour = 1\n[users]\n"),
            Err(ScenarioError::Syntax(_))
        ));
    }
}
