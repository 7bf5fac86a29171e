//! `stakepool show pool` and `show position`: every figure of a pool or a position at the
//! cluster's time, its losses and its announced changes, for people and as JSON.
use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use stakepool_client::amount::{format_ui_amount, format_ui_amount_grouped, put_json};
use stakepool_client::client::changes::{change_field, describe_change, kind_name, leave_by};
use stakepool_client::client::{ClientError, PoolContext, StakeClient};
use stakepool_client::limits::describe;
use stakepool_client::projection::{self, format_duration};
use stakepool_client::transport::Transport;
use staking_pool::constants::NO_DEPOSIT_CAP;

use crate::cli::report::{amounts, merge, Report};

/// The pool's market losses in words: those written off, and one the market shows that no
/// instruction has recognised yet (already counted in the client's figures).
fn describe_losses(ctx: &PoolContext) -> String {
    let pool = &ctx.pool;
    let ui = |raw: u64| format_ui_amount_grouped(raw, ctx.decimals);
    let mut text = String::new();
    let recognised = pool.total_losses - ctx.unrecognised_loss;
    if recognised > 0 {
        text += &format!(
            "\n  LOSSES          {} of lent principal the market could not pay was written off every position pro rata",
            ui(recognised)
        );
    }
    if ctx.unrecognised_loss > 0 {
        text += &format!(
            "\n  UNRECOGNISED    the market can pay {} of the {} lent: the next instruction that reads it writes the {} off every position pro rata (anyone can: `stakepool recognise-loss --pool {}`); the figures above count it already",
            ui(pool.lent_principal),
            ui(pool.lent_principal + ctx.unrecognised_loss),
            ui(ctx.unrecognised_loss),
            ctx.address
        );
    }
    if pool.principal_index() != staking_pool::constants::SCALE {
        text += &format!(
            "\n  PRINCIPAL KEPT  {} of what was deposited before the losses; a later recovery by the market goes to the reward books",
            format_ratio(pool.principal_index())
        );
    }
    text
}

/// A principal index as the share of principal a position keeps: "80%", "99.9875%".
pub(crate) fn format_ratio(principal_index: u128) -> String {
    let ppm = principal_index / (staking_pool::constants::SCALE / 1_000_000);
    let whole = ppm / 10_000;
    let frac = format!("{:04}", ppm % 10_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole}%")
    } else {
        format!("{whole}.{frac}%")
    }
}

