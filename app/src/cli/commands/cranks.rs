//! The cranks anyone may run: rebalance, harvest and recognise-loss.
use anchor_lang::prelude::Pubkey;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;

use crate::cli::commands::show::format_ratio;
use crate::cli::report::{amounts, sent, simple, Report};

pub(crate) async fn rebalance<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.rebalance(&pool).await?,
        "rebalanced idle and lent principal",
    )
}

pub(crate) async fn harvest<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
    simple(
        client.harvest(&pool).await?,
        "harvested lending interest into the reward vault",
    )
}

pub(crate) async fn recognise_loss<T: Transport>(
    client: &StakeClient<T>,
    pool: Pubkey,
) -> Result<Report, ClientError> {
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
