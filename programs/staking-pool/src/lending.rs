//! The CPI adapter to the lending program, and nothing else. The program id is pinned to
//! `mock_lending::ID`; the pool PDA signs; after every CPI the touched accounts are reloaded
//! and the balances compared with what was asked.

use core::cell::Cell;

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::state::{Market, Receipt};

use crate::allocation::MarketView;
use crate::errors::StakingError;
use crate::state::LoadedPool;
use crate::transfers::verify_delta;
use mock_lending::exchange_rate::{shares_for_deposit, shares_for_withdrawal};
use program_accounts::token_moves::VaultOwner;

/// The lending accounts an instruction passes in, already validated by its Accounts struct.
pub struct LendingMarket<'a, 'info> {
    pub market: &'a mut Box<Account<'info, Market>>,
    pub receipt: &'a mut Box<Account<'info, Receipt>>,
    pub market_vault: &'a mut Box<InterfaceAccount<'info, TokenAccount>>,
    /// The market's rates as last computed, with the clock they were computed at: the market's
    /// state (and its vault) only changes in this program's CPIs, which clear them, so a rate
    /// read twice at one clock between two CPIs is computed once (128-bit math each time).
    payable_rate: Cell<Option<(i64, u128)>>,
    index_rate: Cell<Option<(i64, u128)>>,
}

/// The pool's token side of a lending CPI.
pub struct PoolSide<'a, 'info> {
    pub pool: &'a LoadedPool<'a, 'info>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub token_program: &'a Interface<'info, TokenInterface>,
}

impl<'a, 'info> LendingMarket<'a, 'info> {
    pub fn new(
        market: &'a mut Box<Account<'info, Market>>,
        receipt: &'a mut Box<Account<'info, Receipt>>,
        market_vault: &'a mut Box<InterfaceAccount<'info, TokenAccount>>,
    ) -> Self {
        Self {
            market,
            receipt,
            market_vault,
            payable_rate: Cell::new(None),
            index_rate: Cell::new(None),
        }
    }
}

/// `cache`'s rate if it was computed at `now`, else `compute`'s, kept in `cache`.
fn memoised(
    cache: &Cell<Option<(i64, u128)>>,
    now: i64,
    compute: impl FnOnce() -> Result<u128>,
) -> Result<u128> {
    match cache.get() {
        Some((at, rate)) if at == now => Ok(rate),
        _ => {
            let rate = compute()?;
            cache.set(Some((now, rate)));
            Ok(rate)
        }
    }
}

