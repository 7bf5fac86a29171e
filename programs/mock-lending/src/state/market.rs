use anchor_lang::prelude::*;

use crate::constants::MARKET_SEED;
use crate::errors::LendingError;
use crate::exchange_rate;

/// A lending market for one mint: PDA `[b"market", mint, market_id]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    pub authority: Pubkey,
    pub mint: Pubkey,
    pub market_id: u16,
    pub token_program: Pubkey,
    pub liquidity_vault: Pubkey,
    pub supply_apr_bps: u32,
    /// Liquidity per share at `checkpoint_ts`, scaled by RATE_SCALE.
    pub rate_checkpoint: u128,
    pub checkpoint_ts: i64,
    pub total_shares: u64,
    /// Liquidity taken out by `simulate_borrow` and not yet repaid.
    pub outstanding_loans: u64,
    pub bump: u8,
    pub vault_bump: u8,
}

impl Market {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Exchange rate at `now`.
    pub fn rate_at(&self, now: i64) -> Result<u128> {
        exchange_rate::rate_at(
            self.rate_checkpoint,
            self.checkpoint_ts,
            self.supply_apr_bps,
            now,
        )
        .ok_or_else(|| LendingError::MathOverflow.into())
    }

    pub fn signer_seeds<'a>(&'a self, id: &'a [u8; 2], bump: &'a [u8; 1]) -> [&'a [u8]; 4] {
        [MARKET_SEED, self.mint.as_ref(), id.as_ref(), bump.as_ref()]
    }
}
