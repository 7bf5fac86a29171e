//! Runs one parsed command on a `StakeClient` and builds its report (text for people, JSON for
//! scripts). Works over any transport: RPC in the binary, in-process in the tests.
use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use staking_pool::constants::NO_DEPOSIT_CAP;
use staking_pool::state::PoolLimits;

use super::args::{Command, MarketCommand, Show};
use stakepool_client::amount::{
    format_ui_amount, format_ui_amount_grouped, parse_ui_amount, put_json,
};
use stakepool_client::client::changes::{change_field, describe_change, kind_name, leave_by};
use stakepool_client::client::{ClientError, Outcome, PoolContext, Sent, SignedOnly, StakeClient};
use stakepool_client::limits::{describe, with_overrides};
use stakepool_client::projection::{self, format_duration};
use stakepool_client::transport::Transport;

/// What a command prints.
#[derive(Clone, Debug)]
pub struct Report {
    pub text: String,
    pub json: Value,
    /// The report as CSV, for the commands that have one (`history`).
    pub csv: Option<String>,
}

/// A JSON object of amounts, each as `"key": "1.5"` with its `"key_raw"` twin, and the mint's
/// `decimals` they are written in.
fn amounts(pairs: &[(&str, u64)], decimals: u8) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("decimals".into(), json!(decimals));
    for (key, raw) in pairs {
        put_json(&mut map, key, *raw, decimals);
    }
    Value::Object(map)
}

/// A finished transaction: what was done, the signature (or the dry run's result), notes.
fn sent(what: String, outcome: &Outcome, mut extra: Value) -> Report {
    let mut text = String::new();
    match &outcome.sent {
        Sent::Confirmed(signature) => {
            text.push_str(&format!("✓ {what}\nSignature: {signature}"));
            extra["signature"] = json!(signature.to_string());
        }
        Sent::Simulated(simulation) => {
            let units = simulation
                .units_consumed
                .map_or(String::new(), |u| format!(" ({u} compute units)"));
            text.push_str(&format!(
                "✓ dry run: {what} would succeed{units}; nothing was sent"
            ));
            extra["dry_run"] = json!(true);
            extra["units_consumed"] = json!(simulation.units_consumed);
            extra["logs"] = json!(simulation.logs);
        }
        Sent::SignedOnly(signed) => {
            text.push_str(&signed_only_text(&what, signed));
            extra["sign_only"] = json!(true);
            extra["blockhash"] = json!(signed.blockhash.to_string());
            extra["signers"] = json!(signed
                .signers
                .iter()
                .map(|(key, signature)| json!({
                    "pubkey": key.to_string(),
                    "signature": signature.map(|s| s.to_string()),
                }))
                .collect::<Vec<_>>());
            extra["compute_unit_limit"] = json!(signed.compute_unit_limit);
            extra["compute_unit_price"] = json!(signed.compute_unit_price.to_string());
            extra["message_base64"] = json!(signed.message_base64);
            extra["message_base58"] = json!(signed.message_base58);
        }
    }
    for note in &outcome.notes {
        text.push_str(&format!("\nNote: {note}"));
    }
    extra["notes"] = json!(outcome.notes);
    extra["done"] = json!(what);
    Report {
        text,
        json: extra,
        csv: None,
    }
}

/// `--sign-only`'s report: the signatures, and the flags that complete the transaction.
fn signed_only_text(what: &str, signed: &SignedOnly) -> String {
    let mut text = format!(
        "signed, not sent: {what}\nBlockhash: {}\nSigners (Pubkey=Signature):",
        signed.blockhash
    );
    let mut complete = format!("--blockhash {}", signed.blockhash);
    for (key, signature) in &signed.signers {
        match signature {
            Some(signature) => {
                text.push_str(&format!("\n  {key}={signature}"));
                complete.push_str(&format!(" --signer {key}={signature}"));
            }
            None => text.push_str(&format!("\n  {key} (not signed here)")),
        }
    }
    if let Some(limit) = signed.compute_unit_limit {
        complete.push_str(&format!(" --with-compute-unit-limit {limit}"));
        complete.push_str(&format!(
            " --with-compute-unit-price {}",
            signed.compute_unit_price
        ));
    }
    text.push_str(&format!(
        "\nComplete it with the same command and: {complete}\nMessage (base64): {}",
        signed.message_base64
    ));
    text
}

