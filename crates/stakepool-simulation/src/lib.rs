//! The staking pool without a validator: the in-process bank (both programs registered
//! natively in `solana-program-test`), the `InProcess` transport that lets `StakeClient` run
//! against it through the very code path that talks to RPC, the scenario format and runner
//! behind `stakepool simulate`. The invariant checker (docs/invariants.md) lives in `stakepool-client`
//! and is re-exported here.
pub mod in_process;
// The checker reads books only, so it lives with the client (the SBF suite shares it).
pub use stakepool_client::invariants;
pub mod scenario;
pub mod transport;

pub use transport::InProcess;
