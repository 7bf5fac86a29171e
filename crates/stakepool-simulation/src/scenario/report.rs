//! The simulator's report: a step-by-step table for people, or one JSON document (`--output json`, described in app/scenarios/README.md).
use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::runner::{closed_form_checks, Run};
use super::spec::Amount;
use stakepool_client::amount::format_ui_amount_grouped;
use stakepool_client::client::changes::kind_name;
use stakepool_client::duration::format_offset;
use stakepool_client::projection::format_duration;

fn percent(bps: u32) -> String {
    let whole = bps / 100;
    match bps % 100 {
        0 => format!("{whole} %"),
        rest => format!("{whole}.{rest:02} %"),
    }
}

fn runway(seconds: Option<u64>) -> String {
    seconds.map_or_else(|| "∞".into(), format_duration)
}

/// True when every invariant and closed-form check holds.
pub fn all_checks_hold(run: &Run) -> bool {
    run.invariants.iter().all(|c| c.holds) && closed_form_checks(run).iter().all(|c| c.holds())
}

pub fn display(run: &Run) -> String {
    let d = run.scenario.pool.decimals;
    let ui = |raw: u64| format_ui_amount_grouped(raw, d);
    // Owed amounts and the liability are exact beyond a u64.
    let ui_wide = |raw: u128| format_ui_amount_grouped(raw, d);
    let pool = &run.scenario.pool;
    let mut out = String::new();
    let _ = writeln!(out, "▶ {}", run.scenario.name);
    let lending = pool.lending_apr_bps.map_or("no lending".into(), |apr| {
        format!(
            "lends above a {} reserve at {}",
            percent(u32::from(pool.limits.reserve_bps)),
            percent(apr)
        )
    });
    let unbonding = if pool.limits.unbonding_period > 0 {
        format!(
            "{} unbonding",
            format_duration(pool.limits.unbonding_period as u64)
        )
    } else {
        "no unbonding".into()
    };
    let _ = writeln!(
        out,
        "  pool: {} APR · {lending} · {unbonding} · {} of rewards funded",
        percent(pool.apr_bps),
        ui(pool.reward_funding)
    );
    if run.market_backing > 0 {
        let _ = writeln!(
            out,
            "  the market's borrowers back its interest with {} up front",
            ui(run.market_backing)
        );
    }
    let users: Vec<String> = run
        .scenario
        .users
        .iter()
        .map(|(n, b)| format!("{n} {}", ui(*b)))
        .collect();
    let _ = writeln!(out, "  wallets: {}\n", users.join(" · "));

    let _ = writeln!(
        out,
        "  {:<7} {:<7} {:<24} {:<22} {:>13} {:>13} {:>13} {:>13} {:>9}  who's position",
        "when", "who", "action", "result", "staked", "idle", "lent", "reward vault", "runway"
    );
    for step in &run.steps {
        let action = match step.action.amount() {
            Some(Amount::Tokens(amount)) => format!("{} {}", step.action.name(), ui(amount)),
            Some(Amount::All) => format!("{} ALL", step.action.name()),
            None => match step.action {
                super::Action::SetApr(apr) => format!("set_apr {}", percent(apr)),
                super::Action::Propose(change) => format!("propose {}", describe_proposal(change)),
                super::Action::Execute(kind) | super::Action::Cancel(kind) => {
                    format!("{} {}", step.action.name(), kind_name(kind))
                }
                other => other.name().to_string(),
            },
        };
        let result = match &step.outcome {
            Ok(_) => "ok".to_string(),
            Err((name, _)) => format!("✗ {name}"),
        };
        let who = step.user.clone().unwrap_or_else(|| "-".into());
        let position = step.after.user.map_or(String::new(), |p| {
            format!(
                "staked {} · owed {} · claimed {}",
                ui(p.staked),
                ui_wide(p.owed),
                ui(p.claimed)
            )
        });
        let s = &step.after;
        let _ = writeln!(
            out,
            "  {:<7} {:<7} {:<24} {:<22} {:>13} {:>13} {:>13} {:>13} {:>9}  {}",
            format_offset(step.at),
            who,
            action,
            result,
            ui(s.pool.total_staked + s.pool.total_unbonding),
            ui(s.pool.idle),
            ui(s.pool.lent),
            ui(s.reward_vault),
            runway(s.pool.runway_seconds),
            position
        );
        match &step.outcome {
            Err((_, message)) => {
                let _ = writeln!(out, "  {:<40}↳ {message}", "");
            }
            Ok(notes) => {
                for note in notes {
                    let _ = writeln!(out, "  {:<40}↳ {note}", "");
                }
            }
        }
    }

    let p = &run.pool;
    let _ = writeln!(
        out,
        "\nAfter {} ({}):",
        format_offset(run.duration),
        format_duration(run.duration as u64)
    );
    let _ = writeln!(
        out,
        "  pool    principal {} · idle {} · lent {} · reward vault {} · owed {} · paid out {} · runway {}",
        ui(p.total_staked + p.total_unbonding),
        ui(p.idle),
        ui(p.lent),
        ui(run.reward_vault),
        ui_wide(p.liability),
        ui(p.rewards_paid),
        runway(p.runway_seconds)
    );
    for user in &run.users {
        let position = match user.position {
            Some(p) => format!(
                "staked {} · owed {}",
                ui(p.staked + p.unbonding),
                ui_wide(p.owed)
            ),
            None => "no position (closed, or never opened)".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<7} wallet {} · {position} · claimed {} (paid out and compounded)",
            user.name,
            ui(user.wallet),
            ui(user.claimed)
        );
    }

    let _ = writeln!(out, "\nChecks:");
    for check in closed_form_checks(run) {
        let mark = if check.holds() { "✓" } else { "✗" };
        let _ = writeln!(
            out,
            "  {mark} {}: {} for {} at {} → closed form {}, earned {} (claimed + still owed)",
            check.user,
            ui(check.principal),
            format_duration(check.seconds as u64),
            percent(check.apr_bps),
            ui(check.expected),
            ui_wide(check.earned)
        );
    }
    for check in &run.invariants {
        let mark = if check.holds { "✓" } else { "✗" };
        let _ = writeln!(out, "  {mark} {}: {}", check.name, check.detail);
    }
    out
}

