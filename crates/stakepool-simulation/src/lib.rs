//! The staking pool without a validator: the in-process bank (both programs registered
//! natively in `solana-program-test`), the `InProcess` transport that lets `StakeClient` run
//! against it through the very code path that talks to RPC, the scenario format and runner
//! behind `stakepool simulate`, and the invariant checker (SPEC.md §2) the simulator, the
//! tests and the migrations' in-process tests share.
pub mod in_process;
pub mod invariants;
pub mod scenario;
pub mod transport;

pub use transport::InProcess;
