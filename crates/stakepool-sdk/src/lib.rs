//! What every caller of the staking pool needs, once: PDA derivation, the instruction builders
//! of both programs, account decoding, token set-up instructions and program error names.
//! No runtime, no transport: the client (`app/`), the native tests and the SBF harness (`vm/`,
//! on another Agave major) all build their instructions here and nowhere else.
pub mod accounts;
pub mod instructions;
pub mod lending_instructions;
pub mod pda;
pub mod program_errors;
pub mod program_ids;
pub mod token_setup;

pub use instructions::{LendingKeys, PoolKeys};
pub use lending_instructions::MarketKeys;
