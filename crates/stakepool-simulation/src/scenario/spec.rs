//! The scenario file: TOML read into raw tables, then checked into a `Scenario` where every
//! amount is in base units and every user and action is known. Every mistake names its step
//! and field.
use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

use stakepool_client::amount::parse_ui_amount;
use stakepool_client::client::changes::{kind_name, kind_named};
use stakepool_client::duration::parse_offset;
use stakepool_client::limits::{LimitChange, LimitSettings};
use stakepool_client::rate::parse_apr;
use staking_pool::state::{Change, ChangeKind, PoolLimits};

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
    /// Basis points, or a percentage like "10%".
    apr_bps: RawRate,
    #[serde(default)]
    lending_apr_bps: Option<RawRate>,
    /// The pool's limits, as the CLI's `create-pool` flags and the deploy config name them.
    #[serde(default)]
    limits: LimitSettings,
    #[serde(default)]
    reward_funding: Option<RawAmount>,
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
    /// An amount, or `ALL` (resolved when the step runs, as the CLI does).
    fn parse_or_all(&self, decimals: u8) -> Result<Amount, String> {
        match self {
            RawAmount::Text(text) if text.eq_ignore_ascii_case("all") => Ok(Amount::All),
            _ => self.parse(decimals).map(Amount::Tokens),
        }
    }

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
    /// A rate: basis points, or a percentage like "10%".
    #[serde(default)]
    apr_bps: Option<RawRate>,
    /// The kind of change `propose`, `execute` and `cancel` act on: apr, reserve,
    /// unbonding-period or notice-period.
    #[serde(default)]
    change: Option<String>,
    /// `set_params` and `propose`: the limits, as the CLI's `set-params` flags name them.
    #[serde(default)]
    limits: Option<LimitSettings>,
}

/// A rate as a number of basis points or as text ("10%").
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRate {
    Bps(u32),
    Text(String),
}

impl RawRate {
    fn parse(&self) -> Result<u32, String> {
        match self {
            RawRate::Bps(bps) => Ok(*bps),
            RawRate::Text(text) => parse_apr(text),
        }
    }
}

