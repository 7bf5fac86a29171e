//! A depositor's commands: deposit, withdraw (in tokens or in kind), request-unbond, claim,
//! compound and close-position.
use anchor_lang::prelude::Pubkey;
use serde_json::json;
use stakepool_client::client::{ClientError, PoolContext, Sent, StakeClient};
use stakepool_client::projection::{self, format_duration};
use stakepool_client::transport::Transport;

use crate::cli::amount_input::amount_or_all;
use crate::cli::report::{amounts, sent, simple, Report};

pub(crate) async fn deposit<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    amount: String,
    from: Option<Pubkey>,
) -> Result<Report, ClientError> {
    let ctx = client.pool(&pool).await?;
    let raw = amount_or_all(
        client,
        &amount,
        ctx.decimals,
        client.all_depositable(&ctx, from),
    )
    .await?;
    let outcome = client.deposit(&pool, raw, from).await?;
    Ok(sent(
        format!("deposited {}", ctx.ui(raw)),
        &outcome,
        amounts(&[("amount", raw)], ctx.decimals),
    ))
}

pub(crate) async fn withdraw<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    amount: String,
    to: Option<Pubkey>,
    in_kind: bool,
) -> Result<Report, ClientError> {
    let ctx = client.pool(&pool).await?;
    let raw = amount_or_all(client, &amount, ctx.decimals, client.all_withdrawable(&ctx)).await?;
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

pub(crate) async fn request_unbond<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    amount: String,
    restart_timer: bool,
) -> Result<Report, ClientError> {
    let ctx = client.pool(&pool).await?;
    let raw = amount_or_all(client, &amount, ctx.decimals, client.all_staked(&ctx)).await?;
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

pub(crate) async fn claim<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    to: Option<Pubkey>,
) -> Result<Report, ClientError> {
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

pub(crate) async fn compound<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.compound(&pool).await?,
        "compounded owed rewards into principal",
    )
}

pub(crate) async fn close_position<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.close_position(&pool).await?,
        "closed the position; its rent is back in your wallet",
    )
}
