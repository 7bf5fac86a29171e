use anchor_lang::prelude::*;

#[event]
pub struct MarketInitialized {
    pub market: Pubkey,
    pub authority: Pubkey,
    pub mint: Pubkey,
    pub supply_apr_bps: u32,
}

#[event]
pub struct ReceiptOpened {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub receipt: Pubkey,
}

#[event]
pub struct LiquidityDeposited {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub total_shares: u64,
}

#[event]
pub struct LiquidityWithdrawn {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares_burned: u64,
    pub total_shares: u64,
}

#[event]
pub struct InterestFunded {
    pub market: Pubkey,
    pub amount: u64,
}

#[event]
pub struct LoanChanged {
    pub market: Pubkey,
    /// Positive: borrowed out of the vault; negative: repaid into it.
    pub borrowed: i128,
    pub outstanding_loans: u64,
}

#[event]
pub struct ValuationChanged {
    pub market: Pubkey,
    /// True: the market pays its index rate whether or not it is backed (a test lever).
    pub unbacked: bool,
}

#[event]
pub struct AuthorityChanged {
    pub market: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

#[event]
pub struct LoansWrittenOff {
    pub market: Pubkey,
    pub amount: u64,
    pub outstanding_loans: u64,
    pub written_off: u64,
}

#[event]
pub struct LoansRecovered {
    pub market: Pubkey,
    pub amount: u64,
    pub written_off: u64,
}

#[event]
pub struct SharesTransferred {
    pub market: Pubkey,
    pub from: Pubkey,
    pub to: Pubkey,
    pub shares: u64,
    pub from_shares: u64,
    pub to_shares: u64,
}
