//! `stakepool history`: an owner's deposits, withdrawals, claims, compounds, unbonding
//! requests and closes, with amounts and dates, for people (display), scripts (JSON) and
//! accounting (CSV).
use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use serde_json::{json, Map, Value};
use stakepool_client::amount::{format_ui_amount, format_ui_amount_grouped, put_json};
use stakepool_client::client::history::{Entry, Happened, History};
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::history::{Activity, Totals};
use stakepool_client::projection::{format_duration, format_rfc3339, format_utc};
use stakepool_client::transport::Transport;

use super::execute::Report;

pub async fn history<T: Transport>(
    client: &StakeClient<T>,
    owner: Pubkey,
    pool: Option<Pubkey>,
    limit: usize,
) -> Result<Report, ClientError> {
    let history = client.history(&owner, pool.as_ref(), limit).await?;
    let now = client.now().await?;
    // Each pool's decimals, for its amounts.
    let mut decimals = BTreeMap::new();
    let mut totals: BTreeMap<Pubkey, Totals> = BTreeMap::new();
    for entry in &history.entries {
        if let Happened::Did { pool, activity } = &entry.happened {
            if !decimals.contains_key(pool) {
                decimals.insert(*pool, client.pool(pool).await?.decimals);
            }
            totals.entry(*pool).or_default().add(activity);
        }
    }
    Ok(Report {
        text: display(&history, pool, &decimals, &totals, now),
        json: to_json(&history, &decimals, &totals),
        csv: Some(to_csv(&history, &decimals)),
    })
}

/// An entry's amount and details in words, for display and the CSV's `detail` column.
fn detail(activity: &Activity, decimals: u8) -> String {
    let ui = |raw: u64| format_ui_amount(raw, decimals);
    match *activity {
        Activity::Withdrawn { amount, paid } if paid != amount => format!(
            "received {}: {} paid the lending recall's share rounding",
            ui(paid),
            ui(amount - paid)
        ),
        Activity::WithdrawnInKind {
            in_tokens,
            in_kind,
            receipt_shares,
            ..
        } => format!(
            "{} in tokens, {} as {receipt_shares} lending market shares",
            ui(in_tokens),
            ui(in_kind)
        ),
        Activity::UnbondRequested { unlock_ts, .. } => {
            format!("unlocks {}", format_utc(unlock_ts))
        }
        Activity::Claimed { still_owed, .. } if still_owed > 0 => {
            format!("{} stayed owed: the reward vault was short", ui(still_owed))
        }
        Activity::Compounded { .. } => "rewards added to principal".into(),
        Activity::Opened => "position opened".into(),
        Activity::Closed => "position closed, its rent returned".into(),
        _ => String::new(),
    }
}

/// The entry's date in UTC and how long ago it was (the slot, if its block time is unknown).
fn when(entry: &Entry, now: i64) -> String {
    match entry.time {
        Some(time) if now > time => format!(
            "{} ({} ago)",
            format_utc(time),
            format_duration((now - time) as u64)
        ),
        Some(time) => format!("{} (now)", format_utc(time)),
        None => format!("slot {}", entry.slot),
    }
}

fn display(
    history: &History,
    pool: Option<Pubkey>,
    decimals: &BTreeMap<Pubkey, u8>,
    totals: &BTreeMap<Pubkey, Totals>,
    now: i64,
) -> String {
    let source = match pool {
        Some(pool) => format!(
            "in pool {pool}, from the transactions of its position {}",
            history.address
        ),
        None => "in every pool, from the owner's transactions".into(),
    };
    let mut text = format!(
        "History of {} {source} ({} transaction(s) read)",
        history.owner, history.transactions
    );
    if history.entries.is_empty() {
        text.push_str("\n  nothing recorded");
    }
    for entry in &history.entries {
        let line = match &entry.happened {
            Happened::Did { pool, activity } => {
                let d = decimals[pool];
                let amount = activity
                    .amount()
                    .map_or(String::new(), |raw| format_ui_amount_grouped(raw, d));
                let detail = detail(activity, d);
                let pool_note = if history.address == history.owner {
                    format!("  pool {pool}")
                } else {
                    String::new()
                };
                format!("{:<16} {amount:>20}  {detail}{pool_note}", activity.kind())
            }
            Happened::Unreadable(why) => format!("{:<16} {:>20}  {why}", "UNREADABLE", "?"),
        };
        text.push_str(&format!(
            "\n  {}  {line}\n      {}",
            when(entry, now),
            entry.signature
        ));
    }
    for (pool, totals) in totals {
        let ui = |raw: u128| format_ui_amount_grouped(raw, decimals[pool]);
        text.push_str(&format!(
            "\nTotals in pool {pool}: deposited {}, withdrawn {}, claimed {} (paid out), compounded {} (added to principal)",
            ui(totals.deposited),
            ui(totals.withdrawn),
            ui(totals.claimed),
            ui(totals.compounded)
        ));
    }
    if history.failed > 0 {
        text.push_str(&format!(
            "\nNote: {} transaction(s) landed and failed: they changed nothing but their fees and are not listed",
            history.failed
        ));
    }
    if history.more {
        text.push_str(&format!(
            "\nNote: only the newest {} transaction(s) were read: pass a larger --limit for older ones",
            history.transactions
        ));
    }
    text
}

