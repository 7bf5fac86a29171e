use anchor_lang::prelude::*;

use program_accounts::error_enum;

error_enum! {
    /// Every way the mock lending market refuses an instruction. Codes start at 6000.
    LendingError {
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
        #[msg("A token transfer moved a different amount than requested")]
        TransferAmountMismatch,
        #[msg("Mint has a Token-2022 extension that changes amounts or authority; use a plain mint")]
        UnsupportedMintExtension,
        #[msg("Write-off is larger than the outstanding loans")]
        WriteOffExceedsLoans,
        #[msg("Recovery is larger than the loans written off")]
        RecoveryExceedsWriteOffs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_variant_in_code_order() {
        for (index, error) in LendingError::ALL.iter().enumerate() {
            assert_eq!(*error as usize, index);
        }
    }
}
