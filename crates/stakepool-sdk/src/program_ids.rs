//! The two programs' addresses every builder, PDA and check here uses: those the programs were
//! built with (`declare_id!`), unless the process names its deployment's own first (the CLI's
//! `--program-id` and `--lending-program-id`), so one client binary serves a deployment built
//! with other keys. Set once, before anything is derived: a later change would mix
//! addresses of two deployments.
use std::sync::OnceLock;

use anchor_lang::prelude::Pubkey;

static DEPLOYMENT: OnceLock<Deployment> = OnceLock::new();

/// A deployment's program ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deployment {
    pub staking_pool: Pubkey,
    pub lending: Pubkey,
}

impl Default for Deployment {
    /// The ids the programs in this repository are built with.
    fn default() -> Self {
        Self {
            staking_pool: staking_pool::ID,
            lending: mock_lending::ID,
        }
    }
}

/// Uses `deployment` for the rest of the process. Refused (with the ids in use) once ids were
/// set or read: everything derived so far would belong to the other deployment.
pub fn use_deployment(deployment: Deployment) -> Result<(), Deployment> {
    DEPLOYMENT.set(deployment).map_err(|_| current())?;
    Ok(())
}

fn current() -> Deployment {
    *DEPLOYMENT.get_or_init(Deployment::default)
}

/// The staking pool program's address.
pub fn staking_pool() -> Pubkey {
    current().staking_pool
}

/// The lending program's address.
pub fn lending() -> Pubkey {
    current().lending
}
