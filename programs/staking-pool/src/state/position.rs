use anchor_lang::prelude::*;

use crate::constants::POSITION_SEED;
use crate::errors::StakingError;
use crate::rewards::{self, Owed};

/// One owner's stake in one pool: PDA `[b"position", pool, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub owner: Pubkey,
    pub pool: Pubkey,
    /// Shares of principal earning rewards (`Pool::principal_value` gives their worth).
    pub staked_shares: u64,
    /// Shares of principal that stopped earning at `request_unbond` and unlock at `unlock_ts`.
    pub unbonding_shares: u64,
    pub unlock_ts: i64,
    /// Pool index at this position's last settle.
    pub index_snapshot: u128,
    /// Owed rewards, whole units and fraction, so no remainder is ever lost between claims.
    pub owed: Owed,
    pub total_claimed: u64,
    pub bump: u8,
}

impl Position {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Whether `address` is the position PDA of `pool` and `owner` (the accounts passed) at
    /// this position's stored bump, by one hash (`program_accounts::pda_address`).
    pub fn is_at(&self, address: &Pubkey, pool: &Pubkey, owner: &Pubkey) -> bool {
        program_accounts::pda_address::is_program_address(
            address,
            &[POSITION_SEED, pool.as_ref(), owner.as_ref()],
            self.bump,
            &crate::ID,
        )
    }

    /// Adds what `staked_shares` earned since the last settle, at the pool's accrued `index`.
    /// Must run before any change to `staked_shares`.
    pub fn settle(&mut self, index: u128) -> Result<()> {
        let earned = rewards::earned(self.staked_shares, self.index_snapshot, index)
            .ok_or(StakingError::MathOverflow)?;
        self.owed = self
            .owed
            .checked_add(earned)
            .ok_or(StakingError::MathOverflow)?;
        self.index_snapshot = index;
        Ok(())
    }

    /// Whole base units owed now (after a settle).
    pub fn owed_units(&self) -> u64 {
        self.owed.payable_units()
    }

    /// Removes a payout (whole units) from this position's owed amount.
    pub fn record_payout(&mut self, units: u64) -> Result<()> {
        self.owed = self
            .owed
            .checked_sub(Owed::from_units(units))
            .ok_or(StakingError::MathOverflow)?;
        self.total_claimed = self
            .total_claimed
            .checked_add(units)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// Every share of principal this position holds, earning or unbonding.
    pub fn shares(&self) -> Option<u64> {
        self.staked_shares.checked_add(self.unbonding_shares)
    }
}
