//! A model world: a pool with its lending market, depositors, a donor, a stranger in the
//! market and three admin candidates, driven by a sequence of every user, crank, admin, market
//! and clock operation, with a plain Rust model (`crate::model`) run beside the programs. After
//! every step the programs' accounts must equal the model's, a refusal must carry the model's
//! exact error code, and every invariant `stakepool_client::invariants` checks must hold; at the end every
//! depositor must be able to leave with all principal. The model-based test draws the
//! operations from a seed; the fuzz target (fuzz/) from its input bytes.
mod checks;
mod choices;
mod input;
mod observe;
mod ops;
mod run;
mod send;

pub use choices::Choices;
pub use input::{run_input, run_input_alone};
pub use run::{run_world, ComputePeaks, Tally, WorldConfig, WorldRun, DRAWN_OPS};

use crate::{Bank, TestMarket, TestPool, User};

/// Candidate admins: the creator and two others.
const ADMINS: usize = 3;

struct World {
    bank: Bank,
    pool: TestPool,
    market: TestMarket,
    users: Vec<User>,
    donor: User,
    /// Deposits into the lending market directly, beside the pool.
    stranger: User,
    /// Keys the admin role moves between: the pool's creator first.
    admins: Vec<solana_keypair::Keypair>,
}