fn parse_amount(text: &str, decimals: u8) -> Result<u64, ClientError> {
    Ok(parse_ui_amount(text, decimals)?)
}

/// `ALL` (any case), as `spl-token transfer` takes it.
fn is_all(text: &str) -> bool {
    text.eq_ignore_ascii_case("all")
}

/// `ALL`, resolved from the cluster's state now: not for a transaction signed now and
/// completed later, whose amount must be the same both times.
fn resolve_all<T: Transport>(client: &StakeClient<T>, all: u64) -> Result<u64, ClientError> {
    if client.signs_for_later() {
        return Err(ClientError::Usage(format!(
            "ALL is read from the cluster when the command runs, so it cannot be signed for later: pass the amount (ALL is {all} base units now)"
        )));
    }
    Ok(all)
}

pub async fn execute<T: Transport>(
    command: Command,
    client: &StakeClient<T>,
) -> Result<Report, ClientError> {
    // A malformed amount is refused before anything is read from the cluster.
    if let Some(amount) = command.amount().filter(|amount| !is_all(amount)) {
        stakepool_client::amount::check_ui_amount_syntax(amount)?;
    }
    match command {
        Command::CreatePool {
            mint,
            pool_id,
            apr_bps,
            reserve_bps,
            min_deposit,
            deposit_cap,
            unbonding_period,
            notice_period,
        } => {
            let decimals = client.mint_decimals(&mint).await?;
            let base = PoolLimits {
                reserve_bps,
                ..PoolLimits::default()
            };
            let limits = with_overrides(
                base,
                decimals,
                min_deposit.as_deref(),
                deposit_cap.as_deref(),
                unbonding_period.as_deref(),
                notice_period.as_deref(),
            )?;
            let (keys, outcome) = client.create_pool(&mint, pool_id, apr_bps, limits).await?;
            Ok(sent(
                format!("created pool {} for mint {mint}", keys.pool),
                &outcome,
                json!({"pool": keys.pool.to_string()}),
            ))
        }
        Command::FundRewards { pool, amount, from } => {
            let ctx = client.pool(&pool).await?;
            let raw = match is_all(&amount) {
                true => resolve_all(client, client.all_fundable(&ctx, from).await?)?,
                false => parse_amount(&amount, ctx.decimals)?,
            };
            let outcome = client.fund_rewards(&pool, raw, from).await?;
            Ok(sent(
                format!("funded {} of rewards", ctx.ui(raw)),
                &outcome,
                amounts(&[("amount", raw)], ctx.decimals),
            ))
        }
        Command::Deposit { pool, amount, from } => {
            let ctx = client.pool(&pool).await?;
            let raw = match is_all(&amount) {
                true => resolve_all(client, client.all_depositable(&ctx, from).await?)?,
                false => parse_amount(&amount, ctx.decimals)?,
            };
            let outcome = client.deposit(&pool, raw, from).await?;
            Ok(sent(
                format!("deposited {}", ctx.ui(raw)),
                &outcome,
                amounts(&[("amount", raw)], ctx.decimals),
            ))
        }
        Command::Withdraw {
            pool,
            amount,
            to,
            in_kind,
        } => {
            let ctx = client.pool(&pool).await?;
            let raw = match is_all(&amount) {
                true => resolve_all(client, client.all_withdrawable(&ctx).await?)?,
                false => parse_amount(&amount, ctx.decimals)?,
            };
            if in_kind {
                return withdraw_in_kind(client, &ctx, raw, to).await;
            }
            let (outcome, received) = client.withdraw(&pool, raw, to).await?;
            let kept = raw.saturating_sub(received);
            let summary = if kept == 0 {
                format!("withdrew {}", ctx.ui(raw))
            } else {
                format!(
                    "withdrew {}, received {}: {} paid the lending recall's share rounding",
                    ctx.ui(raw),
                    ctx.ui(received),
                    ctx.ui(kept)
                )
            };
            Ok(sent(
                summary,
                &outcome,
                amounts(&[("amount", raw), ("received", received)], ctx.decimals),
            ))
        }
        Command::RequestUnbond {
            pool,
            amount,
            restart_timer,
        } => {
            let ctx = client.pool(&pool).await?;
            let raw = match is_all(&amount) {
                true => resolve_all(client, client.all_staked(&ctx).await?)?,
                false => parse_amount(&amount, ctx.decimals)?,
            };
            if !restart_timer {
                refuse_to_push_back_an_unlock(client, &ctx).await?;
            }
            let outcome = client.request_unbond(&pool, raw).await?;
            let period = ctx.pool.limits.unbonding_period.max(0);
            let unlock = client.now().await?.saturating_add(period);
            let mut json = amounts(&[("amount", raw)], ctx.decimals);
            json["unlock_ts"] = json!(unlock);
            json["unlock_at"] = json!(projection::format_rfc3339(unlock));
            Ok(sent(
                format!(
                    "started unbonding {}; withdraw it from {} (in {})",
                    ctx.ui(raw),
                    projection::format_utc(unlock),
                    format_duration(period as u64)
                ),
                &outcome,
                json,
            ))
        }
        Command::Claim { pool, to } => {
            let ctx = client.pool(&pool).await?;
            let (outcome, paid) = client.claim(&pool, to).await?;
            let what = match outcome.sent {
                Sent::Confirmed(_) => format!("claimed {}", ctx.ui(paid)),
                Sent::Simulated(_) | Sent::SignedOnly(_) => {
                    format!("claimed about {} (projected)", ctx.ui(paid))
                }
            };
            Ok(sent(
                what,
                &outcome,
                amounts(&[("amount", paid)], ctx.decimals),
            ))
        }
        Command::Compound { pool } => simple(
            client.compound(&pool).await?,
            "compounded owed rewards into principal",
        ),
        Command::ClosePosition { pool } => simple(
            client.close_position(&pool).await?,
            "closed the position; its rent is back in your wallet",
        ),
        Command::Rebalance { pool } => simple(
            client.rebalance(&pool).await?,
            "rebalanced idle and lent principal",
        ),
        Command::Harvest { pool } => simple(
            client.harvest(&pool).await?,
            "harvested lending interest into the reward vault",
        ),
        Command::RecogniseLoss { pool } => {
            let ctx = client.pool(&pool).await?;
            let loss = ctx.unrecognised_loss;
            let outcome = client.recognise_loss(&pool).await?;
            let summary = if loss == 0 {
                "the market shows no loss: nothing to recognise".to_string()
            } else {
                format!(
                    "recognised a loss of {}: every position keeps {} of its principal",
                    ctx.ui(loss),
                    format_ratio(ctx.pool.principal_index())
                )
            };
            Ok(sent(
                summary,
                &outcome,
                amounts(&[("loss", loss)], ctx.decimals),
            ))
        }
        Command::SetApr { pool, apr_bps } => {
            // In a pool with a notice period a cut is only announced: say which happened.
            let ctx = client.pool(&pool).await?;
            let change = staking_pool::state::Change::Apr(apr_bps);
            let summary = if announces(&ctx.pool, change) {
                format!(
                    "announced {}: the APR stays {} bps until the change is executed after the notice period",
                    describe_change(&ctx.pool, change),
                    ctx.pool.apr_bps
                )
            } else {
                format!("set the APR to {apr_bps} bps from now on")
            };
            simple(client.set_apr(&pool, apr_bps).await?, &summary)
        }
        Command::SetParams {
            pool,
            reserve_bps,
            min_deposit,
            deposit_cap,
            unbonding_period,
            notice_period,
        } => {
            let ctx = client.pool(&pool).await?;
            let base = PoolLimits {
                reserve_bps: reserve_bps.unwrap_or(ctx.pool.limits.reserve_bps),
                ..ctx.pool.limits()
            };
            let limits = with_overrides(
                base,
                ctx.decimals,
                min_deposit.as_deref(),
                deposit_cap.as_deref(),
                unbonding_period.as_deref(),
                notice_period.as_deref(),
            )?;
            let announced: Vec<String> = limits
                .noticed_changes()
                .into_iter()
                .filter(|&change| announces(&ctx.pool, change))
                .map(|change| describe_change(&ctx.pool, change))
                .collect();
            let summary = if announced.is_empty() {
                "updated the pool's limits".to_string()
            } else {
                // What is against depositors keeps its value until executed; the rest applies.
                let rest = limits
                    .noticed_changes()
                    .into_iter()
                    .filter(|&change| announces(&ctx.pool, change))
                    .fold(limits, |left, change| {
                        left.without(change, &ctx.pool.limits())
                    });
                let now = if rest != ctx.pool.limits() {
                    "the other limits apply from now on"
                } else {
                    "nothing else changed"
                };
                format!(
                    "announced {} (each applies once executed after the notice period); {now}",
                    announced.join(", ")
                )
            };
            simple(client.set_params(&pool, limits).await?, &summary)
        }
        Command::Pause { pool } => simple(client.set_paused(&pool, true).await?, "paused deposits"),
        Command::Unpause { pool } => {
            simple(client.set_paused(&pool, false).await?, "unpaused deposits")
        }
        Command::TransferAdmin { pool, new_admin } => simple(
            client.transfer_admin(&pool, &new_admin).await?,
            &format!("named {new_admin} the pending admin; they must run accept-admin"),
        ),
        Command::AcceptAdmin { pool } => simple(
            client.accept_admin(&pool).await?,
            "you are now the pool's admin",
        ),
        Command::RecallAll { pool } => simple(
            client.recall_all(&pool).await?,
            "recalled everything from lending",
        ),
        Command::SetLendingMarket {
            pool,
            market,
            allow_foreign_market,
        } => simple(
            client
                .set_lending_market(&pool, &market, allow_foreign_market)
                .await?,
            &format!("set the lending market to {market}"),
        ),
        Command::ExecuteChange { pool, kind } => simple(
            client.execute_change(&pool, kind.into()).await?,
            "executed the announced change",
        ),
        Command::CancelChange { pool, kind } => simple(
            client.cancel_change(&pool, kind.into()).await?,
            "cancelled the announced change",
        ),
        Command::Show(Show::Pool { pool }) => show_pool(client, &pool).await,
        Command::Show(Show::Position { pool, owner }) => {
            show_position(client, &pool, owner.unwrap_or_else(|| client.me())).await
        }
        Command::Market(command) => market(client, command).await,
        Command::Pools { mint, admin } => super::discovery::pools(client, mint, admin).await,
        Command::Positions { owner } => super::discovery::positions(client, owner).await,
        Command::History { owner, pool, limit } => {
            let owner = owner.unwrap_or_else(|| client.me());
            super::history::history(client, owner, pool, limit).await
        }
        Command::Simulate { .. } | Command::Completion { .. } => Err(ClientError::Failed(
            "simulate and completion run without a cluster; the binary handles them".into(),
        )),
    }
}

