use anchor_lang::prelude::*;

use crate::constants::POSITION_SEED;
use crate::errors::StakingError;
use crate::rewards::{self, Owed};
use crate::state::{PodOwed, PodU128};

/// One owner's stake in one pool: PDA `[b"position", pool, owner]`. Zero-copy, in a fixed
/// layout like `Pool` (`pod.rs`).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Position {
    pub owner: Pubkey,
    pub pool: Pubkey,
    /// Pool index at this position's last settle.
    pub index_snapshot: PodU128,
    /// Owed rewards, whole units and fraction, so no remainder is ever lost between claims.
    pub owed: PodOwed,
    /// Shares of principal earning rewards (`Pool::principal_value` gives their worth).
    pub staked_shares: u64,
    /// Shares of principal that stopped earning at `request_unbond` and unlock at `unlock_ts`.
    pub unbonding_shares: u64,
    pub unlock_ts: i64,
    pub total_claimed: u64,
    pub bump: u8,
    pub padding: [u8; 7],
    /// Room for fields added by later versions without a migration; zero.
    pub reserved: [u8; 32],
}

// The layout every reader relies on, checked wherever the program compiles (host and SBF).
const _: () = assert!(core::mem::size_of::<Position>() == 176);
const _: () = assert!(core::mem::offset_of!(Position, owed) == 80);
const _: () = assert!(core::mem::offset_of!(Position, bump) == 136);
const _: () = assert!(core::mem::offset_of!(Position, reserved) == 144);

impl Position {
    pub const SPACE: usize = 8 + core::mem::size_of::<Position>();

    /// Owed rewards as of the last settle.
    pub fn owed(&self) -> Owed {
        self.owed.get()
    }

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
        let earned = rewards::earned(self.staked_shares, self.index_snapshot.get(), index)
            .ok_or(StakingError::MathOverflow)?;
        self.owed = self
            .owed()
            .checked_add(earned)
            .ok_or(StakingError::MathOverflow)?
            .into();
        self.index_snapshot = index.into();
        Ok(())
    }

    /// Whole base units owed now (after a settle).
    pub fn owed_units(&self) -> u64 {
        self.owed().payable_units()
    }

    /// Removes a payout (whole units) from this position's owed amount.
    pub fn record_payout(&mut self, units: u64) -> Result<()> {
        self.owed = self
            .owed()
            .checked_sub(Owed::from_units(units))
            .ok_or(StakingError::MathOverflow)?
            .into();
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
