//! The check after a move the pool did not make itself: the lending program moves tokens and
//! receipt shares on the pool's behalf, and the pool verifies each by the balance it can read.
//! (The pool's own transfers are checked by `program_accounts::token_moves`.)

use anchor_lang::prelude::*;
use program_accounts::token_moves::moved_exactly;

use crate::errors::StakingError;

/// Verifies a balance moved by exactly `expected` in the stated direction.
pub fn verify_delta(before: u64, after: u64, expected: u64, incoming: bool) -> Result<()> {
    require!(
        moved_exactly(before, after, expected, incoming),
        StakingError::TransferAmountMismatch
    );
    Ok(())
}