fn simple(outcome: Outcome, what: &str) -> Result<Report, ClientError> {
    Ok(sent(what.to_string(), &outcome, json!({})))
}

async fn market<T: Transport>(
    client: &StakeClient<T>,
    command: MarketCommand,
) -> Result<Report, ClientError> {
    if let MarketCommand::Init {
        mint,
        market_id,
        apr_bps,
    } = command
    {
        let (keys, outcome) = client.init_market(&mint, market_id, apr_bps).await?;
        return Ok(sent(
            format!("created market {}", keys.market),
            &outcome,
            json!({"market": keys.market.to_string()}),
        ));
    }
    if let MarketCommand::Unbacked { market, state } = &command {
        let unbacked = state == "on";
        let outcome = client.market_set_unbacked(market, unbacked).await?;
        let what = if unbacked {
            "the market now pays its index whether or not it holds it"
        } else {
            "the market pays only what it holds again"
        };
        return Ok(sent(what.into(), &outcome, json!({ "unbacked": unbacked })));
    }
    let (market, amount) = match &command {
        MarketCommand::Deposit { market, amount }
        | MarketCommand::Withdraw { market, amount }
        | MarketCommand::FundInterest { market, amount }
        | MarketCommand::Borrow { market, amount }
        | MarketCommand::Repay { market, amount }
        | MarketCommand::Default { market, amount }
        | MarketCommand::Recover { market, amount } => (*market, amount.clone()),
        MarketCommand::Init { .. } | MarketCommand::Unbacked { .. } => {
            unreachable!("handled above")
        }
    };
    let (state, _) = client.market(&market).await?;
    let decimals = client.mint_decimals(&state.mint).await?;
    let raw = match (&command, is_all(&amount)) {
        (MarketCommand::Withdraw { .. }, true) => {
            resolve_all(client, client.all_in_market(&market).await?)?
        }
        _ => parse_amount(&amount, decimals)?,
    };
    let ui = format_ui_amount(raw, decimals);
    let (outcome, what) = match command {
        MarketCommand::Deposit { .. } => (
            client.market_deposit(&market, raw).await?,
            format!("supplied {ui} to the market"),
        ),
        MarketCommand::Withdraw { .. } => (
            client.market_withdraw(&market, raw).await?,
            format!("withdrew {ui} from the market"),
        ),
        MarketCommand::FundInterest { .. } => (
            client.market_fund_interest(&market, raw).await?,
            format!("funded {ui} of interest"),
        ),
        MarketCommand::Borrow { .. } => (
            client.market_borrow(&market, raw).await?,
            format!("borrowed {ui} out of the market"),
        ),
        MarketCommand::Repay { .. } => (
            client.market_repay(&market, raw).await?,
            format!("repaid {ui} into the market"),
        ),
        MarketCommand::Default { .. } => (
            client.market_default(&market, raw).await?,
            format!("wrote {ui} of loans off as bad debt: every share of the market is worth less"),
        ),
        MarketCommand::Recover { .. } => (
            client.market_recover(&market, raw).await?,
            format!("recovered {ui} of loans written off"),
        ),
        MarketCommand::Init { .. } | MarketCommand::Unbacked { .. } => {
            unreachable!("handled above")
        }
    };
    Ok(sent(what, &outcome, amounts(&[("amount", raw)], decimals)))
}

