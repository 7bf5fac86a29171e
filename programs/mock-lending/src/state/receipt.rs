use anchor_lang::prelude::*;

use crate::constants::RECEIPT_SEED;

/// One depositor's shares in one market: PDA `[b"receipt", market, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Receipt {
    pub owner: Pubkey,
    pub market: Pubkey,
    pub shares: u64,
    pub bump: u8,
}

impl Receipt {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Whether `address` is the receipt PDA of `market` and `owner` (the accounts passed) at
    /// this receipt's stored bump, by one hash (`program_accounts::pda_address`).
    pub fn is_at(&self, address: &Pubkey, market: &Pubkey, owner: &Pubkey) -> bool {
        program_accounts::pda_address::is_program_address(
            address,
            &[RECEIPT_SEED, market.as_ref(), owner.as_ref()],
            self.bump,
            &crate::ID,
        )
    }
}
