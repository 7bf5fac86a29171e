//! Economic attacks: ways to take more than the rate promises, or to take it from the wrong
//! place. Each is a named regression test (see tests/README.md for the StakeFlow-class list).
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::rewards::closed_form_reward;
use staking_pool::state::PoolLimits;

const TOKENS: u64 = 1_000_000_000;

/// Double claim: claiming, withdrawing everything and closing pays the rewards exactly once.
#[tokio::test]
async fn claim_withdraw_close_cannot_pay_rewards_twice() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    bank.advance(YEAR).await;
    let first = bank.claim_amount(&pool, &alice).await;
    assert_eq!(first, closed_form_reward(TOKENS, 1_000, YEAR).unwrap());
    bank.withdraw(&pool, &alice, TOKENS).await.unwrap();
    assert_eq!(
        bank.claim_amount(&pool, &alice).await,
        0,
        "nothing accrues twice"
    );
    bank.close_position(&pool, &alice).await.unwrap();
    // Reopening starts from nothing: the closed position's history is gone with it.
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    assert_eq!(bank.claim_amount(&pool, &alice).await, 0);
    assert_eq!(bank.token_balance(alice.token).await, first);
    assert_eq!(bank.pool_state(&pool).await.total_rewards_paid, first);
}

/// Many tiny claims: claiming every hour for a week pays no more than one claim at the end.
#[tokio::test]
async fn many_tiny_claims_never_earn_more_than_one() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            apr_bps: 5_000,
            ..PoolSetup::default()
        })
        .await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let hourly = bank.new_user(&pool.mint, 3_333_333).await;
    let once = bank.new_user(&pool.mint, 3_333_333).await;
    bank.stake(&pool, &hourly, 3_333_333).await.unwrap();
    bank.stake(&pool, &once, 3_333_333).await.unwrap();
    let mut total = 0;
    for _ in 0..(7 * 24) {
        bank.advance(3_600).await;
        total += bank.claim_amount(&pool, &hourly).await;
    }
    let single = bank.claim_amount(&pool, &once).await;
    assert!(total <= single, "hourly {total} > once {single}");
    assert!(single - total <= 1);
}

/// Dust positions: a one-unit stake earns its (rounded-down) share, never a rounded-up unit.
#[tokio::test]
async fn dust_positions_earn_nothing_they_are_not_owed() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let mut dust = Vec::new();
    for _ in 0..5 {
        let user = bank.new_user(&pool.mint, 1).await;
        bank.stake(&pool, &user, 1).await.unwrap();
        dust.push(user);
    }
    for _ in 0..10 {
        bank.advance(YEAR).await;
        for user in &dust {
            // 10 % of one unit a year: a unit only after ten years, never before.
            bank.claim(&pool, user).await.unwrap();
        }
    }
    for user in &dust {
        let claimed = bank
            .position_state(&pool, user)
            .await
            .unwrap()
            .total_claimed;
        assert_eq!(claimed, closed_form_reward(1, 1_000, 10 * YEAR).unwrap());
        assert!(claimed <= 1);
    }
}

/// Lending without a floor: with a 0 % reserve everything is lent, and every withdrawal is
/// still paid in full, recalled in the same instruction.
#[tokio::test]
async fn lending_everything_still_pays_every_withdrawal() {
    let mut bank = Bank::start().await;
    let mut pool = bank
        .create_pool(PoolSetup {
            limits: PoolLimits {
                reserve_bps: 0,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let users = [
        bank.new_user(&pool.mint, TOKENS).await,
        bank.new_user(&pool.mint, TOKENS).await,
    ];
    for user in &users {
        bank.stake(&pool, user, TOKENS).await.unwrap();
    }
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.token_balance(pool.keys.vault).await, 0, "nothing idle");
    for user in &users {
        bank.withdraw(&pool, user, TOKENS).await.unwrap();
        assert_eq!(bank.token_balance(user.token).await, TOKENS);
    }
    bank.assert_invariants(&pool, &[&users[0], &users[1]], Some(&market), &[])
        .await;
}

/// The admin's levers never move principal out of the pool: after every admin instruction the
/// vault plus lent principal still covers every depositor. (Choosing the lending market is the
/// admin's trust, see README "Trust assumptions".)
#[tokio::test]
async fn admin_instructions_never_move_principal_away() {
    let mut bank = Bank::start().await;
    let mut pool = bank.create_pool(PoolSetup::default()).await;
    let admin = pool.admin.insecure_clone();
    let market = bank.attach_market(&mut pool, 800).await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    let limits = PoolLimits {
        reserve_bps: 1_000,
        unbonding_period: DAY,
        min_deposit: 5,
        deposit_cap: 10 * TOKENS,
        notice_period: 0,
    };
    let mut steps: Vec<(&str, TxResult)> = Vec::new();
    steps.push(("set_params", bank.set_params(&pool, &admin, limits).await));
    steps.push(("rebalance", bank.rebalance(&pool).await));
    steps.push(("set_apr", bank.set_apr(&pool, &admin, 9_000).await));
    steps.push(("pause", bank.pause(&pool, &admin).await));
    steps.push(("recall_all", bank.recall_all(&pool, &admin).await));
    steps.push(("unpause", bank.unpause(&pool, &admin).await));
    let successor = bank.fresh_wallet().await;
    steps.push((
        "transfer_admin",
        bank.transfer_admin(&pool, &admin, &anchor_lang::prelude::Pubkey::default())
            .await,
    ));
    assert_staking_error(
        bank.accept_admin(&pool, &successor).await,
        StakingError::NoPendingAdmin,
    );
    for (name, result) in steps {
        result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let state = bank.pool_state(&pool).await;
        let vault = bank.token_balance(pool.keys.vault).await;
        assert!(
            vault + state.lent_principal >= state.total_staked(),
            "{name} moved principal"
        );
    }
    assert_eq!(
        bank.token_balance(pool.keys.vault).await,
        TOKENS,
        "all principal is home"
    );
    bank.assert_invariants(&pool, &[&alice], Some(&market), &[])
        .await;
}