/// A step's amount: tokens, or `ALL` of what the step can move when it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Tokens(u64),
    All,
}

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Deposit(Amount),
    Withdraw(Amount),
    RequestUnbond(Amount),
    Claim,
    Compound,
    ClosePosition,
    FundRewards(Amount),
    Rebalance,
    Harvest,
    SetApr(u32),
    /// The admin's `set-params`: what is against depositors is announced in a pool with a
    /// notice period, the rest applies at once.
    SetParams(LimitChange),
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
    WithdrawInKind(Amount),
    /// The admin announces a change (it applies after the notice period).
    Propose(Change),
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
            Action::SetParams(_) => "set_params",
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

    pub fn amount(&self) -> Option<Amount> {
        match *self {
            Action::Deposit(a)
            | Action::Withdraw(a)
            | Action::RequestUnbond(a)
            | Action::FundRewards(a)
            | Action::WithdrawInKind(a) => Some(a),
            Action::Borrow(a) | Action::Repay(a) | Action::Default(a) | Action::Recover(a) => {
                Some(Amount::Tokens(a))
            }
            _ => None,
        }
    }

    /// Whether the amount may be `ALL` (as the CLI's command takes it).
    fn takes_all(&self) -> bool {
        matches!(
            self,
            Action::Deposit(_)
                | Action::Withdraw(_)
                | Action::RequestUnbond(_)
                | Action::FundRewards(_)
                | Action::WithdrawInKind(_)
        )
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

const ACTIONS: &str = "deposit, withdraw, withdraw_in_kind, request_unbond, claim, compound, close_position, fund_rewards, rebalance, harvest, recognise_loss, set_apr, set_params, propose, execute, cancel, pause, unpause, recall_all, borrow, repay, default, recover (or the CLI's spelling: request-unbond, execute-change, ...)";

/// A mint's supply is a u64 of base units: the simulator's whole supply (every wallet, the
/// reward funding and the market's interest backing) must fit in it.
pub const SUPPLY_LIMIT: u64 = u64::MAX;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSpec {
    pub decimals: u8,
    pub apr_bps: u32,
    pub limits: PoolLimits,
    pub lending_apr_bps: Option<u32>,
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
        let supply = users
            .iter()
            .map(|(_, balance)| u128::from(*balance))
            .sum::<u128>()
            + u128::from(pool.reward_funding);
        if supply > u128::from(SUPPLY_LIMIT / 2) {
            return Err(ScenarioError::User {
                user: "(all)".into(),
                message: format!(
                    "the wallets and reward_funding hold {supply} base units together; a mint's supply is at most {SUPPLY_LIMIT} base units, and the simulator keeps half of it for the market's interest backing"
                ),
            });
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
    let apr_bps = raw.apr_bps.parse().map_err(|m| err("apr_bps", m))?;
    if apr_bps > staking_pool::constants::MAX_APR_BPS {
        return Err(err(
            "apr_bps",
            format!(
                "{apr_bps} is above the program's maximum of {}",
                staking_pool::constants::MAX_APR_BPS
            ),
        ));
    }
    let lending_apr_bps = raw
        .lending_apr_bps
        .as_ref()
        .map(|rate| rate.parse().map_err(|m| err("lending_apr_bps", m)))
        .transpose()?;
    if let Some(lending) = lending_apr_bps {
        if lending > mock_lending::constants::MAX_SUPPLY_APR_BPS {
            return Err(err(
                "lending_apr_bps",
                format!("{lending} is above the market's maximum"),
            ));
        }
    }
    let limits = raw
        .limits
        .apply(PoolLimits::default(), raw.decimals)
        .map_err(|e| err(e.field, e.message))?;
    let reward_funding = match &raw.reward_funding {
        Some(amount) => amount
            .parse(raw.decimals)
            .map_err(|m| err("reward_funding", m))?,
        None => 0,
    };
    Ok(PoolSpec {
        decimals: raw.decimals,
        apr_bps,
        limits,
        lending_apr_bps,
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
    let amount_or_all = || -> Result<Amount, ScenarioError> {
        let value = raw
            .amount
            .as_ref()
            .ok_or_else(|| err("amount", format!("`{}` needs an amount", raw.action)))?;
        value
            .parse_or_all(pool.decimals)
            .map_err(|m| err("amount", m))
    };
    let amount = || -> Result<u64, ScenarioError> {
        match amount_or_all()? {
            Amount::Tokens(amount) => Ok(amount),
            Amount::All => Err(err(
                "amount",
                format!("`{}` takes an amount, not ALL", raw.action),
            )),
        }
    };
    let apr = || -> Result<Option<u32>, ScenarioError> {
        raw.apr_bps
            .as_ref()
            .map(|rate| rate.parse().map_err(|m| err("apr_bps", m)))
            .transpose()
    };
    // The limits given, read now so a mistake names its step; checked against the pool's
    // limits when the step runs (the program's rules, as the CLI checks them).
    let given = raw
        .limits
        .as_ref()
        .map(|limits| {
            limits
                .parse(pool.decimals)
                .map_err(|e| err(e.field, e.message))
        })
        .transpose()?
        .unwrap_or_default();
    let one_market = || {
        err(
            "change",
            "the simulator runs one lending market, so a lending-market change has nowhere to point".into(),
        )
    };
    let change_kind = || -> Result<ChangeKind, ScenarioError> {
        match raw.change.as_deref() {
            Some(name) => match kind_named(name) {
                Some(ChangeKind::LendingMarket) => Err(one_market()),
                Some(kind) => Ok(kind),
                None => {
                    let names: Vec<&str> = ChangeKind::ALL
                        .into_iter()
                        .filter(|kind| *kind != ChangeKind::LendingMarket)
                        .map(kind_name)
                        .collect();
                    Err(err(
                        "change",
                        format!("unknown change '{name}'; use {}", names.join(", ")),
                    ))
                }
            },
            None => Err(err(
                "change",
                format!("`{}` needs a change, like \"apr\"", raw.action),
            )),
        }
    };
    // The CLI's spelling (`request-unbond`, `execute-change`) is the scenario's too.
    let action = match raw.action.replace('-', "_").as_str() {
        "deposit" => Action::Deposit(amount_or_all()?),
        "withdraw" => Action::Withdraw(amount_or_all()?),
        "request_unbond" => Action::RequestUnbond(amount_or_all()?),
        "claim" => Action::Claim,
        "compound" => Action::Compound,
        "close_position" => Action::ClosePosition,
        "fund_rewards" => Action::FundRewards(amount_or_all()?),
        "rebalance" => Action::Rebalance,
        "harvest" => Action::Harvest,
        "set_apr" => {
            Action::SetApr(apr()?.ok_or_else(|| err("apr_bps", "`set_apr` needs apr_bps".into()))?)
        }
        "set_params" => {
            if given == LimitChange::default() {
                return Err(err(
                    "limits",
                    "`set_params` needs at least one limit, like limits = { reserve_bps = 5000 }"
                        .into(),
                ));
            }
            Action::SetParams(given)
        }
        "propose" => {
            let kind = change_kind()?;
            let field = match kind {
                ChangeKind::Apr => "apr_bps",
                ChangeKind::Reserve => "reserve_bps",
                ChangeKind::UnbondingPeriod => "unbonding_period",
                ChangeKind::NoticePeriod => "notice_period",
                ChangeKind::LendingMarket => return Err(one_market()),
            };
            let missing = || {
                err(
                    field,
                    format!("`propose` of a change of {field} needs {field}"),
                )
            };
            let change = match kind {
                ChangeKind::Reserve => Change::Reserve(given.reserve_bps.ok_or_else(missing)?),
                ChangeKind::UnbondingPeriod => {
                    Change::UnbondingPeriod(given.unbonding_period.ok_or_else(missing)?)
                }
                ChangeKind::NoticePeriod => {
                    Change::NoticePeriod(given.notice_period.ok_or_else(missing)?)
                }
                _ => Change::Apr(apr()?.ok_or_else(missing)?),
            };
            // The limits the change itself sets, and nothing else.
            let own = LimitChange::default().with(change);
            // The change's own limit and no other: another would silently not be proposed.
            if given != own {
                return Err(err(
                    "limits",
                    format!("`propose` of a change of {field} takes no other limit"),
                ));
            }
            Action::Propose(change)
        }
        "execute" | "execute_change" => Action::Execute(change_kind()?),
        "cancel" | "cancel_change" => Action::Cancel(change_kind()?),
        "pause" => Action::Pause,
        "unpause" => Action::Unpause,
        "recall_all" => Action::RecallAll,
        "borrow" => Action::Borrow(amount()?),
        "repay" => Action::Repay(amount()?),
        "default" => Action::Default(amount()?),
        "recover" => Action::Recover(amount()?),
        "recognise_loss" => Action::RecogniseLoss,
        "withdraw_in_kind" => Action::WithdrawInKind(amount_or_all()?),
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
    if matches!(raw.amount, Some(RawAmount::Text(ref t)) if t.eq_ignore_ascii_case("all"))
        && !action.takes_all()
    {
        return Err(err(
            "amount",
            format!("`{}` takes an amount, not ALL", raw.action),
        ));
    }
    let uses_apr = matches!(action, Action::SetApr(_) | Action::Propose(Change::Apr(_)));
    if raw.apr_bps.is_some() && !uses_apr {
        return Err(err("apr_bps", format!("`{}` takes no apr_bps", raw.action)));
    }
    let uses_change = matches!(
        action,
        Action::Execute(_) | Action::Cancel(_) | Action::Propose(_)
    );
    if raw.change.is_some() && !uses_change {
        return Err(err("change", format!("`{}` takes no change", raw.action)));
    }
    // Limits given to a step that does not use them are a mistake, not a no-op.
    let uses_limits = matches!(action, Action::SetParams(_) | Action::Propose(_));
    if raw.limits.is_some() && !uses_limits {
        return Err(err("limits", format!("`{}` takes no limits", raw.action)));
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
                action: Action::Deposit(Amount::Tokens(1_500_000))
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
    fn the_clis_names_all_amounts_and_every_proposal_kind_parse() {
        let text = "[pool]\ndecimals = 6\napr_bps = \"10%\"\nlimits = { unbonding_period = \"3d\", notice_period = \"5d\" }\n[users]\nalice = \"100\"\n\
            [[step]]\nat = \"0d\"\nuser = \"alice\"\naction = \"deposit\"\namount = \"ALL\"\n\
            [[step]]\nat = \"1d\"\nuser = \"alice\"\naction = \"request-unbond\"\namount = \"all\"\n\
            [[step]]\nat = \"1d\"\naction = \"set-params\"\nlimits = { deposit_cap = \"none\", min_deposit = 2 }\n\
            [[step]]\nat = \"1d\"\naction = \"propose\"\nchange = \"apr\"\napr_bps = \"7.5%\"\n\
            [[step]]\nat = \"1d\"\naction = \"propose\"\nchange = \"reserve\"\nlimits = { reserve_bps = 5000 }\n\
            [[step]]\nat = \"1d\"\naction = \"propose\"\nchange = \"unbonding-period\"\nlimits = { unbonding_period = \"4d\" }\n\
            [[step]]\nat = \"1d\"\naction = \"propose\"\nchange = \"notice-period\"\nlimits = { notice_period = \"6d\" }\n\
            [[step]]\nat = \"7d\"\naction = \"execute-change\"\nchange = \"apr\"\n";
        let scenario = Scenario::parse(text).unwrap();
        assert_eq!(scenario.pool.apr_bps, 1000);
        assert_eq!(scenario.pool.limits.unbonding_period, 3 * 86_400);
        let actions: Vec<Action> = scenario.steps.iter().map(|s| s.action).collect();
        assert_eq!(
            actions,
            vec![
                Action::Deposit(Amount::All),
                Action::RequestUnbond(Amount::All),
                Action::SetParams(LimitChange {
                    deposit_cap: Some(staking_pool::constants::NO_DEPOSIT_CAP),
                    min_deposit: Some(2_000_000),
                    ..LimitChange::default()
                }),
                Action::Propose(Change::Apr(750)),
                Action::Propose(Change::Reserve(5000)),
                Action::Propose(Change::UnbondingPeriod(4 * 86_400)),
                Action::Propose(Change::NoticePeriod(6 * 86_400)),
                Action::Execute(ChangeKind::Apr),
            ]
        );
    }

    #[test]
    fn what_a_step_cannot_take_is_refused_by_name() {
        let cases = [
            (
                "at = \"1d\"\naction = \"borrow\"\namount = \"ALL\"",
                "step 1 (borrow): field `amount`: `borrow` takes an amount, not ALL",
            ),
            (
                "at = \"1d\"\naction = \"set_params\"",
                "step 1 (set_params): field `limits`: `set_params` needs at least one limit",
            ),
            (
                "at = \"1d\"\naction = \"propose\"\nchange = \"lending-market\"",
                "step 1 (propose): field `change`: the simulator runs one lending market",
            ),
            (
                "at = \"1d\"\naction = \"propose\"\nchange = \"fee\"",
                "step 1 (propose): field `change`: unknown change 'fee'; use apr, reserve, unbonding-period, notice-period",
            ),
            (
                "at = \"1d\"\naction = \"propose\"\nchange = \"reserve\"",
                "step 1 (propose): field `reserve_bps`: `propose` of a change of reserve_bps needs reserve_bps",
            ),
            (
                "at = \"1d\"\naction = \"propose\"\nchange = \"reserve\"\nlimits = { reserve_bps = 10, min_deposit = 1 }",
                "step 1 (propose): field `limits`: `propose` of a change of reserve_bps takes no other limit",
            ),
            (
                "at = \"1d\"\naction = \"harvest\"\nlimits = { reserve_bps = 10 }",
                "step 1 (harvest): field `limits`: `harvest` takes no limits",
            ),
            (
                "at = \"1d\"\naction = \"set_params\"\nlimits = { notice_period = \"7\" }",
                "step 1 (set_params): field `notice_period`: '7' is not a time offset",
            ),
            (
                "at = \"1d\"\naction = \"set_apr\"\napr_bps = \"7.125%\"",
                "step 1 (set_apr): field `apr_bps`: '7.125%' is finer than a basis point",
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
    fn a_supply_beyond_a_mints_is_refused_with_the_limit() {
        let text = "[pool]\ndecimals = 12\napr_bps = 1000\n[users]\nwhale = \"10000000\"\n";
        let error = Scenario::parse(text).unwrap_err().to_string();
        assert!(
            error.contains("a mint's supply is at most 18446744073709551615 base units"),
            "{error}"
        );
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
        // The limits are checked by the program's own rules, with the numbers that broke them.
        let limits = |table: &str| {
            Scenario::parse(&format!(
                "[pool]\ndecimals = 6\napr_bps = 1\nlimits = {{ {table} }}\n[users]\n"
            ))
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            limits("reserve_bps = 20000"),
            "[pool] field `reserve_bps`: 20000 is above 10000 (100 %)"
        );
        assert!(limits("unbonding_period = \"7d\", notice_period = \"7d\"")
            .starts_with("[pool] field `notice_period`: 7d must exceed the unbonding period (7d)"));
        assert_eq!(
            limits("min_deposit = 5, deposit_cap = 4"),
            "[pool] field `limits`: the minimum deposit 5 is above the deposit cap 4"
        );
        assert!(limits("colour = 1").contains("unknown field `colour`"));
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
