//! `stakepool pools` and `stakepool positions`: what exists on the cluster, found by
//! `getProgramAccounts`, with the figures projected to now.
use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use stakepool_client::amount::{format_ui_amount_grouped, put_json};
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::projection;
use stakepool_client::transport::Transport;

use super::execute::Report;

pub async fn pools<T: Transport>(
    client: &StakeClient<T>,
    mint: Option<Pubkey>,
    admin: Option<Pubkey>,
) -> Result<Report, ClientError> {
    let listed = client.pools(mint.as_ref(), admin.as_ref()).await?;
    let mut text = format!("{} pool(s)", listed.pools.len());
    let mut rows = Vec::new();
    for ctx in &listed.pools {
        let pool = &ctx.pool;
        text.push_str(&format!(
            "\n{}  mint {}  admin {}  {} bps  staked {}{}",
            ctx.address,
            pool.stake_mint,
            pool.admin,
            pool.apr_bps,
            format_ui_amount_grouped(pool.total_staked(), ctx.decimals),
            if pool.is_paused() { "  (paused)" } else { "" }
        ));
        let mut row = serde_json::Map::new();
        row.insert("pool".into(), json!(ctx.address.to_string()));
        row.insert("stake_mint".into(), json!(pool.stake_mint.to_string()));
        row.insert("admin".into(), json!(pool.admin.to_string()));
        row.insert("apr_bps".into(), json!(pool.apr_bps));
        row.insert("paused".into(), json!(pool.is_paused()));
        put_json(&mut row, "total_staked", pool.total_staked(), ctx.decimals);
        row.insert("decimals".into(), json!(ctx.decimals));
        rows.push(Value::Object(row));
    }
    if !listed.skipped.is_empty() {
        text.push_str(&format!(
            "\nskipped {} account(s) of the program that do not read as a pool of this version:",
            listed.skipped.len()
        ));
        for (address, why) in &listed.skipped {
            text.push_str(&format!("\n  {address}: {why}"));
        }
    }
    let skipped: Vec<Value> = listed
        .skipped
        .iter()
        .map(|(address, why)| json!({ "account": address.to_string(), "why": why }))
        .collect();
    Ok(Report {
        text,
        json: json!({ "pools": rows, "skipped": skipped }),
        csv: None,
    })
}

pub async fn positions<T: Transport>(
    client: &StakeClient<T>,
    owner: Option<Pubkey>,
) -> Result<Report, ClientError> {
    let owner = owner.unwrap_or_else(|| client.me());
    let found = client.positions_of(&owner).await?;
    let now = client.now().await?;
    let mut text = format!("{owner}: {} position(s)", found.len());
    let mut rows = Vec::new();
    for (ctx, position) in &found {
        let figures = projection::position_figures(&ctx.pool, position, now)
            .ok_or_else(|| ClientError::Failed("the position's books overflow".into()))?;
        let principal = figures.staked.saturating_add(figures.unbonding);
        let (announced, pending) =
            super::commands::show::announced(&ctx.pool, &ctx.address, now, true);
        text.push_str(&format!(
            "\npool {}  principal {}  owed {}{announced}",
            ctx.address,
            format_ui_amount_grouped(principal, ctx.decimals),
            format_ui_amount_grouped(figures.owed, ctx.decimals),
        ));
        let mut row = serde_json::Map::new();
        row.insert("pool".into(), json!(ctx.address.to_string()));
        row.insert("stake_mint".into(), json!(ctx.pool.stake_mint.to_string()));
        put_json(&mut row, "principal", principal, ctx.decimals);
        put_json(&mut row, "staked", figures.staked, ctx.decimals);
        put_json(&mut row, "unbonding", figures.unbonding, ctx.decimals);
        put_json(&mut row, "owed", figures.owed, ctx.decimals);
        row.insert("decimals".into(), json!(ctx.decimals));
        row.insert("pending_changes".into(), json!(pending));
        rows.push(Value::Object(row));
    }
    Ok(Report {
        text,
        json: json!({ "owner": owner.to_string(), "positions": rows }),
        csv: None,
    })
}
