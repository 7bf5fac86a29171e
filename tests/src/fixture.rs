//! Pools and users: the arrange step of most tests, and one method per pool instruction so a
//! test reads as the story it checks.
use anchor_lang::prelude::Pubkey;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_system_interface::instruction as system_instruction;
use stakepool_client::instructions as ix;
use stakepool_client::PoolKeys;
use staking_pool::state::{Pool, PoolLimits, Position};

use crate::tokens::{MintExtension, TestMint, SPL_TOKEN};
use crate::{Bank, TxError, TxResult};

/// How to build a test pool.
#[derive(Clone, Copy, Debug)]
pub struct PoolSetup {
    pub token_program: Pubkey,
    pub decimals: u8,
    pub apr_bps: u32,
    pub limits: PoolLimits,
    pub pool_id: u16,
}

impl Default for PoolSetup {
    fn default() -> Self {
        Self {
            token_program: SPL_TOKEN,
            decimals: 6,
            apr_bps: 1_000,
            limits: PoolLimits::default(),
            pool_id: 0,
        }
    }
}

/// A wallet with SOL and a token account of the pool's mint.
pub struct User {
    pub wallet: Keypair,
    pub token: Pubkey,
}

impl User {
    pub fn key(&self) -> Pubkey {
        self.wallet.pubkey()
    }
}

pub struct TestPool {
    pub keys: PoolKeys,
    pub admin: Keypair,
    pub mint: TestMint,
    /// Holds reward tokens for `fund_rewards`.
    pub funder: User,
}

impl TestPool {
    /// Accounts an instruction by `user` may touch: none may change when it fails.
    pub fn watched(&self, user: &User) -> Vec<Pubkey> {
        vec![
            self.keys.pool,
            self.keys.vault,
            self.keys.reward_vault,
            self.keys.position(&user.key()),
            user.token,
            user.key(),
        ]
    }
}

pub const USER_SOL: u64 = 10_000_000_000;

impl Bank {
    pub async fn airdrop(&mut self, to: &Pubkey, lamports: u64) {
        let payer = self.payer();
        self.send(&[system_instruction::transfer(&payer, to, lamports)], &[])
            .await
            .expect("airdrop");
    }

    /// A wallet with SOL and `tokens` of `mint`.
    pub async fn new_user(&mut self, mint: &TestMint, tokens: u64) -> User {
        let wallet = self.new_keypair();
        self.new_user_with_wallet(wallet, mint, tokens).await
    }

    /// `new_user` with a chosen wallet.
    pub async fn new_user_with_wallet(
        &mut self,
        wallet: Keypair,
        mint: &TestMint,
        tokens: u64,
    ) -> User {
        self.airdrop(&wallet.pubkey(), USER_SOL).await;
        let token = self.create_token_account(mint, &wallet.pubkey()).await;
        if tokens > 0 {
            self.mint_to(mint, &token, tokens).await;
        }
        User { wallet, token }
    }

    /// Sends `initialize_pool` for `mint` from `admin` (the creator).
    pub async fn initialize_pool(
        &mut self,
        admin: &Keypair,
        mint: &TestMint,
        setup: &PoolSetup,
    ) -> Result<PoolKeys, TxError> {
        let keys = PoolKeys::derive(
            &admin.pubkey(),
            &mint.address,
            setup.pool_id,
            &mint.token_program,
        );
        let instruction = ix::initialize_pool(
            &admin.pubkey(),
            &keys,
            setup.pool_id,
            setup.apr_bps,
            setup.limits,
        );
        self.send(&[instruction], &[admin]).await.map(|_| keys)
    }

    /// A new mint and a pool over it, with a funder holding a large reward budget.
    pub async fn create_pool(&mut self, setup: PoolSetup) -> TestPool {
        let mint = self
            .create_mint_with(setup.token_program, setup.decimals, MintExtension::None)
            .await;
        self.create_pool_for_mint(mint, setup).await
    }

