//! `stakepool market …`: the mock lending market's own commands (create, supply, withdraw,
//! and the authority's levers).
use serde_json::json;
use stakepool_client::amount::format_ui_amount;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;

use crate::cli::amount_input::{is_all, parse_amount, resolve_all};
use crate::cli::args::MarketCommand;
use crate::cli::report::{amounts, sent, Report};

pub(crate) async fn market<T: Transport>(
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