impl<'info> LendingMarket<'_, 'info> {
    /// The rate the market pays per share now (its index, capped by what it holds per share):
    /// the rate its `deposit` and `withdraw` will use in this instruction.
    pub fn rate(&self, now: i64) -> Result<u128> {
        memoised(&self.payable_rate, now, || {
            self.market.payable_rate(now, self.market_vault.amount)
        })
    }

    /// The market's state changed (a CPI): its rates are computed afresh.
    fn forget_rates(&self) {
        self.payable_rate.set(None);
        self.index_rate.set(None);
    }

    /// What the pool's receipt is worth now, and the exchange rate it was valued at.
    pub fn receipt_value(&self, now: i64) -> Result<(u64, u128)> {
        let rate = self.rate(now)?;
        let value = mock_lending::exchange_rate::value_of(self.receipt.shares, rate)
            .ok_or(StakingError::MathOverflow)?;
        Ok((value, rate))
    }

    /// What all the market's shares are worth at the rate it pays, above what it holds
    /// (vault + outstanding loans): interest it would pay that nobody funded, i.e. someone
    /// else's principal. A sound market never has one; the pool does not trust that and
    /// checks (see `allocation::plan_rebalance` and `allocation::harvest_amount`).
    pub fn deficit(&self, now: i64) -> Result<u64> {
        let rate = self.rate(now)?;
        let claims = mock_lending::exchange_rate::value_of(self.market.total_shares, rate)
            .ok_or(StakingError::MathOverflow)?;
        let assets = self.market.assets(self.market_vault.amount);
        Ok(u64::try_from(u128::from(claims).saturating_sub(assets)).unwrap_or(u64::MAX))
    }

    /// The rate the market's `deposit` buys shares at now: its index, whatever it holds.
    pub fn deposit_rate(&self, now: i64) -> Result<u128> {
        memoised(&self.index_rate, now, || self.market.index_rate(now))
    }

    /// What all the market's shares are worth at its index above what it holds: interest it
    /// has promised and not funded yet. Lending into it now would buy shares at the index that
    /// pay less until the funding comes, so the pool waits (`allocation::plan_rebalance`).
    pub fn unfunded(&self, now: i64) -> Result<u64> {
        let promised = mock_lending::exchange_rate::value_of(
            self.market.total_shares,
            self.deposit_rate(now)?,
        )
        .ok_or(StakingError::MathOverflow)?;
        let assets = self.market.assets(self.market_vault.amount);
        Ok(u64::try_from(u128::from(promised).saturating_sub(assets)).unwrap_or(u64::MAX))
    }

    /// What the allocation decisions need to know of the market now (`allocation::MarketView`).
    pub fn view(&self, now: i64) -> Result<MarketView> {
        Ok(MarketView {
            liquidity: self.liquidity(),
            receipt_value: self.receipt_value(now)?.0,
            deficit: self.deficit(now)?,
            unfunded: self.unfunded(now)?,
        })
    }

    /// Liquidity the market can pay out right now.
    pub fn liquidity(&self) -> u64 {
        self.market_vault.amount
    }

    /// Moves `amount` from the pool's `from` account into the market, and checks the receipt
    /// was credited exactly the shares the market's index gives.
    pub fn lend(
        &mut self,
        side: &PoolSide<'_, 'info>,
        from: &mut InterfaceAccount<'info, TokenAccount>,
        amount: u64,
        now: i64,
    ) -> Result<()> {
        let rate = self.deposit_rate(now)?;
        let shares = shares_for_deposit(amount, rate).ok_or(StakingError::MathOverflow)?;
        let before = from.amount;
        let shares_before = self.receipt.shares;
        self.call(side, from.to_account_info(), amount, true)?;
        from.reload()?;
        verify_delta(before, from.amount, amount, false)?;
        verify_shares(shares_before, self.receipt.shares, shares, true)
    }

    /// Moves `amount` out of the market into the pool's `to` account. Refused with
    /// `LendingIlliquid` when the market's vault or the pool's receipt cannot cover it.
    pub fn recall(
        &mut self,
        side: &PoolSide<'_, 'info>,
        to: &mut InterfaceAccount<'info, TokenAccount>,
        amount: u64,
        now: i64,
    ) -> Result<()> {
        let rate = self.rate(now)?;
        let burned = shares_for_withdrawal(amount, rate).ok_or(StakingError::MathOverflow)?;
        require!(
            amount <= self.liquidity() && burned <= self.receipt.shares,
            StakingError::LendingIlliquid
        );
        let before = to.amount;
        let shares_before = self.receipt.shares;
        self.call(side, to.to_account_info(), amount, false)?;
        to.reload()?;
        verify_delta(before, to.amount, amount, true)?;
        verify_shares(shares_before, self.receipt.shares, burned, false)
    }

    /// Moves `shares` of the pool's receipt to `to` (another receipt of the market), the pool
    /// signing, and checks the receipt lost exactly that many.
    pub fn hand_over(
        &mut self,
        pool: &LoadedPool<'_, 'info>,
        to: &mut Account<'info, Receipt>,
        shares: u64,
    ) -> Result<()> {
        let before = self.receipt.shares;
        pool.with_signer_seeds(|seeds| {
            mock_lending::cpi::transfer_shares(
                CpiContext::new_with_signer(
                    mock_lending::ID,
                    mock_lending::cpi::accounts::TransferShares {
                        market: self.market.to_account_info(),
                        from: self.receipt.to_account_info(),
                        to: to.to_account_info(),
                        owner: pool.to_account_info(),
                    },
                    &[seeds],
                ),
                shares,
            )
        })?;
        self.receipt.reload()?;
        to.reload()?;
        self.forget_rates();
        verify_shares(before, self.receipt.shares, shares, false)
    }

    fn call(
        &mut self,
        side: &PoolSide<'_, 'info>,
        pool_token: AccountInfo<'info>,
        amount: u64,
        deposit: bool,
    ) -> Result<()> {
        side.pool.with_signer_seeds(|seeds| {
            let signer = [seeds];
            let ctx = CpiContext::new_with_signer(
                mock_lending::ID,
                mock_lending::cpi::accounts::MoveLiquidity {
                    market: self.market.to_account_info(),
                    receipt: self.receipt.to_account_info(),
                    liquidity_vault: self.market_vault.to_account_info(),
                    owner_token: pool_token,
                    owner: side.pool.to_account_info(),
                    mint: side.mint.to_account_info(),
                    token_program: side.token_program.to_account_info(),
                },
                &signer,
            );
            if deposit {
                mock_lending::cpi::deposit(ctx, amount)
            } else {
                mock_lending::cpi::withdraw(ctx, amount)
            }
        })?;
        self.market.reload()?;
        self.receipt.reload()?;
        self.market_vault.reload()?;
        self.forget_rates();
        Ok(())
    }
}

/// The receipt's shares moved by exactly `expected` in the stated direction.
pub fn verify_shares(before: u64, after: u64, expected: u64, credited: bool) -> Result<()> {
    verify_delta(before, after, expected, credited)
        .map_err(|_| error!(StakingError::LendingReceiptMismatch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_credited_or_burned_wrongly_is_a_mismatch() {
        assert!(verify_shares(100, 150, 50, true).is_ok());
        assert!(verify_shares(100, 40, 60, false).is_ok());
        for (before, after, expected, credited) in [
            (100, 149, 50, true),
            (100, 41, 60, false),
            (100, 39, 60, false),
        ] {
            let err = verify_shares(before, after, expected, credited).unwrap_err();
            assert_eq!(err, StakingError::LendingReceiptMismatch.into());
        }
    }
}
