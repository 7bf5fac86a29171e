//! The check after a token move the pool did not sign: the lending program moves tokens and
//! receipt shares on the pool's behalf, and the pool verifies each by the balance it can read.
//! (The pool's own transfers are `program_accounts::token_moves`, checked the same way.)

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
