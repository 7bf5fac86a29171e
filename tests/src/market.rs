//! Mock lending markets: creation, attaching one to a pool, the authority's levers, and the
//! pool's lending cranks.
use anchor_lang::prelude::Pubkey;
use mock_lending::state::{Market, Receipt};
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::instructions as ix;
use stakepool_client::lending_instructions as lx;
use stakepool_client::MarketKeys;

use crate::fixture::{PoolSetup, TestPool, User, USER_SOL};
use crate::tokens::TestMint;
use crate::Bank;
use crate::TxResult;
use staking_pool::state::PoolLimits;

pub struct TestMarket {
    pub keys: MarketKeys,
    pub authority: User,
}

/// Tokens the market authority holds to fund interest and repay simulated loans.
pub const AUTHORITY_TOKENS: u64 = 1_000_000_000_000_000;

impl Bank {
    pub async fn create_market(
        &mut self,
        mint: &TestMint,
        market_id: u16,
        supply_apr_bps: u32,
    ) -> TestMarket {
        let authority = self.new_user(mint, AUTHORITY_TOKENS).await;
        let keys = MarketKeys::derive(&mint.address, market_id, &mint.token_program);
        let instruction = lx::init_market(&keys, &authority.key(), market_id, supply_apr_bps);
        self.send(&[instruction], &[&authority.wallet])
            .await
            .expect("init_market");
        TestMarket { keys, authority }
    }