pub(crate) async fn show_pool<T: Transport>(
    client: &StakeClient<T>,
    address: &Pubkey,
) -> Result<Report, ClientError> {
    let ctx = client.pool(address).await?;
    let figures = client.pool_figures(&ctx).await?;
    let pool = &ctx.pool;
    let ui = |raw: u64| format_ui_amount_grouped(raw, ctx.decimals);
    // The liability and owed amounts are exact beyond a u64.
    let ui_wide = |raw: u128| format_ui_amount_grouped(raw, ctx.decimals);
    let runway = figures
        .runway_seconds
        .map_or("never runs dry at this rate".to_string(), format_duration);
    let lending = ctx
        .keys
        .lending
        .map_or("none".to_string(), |l| l.market.to_string());
    let market_deficit = match ctx.keys.lending {
        Some(l) => client.market_deficit(&l.market).await?,
        None => 0,
    };
    let now = client.now().await?;
    let (pending_lines, pending_json) = announced(pool, address, now, false);
    let deficit_line = if market_deficit == 0 {
        String::new()
    } else {
        format!(
            "\n  MARKET DEFICIT  {}: its shares are worth more than it holds; rebalance lends nothing more and recalls what it can",
            format_ui_amount_grouped(market_deficit, ctx.decimals)
        )
    };
    let loss_lines = describe_losses(&ctx);
    let underfunded = projection::underfunded(pool, &figures);
    let funding_line = underfunded
        .as_ref()
        .map_or(String::new(), |warning| format!("\n  {warning}"));
    let text = format!(
        "Pool {address}\n  mint            {}\n  admin           {}{}\n  APR             {} bps{}\n  principal       {} (earning {}, unbonding {})\n  idle / lent     {} / {} (reserve {} bps, market {lending})\n  reward books    {} funded + interest, {} owed now (each fraction rounded up), runway {runway}\n  paid out        {} (claimed and compounded)\n  limits          {}{funding_line}{loss_lines}{deficit_line}{pending_lines}",
        pool.stake_mint,
        pool.admin,
        if pool.pending_admin != Pubkey::default() { format!(" (pending: {})", pool.pending_admin) } else { String::new() },
        pool.apr_bps,
        if pool.is_paused() { " — PAUSED: deposits stopped" } else { "" },
        ui(figures.total_staked + figures.total_unbonding),
        ui(figures.total_staked),
        ui(figures.total_unbonding),
        ui(figures.idle),
        ui(figures.lent),
        pool.limits.reserve_bps,
        ui(figures.reward_balance),
        ui_wide(figures.liability),
        ui(figures.rewards_paid),
        describe(&pool.limits(), ctx.decimals),
    );
    let d = ctx.decimals;
    let mut json = amounts(
        &[
            ("total_staked", figures.total_staked),
            ("total_unbonding", figures.total_unbonding),
            ("idle", figures.idle),
            ("lent", figures.lent),
            ("reward_balance", figures.reward_balance),
            ("rewards_paid", figures.rewards_paid),
            ("min_deposit", pool.limits.min_deposit),
            ("market_deficit", market_deficit),
            ("losses", pool.total_losses),
            ("unrecognised_loss", ctx.unrecognised_loss),
        ],
        d,
    );
    if let Value::Object(map) = &mut json {
        put_json(map, "liability", figures.liability, d);
    }
    let extra = json!({
        "pool": address.to_string(),
        "underfunded": underfunded,
        "principal_kept_ppm": figures.principal_ppm,
        "mint": pool.stake_mint.to_string(),
        "admin": pool.admin.to_string(),
        "pending_admin": (pool.pending_admin != Pubkey::default()).then(|| pool.pending_admin.to_string()),
        "apr_bps": pool.apr_bps,
        "paused": pool.is_paused(),
        "runway_seconds": figures.runway_seconds,
        "reserve_bps": pool.limits.reserve_bps,
        "deposit_cap": (pool.limits.deposit_cap != NO_DEPOSIT_CAP).then(|| format_ui_amount(pool.limits.deposit_cap, d)),
        "deposit_cap_raw": (pool.limits.deposit_cap != NO_DEPOSIT_CAP).then(|| pool.limits.deposit_cap.to_string()),
        "unbonding_period_seconds": pool.limits.unbonding_period,
        "lending_market": ctx.keys.lending.map(|l| l.market.to_string()),
        "notice_period_seconds": pool.limits.notice_period,
        "pending_changes": pending_json,
    });
    merge(&mut json, extra);
    Ok(Report {
        text,
        json,
        csv: None,
    })
}

pub(crate) async fn show_position<T: Transport>(
    client: &StakeClient<T>,
    pool: &Pubkey,
    owner: Pubkey,
) -> Result<Report, ClientError> {
    let ctx: PoolContext = client.pool(pool).await?;
    let figures = client.position_figures(&ctx, &owner).await?;
    let pool_figures = client.pool_figures(&ctx).await?;
    let now = client.now().await?;
    let ui = |raw: u64| format_ui_amount_grouped(raw, ctx.decimals);
    let unbonding = if figures.unbonding == 0 {
        "none".to_string()
    } else if figures.unlocked {
        format!("{} (unlocked: withdraw it)", ui(figures.unbonding))
    } else {
        format!(
            "{} (unlocks {}, in {})",
            ui(figures.unbonding),
            projection::format_utc(figures.unlock_ts),
            format_duration((figures.unlock_ts - now) as u64)
        )
    };
    let runway = pool_figures
        .runway_seconds
        .map_or("never runs dry at this rate".to_string(), format_duration);
    let written_down = if ctx.pool.principal_index() == staking_pool::constants::SCALE {
        String::new()
    } else {
        let pending = if ctx.unrecognised_loss > 0 {
            format!(
                ", counting a loss of {} the market shows and the pool has not recognised yet",
                ui(ctx.unrecognised_loss)
            )
        } else {
            String::new()
        };
        format!(
            "\n  written down principal keeps {} of what it was before the market's losses, like every position's{pending}",
            format_ratio(ctx.pool.principal_index())
        )
    };
    let underfunded = projection::underfunded(&ctx.pool, &pool_figures);
    let funding = underfunded
        .as_ref()
        .map_or(String::new(), |warning| format!("\n  {warning}"));
    let (announced_lines, announced_json) = announced(&ctx.pool, pool, now, true);
    let text = format!(
        "Position of {owner} in pool {pool}\n  principal   {} earning at {} bps\n  unbonding   {unbonding}\n  owed now    {} (whole units, as a claim pays; claimable now {})\n  claimed     {} (paid out and compounded)\n  pool runway {runway}{funding}{written_down}{announced_lines}",
        ui(figures.staked),
        ctx.pool.apr_bps,
        format_ui_amount_grouped(figures.owed, ctx.decimals),
        ui(figures.claimable),
        ui(figures.claimed),
    );
    let d = ctx.decimals;
    let mut json = amounts(
        &[
            ("staked", figures.staked),
            ("unbonding", figures.unbonding),
            ("claimable", figures.claimable),
            ("claimed", figures.claimed),
        ],
        d,
    );
    // Exact beyond a u64; `claimable` is what one claim can pay.
    if let Value::Object(map) = &mut json {
        put_json(map, "owed", figures.owed, d);
    }
    let extra = json!({
        "pool": pool.to_string(),
        "owner": owner.to_string(),
        "unlock_ts": figures.unlock_ts,
        "unlock_at": projection::format_rfc3339(figures.unlock_ts),
        "unlocked": figures.unlocked,
        "apr_bps": ctx.pool.apr_bps,
        "runway_seconds": pool_figures.runway_seconds,
        "underfunded": underfunded,
        "principal_kept_ppm": pool_figures.principal_ppm,
        "pending_changes": announced_json,
    });
    merge(&mut json, extra);
    Ok(Report {
        text,
        json,
        csv: None,
    })
}

