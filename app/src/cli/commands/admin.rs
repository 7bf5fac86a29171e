//! The admin's commands (and `create-pool` and `fund-rewards`, which anyone may run): limits,
//! the APR, pausing, the admin hand-over, the lending market, and announced changes.
use anchor_lang::prelude::Pubkey;
use serde_json::json;
use stakepool_client::client::changes::describe_change;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::limits::LimitSettings;
use stakepool_client::transport::Transport;
use staking_pool::state::{ChangeKind, PoolLimits};

use crate::cli::amount_input::amount_or_all;
use crate::cli::report::{amounts, sent, simple, Report};

/// `limits` over `base`, a refusal naming the flag.
fn limits_over(
    limits: &LimitSettings,
    base: PoolLimits,
    decimals: u8,
) -> Result<PoolLimits, ClientError> {
    limits.apply(base, decimals).map_err(|e| {
        ClientError::Failed(match e.field {
            "limits" => e.message,
            flag => format!("--{}: {}", flag.replace('_', "-"), e.message),
        })
    })
}

pub(crate) async fn create_pool<T: Transport>(
    client: &StakeClient<T>,
    mint: Pubkey,
    pool_id: u16,
    apr_bps: u32,
    limits: LimitSettings,
) -> Result<Report, ClientError> {
    let decimals = client.mint_decimals(&mint).await?;
    let limits = limits_over(&limits, PoolLimits::default(), decimals)?;
    let (keys, outcome) = client.create_pool(&mint, pool_id, apr_bps, limits).await?;
    Ok(sent(
        format!("created pool {} for mint {mint}", keys.pool),
        &outcome,
        json!({"pool": keys.pool.to_string()}),
    ))
}

pub(crate) async fn fund_rewards<T: Transport>(
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
        client.all_fundable(&ctx, from),
    )
    .await?;
    let outcome = client.fund_rewards(&pool, raw, from).await?;
    Ok(sent(
        format!("funded {} of rewards", ctx.ui(raw)),
        &outcome,
        amounts(&[("amount", raw)], ctx.decimals),
    ))
}

pub(crate) async fn set_apr<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    apr_bps: u32,
) -> Result<Report, ClientError> {
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

pub(crate) async fn set_params<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    limits: LimitSettings,
) -> Result<Report, ClientError> {
    let ctx = client.pool(&pool).await?;
    let limits = limits_over(&limits, ctx.pool.limits(), ctx.decimals)?;
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

pub(crate) async fn set_paused<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    paused: bool,
) -> Result<Report, ClientError> {
    let what = if paused {
        "paused deposits"
    } else {
        "unpaused deposits"
    };
    simple(client.set_paused(&pool, paused).await?, what)
}

pub(crate) async fn transfer_admin<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    new_admin: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.transfer_admin(&pool, &new_admin).await?,
        &format!("named {new_admin} the pending admin; they must run accept-admin"),
    )
}

pub(crate) async fn accept_admin<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.accept_admin(&pool).await?,
        "you are now the pool's admin",
    )
}

pub(crate) async fn recall_all<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.recall_all(&pool).await?,
        "recalled everything from lending",
    )
}

pub(crate) async fn set_lending_market<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    market: Pubkey,
    allow_foreign_market: bool,
) -> Result<Report, ClientError> {
    simple(
        client
            .set_lending_market(&pool, &market, allow_foreign_market)
            .await?,
        &format!("set the lending market to {market}"),
    )
}

pub(crate) async fn execute_change<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    kind: ChangeKind,
) -> Result<Report, ClientError> {
    simple(
        client.execute_change(&pool, kind).await?,
        "executed the announced change",
    )
}

pub(crate) async fn cancel_change<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
    kind: ChangeKind,
) -> Result<Report, ClientError> {
    simple(
        client.cancel_change(&pool, kind).await?,
        "cancelled the announced change",
    )
}

/// Whether `change` is announced rather than applied: the pool has a notice period and the
/// change is against depositors.
fn announces(pool: &staking_pool::state::Pool, change: staking_pool::state::Change) -> bool {
    pool.limits.notice_period > 0 && pool.is_against_depositors(change)
}