use stakepool_client::amount::put_json as amount;

fn pool_json(p: &stakepool_client::projection::PoolFigures, reward_vault: u64, d: u8) -> Value {
    let mut pool = Map::new();
    amount(&mut pool, "total_staked", p.total_staked, d);
    amount(&mut pool, "total_unbonding", p.total_unbonding, d);
    amount(&mut pool, "idle", p.idle, d);
    amount(&mut pool, "lent", p.lent, d);
    amount(&mut pool, "reward_vault", reward_vault, d);
    amount(&mut pool, "liability", p.liability, d);
    amount(&mut pool, "rewards_paid", p.rewards_paid, d);
    Value::Object(pool)
}

fn position_json(p: &stakepool_client::projection::PositionFigures, d: u8) -> Map<String, Value> {
    let mut map = Map::new();
    amount(&mut map, "staked", p.staked, d);
    amount(&mut map, "unbonding", p.unbonding, d);
    amount(&mut map, "owed", p.owed, d);
    amount(&mut map, "claimed", p.claimed, d);
    map
}

/// A signed movement, as `"key": "-1.5"` with its `"key_raw": "-1500000"` twin.
fn signed(map: &mut Map<String, Value>, key: &str, raw: i128, d: u8) {
    let sign = if raw < 0 { "-" } else { "" };
    let magnitude = raw.unsigned_abs();
    map.insert(
        key.into(),
        json!(format!(
            "{sign}{}",
            stakepool_client::amount::format_ui_amount(magnitude, d)
        )),
    );
    map.insert(format!("{key}_raw"), json!(raw.to_string()));
}

/// A proposal in a line: "APR 5 %", "reserve 10 %", "unbonding period 14d".
fn describe_proposal(change: staking_pool::state::Change) -> String {
    use staking_pool::state::Change;
    let period = |seconds: i64| format_duration(seconds.max(0) as u64);
    match change {
        Change::Apr(apr) => format!("APR {}", percent(apr)),
        Change::Reserve(reserve) => format!("reserve {}", percent(u32::from(reserve))),
        Change::UnbondingPeriod(p) => format!("unbonding period {}", period(p)),
        Change::NoticePeriod(p) => format!("notice period {}", period(p)),
        Change::LendingMarket(market) => format!("lending market {market}"),
    }
}

