//! Pools with an unbonding period.
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::rewards::closed_form_reward;
use staking_pool::state::PoolLimits;

const WEEK: i64 = 7 * DAY;

async fn unbonding_pool(bank: &mut Bank) -> TestPool {
    bank.create_pool(PoolSetup {
        limits: PoolLimits {
            unbonding_period: WEEK,
            ..PoolLimits::default()
        },
        ..PoolSetup::default()
    })
    .await
}

#[tokio::test]
async fn unbonding_stops_accrual_and_locks_until_the_unlock_time() {
    let mut bank = Bank::start().await;
    let pool = unbonding_pool(&mut bank).await;
    bank.fund_rewards(&pool, 1_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 1_000_000_000).await;
    bank.stake(&pool, &alice, 1_000_000_000).await.unwrap();
    bank.advance(YEAR).await;

    bank.request_unbond(&pool, &alice, 400_000_000)
        .await
        .unwrap();
    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(
        (position.staked_shares, position.unbonding_shares),
        (600_000_000, 400_000_000)
    );
    assert_eq!(position.unlock_ts, bank.now().await + WEEK);
    let state = bank.pool_state(&pool).await;
    assert_eq!(
        (state.total_staked(), state.total_unbonding()),
        (600_000_000, 400_000_000)
    );

    // A direct withdrawal of earning principal is not allowed in an unbonding pool, and the
    // unbonding amount is locked until its time.
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.withdraw(&pool, &alice, 1).await,
        StakingError::StillUnbonding,
    );
    bank.advance(WEEK - 1).await;
    assert_staking_error(
        bank.withdraw(&pool, &alice, 400_000_000).await,
        StakingError::StillUnbonding,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.advance(1).await;
    // Only the earning 600 accrued during the week.
    let expected = closed_form_reward(1_000_000_000, 1_000, YEAR).unwrap()
        + closed_form_reward(600_000_000, 1_000, WEEK).unwrap();
    assert!(bank.owed_now(&pool, &alice).await.abs_diff(expected) <= 1);

    assert_staking_error(
        bank.withdraw(&pool, &alice, 400_000_001).await,
        StakingError::StillUnbonding,
    );
    bank.withdraw(&pool, &alice, 400_000_000).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 400_000_000);
    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(
        (position.staked_shares, position.unbonding_shares),
        (600_000_000, 0)
    );
    assert_eq!(bank.pool_state(&pool).await.total_unbonding(), 0);
}

#[tokio::test]
async fn unbonding_more_than_staked_is_refused() {
    let mut bank = Bank::start().await;
    let pool = unbonding_pool(&mut bank).await;
    let alice = bank.new_user(&pool.mint, 1_000).await;
    bank.stake(&pool, &alice, 1_000).await.unwrap();
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.request_unbond(&pool, &alice, 1_001).await,
        StakingError::InsufficientStake,
    );
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn request_unbond_needs_an_unbonding_period() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, 1_000).await;
    bank.stake(&pool, &alice, 1_000).await.unwrap();
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.request_unbond(&pool, &alice, 10).await,
        StakingError::UnbondingNotEnabled,
    );
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn dropping_the_unbonding_period_to_zero_frees_what_is_unbonding() {
    let mut bank = Bank::start().await;
    let pool = unbonding_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    let alice = bank.new_user(&pool.mint, 1_000).await;
    bank.stake(&pool, &alice, 1_000).await.unwrap();
    bank.request_unbond(&pool, &alice, 400).await.unwrap();
    assert_staking_error(
        bank.withdraw(&pool, &alice, 400).await,
        StakingError::StillUnbonding,
    );
    bank.set_params(&pool, &admin, PoolLimits::default())
        .await
        .unwrap();
    bank.withdraw(&pool, &alice, 1_000).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 1_000);
}