/// A new unbonding request restarts the timer for everything already unbonding: refused, with
/// both dates, unless the user says `--restart-timer`.
async fn refuse_to_push_back_an_unlock<T: Transport>(
    client: &StakeClient<T>,
    ctx: &PoolContext,
) -> Result<(), ClientError> {
    let Some(position) = client.position(ctx, &client.me()).await? else {
        return Ok(());
    };
    let now = client.now().await?;
    let unbonding = ctx.pool.principal_value(position.unbonding_shares);
    if unbonding == 0 || position.unlock_ts <= now {
        return Ok(());
    }
    let new_unlock = now.saturating_add(ctx.pool.limits.unbonding_period);
    Err(ClientError::Usage(format!(
        "{} is already unbonding and unlocks {} (in {}); a new request restarts the timer for all of it, to {}: withdraw it first once it unlocks, or pass --restart-timer to go ahead",
        ctx.ui(unbonding),
        stakepool_client::projection::format_utc(position.unlock_ts),
        format_duration((position.unlock_ts - now) as u64),
        stakepool_client::projection::format_utc(new_unlock),
    )))
}

/// Whether `change` is announced rather than applied: the pool has a notice period and the
/// change is against depositors.
fn announces(pool: &staking_pool::state::Pool, change: staking_pool::state::Change) -> bool {
    pool.limits.notice_period > 0 && pool.is_against_depositors(change)
}

