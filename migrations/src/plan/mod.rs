//! What a deploy config asks of a cluster, compared with what is there: the steps that would
//! bring the cluster to the config, in the order they must run. An empty plan means the
//! cluster already matches; a second run of the same config always plans nothing.
//!
//! One pool's plan, in order: its mint (`mint`), its lending market (`market`), the pool
//! created or brought to the config's parameters and market, directly or through announced
//! changes (`pool`), then test tokens and reward funding (`funding`).
mod funding;
mod market;
mod mint;
mod pool;
mod step;

use anchor_lang::prelude::Pubkey;
use solana_signer::Signer;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;
use stakepool_client::PoolKeys;

use crate::config::{DeployConfig, PoolConfig};
pub use mint::TEST_MINT_PROGRAM;
pub use step::Step;

/// One pool's steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolPlan {
    pub name: String,
    pub pool: Pubkey,
    pub steps: Vec<Step>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("pool '{pool}': {message}")]
    Pool { pool: String, message: String },
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// The steps every pool of `config` needs, reading the cluster through `client` (whose
/// signer is the payer). Reads only: nothing is sent.
pub async fn plan<T: Transport>(
    client: &StakeClient<T>,
    config: &DeployConfig,
) -> Result<Vec<PoolPlan>, PlanError> {
    let mut plans = Vec::new();
    for pool in &config.pools {
        plans.push(plan_pool(client, pool).await?);
    }
    Ok(plans)
}

/// What planning one pool shares between its parts: the cluster, the pool's config, and the
/// steps so far.
struct Planning<'a, T: Transport> {
    client: &'a StakeClient<T>,
    spec: &'a PoolConfig,
    steps: Vec<Step>,
}

impl<T: Transport> Planning<'_, T> {
    /// A refusal that names the pool.
    fn fail(&self, message: String) -> PlanError {
        PlanError::Pool {
            pool: self.spec.name.clone(),
            message,
        }
    }

    fn payer(&self) -> Pubkey {
        self.client.signer.pubkey()
    }
}

async fn plan_pool<T: Transport>(
    client: &StakeClient<T>,
    spec: &PoolConfig,
) -> Result<PoolPlan, PlanError> {
    let mut planning = Planning {
        client,
        spec,
        steps: Vec::new(),
    };
    let mint = planning.mint().await?;
    let market = planning.market(&mint).await?;
    let keys = PoolKeys::derive(
        &planning.payer(),
        &mint.address,
        spec.pool_id,
        &mint.token_program,
    );
    let funded = planning.pool(&keys, &mint, market).await?;
    planning.funding(&keys, &mint, funded).await?;
    Ok(PoolPlan {
        name: spec.name.clone(),
        pool: keys.pool,
        steps: planning.steps,
    })
}
