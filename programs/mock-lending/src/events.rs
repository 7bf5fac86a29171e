use anchor_lang::prelude::*;

/// Emitted by `init_market` with the new market, its authority, its mint and its supply APR.
#[event]
pub struct MarketInitialized {
    pub market: Pubkey,
    pub authority: Pubkey,
    pub mint: Pubkey,
    pub supply_apr_bps: u32,
}

/// Emitted by `open_receipt` with the new receipt, its market and its owner.
#[event]
pub struct ReceiptOpened {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub receipt: Pubkey,
}

/// Emitted by `deposit` with the amount moved into the liquidity vault, the shares it bought
/// and the market's total shares after it.
#[event]
pub struct LiquidityDeposited {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub total_shares: u64,
}

/// Emitted by `withdraw` with the amount paid out of the liquidity vault, the shares burned
/// and the market's total shares after it.
#[event]
pub struct LiquidityWithdrawn {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares_burned: u64,
    pub total_shares: u64,
}

/// Emitted by `fund_interest` with the amount the authority added to the liquidity vault.
#[event]
pub struct InterestFunded {
    pub market: Pubkey,
    pub amount: u64,
}

/// Emitted by `simulate_borrow` and `simulate_repay` with the amount borrowed or repaid and the
/// loans outstanding after it.
#[event]
pub struct LoanChanged {
    pub market: Pubkey,
    /// Positive: borrowed out of the vault; negative: repaid into it.
    pub borrowed: i128,
    pub outstanding_loans: u64,
}

/// Emitted by `simulate_unbacked_index` with whether the market now pays its index unbacked.
#[event]
pub struct ValuationChanged {
    pub market: Pubkey,
    /// True: the market pays its index rate whether or not it is backed (a test lever).
    pub unbacked: bool,
}

/// Emitted by `transfer_authority` with the market's old and new authority.
#[event]
pub struct AuthorityChanged {
    pub market: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

/// Emitted by `simulate_default` with the loans written off as bad debt and the loans
/// outstanding and written off after it.
#[event]
pub struct LoansWrittenOff {
    pub market: Pubkey,
    pub amount: u64,
    pub outstanding_loans: u64,
    pub written_off: u64,
}

/// Emitted by `simulate_recovery` with the written-off loans paid back and the loans still
/// written off after it.
#[event]
pub struct LoansRecovered {
    pub market: Pubkey,
    pub amount: u64,
    pub written_off: u64,
}

/// Emitted by `transfer_shares` with the shares moved between two receipts and each receipt's
/// shares after it.
#[event]
pub struct SharesTransferred {
    pub market: Pubkey,
    pub from: Pubkey,
    pub to: Pubkey,
    pub shares: u64,
    pub from_shares: u64,
    pub to_shares: u64,
}