/// The pool's announced changes, as lines for people and as JSON: what changes, from when,
/// and when anyone may execute it; for a depositor (`for_depositor`), also the last moment
/// to `request-unbond` and still be out before it can apply.
pub(crate) fn announced(
    pool: &staking_pool::state::Pool,
    address: &Pubkey,
    now: i64,
    for_depositor: bool,
) -> (String, Vec<Value>) {
    let mut lines = String::new();
    let mut rows = Vec::new();
    for (change, window) in pool.pending.all() {
        let (at, until) = (window.executable_at, window.lapses_at);
        let leave_by = leave_by(pool, at);
        let when = if now > until {
            "lapsed: announce it again".to_string()
        } else if at <= now {
            format!(
                "executable now, lapses in {}",
                format_duration((until - now) as u64)
            )
        } else {
            format!("executable in {}", format_duration((at - now) as u64))
        };
        let leave = if !for_depositor || now > until {
            String::new()
        } else if leave_by > now {
            format!(
                "\n                  to be out before it can apply: request-unbond by {} (in {})",
                projection::format_utc(leave_by),
                format_duration((leave_by - now) as u64)
            )
        } else if at > now {
            format!(
                "\n                  too late to be fully out before it can apply: unbonding takes {}",
                format_duration(pool.limits.unbonding_period.max(0) as u64)
            )
        } else {
            String::new()
        };
        lines += &format!(
            "\n  ANNOUNCED       {}{} from {} at the earliest ({when}; `stakepool execute-change --pool {address} {}`){leave}",
            describe_change(pool, change),
            market_authority_note(pool, change),
            projection::format_utc(at),
            kind_name(change.kind())
        );
        let (field, value) = change_field(change);
        let mut row = json!({
            "kind": kind_name(change.kind()),
            "change": describe_change(pool, change),
            "executable_at": at,
            "executable_at_rfc3339": projection::format_rfc3339(at),
            "executable_in_seconds": (at - now).max(0),
            "lapses_at": until,
            "lapses_at_rfc3339": projection::format_rfc3339(until),
            "lapsed": now > until,
            "leave_by": leave_by,
            "leave_by_rfc3339": projection::format_rfc3339(leave_by),
            "market_authority": matches!(change, staking_pool::state::Change::LendingMarket(_))
                .then(|| pool.pending.lending_market_authority.to_string()),
        });
        row[field] = value;
        rows.push(row);
    }
    (lines, rows)
}

/// For a proposed lending market: the authority it was proposed under, which execution
/// requires unchanged (whoever holds it can borrow what the pool lends there).
fn market_authority_note(
    pool: &staking_pool::state::Pool,
    change: staking_pool::state::Change,
) -> String {
    match change {
        staking_pool::state::Change::LendingMarket(_) => format!(
            ", its authority {} (execution refuses the market if that changes)",
            pool.pending.lending_market_authority
        ),
        _ => String::new(),
    }
}
