//! A staker's amounts: ALL, and a request that would push an unlock back.
use stakepool_tests::GENESIS_TS;

use super::harness::*;

/// `ALL` moves exactly what the program allows now, for each command that takes it.
#[tokio::test]
async fn all_as_an_amount_moves_everything_available() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(30_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "ALL"]).await;
    assert_eq!(raw(&deposited, "amount"), 30_000_000);
    // Signed now and completed later, the amount must be the same both times: not ALL.
    let error = one_line_error(
        &mut alice,
        &["withdraw", "--pool", &pool, "ALL", "--sign-only"],
    )
    .await;
    assert!(
        error.contains("cannot be signed for later") && error.contains("30000000"),
        "{error}"
    );
    alice.sign_only = false;
    assert!(
        one_line_error(&mut alice, &["deposit", "--pool", &pool, "all"])
            .await
            .contains("ALL is nothing here")
    );
    cluster.advance(DAY).await;
    let withdrawn = ok(&mut alice, &["withdraw", "--pool", &pool, "ALL"]).await;
    assert_eq!(raw(&withdrawn, "amount"), 30_000_000);
    assert_eq!(raw(&withdrawn, "received"), 30_000_000);
    // fund-rewards ALL: everything the paying account holds goes to the reward vault.
    let mut funder = cluster.wallet(7_000_000).await;
    let funded = ok(&mut funder, &["fund-rewards", "--pool", &pool, "ALL"]).await;
    assert_eq!(raw(&funded, "amount"), 7_000_000);
    assert!(
        one_line_error(&mut funder, &["fund-rewards", "--pool", &pool, "ALL"])
            .await
            .contains("holds nothing to fund rewards with")
    );

    // With an unbonding period: ALL unbonds what is staked, and withdraws only once unlocked.
    let mut bob = cluster.wallet(20_000_000).await;
    let slow = create_pool(
        &cluster,
        &mut admin,
        "1000",
        &["--pool-id", "1", "--unbonding-period", "1d"],
    )
    .await;
    ok(&mut bob, &["deposit", "--pool", &slow, "20"]).await;
    let error = one_line_error(&mut bob, &["withdraw", "--pool", &slow, "ALL"]).await;
    assert!(error.contains("request-unbond"), "{error}");
    let unbonding = ok(&mut bob, &["request-unbond", "--pool", &slow, "ALL"]).await;
    assert_eq!(raw(&unbonding, "amount"), 20_000_000);
    // What is unbonding, and when it unlocks: the request has been made.
    let error = one_line_error(&mut bob, &["withdraw", "--pool", &slow, "ALL"]).await;
    assert!(
        error.contains("nothing is withdrawable yet: 20 is unbonding and unlocks ")
            && error.contains(" UTC (in 1d); withdraw it then")
            && !error.contains("request-unbond"),
        "{error}"
    );
    cluster.advance(DAY).await;
    let withdrawn = ok(&mut bob, &["withdraw", "--pool", &slow, "ALL"]).await;
    assert_eq!(raw(&withdrawn, "amount"), 20_000_000);

    // The market: ALL is what the receipt is worth at the rate the market pays (with no
    // interest funded, its assets per share), rounded down.
    let mut carol = cluster.wallet(10_000_000).await;
    let market = init_market(&cluster, &mut admin).await;
    ok(&mut carol, &["market", "deposit", &market, "10"]).await;
    cluster.advance(30 * DAY).await;
    let taken = ok(&mut carol, &["market", "withdraw", &market, "ALL"]).await;
    assert!(
        (9_999_999..=10_000_000).contains(&raw(&taken, "amount")),
        "{taken}"
    );
}

/// A second unbonding request would push the first one's unlock back a full period: refused
/// with both dates, unless the user says `--restart-timer`.
#[tokio::test]
async fn a_request_that_would_push_an_unlock_back_asks_first() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &["--unbonding-period", "2d"]).await;
    let mut bob = cluster.wallet(20_000_000).await;
    ok(&mut bob, &["deposit", "--pool", &pool, "20"]).await;
    ok(&mut bob, &["request-unbond", "--pool", &pool, "5"]).await;
    cluster.advance(DAY).await;
    let error = one_line_error(&mut bob, &["request-unbond", "--pool", &pool, "5"]).await;
    assert!(
        error.contains("5 is already unbonding and unlocks ")
            && error.contains(" UTC (in 1d); a new request restarts the timer for all of it, to ")
            && error.contains("pass --restart-timer to go ahead"),
        "{error}"
    );
    let shown = ok(&mut bob, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&shown, "unbonding"), 5_000_000, "nothing changed");
    let again = ["request-unbond", "--pool", &pool, "5", "--restart-timer"];
    ok(&mut bob, &again).await;
    let shown = ok(&mut bob, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&shown, "unbonding"), 10_000_000);
    assert_eq!(shown["unlock_ts"], GENESIS_TS + 3 * DAY);
    assert_eq!(
        shown["unlock_at"],
        stakepool_client::projection::format_rfc3339(GENESIS_TS + 3 * DAY)
    );
}
