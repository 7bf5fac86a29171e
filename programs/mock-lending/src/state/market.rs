use anchor_lang::prelude::*;
use program_accounts::token_moves::VaultOwner;

use crate::constants::MARKET_SEED;
use crate::errors::LendingError;
use crate::exchange_rate;
use crate::state::Receipt;

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
    /// Loans written off as bad debt (`simulate_default`) and not yet recovered: gone from the
    /// market's assets, so every share is worth less.
    pub written_off: u64,
    /// Test lever (`simulate_unbacked_index`): pay the index rate whether or not the market
    /// holds it, as a market that trusts its own index would. Off by default.
    pub unbacked: bool,
    pub bump: u8,
    pub vault_bump: u8,
}

impl Market {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Whether `address` is this market's PDA (its own mint and id, its stored bump), by one
    /// hash (`program_accounts::pda_address`).
    pub fn is_at(&self, address: &Pubkey) -> bool {
        program_accounts::pda_address::is_program_address(
            address,
            &[
                MARKET_SEED,
                self.mint.as_ref(),
                &self.market_id.to_le_bytes(),
            ],
            self.bump,
            &crate::ID,
        )
    }

    /// The index rate at `now`: what the market promises per share.
    pub fn index_rate(&self, now: i64) -> Result<u128> {
        exchange_rate::rate_at(
            self.rate_checkpoint,
            self.checkpoint_ts,
            self.supply_apr_bps,
            now,
        )
        .ok_or_else(|| LendingError::MathOverflow.into())
    }

    /// What the market holds for its depositors: the vault (`vault_amount`, read by the
    /// caller from the liquidity vault) plus outstanding loans.
    pub fn assets(&self, vault_amount: u64) -> u128 {
        u128::from(vault_amount) + u128::from(self.outstanding_loans)
    }

    /// The rate deposits and withdrawals use at `now`: the index, capped by the assets per
    /// share (see `exchange_rate::payable_rate`).
    pub fn payable_rate(&self, now: i64, vault_amount: u64) -> Result<u128> {
        exchange_rate::payable_rate(
            self.index_rate(now)?,
            self.assets(vault_amount),
            self.total_shares,
            self.unbacked,
        )
        .ok_or_else(|| LendingError::MathOverflow.into())
    }

    /// Issues `shares` to `receipt` (a deposit): the receipt and the market's total grow
    /// together, or the deposit is refused.
    pub fn issue_shares(&mut self, receipt: &mut Receipt, shares: u64) -> Result<()> {
        let overflow = LendingError::MathOverflow;
        receipt.shares = receipt.shares.checked_add(shares).ok_or(overflow)?;
        self.total_shares = self.total_shares.checked_add(shares).ok_or(overflow)?;
        Ok(())
    }

    /// Burns `shares` of `receipt` (a withdrawal): the receipt and the market's total shrink
    /// together; a receipt holding fewer is refused.
    pub fn burn_shares(&mut self, receipt: &mut Receipt, shares: u64) -> Result<()> {
        let short = LendingError::InsufficientShares;
        receipt.shares = receipt.shares.checked_sub(shares).ok_or(short)?;
        let overflow = LendingError::MathOverflow;
        self.total_shares = self.total_shares.checked_sub(shares).ok_or(overflow)?;
        Ok(())
    }
}

/// The market owns the liquidity vault and signs what leaves it.
impl VaultOwner for Market {
    fn with_signer_seeds<R>(&self, sign: impl FnOnce(&[&[u8]]) -> R) -> R {
        let id = self.market_id.to_le_bytes();
        let bump = [self.bump];
        sign(&[MARKET_SEED, self.mint.as_ref(), &id, &bump])
    }

    fn transfer_mismatch(&self) -> anchor_lang::error::Error {
        LendingError::TransferAmountMismatch.into()
    }
}
