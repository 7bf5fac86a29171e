//! Client library of the staking pool. It owns, once, what every caller needs: PDA
//! derivation and instruction builders. The tests, the simulator, the CLI and the
//! migrations all build instructions here and nowhere else.
pub mod instructions;
pub mod lending_instructions;
pub mod pda;

pub use instructions::{LendingKeys, PoolKeys};
pub use lending_instructions::MarketKeys;
pub use staking_pool::ID as STAKING_POOL_ID;
