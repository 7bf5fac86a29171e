use anchor_lang::prelude::*;

use program_accounts::error_enum;

error_enum! {
    /// Every way the staking pool refuses an instruction. Names say what was wrong; messages say
    /// what to do about it. Codes start at 6000 (Anchor's custom error offset) in this order.
    StakingError {
        #[msg("Amount must be greater than zero")]
        ZeroAmount,
        #[msg("Deposit is below the pool's minimum deposit")]
        BelowMinimumDeposit,
        #[msg("Deposit would take the pool above its deposit cap; deposit less")]
        DepositCapExceeded,
        #[msg("Amount is larger than the position's principal")]
        InsufficientStake,
        #[msg("Principal is still unbonding; withdraw after the unlock time or request_unbond first")]
        StillUnbonding,
        #[msg("This pool has no unbonding period; withdraw directly")]
        UnbondingNotEnabled,
        #[msg("Pool is paused: deposits and lending are stopped, withdraw and claim still work")]
        PoolPaused,
        #[msg("Signer is not allowed to do this")]
        Unauthorized,
        #[msg("APR is above the program's maximum")]
        InvalidApr,
        #[msg("Reserve ratio must be at most 10,000 bps")]
        InvalidReserve,
        #[msg("Unbonding period must be between 0 and 365 days")]
        InvalidUnbondingPeriod,
        #[msg("Minimum deposit must not exceed the deposit cap")]
        InvalidDepositLimits,
        #[msg(
            "Arithmetic overflow: the amounts or time span are beyond what the pool can account for"
        )]
        MathOverflow,
        #[msg("Position still holds principal, unbonding tokens or owed rewards; withdraw and claim first")]
        PositionNotEmpty,
        #[msg("No admin transfer is pending")]
        NoPendingAdmin,
        #[msg("Mint has a Token-2022 extension that changes amounts or authority; use a plain mint")]
        UnsupportedMintExtension,
        #[msg("Vault is not this pool's principal vault")]
        InvalidVault,
        #[msg("Reward vault is not this pool's reward vault")]
        InvalidRewardVault,
        #[msg("Mint is not this pool's stake mint")]
        InvalidMint,
        #[msg("Token program is not the one that owns this pool's mint")]
        InvalidTokenProgram,
        #[msg("A token transfer moved a different amount than requested")]
        TransferAmountMismatch,
        #[msg("The lending market cannot pay this out right now; retry later, withdraw less, or withdraw in kind")]
        LendingIlliquid,
        #[msg("Market is not this pool's lending market")]
        InvalidLendingMarket,
        #[msg("Account is not the lending market's liquidity vault")]
        InvalidLendingVault,
        #[msg("Lending market lends a different mint than the pool stakes")]
        LendingMintMismatch,
        #[msg("Principal is still lent; recall_all before changing the lending market")]
        LendingActive,
        #[msg("Principal is lent or must be recalled: pass the pool's lending accounts, so the market is read for a loss or recall")]
        LendingAccountsMissing,
        #[msg("The lending market credited or burned a different number of shares than its rate gives")]
        LendingReceiptMismatch,
        #[msg("Rebalance moved tokens less than an hour ago; retry after the interval")]
        RebalanceTooSoon,
        #[msg("This change is against depositors and the pool has a notice period: propose it with propose_change")]
        NoticeRequired,
        #[msg("This change is not against depositors: apply it directly, it needs no notice")]
        NotAgainstDepositors,
        #[msg("No change of this kind is pending")]
        NoPendingChange,
        #[msg("The notice period of this change has not passed yet; execute it after its time")]
        NoticeNotElapsed,
        #[msg("Notice period must be between 0 and 30 days")]
        InvalidNoticePeriod,
        #[msg("Notice period must exceed the unbonding period by at least a day, so depositors who start to leave at an announcement are out before it applies")]
        NoticeTooCloseToUnbonding,
        #[msg("This pool has no notice period: make the change directly")]
        NoNoticePeriod,
        #[msg("This announced change was not executed in its window and has lapsed; announce it again")]
        ProposalLapsed,
        #[msg("The proposed lending market has another authority than when it was proposed; propose it again")]
        MarketAuthorityChanged,
        #[msg("A market loss wrote off all of this pool's principal: it takes no deposits")]
        PoolWrittenOff,
        #[msg("Account is not this pool's address: the pool's seeds and bump give another")]
        InvalidPoolAddress,
        #[msg("Account is not the position of this pool and owner; open one with open_position")]
        InvalidPositionAddress,
        #[msg("Account is not this pool's receipt in its lending market")]
        InvalidLendingReceipt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_variant_in_code_order() {
        for (index, error) in StakingError::ALL.iter().enumerate() {
            assert_eq!(*error as usize, index);
        }
    }
}