pub fn json(run: &Run) -> Value {
    let d = run.scenario.pool.decimals;
    let steps: Vec<Value> = run
        .steps
        .iter()
        .map(|step| {
            let mut map = Map::new();
            map.insert("step".into(), json!(step.number));
            map.insert("at".into(), json!(format_offset(step.at)));
            map.insert("at_seconds".into(), json!(step.at));
            map.insert("user".into(), json!(step.user));
            map.insert("action".into(), json!(step.action.name()));
            match step.action.amount() {
                Some(Amount::Tokens(raw)) => amount(&mut map, "amount", raw, d),
                // What ALL came to is in `moved`.
                Some(Amount::All) => {
                    map.insert("amount".into(), json!("ALL"));
                }
                None => {}
            }
            if let super::Action::SetApr(apr) = step.action {
                map.insert("apr_bps".into(), json!(apr));
            }
            if let super::Action::Propose(change) = step.action {
                let (field, value) = stakepool_client::client::changes::change_field(change);
                map.insert("change".into(), json!(kind_name(change.kind())));
                map.insert(field.into(), value);
            }
            if let super::Action::SetParams(change) = step.action {
                let optional = |v: Option<i64>| v.map_or(Value::Null, |v| json!(v));
                map.insert("reserve_bps".into(), json!(change.reserve_bps));
                if let Some(min) = change.min_deposit {
                    amount(&mut map, "min_deposit", min, d);
                }
                if let Some(cap) = change.deposit_cap {
                    amount(&mut map, "deposit_cap", cap, d);
                }
                map.insert(
                    "unbonding_period_seconds".into(),
                    optional(change.unbonding_period),
                );
                map.insert(
                    "notice_period_seconds".into(),
                    optional(change.notice_period),
                );
            }
            if let super::Action::Execute(kind) | super::Action::Cancel(kind) = step.action {
                map.insert("change".into(), json!(kind_name(kind)));
            }
            map.insert(
                "after".into(),
                json!({
                    "pool": pool_json(&step.after.pool, step.after.reward_vault, d),
                    "user": step.after.user.map(|p| {
                        let mut user = position_json(&p, d);
                        if let Some(wallet) = step.after.wallet {
                            amount(&mut user, "wallet", wallet, d);
                        }
                        Value::Object(user)
                    }),
                }),
            );
            let mut moved = Map::new();
            if let Some(wallet) = step.moved.wallet {
                signed(&mut moved, "wallet", wallet, d);
            }
            signed(&mut moved, "idle", step.moved.idle, d);
            signed(&mut moved, "lent", step.moved.lent, d);
            signed(&mut moved, "reward_vault", step.moved.reward_vault, d);
            map.insert("moved".into(), Value::Object(moved));
            match &step.outcome {
                Ok(notes) => {
                    map.insert("outcome".into(), json!("ok"));
                    if !notes.is_empty() {
                        map.insert("notes".into(), json!(notes));
                    }
                }
                Err((name, message)) => {
                    map.insert("outcome".into(), json!(name));
                    map.insert("message".into(), json!(message));
                }
            }
            Value::Object(map)
        })
        .collect();
    let pool = pool_json(&run.pool, run.reward_vault, d);
    let mut users = Map::new();
    for user in &run.users {
        let mut map = position_json(&user.position.unwrap_or_default(), d);
        amount(&mut map, "wallet", user.wallet, d);
        // The position's count goes with its account: the last one seen.
        amount(&mut map, "claimed", user.claimed, d);
        map.insert("position_open".into(), json!(user.position.is_some()));
        users.insert(user.name.clone(), Value::Object(map));
    }
    let invariants: Vec<Value> = run
        .invariants
        .iter()
        .map(|c| json!({"name": c.name, "holds": c.holds, "detail": c.detail}))
        .collect();
    let closed_form: Vec<Value> = closed_form_checks(run)
        .iter()
        .map(|c| json!({"user": c.user, "expected_raw": c.expected.to_string(), "earned_raw": c.earned.to_string(), "holds": c.holds()}))
        .collect();
    json!({
        "scenario": run.scenario.name,
        "steps": steps,
        "decimals": d,
        "final": {"pool": pool, "users": Value::Object(users)},
        "checks": {"invariants": invariants, "closed_form": closed_form},
    })
}
