//! A lending-heavy story: several users, rebalances, harvests, withdrawals, an APR change and
//! an illiquid period. Every invariant of docs/invariants.md is checked after every step, including
//! "no token created or destroyed" over every token account of the mint.
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

const UNIT: u64 = 1_000_000; // 1.000000

#[tokio::test]
async fn a_year_of_lending_keeps_every_invariant() {
    let mut bank = Bank::start().await;
    let mut pool = bank
        .create_pool(PoolSetup {
            apr_bps: 1_200,
            limits: PoolLimits {
                reserve_bps: 1_500,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 900).await;
    let admin = pool.admin.insecure_clone();
    let mut users = Vec::new();
    for _ in 0..5 {
        users.push(bank.new_user(&pool.mint, 100_000 * UNIT).await);
    }
    // Someone else uses the market too, and a donor sends tokens where they should not.
    let outsider = bank
        .new_market_user(&market, &pool.mint, 50_000 * UNIT)
        .await;
    let donor = bank.new_user(&pool.mint, 1_000 * UNIT).await;
    let holders = [outsider.token, donor.token];
    let mut checks = 0;

    macro_rules! step {
        ($label:expr, $action:expr) => {{
            $action;
            let refs: Vec<&User> = users.iter().collect();
            checks += bank
                .assert_invariants(&pool, &refs, Some(&market), &holders)
                .await;
            let _ = $label;
        }};
    }

    step!(
        "fund",
        bank.fund_rewards(&pool, 20_000 * UNIT).await.unwrap()
    );
    step!(
        "interest backing",
        bank.market_fund_interest(&market, 20_000 * UNIT)
            .await
            .unwrap()
    );
    for (i, user) in users.iter().enumerate() {
        let amount = (i as u64 + 1) * 10_000 * UNIT + 123_457;
        step!("stake", bank.stake(&pool, user, amount).await.unwrap());
        bank.advance(3 * DAY + i as i64 * 3_607).await;
    }
    let outsider_deposit = stakepool_client::lending_instructions::deposit(
        &market.keys,
        &outsider.key(),
        &outsider.token,
        30_000 * UNIT,
    );
    step!(
        "outsider deposits",
        bank.send(&[outsider_deposit], &[&outsider.wallet])
            .await
            .unwrap()
    );
    step!("rebalance", bank.rebalance(&pool).await.unwrap());

    for month in 0..12 {
        bank.advance(30 * DAY + 17).await;
        let user = &users[month % users.len()];
        step!("harvest", bank.harvest(&pool).await.unwrap());
        step!("claim", bank.claim(&pool, user).await.unwrap());
        let position = bank.position_state(&pool, user).await.unwrap();
        if position.staked_shares > 5_000 * UNIT {
            step!(
                "withdraw",
                bank.withdraw(&pool, user, 4_321 * UNIT + month as u64)
                    .await
                    .unwrap()
            );
        }
        if month == 3 {
            step!(
                "apr change",
                bank.set_apr(&pool, &admin, 700).await.unwrap()
            );
        }
        if month == 5 {
            step!(
                "donation",
                bank.transfer_tokens(
                    &pool.mint,
                    &donor.token,
                    &donor.wallet,
                    &pool.keys.vault,
                    777 * UNIT
                )
                .await
            );
            // The market lends most of its liquidity out: a large withdrawal cannot be paid.
            let liquidity = bank.token_balance(market.keys.liquidity_vault).await;
            step!(
                "illiquid",
                bank.market_borrow(&market, liquidity - 10 * UNIT)
                    .await
                    .unwrap()
            );
            let big = &users[4];
            let staked = bank.position_state(&pool, big).await.unwrap().staked_shares;
            assert_staking_error(
                bank.withdraw(&pool, big, staked).await,
                StakingError::LendingIlliquid,
            );
            step!("harvest while illiquid", bank.harvest(&pool).await.unwrap());
        }
        if month == 7 {
            let loans = bank.market_state(&market).await.outstanding_loans;
            step!("repaid", bank.market_repay(&market, loans).await.unwrap());
        }
        if month % 2 == 1 {
            step!(
                "deposit",
                bank.deposit(&pool, &users[(month + 1) % users.len()], 2_000 * UNIT)
                    .await
                    .unwrap()
            );
        }
        step!("rebalance", bank.rebalance(&pool).await.unwrap());
    }

    // Everyone leaves: all principal and all owed rewards come back.
    step!("recall all", bank.recall_all(&pool, &admin).await.unwrap());
    for user in &users {
        let principal = bank
            .position_state(&pool, user)
            .await
            .unwrap()
            .staked_shares;
        step!("exit", bank.withdraw(&pool, user, principal).await.unwrap());
        step!("final claim", bank.claim(&pool, user).await.unwrap());
        assert_eq!(bank.owed_now(&pool, user).await, 0);
    }
    let state = bank.pool_state(&pool).await;
    assert_eq!((state.total_staked(), state.lent_principal), (0, 0));
    assert!(state.total_interest_harvested > 0);
    // The donation is all that is left in the vault.
    assert_eq!(bank.token_balance(pool.keys.vault).await, 777 * UNIT);
    println!("lending scenario: {checks} invariant checks, 0 tokens unaccounted for");
}
