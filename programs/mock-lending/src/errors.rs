use anchor_lang::prelude::*;

/// Every way the mock lending market refuses an instruction. Codes start at 6000.
#[error_code]
pub enum LendingError {
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    #[msg("Deposit is too small to buy one share at the current exchange rate")]
    DepositTooSmall,
    #[msg("Receipt holds fewer shares than this withdrawal needs")]
    InsufficientShares,
    #[msg("The market's vault does not hold enough liquidity right now; retry after repayments")]
    InsufficientLiquidity,
    #[msg("Only the market authority can do this")]
    Unauthorized,
    #[msg("Supply APR is above the market's maximum")]
    InvalidApr,
    #[msg("Repayment is larger than the outstanding loans")]
    RepayExceedsLoans,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Vault is not this market's liquidity vault")]
    InvalidVault,
    #[msg("Mint is not this market's mint")]
    InvalidMint,
    #[msg("Token program is not the one that owns this market's mint")]
    InvalidTokenProgram,
}
