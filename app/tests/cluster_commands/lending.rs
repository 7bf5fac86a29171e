//! Commands on a pool that lends: the market's state in `show pool`, the lending accounts a
//! principal move carries, and a pool whose reward books run short.
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::client::StakeClient;
use stakepool_client::transport::{Transaction, Transport};
use stakepool_tests::cluster::doubles::LandsFirst;

use super::harness::*;

/// A market that promises more than it holds: `show pool` says so with the amount, and the
/// next `rebalance` takes the pool's principal home.
#[tokio::test]
async fn show_pool_reports_a_market_deficit_and_rebalance_leaves_the_market() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(100_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &["--reserve-bps", "2000"]).await;
    let market = init_market(&cluster, &mut admin).await;
    // The admin's own market: no --allow-foreign-market needed.
    ok(
        &mut admin,
        &["set-lending-market", "--pool", &pool, &market],
    )
    .await;
    ok(&mut admin, &["deposit", "--pool", &pool, "80.5"]).await;
    ok(&mut admin, &["rebalance", "--pool", &pool]).await;
    cluster.advance(365 * DAY).await;
    // Nobody funded the year's 8 %: a sound market pays principal and has no deficit.
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(raw(&shown, "market_deficit"), 0);

    ok(&mut admin, &["market", "unbacked", &market, "on"]).await;
    let report = run(&mut admin, &["show", "pool", &pool]).await.unwrap();
    // 64.4 lent, 8 % a year promised and not held.
    assert_eq!(raw(&report.json, "market_deficit"), 5_152_000);
    assert!(
        report.text.contains("MARKET DEFICIT  5.152"),
        "{}",
        report.text
    );
    ok(&mut admin, &["rebalance", "--pool", &pool]).await;
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!((raw(&shown, "lent"), raw(&shown, "idle")), (0, 80_500_000));
    ok(&mut admin, &["market", "unbacked", &market, "off"]).await;
}

/// The client leaves the lending accounts out of an instruction that moves principal while
/// nothing is lent (a third cheaper); when a rebalance lands first and lends, the program
/// refuses the lean one by name, changing nothing, and the client sends it again with them.
/// Once principal is lent, they go from the start (the program reads the market for a loss).
#[tokio::test]
async fn principal_moves_pass_the_lending_accounts_exactly_while_principal_is_lent() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &["--reserve-bps", "2000"]).await;
    let market = init_market(&cluster, &mut admin).await;
    ok(
        &mut admin,
        &["set-lending-market", "--pool", &pool, &market],
    )
    .await;
    let alice = Keypair::new();
    cluster.fund(&alice.pubkey(), 200_000_000).await;
    let racing = LandsFirst {
        inner: cluster.transport.clone(),
        first: Arc::new(Mutex::new(None)),
        forwarded: Arc::new(Mutex::new(Vec::new())),
    };
    let alice_client = StakeClient::new(racing.clone(), alice.insecure_clone());
    let pool_key: Pubkey = pool.parse().unwrap();
    let lends = |tx: &Transaction| {
        tx.message.account_keys.contains(&mock_lending::ID)
            || tx.message.account_keys.contains(&market.parse().unwrap())
    };

    // Nothing lent: the first deposit goes lean.
    alice_client
        .deposit(&pool_key, 100_000_000, None)
        .await
        .unwrap();
    assert!(!lends(&racing.forwarded.lock().unwrap()[0]));

    // Alice reads the pool (nothing lent) and sends 50 lean; a rebalance lands first and lends
    // 80: refused (`LendingAccountsMissing`), then sent again with the lending accounts.
    let ctx = alice_client.pool(&pool_key).await.unwrap();
    let blockhash = cluster.transport.latest_blockhash().await.unwrap();
    let cranker = Keypair::new();
    cluster.fund(&cranker.pubkey(), 0).await;
    let crank = Transaction::new_signed_with_payer(
        &[stakepool_client::instructions::rebalance(&ctx.keys)],
        Some(&cranker.pubkey()),
        &[&cranker],
        blockhash,
    );
    *racing.first.lock().unwrap() = Some(crank);
    alice_client
        .deposit(&pool_key, 50_000_000, None)
        .await
        .unwrap();
    let forwarded = racing.forwarded.lock().unwrap().clone();
    assert_eq!(forwarded.len(), 3, "deposit, lean deposit, full deposit");
    assert!(
        !lends(&forwarded[1]),
        "the second deposit was first sent lean"
    );
    assert!(
        lends(&forwarded[2]),
        "and then again with the lending accounts"
    );

    // Lent now: a withdrawal carries them from the start.
    let (_, received) = alice_client
        .withdraw(&pool_key, 10_000_000, None)
        .await
        .unwrap();
    assert_eq!(received, 10_000_000);
    let forwarded = racing.forwarded.lock().unwrap().clone();
    assert_eq!(forwarded.len(), 4);
    assert!(lends(&forwarded[3]));
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(raw(&shown, "total_staked"), 140_000_000);
}

/// A pool whose reward books cannot keep the promise is flagged before it bites: first when
/// they would run dry before a depositor who starts to leave now is out, then when they hold
/// less than is owed.
#[tokio::test]
async fn an_underfunded_pool_is_flagged() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(1_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &["--unbonding-period", "7d"]).await;
    // 100 at 10 % owe 10 a year; 0.1 of funding lasts 3.65 days, less than the 7 to leave.
    ok(&mut admin, &["fund-rewards", "--pool", &pool, "0.1"]).await;
    let mut alice = cluster.wallet(100_000_000).await;
    ok(&mut alice, &["deposit", "--pool", &pool, "100"]).await;
    let shown = run(&mut alice, &["show", "pool", &pool]).await.unwrap();
    assert!(
        shown
            .text
            .contains("UNDERFUNDED: the reward vault runs dry in 3d 15h")
            && shown
                .text
                .contains("before a depositor who starts to leave now is out (7d)"),
        "{}",
        shown.text
    );
    let position = run(&mut alice, &["show", "position", "--pool", &pool])
        .await
        .unwrap();
    assert!(position.text.contains("UNDERFUNDED"), "{}", position.text);
    assert!(position.json["underfunded"].is_string());
    cluster.advance(5 * DAY).await;
    let shown = ok(&mut alice, &["show", "pool", &pool]).await;
    assert!(
        shown["underfunded"].as_str().is_some_and(
            |w| w.starts_with("UNDERFUNDED: the reward vault holds less than is owed now")
        ),
        "{shown}"
    );
    // Funded for years: no flag.
    ok(&mut admin, &["fund-rewards", "--pool", &pool, "0.9"]).await;
    let mut funder = cluster.wallet(100_000_000).await;
    ok(&mut funder, &["fund-rewards", "--pool", &pool, "50"]).await;
    let shown = ok(&mut alice, &["show", "pool", &pool]).await;
    assert!(shown["underfunded"].is_null(), "{shown}");
}
