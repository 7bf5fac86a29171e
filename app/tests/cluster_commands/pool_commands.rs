//! The pool's commands in the order a pool lives them: created, funded, staked in and claimed
//! from; lending chosen by the admin and cranked by anyone; the admin's levers; unbonding,
//! leaving and closing.
use anchor_lang::prelude::Pubkey;
use stakepool_client::client::StakeClient;
use stakepool_tests::cluster::ClusterTransport;

use super::harness::*;

/// A cluster with a 10 % pool (reserve 20 %, minimum deposit 0.5, `extra` flags), 1,000 of
/// rewards funded by the operator, and Alice, who holds 100 and has deposited 80.5.
struct Funded {
    cluster: Cluster,
    admin: StakeClient<ClusterTransport>,
    alice: StakeClient<ClusterTransport>,
    operator: StakeClient<ClusterTransport>,
    pool: String,
    pool_key: Pubkey,
}

async fn funded_pool(extra: &[&str]) -> Funded {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(100_000_000).await;
    let mut flags = vec!["--reserve-bps", "2000", "--min-deposit", "0.5"];
    flags.extend_from_slice(extra);
    let pool = create_pool(&cluster, &mut admin, "1000", &flags).await;
    // Anyone funds rewards; here the operator.
    let mut operator = StakeClient::new(
        cluster.transport.clone(),
        cluster.operator_key.insecure_clone(),
    );
    ok(&mut operator, &["fund-rewards", "--pool", &pool, "1000"]).await;
    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "80.5"]).await;
    assert_eq!(raw(&deposited, "amount"), 80_500_000);
    Funded {
        pool_key: pool.parse().unwrap(),
        cluster,
        admin,
        alice,
        operator,
        pool,
    }
}

#[tokio::test]
async fn a_pool_is_created_funded_staked_in_and_pays_its_rewards() {
    let Funded {
        mut cluster,
        mut admin,
        mut alice,
        pool,
        pool_key,
        ..
    } = funded_pool(&[]).await;
    // The same id again is refused by name (not as the System program's 0x0), and changes
    // nothing.
    let mint = cluster.mint.to_string();
    let again = one_line_error(
        &mut admin,
        &["create-pool", "--mint", &mint, "--apr-bps", "500"],
    )
    .await;
    assert!(
        again.contains("pool id 0 is taken") && again.contains(&pool),
        "{again}"
    );
    assert!(again.contains("--pool-id"), "{again}");
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(shown["apr_bps"], 1000);
    assert_eq!(shown["admin"], admin.me().to_string());
    assert_eq!(raw(&shown, "reward_balance"), 1_000_000_000);
    let position = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&position, "staked"), 80_500_000);

    cluster.advance(365 * DAY).await;
    let position = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&position, "owed"), 8_050_000, "a year at 10 % of 80.5");
    // Each figure says how it rounds and what it counts.
    let shown = run(&mut alice, &["show", "position", "--pool", &pool])
        .await
        .unwrap();
    assert!(
        shown
            .text
            .contains("owed now    8.05 (whole units, as a claim pays; claimable now 8.05)")
            && shown.text.contains("(paid out and compounded)"),
        "{}",
        shown.text
    );
    let shown = run(&mut alice, &["show", "pool", &pool]).await.unwrap();
    assert!(
        shown.text.contains("owed now (each fraction rounded up)")
            && shown.text.contains("(claimed and compounded)"),
        "{}",
        shown.text
    );
    let claimed = ok(&mut alice, &["claim", "--pool", &pool]).await;
    assert_eq!(raw(&claimed, "amount"), 8_050_000);
    let me = alice.my_token_account(&alice.pool(&pool_key).await.unwrap());
    assert_eq!(
        alice.token_balance(&me).await.unwrap(),
        Some(100_000_000 - 80_500_000 + 8_050_000)
    );
}

