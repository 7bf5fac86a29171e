//! The pool's invariants (docs/invariants.md), asserted against the accounts on the bank with the client library's
//! checker (the same one the simulator reports).
use anchor_lang::prelude::Pubkey;
use stakepool_client::invariants::{check_all, Books};

use crate::fixture::{TestPool, User};
use crate::market::TestMarket;
use crate::Bank;

impl Bank {
    /// Total supply of a mint, from the mint account.
    pub async fn mint_supply(&mut self, mint: &Pubkey) -> u64 {
        let account = self.account(*mint).await.expect("mint");
        stakepool_client::accounts::mint_supply(&account.data).expect("mint")
    }

    /// Asserts every invariant of docs/invariants.md for `pool`, its `users` and its `market`, where
    /// `holders` lists every other token account of the mint (donors, market depositors).
    /// Returns how many checks were made.
    pub async fn assert_invariants(
        &mut self,
        pool: &TestPool,
        users: &[&User],
        market: Option<&TestMarket>,
        holders: &[Pubkey],
    ) -> usize {
        let mut positions = Vec::new();
        for user in users {
            if let Some(position) = self.position_state(pool, user).await {
                positions.push(position);
            }
        }
        let pool_state = self.pool_state(pool).await;
        let (receipt_value, pending_loss, share_rounding) = match market {
            Some(market) => {
                let now = self.now().await;
                let state = self.market_state(market).await;
                let vault = self.token_balance(market.keys.liquidity_vault).await;
                let rate = state.payable_rate(now, vault).expect("rate");
                let value = self.receipt_value(market, &pool.keys.pool).await;
                let pending = staking_pool::allocation::unrecognised_loss(
                    pool_state.lent_principal,
                    value,
                    rate,
                );
                (
                    Some(value),
                    pending,
                    staking_pool::allocation::share_rounding(rate),
                )
            }
            None => (None, 0, 0),
        };
        let mut accounts = vec![pool.keys.vault, pool.keys.reward_vault, pool.funder.token];
        accounts.extend(users.iter().map(|u| u.token));
        if let Some(market) = market {
            accounts.push(market.keys.liquidity_vault);
            accounts.push(market.authority.token);
        }
        accounts.extend_from_slice(holders);
        let mut tokens_total = 0u128;
        for account in accounts {
            tokens_total += u128::from(self.token_balance(account).await);
        }
        let books = Books {
            pool: pool_state,
            positions,
            vault: self.token_balance(pool.keys.vault).await,
            reward_vault: self.token_balance(pool.keys.reward_vault).await,
            receipt_value,
            pending_loss,
            share_rounding,
            tokens_total,
            supply: self.mint_supply(&pool.mint.address).await,
            now: self.now().await,
        };
        let checks = check_all(&books);
        for check in &checks {
            assert!(
                check.holds,
                "invariant broken: {}: {}",
                check.name, check.detail
            );
        }
        checks.len()
    }
}
