//! Carries out a plan through the client library, step by step, printing each step's
//! signature. A failure stops the run; the next run plans only what is still missing.
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;

use crate::plan::{PoolPlan, Step, TEST_MINT_PROGRAM};

pub async fn apply_step<T: Transport>(
    client: &StakeClient<T>,
    step: &Step,
) -> Result<Option<String>, ClientError> {
    let outcome = match step {
        Step::CreateTestMint { seed, decimals, .. } => {
            client
                .create_seeded_mint(seed, *decimals, &TEST_MINT_PROGRAM)
                .await?
                .1
        }
        Step::CreateMockMarket {
            mint,
            market_id,
            supply_apr_bps,
            ..
        } => {
            client
                .init_market(mint, *market_id, *supply_apr_bps)
                .await?
                .1
        }
        Step::CreatePool {
            mint,
            pool_id,
            apr_bps,
            limits,
            ..
        } => {
            client
                .create_pool(mint, *pool_id, *apr_bps, *limits)
                .await?
                .1
        }
        Step::SetApr { pool, to, .. } => client.set_apr(pool, *to).await?,
        Step::SetParams { pool, to, .. } => client.set_params(pool, *to).await?,
        // Planning checked the market (`plan/market.rs`): a mock market this config
        // creates is the payer's; an existing one the config names by address is the
        // deployer's explicit choice, the config's equivalent of --allow-foreign-market.
        Step::SetLendingMarket { pool, market } => {
            client.set_lending_market(pool, market, true).await?
        }
        Step::ExecuteChange { pool, kind, .. } => client.execute_change(pool, *kind).await?,
        Step::AwaitChange { .. } => return Ok(None),
        Step::MintToPayer {
            mint,
            token_program,
            amount,
            ..
        } => client.mint_to_me(mint, token_program, *amount).await?,
        Step::FundRewards { pool, amount, .. } => client.fund_rewards(pool, *amount, None).await?,
    };
    Ok(outcome.signature().map(|s| s.to_string()))
}

/// Runs every step of every plan in order; `report` hears each step and its signature.
pub async fn apply<T: Transport>(
    client: &StakeClient<T>,
    plans: &[PoolPlan],
    mut report: impl FnMut(&PoolPlan, &Step, Option<&str>),
) -> Result<(), ClientError> {
    for plan in plans {
        for step in &plan.steps {
            let signature = apply_step(client, step).await?;
            report(plan, step, signature.as_deref());
        }
    }
    Ok(())
}
