//! Client library of the staking pool: what a bot, a backend or the CLI needs to talk to a
//! cluster, and nothing heavier. `StakeClient` over a `Transport` (JSON-RPC here; the
//! in-process bank lives in `stakepool-simulation`), UI amounts, reward projections, pool
//! limits as people write them, the invariant checker over a pool's books (docs/invariants.md), the
//! Solana CLI's cluster config, and error naming. No bank and no runtime in its dependency
//! tree (CI checks it with `cargo tree`).
//!
//! `examples/show_pool.rs` is a bot's first lines: a `StakeClient` over `Rpc`, reading a pool.
pub mod amount;
pub mod client;
pub mod cluster;
pub mod compute_budget;
pub mod duration;
pub mod history;
pub mod invariants;
pub mod keypair_source;
pub mod limits;
pub mod mint_authority;
pub mod projection;
pub mod rate;
pub mod transport;

// The light half lives in `stakepool-sdk` (no runtime, so the SBF harness can share it);
// re-exported so `stakepool_client::pda`, `stakepool_client::instructions`, ... is one path.
pub use stakepool_sdk::{
    accounts, instructions, lending_instructions, pda, program_errors, program_ids, token_setup,
};
pub use stakepool_sdk::{LendingKeys, MarketKeys, PoolKeys};
