use anchor_lang::prelude::*;

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
}
