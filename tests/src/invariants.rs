//! SPEC.md §2 invariants, checked against the accounts as they are on the bank.
use anchor_lang::prelude::Pubkey;
use staking_pool::rewards;

use crate::fixture::{TestPool, User};
use crate::market::TestMarket;
use crate::Bank;

impl Bank {
    /// Total supply of a mint, from the mint account.
    pub async fn mint_supply(&mut self, mint: &Pubkey) -> u64 {
        use anchor_spl::token_2022::spl_token_2022::{extension::StateWithExtensions, state::Mint};
        let account = self.account(*mint).await.expect("mint");
        StateWithExtensions::<Mint>::unpack(&account.data)
            .expect("mint")
            .base
            .supply
    }

    /// Asserts every invariant of SPEC.md §2 for `pool`, its `users` and its `market`, where
    /// `holders` lists every other token account of the mint (funders, donors, the market
    /// authority, market depositors). Returns how many checks were made.
    pub async fn assert_invariants(
        &mut self,
        pool: &TestPool,
        users: &[&User],
        market: Option<&TestMarket>,
        holders: &[Pubkey],
    ) -> usize {
        let state = self.pool_state(pool).await;
        let vault = self.token_balance(pool.keys.vault).await;
        let reward_vault = self.token_balance(pool.keys.reward_vault).await;
        let principal = state.total_staked + state.total_unbonding;

        // 1. Principal is backed: vault + lent principal covers every depositor.
        assert!(
            vault + state.lent_principal >= principal,
            "1: vault {vault} + lent {} < principal {principal}",
            state.lent_principal
        );
        // ... and lent principal is backed by the receipt.
        if let Some(market) = market {
            let value = self.receipt_value(market, &pool.keys.pool).await;
            assert!(
                value >= state.lent_principal,
                "1: receipt worth {value} < lent {}",
                state.lent_principal
            );
        }

        // 2. Σ position principal = pool totals; 3. O(1) liability = Σ exact owed.
        let now = self.now().await.max(state.last_update_ts);
        let index = rewards::index_at(
            state.index_checkpoint,
            state.checkpoint_ts,
            state.apr_bps,
            now,
        )
        .unwrap();
        let (mut staked, mut unbonding, mut owed) = (0u64, 0u64, 0u128);
        for user in users {
            if let Some(position) = self.position_state(pool, user).await {
                staked += position.staked;
                unbonding += position.unbonding;
                owed += position.owed_scaled
                    + rewards::earned_scaled(position.staked, position.index_snapshot, index)
                        .unwrap();
            }
        }
        assert_eq!(
            (staked, unbonding),
            (state.total_staked, state.total_unbonding),
            "2: positions vs pool totals"
        );
        let liability = rewards::liability_scaled(
            state.total_owed_scaled,
            state.total_staked,
            state.accrued_index,
            index,
        )
        .unwrap();
        assert_eq!(liability, owed, "3: O(1) liability vs Σ owed");

        // 4. Rewards paid never exceed what was funded plus interest harvested; the reward
        // vault holds at least what the books say it holds.
        assert!(
            state.total_rewards_paid <= state.total_rewards_funded + state.total_interest_harvested,
            "4"
        );
        assert!(
            reward_vault >= state.reward_balance().unwrap(),
            "4: reward vault below its books"
        );

        // 5. No token created or destroyed: every token account of the mint sums to supply.
        let mut accounts = vec![pool.keys.vault, pool.keys.reward_vault, pool.funder.token];
        accounts.extend(users.iter().map(|u| u.token));
        if let Some(market) = market {
            accounts.push(market.keys.liquidity_vault);
            accounts.push(market.authority.token);
        }
        accounts.extend_from_slice(holders);
        let mut total = 0u128;
        for account in accounts {
            total += u128::from(self.token_balance(account).await);
        }
        let supply = self.mint_supply(&pool.mint.address).await;
        assert_eq!(total, u128::from(supply), "5: tokens unaccounted for");
        7
    }
}
