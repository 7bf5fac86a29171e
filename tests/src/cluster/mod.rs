//! A cluster for `StakeClient`, for the CLI's command tests (`app/tests/cluster_commands`):
//! the simulator's in-process bank natively, the SBF build in the VM in VM mode. The tests
//! name `ClusterTransport` and never which one it is.
use solana_keypair::Keypair;

pub mod doubles;

#[cfg(feature = "vm")]
pub use crate::bank::VmTransport as ClusterTransport;
#[cfg(not(feature = "vm"))]
pub use stakepool_simulation::InProcess as ClusterTransport;

/// A fresh cluster at `GENESIS_TS` and a key holding its SOL (to fund wallets from).
pub async fn start_cluster() -> (ClusterTransport, Keypair) {
    #[cfg(not(feature = "vm"))]
    {
        let ctx = stakepool_simulation::in_process::start().await;
        let payer = ctx.payer.insecure_clone();
        (ClusterTransport::new(ctx), payer)
    }
    #[cfg(feature = "vm")]
    {
        let bank = crate::Bank::start().await;
        (bank.transport(), bank.payer_keypair.insecure_clone())
    }
}

/// Sets the cluster's Clock `unix_timestamp` (in a new slot).
pub async fn set_cluster_time(transport: &ClusterTransport, unix_timestamp: i64) {
    #[cfg(not(feature = "vm"))]
    {
        let mut ctx = transport.ctx.lock().await;
        stakepool_simulation::in_process::set_time(&mut ctx, unix_timestamp).await;
    }
    #[cfg(feature = "vm")]
    transport.set_time(unix_timestamp).await;
}

/// Whether the cluster meters a transaction's units as a validator does: the VM runs the SBF
/// build under the transaction's limit; natively built programs run outside the meter (and
/// program-test's CPI stub panics when a program they call runs out).
pub const METERS_UNITS: bool = cfg!(feature = "vm");

/// Whether the programs' events reach the transaction logs: the SBF build logs them, as on a
/// cluster; natively built programs log none (Anchor's `emit!` does nothing off-chain).
pub const EVENTS_IN_LOGS: bool = cfg!(feature = "vm");
