//! Extremes: the largest amounts, the highest APR, a century without a settle, a clock that
//! goes backwards. A correct value or a named error, never a panic.
use mock_lending::errors::LendingError;
use stakepool_tests::*;
use staking_pool::constants::MAX_APR_BPS;

/// Review finding 4: with owed amounts in a u128 of units, once `total_owed_scaled` no longer
/// overflowed at ~3.4e20 base units (1.85 years at the maximum APR on a u64-scale stake),
/// every accruing instruction, `withdraw` and `set_apr(0)` included, failed for good. Now
/// nothing in the reward arithmetic can overflow: the whale withdraws every unit of principal
/// after 2 and after 100 years, the admin can still change the APR, and a claim pays what the
/// books hold while the rest, more than a u64, stays owed.
#[tokio::test]
async fn a_u64_scale_stake_at_max_apr_can_always_leave_and_the_apr_can_always_change() {
    // The funder holds u64::MAX / 4 of the mint's supply; the whale holds the rest it can.
    // At 3/4 of u64::MAX the old u128 scaled sum overflowed after 2.5 years.
    for years in [3, 100] {
        let mut bank = Bank::start().await;
        let pool = bank
            .create_pool(PoolSetup {
                apr_bps: MAX_APR_BPS,
                ..PoolSetup::default()
            })
            .await;
        let stake = u64::MAX / 4 * 3;
        let whale = bank.new_user(&pool.mint, stake).await;
        bank.stake(&pool, &whale, stake).await.unwrap();
        bank.fund_rewards(&pool, 1_000).await.unwrap();
        bank.advance(years * YEAR).await;

        // Owed: stake × 10 × years, beyond a u64, kept exactly.
        bank.claim(&pool, &whale).await.unwrap();
        let position = bank.position_state(&pool, &whale).await.unwrap();
        let owed = u128::from(stake) * 10 * u128::from(years as u64) - 1_000;
        assert_eq!(position.owed().units, owed, "{years} years");
        assert_eq!(position.total_claimed, 1_000);

        let admin = pool.admin.insecure_clone();
        bank.set_apr(&pool, &admin, 0).await.unwrap();
        bank.withdraw(&pool, &whale, stake).await.unwrap();
        assert_eq!(bank.token_balance(whale.token).await, stake + 1_000);
        let state = bank.pool_state(&pool).await;
        assert_eq!(state.total_staked(), 0);
        assert_eq!(state.total_owed().units, owed);
        assert_eq!(bank.token_balance(pool.keys.vault).await, 0);
    }
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
    assert_eq!(
        bank.pool_state(&pool).await.total_owed(),
        staking_pool::rewards::Owed::ZERO
    );
}

/// The market's index multiplies rate × APR × elapsed in u128: a clock 1.5e11 years on
/// overflows it, and the checked multiplication (in the VM, the SBF build's own 128-bit
/// libcalls) says so by name, in the market and through the pool's CPI alike; nothing moves.
#[tokio::test]
async fn a_u128_overflow_in_the_market_index_is_a_named_error() {
    let mut bank = Bank::start().await;
    let (pool, market) = bank.create_lending_pool(800).await;
    let alice = bank.new_user(&pool.mint, 100_000_000).await;
    bank.stake(&pool, &alice, 100_000_000).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 80_000_000);

    bank.advance(i64::MAX / 2).await;
    let stranger = bank.new_market_user(&market, &pool.mint, 1_000_000).await;
    let touched = [
        stranger.token,
        market.keys.market,
        market.keys.liquidity_vault,
        market.keys.receipt(&stranger.key()),
    ];
    let before = bank.snapshot(&touched).await;
    let result = bank.market_deposit(&market, &stranger, 1_000_000).await;
    assert_eq!(
        custom_code(&result, 0),
        Some(lending_code(LendingError::MathOverflow))
    );
    bank.assert_unchanged(&touched, before).await;
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    let result = bank.rebalance(&pool).await;
    assert_eq!(
        custom_code(&result, 0),
        Some(lending_code(LendingError::MathOverflow))
    );
    bank.assert_unchanged(&watched, before).await;
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 80_000_000);
}
