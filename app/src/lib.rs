//! Client of the staking pool. It owns, once, what every caller needs: PDA derivation,
//! instruction builders for both programs, account decoding, UI amounts, reward projection,
//! and the transports. The tests, the simulator, the CLI and the migrations all build
//! instructions here and nowhere else.
pub mod amount;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod in_process;
pub mod invariants;
pub mod limits;
pub mod projection;
pub mod scenario;
pub mod test_tokens;
pub mod transport;

// The light half lives in `stakepool-sdk` (no runtime, so the SBF harness can share it);
// re-exported so `stakepool::pda`, `stakepool::instructions`, ... stay the one path.
pub use stakepool_sdk::{
    accounts, instructions, lending_instructions, pda, program_errors, token_setup,
};
pub use stakepool_sdk::{LendingKeys, MarketKeys, PoolKeys, STAKING_POOL_ID};
