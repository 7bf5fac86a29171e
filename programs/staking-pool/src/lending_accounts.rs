//! The accounts struct shared by the cranks `rebalance` and `harvest` and the admin's
//! `recall_all`: the pool, its two vaults, and its lending market, all pinned.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::program::MockLending;
use mock_lending::state::{Market, Receipt};

use crate::errors::StakingError;
use crate::lending::LendingMarket;
use crate::lending_books::PoolTokens;
use crate::state::{LoadedPool, Pool};

#[derive(Accounts)]
pub struct ManageLending<'info> {
    #[account(
        mut,
        constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress,
        has_one = vault @ StakingError::InvalidVault,
        has_one = reward_vault @ StakingError::InvalidRewardVault,
        has_one = stake_mint @ StakingError::InvalidMint,
        has_one = token_program @ StakingError::InvalidTokenProgram,
        has_one = lending_market @ StakingError::InvalidLendingMarket,
        has_one = receipt @ StakingError::InvalidLendingReceipt,
        has_one = market_vault @ StakingError::InvalidLendingVault,
    )]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub lending_market: Box<Account<'info, Market>>,
    #[account(mut)]
    pub receipt: Box<Account<'info, Receipt>>,
    #[account(mut)]
    pub market_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub lending_program: Program<'info, MockLending>,
}

impl<'info> ManageLending<'info> {
    /// Splits the struct into the pool (copied out, `LoadedPool`: the handler saves it), its
    /// lending market and its token accounts, so a handler can borrow all three at once.
    pub fn parts(
        &mut self,
    ) -> Result<(
        LoadedPool<'_, 'info>,
        LendingMarket<'_, 'info>,
        PoolTokens<'_, 'info>,
    )> {
        Ok((
            LoadedPool::load(&self.pool)?,
            LendingMarket::new(
                &mut self.lending_market,
                &mut self.receipt,
                &mut self.market_vault,
            ),
            PoolTokens {
                mint: &self.stake_mint,
                token_program: &self.token_program,
                vault: &mut self.vault,
                reward_vault: &mut self.reward_vault,
            },
        ))
    }
}