    pub async fn create_pool_for_mint(&mut self, mint: TestMint, setup: PoolSetup) -> TestPool {
        let admin = self.new_keypair();
        self.airdrop(&admin.pubkey(), USER_SOL).await;
        let keys = self
            .initialize_pool(&admin, &mint, &setup)
            .await
            .expect("initialize_pool");
        let funder = self.new_user(&mint, u64::MAX / 4).await;
        TestPool {
            keys,
            admin,
            mint,
            funder,
        }
    }

    pub async fn pool_state(&mut self, pool: &TestPool) -> Pool {
        self.pool_state_at(pool.keys.pool).await
    }

    pub async fn pool_state_at(&mut self, address: Pubkey) -> Pool {
        self.anchor_account(address).await.expect("pool exists")
    }

    pub async fn position_state(&mut self, pool: &TestPool, user: &User) -> Option<Position> {
        self.anchor_account(pool.keys.position(&user.key())).await
    }

    pub async fn fund_rewards(&mut self, pool: &TestPool, amount: u64) -> TxResult {
        let instruction =
            ix::fund_rewards(&pool.keys, &pool.funder.key(), &pool.funder.token, amount);
        self.send(&[instruction], &[&pool.funder.wallet]).await
    }

    pub async fn open_position(&mut self, pool: &TestPool, user: &User) -> TxResult {
        self.send(
            &[ix::open_position(&pool.keys, &user.key())],
            &[&user.wallet],
        )
        .await
    }

    /// Opens the position if it does not exist yet, then deposits (one transaction, as the
    /// client sends it).
    pub async fn stake(&mut self, pool: &TestPool, user: &User, amount: u64) -> TxResult {
        let mut instructions = Vec::new();
        if self.position_state(pool, user).await.is_none() {
            instructions.push(ix::open_position(&pool.keys, &user.key()));
        }
        instructions.push(ix::deposit(&pool.keys, &user.key(), &user.token, amount));
        self.send(&instructions, &[&user.wallet]).await
    }