/// `withdraw --in-kind`: the lent part as market shares, the rest in tokens.
async fn withdraw_in_kind<T: Transport>(
    client: &StakeClient<T>,
    ctx: &PoolContext,
    raw: u64,
    to: Option<Pubkey>,
) -> Result<Report, ClientError> {
    let principal = ctx.pool.total_principal().unwrap_or(0);
    let in_kind = staking_pool::allocation::lent_part(raw, ctx.pool.lent_principal, principal);
    let market = ctx.keys.lending().market;
    let (state, keys) = client.market(&market).await?;
    let (_, rate) = client.market_rate(&state, &keys).await?;
    let expected = mock_lending::exchange_rate::shares_for_deposit(in_kind, rate).unwrap_or(0);
    let (outcome, received) = client.withdraw_in_kind(&ctx.address, raw, to).await?;
    // What landed once confirmed; what the market's rate gives now for a dry run.
    let shares = if received > 0 { received } else { expected };
    let summary = format!(
        "withdrew {}: {} in tokens, and {} lent as {shares} shares of market {market} (worth at most that at its rate now); redeem them with `stakepool market withdraw {market} ALL` once it can pay",
        ctx.ui(raw),
        ctx.ui(raw - in_kind),
        ctx.ui(in_kind),
    );
    let mut json = amounts(
        &[
            ("amount", raw),
            ("in_tokens", raw - in_kind),
            ("in_kind", in_kind),
        ],
        ctx.decimals,
    );
    json["receipt_shares"] = json!(shares.to_string());
    json["market"] = json!(market.to_string());
    Ok(sent(summary, &outcome, json))
}

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
fn format_ratio(principal_index: u128) -> String {
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

async fn show_pool<T: Transport>(
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

async fn show_position<T: Transport>(
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
pub(super) fn announced(
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

/// Adds `extra`'s keys to `json` (both objects).
fn merge(json: &mut Value, extra: Value) {
    if let (Value::Object(map), Value::Object(extra)) = (json, extra) {
        map.extend(extra);
    }
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