#[tokio::test]
async fn lending_is_chosen_by_the_admin_and_cranked_by_anyone() {
    let Funded {
        mut cluster,
        mut admin,
        mut alice,
        mut operator,
        pool,
        ..
    } = funded_pool(&[]).await;
    let mut cranker = cluster.wallet(0).await;
    let market = init_market(&cluster, &mut operator).await;
    // The operator's market, not the admin's: refused unless the admin says they trust it.
    let error = one_line_error(
        &mut admin,
        &["set-lending-market", "--pool", &pool, &market],
    )
    .await;
    assert!(
        error.contains("not by this pool's admin") && error.contains("--allow-foreign-market"),
        "{error}"
    );
    ok(
        &mut admin,
        &[
            "set-lending-market",
            "--pool",
            &pool,
            &market,
            "--allow-foreign-market",
        ],
    )
    .await;
    ok(&mut cranker, &["rebalance", "--pool", &pool]).await;
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(
        (raw(&shown, "idle"), raw(&shown, "lent")),
        (16_100_000, 64_400_000)
    );
    ok(&mut operator, &["market", "fund-interest", &market, "100"]).await;
    cluster.advance(365 * DAY).await;
    let before = raw(&shown, "reward_balance");
    ok(&mut cranker, &["harvest", "--pool", &pool]).await;
    let after = raw(
        &ok(&mut admin, &["show", "pool", &pool]).await,
        "reward_balance",
    );
    assert!(
        (after - before).abs_diff(5_152_000) <= 1,
        "8 % of 64.4 lent: {}",
        after - before
    );
    ok(&mut operator, &["market", "borrow", &market, "50"]).await;
    ok(&mut operator, &["market", "repay", &market, "50"]).await;
    ok(&mut operator, &["market", "deposit", &market, "10"]).await;
    ok(&mut operator, &["market", "withdraw", &market, "5"]).await;

    // Withdrawing more than is idle recalls the rest in the same transaction.
    ok(&mut alice, &["withdraw", "--pool", &pool, "50"]).await;
    assert_eq!(
        raw(
            &ok(&mut alice, &["show", "position", "--pool", &pool]).await,
            "staked"
        ),
        30_500_000
    );
    let before = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    ok(&mut alice, &["compound", "--pool", &pool]).await;
    let after = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    assert_eq!(
        raw(&after, "staked"),
        raw(&before, "staked") + raw(&before, "owed"),
        "owed rewards became principal"
    );
    assert_eq!(raw(&after, "owed"), 0);
    ok(&mut admin, &["recall-all", "--pool", &pool]).await;
    assert_eq!(
        raw(&ok(&mut admin, &["show", "pool", &pool]).await, "lent"),
        0
    );
}

#[tokio::test]
async fn the_admin_levers_change_the_pool_and_pass_to_a_successor() {
    let Funded {
        cluster,
        mut admin,
        pool,
        pool_key,
        ..
    } = funded_pool(&[]).await;
    ok(&mut admin, &["set-apr", "--pool", &pool, "1500"]).await;
    ok(
        &mut admin,
        &[
            "set-params",
            "--pool",
            &pool,
            "--unbonding-period",
            "7d",
            "--deposit-cap",
            "1000",
        ],
    )
    .await;
    let state = admin.pool(&pool_key).await.unwrap().pool;
    assert_eq!(
        (
            state.apr_bps,
            state.limits.unbonding_period,
            state.limits.deposit_cap
        ),
        (1500, 7 * DAY, 1_000_000_000)
    );
    assert_eq!(
        state.limits.reserve_bps, 2000,
        "what was left out stays as it was"
    );
    ok(&mut admin, &["pause", "--pool", &pool]).await;
    assert!(admin.pool(&pool_key).await.unwrap().pool.is_paused());
    ok(&mut admin, &["unpause", "--pool", &pool]).await;
    assert!(!admin.pool(&pool_key).await.unwrap().pool.is_paused());
    let mut successor = cluster.wallet(0).await;
    ok(
        &mut admin,
        &[
            "transfer-admin",
            "--pool",
            &pool,
            &successor.me().to_string(),
        ],
    )
    .await;
    ok(&mut successor, &["accept-admin", "--pool", &pool]).await;
    assert_eq!(
        admin.pool(&pool_key).await.unwrap().pool.admin,
        successor.me()
    );
}

#[tokio::test]
async fn a_staker_unbonds_leaves_and_closes_for_rent() {
    let Funded {
        mut cluster,
        mut alice,
        pool,
        pool_key,
        ..
    } = funded_pool(&["--unbonding-period", "7d"]).await;
    cluster.advance(30 * DAY).await;
    let staked = raw(
        &ok(&mut alice, &["show", "position", "--pool", &pool]).await,
        "staked",
    );
    let staked_ui = stakepool_client::amount::format_ui_amount(staked, DECIMALS);
    ok(&mut alice, &["request-unbond", "--pool", &pool, &staked_ui]).await;
    assert_eq!(
        raw(
            &ok(&mut alice, &["show", "position", "--pool", &pool]).await,
            "unbonding"
        ),
        staked
    );
    cluster.advance(7 * DAY).await;
    ok(&mut alice, &["withdraw", "--pool", &pool, &staked_ui]).await;
    let claimed = ok(&mut alice, &["claim", "--pool", &pool]).await;
    assert!(raw(&claimed, "amount") > 0, "30 days of rewards on 80.5");
    ok(&mut alice, &["close-position", "--pool", &pool]).await;
    assert!(alice
        .position(&alice.pool(&pool_key).await.unwrap(), &alice.me())
        .await
        .unwrap()
        .is_none());
    let me = alice.my_token_account(&alice.pool(&pool_key).await.unwrap());
    assert_eq!(
        alice.token_balance(&me).await.unwrap(),
        Some(100_000_000 + raw(&claimed, "amount")),
        "all principal back, and the rewards"
    );
}
