//! Client of the staking pool. It owns, once, what every caller needs: PDA derivation,
//! instruction builders for both programs, account decoding, UI amounts, reward projection,
//! and the transports. The tests, the simulator, the CLI and the migrations all build
//! instructions here and nowhere else.
pub mod accounts;
pub mod amount;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod in_process;
pub mod instructions;
pub mod invariants;
pub mod lending_instructions;
pub mod pda;
pub mod program_errors;
pub mod projection;
pub mod scenario;
pub mod token_setup;
pub mod transport;

pub use instructions::{LendingKeys, PoolKeys};
pub use lending_instructions::MarketKeys;
pub use staking_pool::ID as STAKING_POOL_ID;