    pub async fn deposit(&mut self, pool: &TestPool, user: &User, amount: u64) -> TxResult {
        let instruction = ix::deposit(&pool.keys, &user.key(), &user.token, amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    pub async fn withdraw(&mut self, pool: &TestPool, user: &User, amount: u64) -> TxResult {
        let instruction = ix::withdraw(&pool.keys, &user.key(), &user.token, amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    pub async fn request_unbond(&mut self, pool: &TestPool, user: &User, amount: u64) -> TxResult {
        let instruction = ix::request_unbond(&pool.keys, &user.key(), amount);
        self.send(&[instruction], &[&user.wallet]).await
    }

    pub async fn claim(&mut self, pool: &TestPool, user: &User) -> TxResult {
        let instruction = ix::claim(&pool.keys, &user.key(), &user.token);
        self.send(&[instruction], &[&user.wallet]).await
    }

    /// Claims and returns how many tokens arrived.
    pub async fn claim_amount(&mut self, pool: &TestPool, user: &User) -> u64 {
        let before = self.token_balance(user.token).await;
        self.claim(pool, user).await.expect("claim");
        self.token_balance(user.token).await - before
    }

    pub async fn compound(&mut self, pool: &TestPool, user: &User) -> TxResult {
        self.send(&[ix::compound(&pool.keys, &user.key())], &[&user.wallet])
            .await
    }

    pub async fn close_position(&mut self, pool: &TestPool, user: &User) -> TxResult {
        self.send(
            &[ix::close_position(&pool.keys, &user.key())],
            &[&user.wallet],
        )
        .await
    }

    pub async fn set_apr(&mut self, pool: &TestPool, signer: &Keypair, apr_bps: u32) -> TxResult {
        self.send(
            &[ix::set_apr(&pool.keys, &signer.pubkey(), apr_bps)],
            &[signer],
        )
        .await
    }

    pub async fn set_params(
        &mut self,
        pool: &TestPool,
        signer: &Keypair,
        limits: PoolLimits,
    ) -> TxResult {
        self.send(
            &[ix::set_params(&pool.keys, &signer.pubkey(), limits)],
            &[signer],
        )
        .await
    }

    pub async fn pause(&mut self, pool: &TestPool, signer: &Keypair) -> TxResult {
        self.send(&[ix::pause(&pool.keys, &signer.pubkey())], &[signer])
            .await
    }

    pub async fn unpause(&mut self, pool: &TestPool, signer: &Keypair) -> TxResult {
        self.send(&[ix::unpause(&pool.keys, &signer.pubkey())], &[signer])
            .await
    }

    pub async fn transfer_admin(
        &mut self,
        pool: &TestPool,
        signer: &Keypair,
        new_admin: &Pubkey,
    ) -> TxResult {
        let instruction = ix::transfer_admin(&pool.keys, &signer.pubkey(), new_admin);
        self.send(&[instruction], &[signer]).await
    }

    pub async fn accept_admin(&mut self, pool: &TestPool, signer: &Keypair) -> TxResult {
        self.send(&[ix::accept_admin(&pool.keys, &signer.pubkey())], &[signer])
            .await
    }

    pub async fn propose_change(
        &mut self,
        pool: &TestPool,
        signer: &Keypair,
        change: staking_pool::state::Change,
    ) -> TxResult {
        let instruction = ix::propose_change(&pool.keys, &signer.pubkey(), change);
        self.send(&[instruction], &[signer]).await
    }

    pub async fn cancel_change(
        &mut self,
        pool: &TestPool,
        signer: &Keypair,
        kind: staking_pool::state::ChangeKind,
    ) -> TxResult {
        let instruction = ix::cancel_change(&pool.keys, &signer.pubkey(), kind);
        self.send(&[instruction], &[signer]).await
    }

    /// `execute_change`, sent by `payer` (anyone); a lending market change names its market.
    pub async fn execute_change(
        &mut self,
        pool: &TestPool,
        payer: &Keypair,
        kind: staking_pool::state::ChangeKind,
        market: Option<&Pubkey>,
    ) -> TxResult {
        let instruction = ix::execute_change(&pool.keys, &payer.pubkey(), kind, market);
        self.send(&[instruction], &[payer]).await
    }

    /// Owed rewards of `user` projected to now, in whole base units, exactly as the program
    /// would settle them.
    pub async fn owed_now(&mut self, pool: &TestPool, user: &User) -> u64 {
        let state = self.pool_state(pool).await;
        let position = self.position_state(pool, user).await.expect("position");
        let now = self.now().await;
        stakepool_client::projection::owed_at(&state, &position, now)
            .expect("owed")
            .payable_units()
    }

    /// Pool liability projected to now, exactly, in O(1) from the pool account.
    pub async fn liability_now(&mut self, pool: &TestPool) -> staking_pool::rewards::Owed {
        let state = self.pool_state(pool).await;
        let now = self.now().await;
        stakepool_client::projection::liability_at(&state, now).expect("liability")
    }

    /// Asserts that `result` failed and that none of `watched` changed.
    pub async fn assert_unchanged(
        &mut self,
        watched: &[Pubkey],
        before: Vec<Option<(u64, Vec<u8>)>>,
    ) {
        let after = self.snapshot(watched).await;
        for ((address, b), a) in watched.iter().zip(before).zip(after) {
            assert_eq!(b, a, "account {address} changed");
        }
    }
}

/// Replaces every occurrence of `old` among an instruction's accounts with `new`: how the
/// security tests hand the program an account it must refuse.
pub fn swap_account(
    mut instruction: solana_instruction::Instruction,
    old: &Pubkey,
    new: &Pubkey,
) -> solana_instruction::Instruction {
    let mut found = false;
    for meta in &mut instruction.accounts {
        if meta.pubkey == *old {
            meta.pubkey = *new;
            found = true;
        }
    }
    assert!(found, "{old} is not an account of this instruction");
    instruction
}

/// Marks `signer` as not signing: the missing-signer attack.
pub fn unsign(
    mut instruction: solana_instruction::Instruction,
    signer: &Pubkey,
) -> solana_instruction::Instruction {
    for meta in &mut instruction.accounts {
        if meta.pubkey == *signer {
            meta.is_signer = false;
        }
    }
    instruction
}
