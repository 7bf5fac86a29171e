//! Extremes: the largest amounts, the highest APR, a century without a settle, a clock that
//! goes backwards. A correct value or a named error, never a panic.
use stakepool_tests::*;
use staking_pool::constants::MAX_APR_BPS;
use staking_pool::errors::StakingError;

#[tokio::test]
async fn a_century_at_max_apr_on_a_huge_stake_is_a_math_overflow_not_a_panic() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            apr_bps: MAX_APR_BPS,
            ..PoolSetup::default()
        })
        .await;
    let whale = bank.new_user(&pool.mint, u64::MAX / 4).await;
    bank.stake(&pool, &whale, u64::MAX / 4).await.unwrap();
    bank.advance(100 * YEAR).await;
    let watched = pool.watched(&whale);
    let before = bank.snapshot(&watched).await;
    // Owed would be ~4.6e21 base units: beyond what the pool can account for.
    assert_staking_error(bank.claim(&pool, &whale).await, StakingError::MathOverflow);
    assert_staking_error(
        bank.withdraw(&pool, &whale, 1).await,
        StakingError::MathOverflow,
    );
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn a_century_at_max_apr_on_a_normal_stake_is_exact() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            apr_bps: MAX_APR_BPS,
            ..PoolSetup::default()
        })
        .await;
    bank.fund_rewards(&pool, u64::MAX / 8).await.unwrap();
    let alice = bank.new_user(&pool.mint, 1_000_000_000_000).await;
    bank.stake(&pool, &alice, 1_000_000_000_000).await.unwrap();
    bank.advance(100 * YEAR).await;
    // 1,000 % a year for 100 years: 1,000 × principal.
    assert_eq!(
        bank.claim_amount(&pool, &alice).await,
        1_000_000_000_000_000
    );
}

#[tokio::test]
async fn a_clock_that_goes_backwards_accrues_nothing_and_takes_nothing_back() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 1_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 2_000_000_000).await;
    bank.stake(&pool, &alice, 1_000_000_000).await.unwrap();
    bank.advance(YEAR).await;
    bank.deposit(&pool, &alice, 1).await.unwrap();
    let owed = bank.owed_now(&pool, &alice).await;
    assert_eq!(owed, 100_000_000);

    bank.advance(-30 * DAY).await;
    bank.deposit(&pool, &alice, 1).await.unwrap();
    assert_eq!(bank.owed_now(&pool, &alice).await, owed);
    // Time resumes from the latest moment the pool saw, not from the earlier clock.
    bank.advance(30 * DAY).await;
    assert_eq!(bank.owed_now(&pool, &alice).await, owed);
    assert_eq!(bank.claim_amount(&pool, &alice).await, owed);
}

#[tokio::test]
async fn zero_length_gaps_accrue_nothing() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 1_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 2_000_000_000).await;
    bank.stake(&pool, &alice, 1_000_000_000).await.unwrap();
    for _ in 0..5 {
        bank.deposit(&pool, &alice, 1).await.unwrap();
        assert_eq!(bank.claim_amount(&pool, &alice).await, 0);
    }
    assert_eq!(bank.pool_state(&pool).await.total_owed_scaled, 0);
}
