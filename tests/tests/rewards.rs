//! Fixed-rate rewards: exactness, rate changes that never reach back, claim frequency, O(1)
//! liability, underfunded reward vault.
use stakepool_tests::*;
use staking_pool::rewards::closed_form_reward;

const MILLION: u64 = 1_000_000_000_000; // 1,000,000.000000 at 6 decimals

#[tokio::test]
async fn a_year_at_ten_percent_pays_exactly_one_hundred_thousand() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 200_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, MILLION).await;
    bank.stake(&pool, &alice, MILLION).await.unwrap();

    bank.advance(YEAR).await;
    assert_eq!(bank.claim_amount(&pool, &alice).await, 100_000_000_000);
    // Same moment again: nothing more is owed.
    assert_eq!(bank.claim_amount(&pool, &alice).await, 0);

    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(position.total_claimed, 100_000_000_000);
    assert_eq!(position.staked_shares, MILLION);
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.total_rewards_paid, 100_000_000_000);
    assert_eq!(
        bank.token_balance(pool.keys.vault).await,
        MILLION,
        "principal untouched"
    );
    assert_eq!(
        bank.token_balance(pool.keys.reward_vault).await,
        100_000_000_000
    );
}

#[tokio::test]
async fn an_apr_change_applies_only_from_the_moment_it_is_made() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 500_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, MILLION).await;
    bank.stake(&pool, &alice, MILLION).await.unwrap();

    let half = YEAR / 2;
    bank.advance(half).await;
    let owed_before_change = bank.owed_now(&pool, &alice).await;
    assert_eq!(
        owed_before_change,
        closed_form_reward(MILLION, 1_000, half).unwrap()
    );

    let admin = pool.admin.insecure_clone();
    bank.set_apr(&pool, &admin, 2_000).await.unwrap();
    assert_eq!(
        bank.owed_now(&pool, &alice).await,
        owed_before_change,
        "the change did not alter what was owed at that moment"
    );

    bank.advance(half).await;
    let piecewise = closed_form_reward(MILLION, 1_000, half).unwrap()
        + closed_form_reward(MILLION, 2_000, half).unwrap();
    let paid = bank.claim_amount(&pool, &alice).await;
    assert!(
        paid.abs_diff(piecewise) <= 1,
        "paid {paid}, piecewise {piecewise}"
    );
    assert!(paid <= piecewise + 1);
}

#[tokio::test]
async fn daily_claims_for_a_year_pay_what_one_claim_pays() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 500_000_000_000).await.unwrap();
    let daily = bank.new_user(&pool.mint, MILLION).await;
    let yearly = bank.new_user(&pool.mint, MILLION).await;
    bank.stake(&pool, &daily, MILLION).await.unwrap();
    bank.stake(&pool, &yearly, MILLION).await.unwrap();

    let mut daily_total = 0;
    for _ in 0..365 {
        bank.advance(DAY).await;
        daily_total += bank.claim_amount(&pool, &daily).await;
    }
    let once = bank.claim_amount(&pool, &yearly).await;
    let closed = closed_form_reward(MILLION, 1_000, YEAR).unwrap();
    assert_eq!(once, closed);
    assert!(daily_total <= closed, "never more than the closed form");
    assert!(closed - daily_total <= 365, "within 1 base unit per claim");
}

#[tokio::test]
async fn an_underfunded_vault_pays_what_it_holds_and_the_rest_stays_owed() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, MILLION).await;
    bank.stake(&pool, &alice, MILLION).await.unwrap();
    bank.fund_rewards(&pool, 30_000_000_000).await.unwrap();

    bank.advance(YEAR).await;
    assert_eq!(bank.claim_amount(&pool, &alice).await, 30_000_000_000);
    assert_eq!(
        bank.owed_now(&pool, &alice).await,
        70_000_000_000,
        "the rest stays owed"
    );
    assert_eq!(
        bank.token_balance(pool.keys.vault).await,
        MILLION,
        "principal never pays rewards"
    );
    assert_eq!(bank.token_balance(pool.keys.reward_vault).await, 0);

    bank.fund_rewards(&pool, 70_000_000_000).await.unwrap();
    assert_eq!(bank.claim_amount(&pool, &alice).await, 70_000_000_000);
    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(position.total_claimed, 100_000_000_000);
    assert_eq!(bank.token_balance(pool.keys.vault).await, MILLION);
}

#[tokio::test]
async fn aggregate_liability_equals_the_sum_of_positions() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 1_000_000_000).await.unwrap();
    let users = [
        bank.new_user(&pool.mint, MILLION).await,
        bank.new_user(&pool.mint, MILLION).await,
        bank.new_user(&pool.mint, MILLION).await,
    ];
    let admin = pool.admin.insecure_clone();
    bank.stake(&pool, &users[0], 123_456_789).await.unwrap();
    bank.advance(17 * DAY + 5).await;
    bank.stake(&pool, &users[1], 987_654_321_000).await.unwrap();
    bank.advance(40 * DAY).await;
    bank.set_apr(&pool, &admin, 3_333).await.unwrap();
    bank.advance(3 * DAY + 7).await;
    bank.stake(&pool, &users[2], 5_000_000).await.unwrap();
    bank.claim(&pool, &users[0]).await.unwrap();
    bank.advance(100 * DAY + 11).await;
    bank.withdraw(&pool, &users[1], 1_000_000).await.unwrap();
    bank.advance(9 * DAY).await;

    let aggregate = bank.liability_now(&pool).await;
    let mut sum = staking_pool::rewards::Owed::ZERO;
    let state = bank.pool_state(&pool).await;
    let now = bank.now().await;
    let index = staking_pool::rewards::index_at(
        state.index_checkpoint.get(),
        state.checkpoint_ts,
        state.apr_bps,
        now,
    )
    .unwrap();
    for user in &users {
        let position = bank.position_state(&pool, user).await.unwrap();
        let earned = staking_pool::rewards::earned(
            position.staked_shares,
            position.index_snapshot.get(),
            index,
        )
        .unwrap();
        sum = sum
            .checked_add(position.owed())
            .and_then(|s| s.checked_add(earned))
            .unwrap();
    }
    assert_eq!(aggregate, sum);
    assert!(aggregate > staking_pool::rewards::Owed::ZERO);
}
