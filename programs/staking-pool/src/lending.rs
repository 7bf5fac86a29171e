//! The CPI adapter to the lending program, and nothing else. The program id is pinned to
//! `mock_lending::ID`; the pool PDA signs; after every CPI the touched accounts are reloaded
//! and the balances compared with what was asked.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::state::{Market, Receipt};

use crate::errors::StakingError;
use crate::state::Pool;
use crate::transfers::verify_delta;

/// The lending accounts an instruction passes in, already validated by its Accounts struct.
pub struct LendingMarket<'a, 'info> {
    pub market: &'a mut Box<Account<'info, Market>>,
    pub receipt: &'a mut Box<Account<'info, Receipt>>,
    pub market_vault: &'a mut Box<InterfaceAccount<'info, TokenAccount>>,
}

/// The pool's token side of a lending CPI.
pub struct PoolSide<'a, 'info> {
    pub pool: &'a Account<'info, Pool>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub token_program: &'a Interface<'info, TokenInterface>,
}

impl<'info> LendingMarket<'_, 'info> {
    /// What the pool's receipt is worth now, and the exchange rate it was valued at.
    pub fn receipt_value(&self, now: i64) -> Result<(u64, u128)> {
        let rate = self.market.rate_at(now)?;
        let value = mock_lending::exchange_rate::value_of(self.receipt.shares, rate)
            .ok_or(StakingError::MathOverflow)?;
        Ok((value, rate))
    }

    /// Liquidity the market can pay out right now.
    pub fn liquidity(&self) -> u64 {
        self.market_vault.amount
    }

    /// Moves `amount` from the pool's `from` account into the market.
    pub fn lend(
        &mut self,
        side: &PoolSide<'_, 'info>,
        from: &mut InterfaceAccount<'info, TokenAccount>,
        amount: u64,
    ) -> Result<()> {
        let before = from.amount;
        let shares_before = self.receipt.shares;
        self.call(side, from.to_account_info(), amount, true)?;
        from.reload()?;
        verify_delta(before, from.amount, amount, false)?;
        require!(
            self.receipt.shares > shares_before,
            StakingError::TransferAmountMismatch
        );
        Ok(())
    }

    /// Moves `amount` out of the market into the pool's `to` account.
    pub fn recall(
        &mut self,
        side: &PoolSide<'_, 'info>,
        to: &mut InterfaceAccount<'info, TokenAccount>,
        amount: u64,
    ) -> Result<()> {
        require!(amount <= self.liquidity(), StakingError::LendingIlliquid);
        let before = to.amount;
        self.call(side, to.to_account_info(), amount, false)?;
        to.reload()?;
        verify_delta(before, to.amount, amount, true)
    }

    fn call(
        &mut self,
        side: &PoolSide<'_, 'info>,
        pool_token: AccountInfo<'info>,
        amount: u64,
        deposit: bool,
    ) -> Result<()> {
        let id = side.pool.pool_id.to_le_bytes();
        let bump = [side.pool.bump];
        let seeds = side.pool.signer_seeds(&id, &bump);
        let signer = [&seeds[..]];
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
            mock_lending::cpi::deposit(ctx, amount)?;
        } else {
            mock_lending::cpi::withdraw(ctx, amount)?;
        }
        self.market.reload()?;
        self.receipt.reload()?;
        self.market_vault.reload()?;
        Ok(())
    }
}
