//! Admin instructions: two-step admin transfer, pause, parameter validation.
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_tests::*;
use staking_pool::constants::{MAX_APR_BPS, MAX_UNBONDING_PERIOD};
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

/// Every admin instruction signed by `signer` must fail with `Unauthorized` and change nothing.
async fn assert_all_admin_calls_refused(bank: &mut Bank, pool: &TestPool, signer: &Keypair) {
    let watched = [pool.keys.pool];
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.set_apr(pool, signer, 500).await,
        StakingError::Unauthorized,
    );
    assert_staking_error(
        bank.set_params(pool, signer, PoolLimits::default()).await,
        StakingError::Unauthorized,
    );
    assert_staking_error(bank.pause(pool, signer).await, StakingError::Unauthorized);
    assert_staking_error(bank.unpause(pool, signer).await, StakingError::Unauthorized);
    assert_staking_error(
        bank.transfer_admin(pool, signer, &signer.pubkey()).await,
        StakingError::Unauthorized,
    );
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn admin_transfer_takes_two_steps_and_retires_the_old_admin() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let old_admin = pool.admin.insecure_clone();
    let new_admin = Keypair::new();
    let stranger = Keypair::new();
    bank.airdrop(&new_admin.pubkey(), USER_SOL).await;
    bank.airdrop(&stranger.pubkey(), USER_SOL).await;

    assert_all_admin_calls_refused(&mut bank, &pool, &stranger).await;
    assert_staking_error(
        bank.accept_admin(&pool, &new_admin).await,
        StakingError::NoPendingAdmin,
    );

    bank.transfer_admin(&pool, &old_admin, &new_admin.pubkey())
        .await
        .unwrap();
    assert_eq!(
        bank.pool_state(&pool).await.pending_admin,
        new_admin.pubkey()
    );
    // Still the old admin until accepted.
    assert_eq!(bank.pool_state(&pool).await.admin, old_admin.pubkey());
    let before = bank.snapshot(&[pool.keys.pool]).await;
    assert_staking_error(
        bank.accept_admin(&pool, &stranger).await,
        StakingError::Unauthorized,
    );
    bank.assert_unchanged(&[pool.keys.pool], before).await;

    bank.accept_admin(&pool, &new_admin).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.admin, new_admin.pubkey());
    assert_eq!(state.pending_admin, anchor_lang::prelude::Pubkey::default());

    assert_all_admin_calls_refused(&mut bank, &pool, &old_admin).await;
    assert_all_admin_calls_refused(&mut bank, &pool, &stranger).await;
    bank.set_apr(&pool, &new_admin, 1_500).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.apr_bps, 1_500);
}

#[tokio::test]
async fn a_pending_transfer_can_be_cancelled() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let admin = pool.admin.insecure_clone();
    let candidate = Keypair::new();
    bank.airdrop(&candidate.pubkey(), USER_SOL).await;
    bank.transfer_admin(&pool, &admin, &candidate.pubkey())
        .await
        .unwrap();
    bank.transfer_admin(&pool, &admin, &Default::default())
        .await
        .unwrap();
    assert_staking_error(
        bank.accept_admin(&pool, &candidate).await,
        StakingError::NoPendingAdmin,
    );
    assert_eq!(bank.pool_state(&pool).await.admin, admin.pubkey());
}

#[tokio::test]
async fn paused_pool_refuses_deposits_but_not_withdrawals_or_claims() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let admin = pool.admin.insecure_clone();
    bank.fund_rewards(&pool, 1_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 2_000_000).await;
    bank.stake(&pool, &alice, 1_000_000).await.unwrap();
    bank.advance(YEAR).await;

    bank.pause(&pool, &admin).await.unwrap();
    assert!(bank.pool_state(&pool).await.is_paused());
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.deposit(&pool, &alice, 1_000).await,
        StakingError::PoolPaused,
    );
    assert_staking_error(bank.compound(&pool, &alice).await, StakingError::PoolPaused);
    bank.assert_unchanged(&watched, before).await;

    assert_eq!(bank.claim_amount(&pool, &alice).await, 100_000);
    bank.withdraw(&pool, &alice, 1_000_000).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 2_100_000);

    bank.unpause(&pool, &admin).await.unwrap();
    bank.deposit(&pool, &alice, 1_000).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.total_staked(), 1_000);
}

#[tokio::test]
async fn parameters_out_of_range_are_refused() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let admin = pool.admin.insecure_clone();
    let watched = [pool.keys.pool];
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.set_apr(&pool, &admin, MAX_APR_BPS + 1).await,
        StakingError::InvalidApr,
    );
    let cases = [
        (
            PoolLimits {
                reserve_bps: 10_001,
                ..PoolLimits::default()
            },
            StakingError::InvalidReserve,
        ),
        (
            PoolLimits {
                unbonding_period: -1,
                ..PoolLimits::default()
            },
            StakingError::InvalidUnbondingPeriod,
        ),
        (
            PoolLimits {
                unbonding_period: MAX_UNBONDING_PERIOD + 1,
                ..PoolLimits::default()
            },
            StakingError::InvalidUnbondingPeriod,
        ),
        (
            PoolLimits {
                min_deposit: 10,
                deposit_cap: 9,
                ..PoolLimits::default()
            },
            StakingError::InvalidDepositLimits,
        ),
    ];
    for (limits, error) in cases {
        assert_staking_error(bank.set_params(&pool, &admin, limits).await, error);
    }
    bank.assert_unchanged(&watched, before).await;

    // The same checks hold at creation.
    let creator = Keypair::new();
    bank.airdrop(&creator.pubkey(), USER_SOL).await;
    let bad_apr = PoolSetup {
        apr_bps: MAX_APR_BPS + 1,
        ..PoolSetup::default()
    };
    assert_staking_error(
        bank.initialize_pool(&creator, &pool.mint, &bad_apr)
            .await
            .map(|_| ()),
        StakingError::InvalidApr,
    );
    let bad_reserve = PoolSetup {
        limits: PoolLimits {
            reserve_bps: 20_000,
            ..PoolLimits::default()
        },
        ..PoolSetup::default()
    };
    assert_staking_error(
        bank.initialize_pool(&creator, &pool.mint, &bad_reserve)
            .await
            .map(|_| ()),
        StakingError::InvalidReserve,
    );

    let limits = PoolLimits {
        reserve_bps: 2_500,
        min_deposit: 5,
        deposit_cap: 50_000,
        unbonding_period: DAY,
        notice_period: 2 * DAY,
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.limits(), limits);
    bank.set_apr(&pool, &admin, MAX_APR_BPS).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.apr_bps, MAX_APR_BPS);
}