    /// A pool at the default APR with a 20 % reserve, lending to a new market at
    /// `supply_apr_bps`: where most lending tests start.
    pub async fn create_lending_pool(&mut self, supply_apr_bps: u32) -> (TestPool, TestMarket) {
        let setup = PoolSetup {
            limits: PoolLimits {
                reserve_bps: 2_000,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        };
        let mut pool = self.create_pool(setup).await;
        let market = self.attach_market(&mut pool, supply_apr_bps).await;
        (pool, market)
    }

    /// A market for the pool's mint, set as the pool's lending market.
    pub async fn attach_market(&mut self, pool: &mut TestPool, supply_apr_bps: u32) -> TestMarket {
        let market = self
            .create_market(&pool.mint.clone(), 0, supply_apr_bps)
            .await;
        let admin = pool.admin.insecure_clone();
        self.set_lending_market(pool, &admin, &market.keys.market)
            .await
            .expect("set_lending_market");
        market
    }

    pub async fn set_lending_market(
        &mut self,
        pool: &mut TestPool,
        signer: &Keypair,
        market: &Pubkey,
    ) -> TxResult {
        let instruction = ix::set_lending_market(&pool.keys, &signer.pubkey(), market);
        self.send(&[instruction], &[signer]).await?;
        pool.keys = pool.keys.with_lending_market(market);
        Ok(())
    }

    pub async fn rebalance(&mut self, pool: &TestPool) -> TxResult {
        self.send(&[ix::rebalance(&pool.keys)], &[]).await
    }

    pub async fn harvest(&mut self, pool: &TestPool) -> TxResult {
        self.send(&[ix::harvest(&pool.keys)], &[]).await
    }

    pub async fn recall_all(&mut self, pool: &TestPool, signer: &Keypair) -> TxResult {
        self.send(&[ix::recall_all(&pool.keys, &signer.pubkey())], &[signer])
            .await
    }

    pub async fn market_fund_interest(&mut self, market: &TestMarket, amount: u64) -> TxResult {
        let a = &market.authority;
        let instruction = lx::fund_interest(&market.keys, &a.key(), &a.token, amount);
        self.send(&[instruction], &[&a.wallet]).await
    }

    pub async fn market_borrow(&mut self, market: &TestMarket, amount: u64) -> TxResult {
        let a = &market.authority;
        let instruction = lx::simulate_borrow(&market.keys, &a.key(), &a.token, amount);
        self.send(&[instruction], &[&a.wallet]).await
    }

    pub async fn market_repay(&mut self, market: &TestMarket, amount: u64) -> TxResult {
        let a = &market.authority;
        let instruction = lx::simulate_repay(&market.keys, &a.key(), &a.token, amount);
        self.send(&[instruction], &[&a.wallet]).await
    }

    /// Writes `amount` of the market's outstanding loans off as bad debt.
    pub async fn market_default(&mut self, market: &TestMarket, amount: u64) -> TxResult {
        let a = &market.authority;
        let instruction = lx::simulate_default(&market.keys, &a.key(), amount);
        self.send(&[instruction], &[&a.wallet]).await
    }

    /// Puts back `amount` of loans written off.
    pub async fn market_recover(&mut self, market: &TestMarket, amount: u64) -> TxResult {
        let a = &market.authority;
        let instruction = lx::simulate_recovery(&market.keys, &a.key(), &a.token, amount);
        self.send(&[instruction], &[&a.wallet]).await
    }

    pub async fn recognise_loss(&mut self, pool: &TestPool) -> TxResult {
        self.send(&[ix::recognise_loss(&pool.keys)], &[]).await
    }

    /// Opens `user`'s own receipt in `market`.
    pub async fn open_receipt(&mut self, market: &TestMarket, user: &User) -> TxResult {
        let instruction = lx::open_receipt(&market.keys, &user.key(), &user.key());
        self.send(&[instruction], &[&user.wallet]).await
    }

    /// `user` withdraws `amount` in kind into their own receipt in `market` (opened before).
    pub async fn withdraw_in_kind(
        &mut self,
        pool: &TestPool,
        market: &TestMarket,
        user: &User,
        amount: u64,
    ) -> TxResult {
        let to = market.keys.receipt(&user.key());
        let instruction = ix::withdraw_in_kind(&pool.keys, &user.key(), &user.token, &to, amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    /// Switches the market to paying its index unbacked (`true`), or back (`false`).
    pub async fn market_set_unbacked(&mut self, market: &TestMarket, unbacked: bool) -> TxResult {
        let a = &market.authority;
        let instruction = lx::simulate_unbacked_index(&market.keys, &a.key(), unbacked);
        self.send(&[instruction], &[&a.wallet]).await
    }

    /// Hands the market to `new_authority`; returns the old authority's refusal or success.
    pub async fn market_transfer_authority(
        &mut self,
        market: &TestMarket,
        new_authority: Pubkey,
    ) -> TxResult {
        let a = &market.authority;
        let instruction = lx::transfer_authority(&market.keys, &a.key(), new_authority);
        self.send(&[instruction], &[&a.wallet]).await
    }

    /// A stranger's deposit straight into the market (a receipt of their own).
    pub async fn market_deposit(
        &mut self,
        market: &TestMarket,
        user: &User,
        amount: u64,
    ) -> TxResult {
        let instruction = lx::deposit(&market.keys, &user.key(), &user.token, amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    /// A stranger's withdrawal straight from the market.
    pub async fn market_withdraw(
        &mut self,
        market: &TestMarket,
        user: &User,
        amount: u64,
    ) -> TxResult {
        let instruction = lx::withdraw(&market.keys, &user.key(), &user.token, amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    pub async fn market_state(&mut self, market: &TestMarket) -> Market {
        self.anchor_account(market.keys.market)
            .await
            .expect("market exists")
    }

    pub async fn receipt_state(&mut self, market: &TestMarket, owner: &Pubkey) -> Option<Receipt> {
        self.anchor_account(market.keys.receipt(owner)).await
    }

    /// What `owner`'s receipt is worth now, at the rate the market pays.
    pub async fn receipt_value(&mut self, market: &TestMarket, owner: &Pubkey) -> u64 {
        let now = self.now().await;
        self.receipt_value_at(market, owner, now).await
    }

    /// What `owner`'s receipt is worth at `time`, at the rate the market pays (its index,
    /// capped by what it holds per share).
    pub async fn receipt_value_at(
        &mut self,
        market: &TestMarket,
        owner: &Pubkey,
        time: i64,
    ) -> u64 {
        let state = self.market_state(market).await;
        let shares = self
            .receipt_state(market, owner)
            .await
            .map(|r| r.shares)
            .unwrap_or(0);
        let vault = self.token_balance(market.keys.liquidity_vault).await;
        let rate = state.payable_rate(time, vault).expect("rate");
        mock_lending::exchange_rate::value_of(shares, rate).expect("value")
    }

    /// A depositor in the market itself (not the pool), with `tokens` and a receipt.
    pub async fn new_market_user(
        &mut self,
        market: &TestMarket,
        mint: &TestMint,
        tokens: u64,
    ) -> User {
        let user = self.new_user(mint, tokens).await;
        self.open_receipt(market, &user)
            .await
            .expect("open_receipt");
        user
    }

    pub async fn fresh_wallet(&mut self) -> Keypair {
        let wallet = self.new_keypair();
        self.airdrop(&wallet.pubkey(), USER_SOL).await;
        wallet
    }
}