fn entry_json(entry: &Entry, decimals: &BTreeMap<Pubkey, u8>) -> Value {
    let mut map = Map::new();
    map.insert("signature".into(), json!(entry.signature.to_string()));
    map.insert("slot".into(), json!(entry.slot));
    map.insert("unix_time".into(), json!(entry.time));
    map.insert("time_rfc3339".into(), json!(entry.time.map(format_rfc3339)));
    match &entry.happened {
        Happened::Did { pool, activity } => {
            let d = decimals[pool];
            map.insert("pool".into(), json!(pool.to_string()));
            map.insert("kind".into(), json!(activity.kind()));
            map.insert("decimals".into(), json!(d));
            if let Some(amount) = activity.amount() {
                put_json(&mut map, "amount", amount, d);
            }
            match *activity {
                Activity::Withdrawn { paid, .. } => put_json(&mut map, "received", paid, d),
                Activity::WithdrawnInKind {
                    in_tokens,
                    in_kind,
                    receipt_shares,
                    ..
                } => {
                    put_json(&mut map, "in_tokens", in_tokens, d);
                    put_json(&mut map, "in_kind", in_kind, d);
                    map.insert("receipt_shares".into(), json!(receipt_shares.to_string()));
                }
                Activity::UnbondRequested { unlock_ts, .. } => {
                    map.insert("unlock_ts".into(), json!(unlock_ts));
                    map.insert("unlock_at".into(), json!(format_rfc3339(unlock_ts)));
                }
                Activity::Claimed { still_owed, .. } => {
                    put_json(&mut map, "still_owed", still_owed, d)
                }
                _ => {}
            }
        }
        Happened::Unreadable(why) => {
            map.insert("pool".into(), Value::Null);
            map.insert("kind".into(), json!("unreadable"));
            map.insert("reason".into(), json!(why));
        }
    }
    Value::Object(map)
}

fn to_json(
    history: &History,
    decimals: &BTreeMap<Pubkey, u8>,
    totals: &BTreeMap<Pubkey, Totals>,
) -> Value {
    let totals: Vec<Value> = totals
        .iter()
        .map(|(pool, totals)| {
            let d = decimals[pool];
            let mut map = Map::new();
            map.insert("pool".into(), json!(pool.to_string()));
            map.insert("decimals".into(), json!(d));
            put_json(&mut map, "deposited", totals.deposited, d);
            put_json(&mut map, "withdrawn", totals.withdrawn, d);
            put_json(&mut map, "claimed", totals.claimed, d);
            put_json(&mut map, "compounded", totals.compounded, d);
            Value::Object(map)
        })
        .collect();
    json!({
        "owner": history.owner.to_string(),
        "address": history.address.to_string(),
        "transactions": history.transactions,
        "failed_not_listed": history.failed,
        "older_not_read": history.more,
        "entries": history.entries.iter().map(|e| entry_json(e, decimals)).collect::<Vec<_>>(),
        "totals": totals,
    })
}

/// One CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn to_csv(history: &History, decimals: &BTreeMap<Pubkey, u8>) -> String {
    let mut csv = String::from(
        "time_utc,unix_time,signature,slot,pool,kind,amount,amount_raw,decimals,detail\n",
    );
    for entry in &history.entries {
        let time = entry.time.map_or(String::new(), format_rfc3339);
        let unix = entry.time.map_or(String::new(), |t| t.to_string());
        let (pool, kind, amount, raw, d, detail) = match &entry.happened {
            Happened::Did { pool, activity } => {
                let d = decimals[pool];
                let raw = activity.amount();
                (
                    pool.to_string(),
                    activity.kind().to_string(),
                    raw.map_or(String::new(), |raw| format_ui_amount(raw, d)),
                    raw.map_or(String::new(), |raw| raw.to_string()),
                    d.to_string(),
                    detail(activity, d),
                )
            }
            Happened::Unreadable(why) => (
                String::new(),
                "unreadable".into(),
                String::new(),
                String::new(),
                String::new(),
                why.clone(),
            ),
        };
        let row = [
            time,
            unix,
            entry.signature.to_string(),
            entry.slot.to_string(),
            pool,
            kind,
            amount,
            raw,
            d,
            detail,
        ];
        let row: Vec<String> = row.iter().map(|f| field(f)).collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    csv
}
