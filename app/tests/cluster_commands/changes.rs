//! Changes against depositors in a pool with a notice period: announced by the admin,
//! executed by anyone once their time has come.
use stakepool_tests::GENESIS_TS;

use super::harness::*;

/// A pool with a notice period: the admin commands announce what is against depositors and
/// apply the rest at once, `show pool` lists the announcement with its countdown, anyone
/// executes it when its time has come, and the admin can cancel one.
#[tokio::test]
async fn changes_against_depositors_are_announced_then_executed_by_anyone() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut crank = cluster.wallet(0).await;
    let pool = create_pool(
        &cluster,
        &mut admin,
        "1000",
        &[
            "--reserve-bps",
            "2000",
            "--unbonding-period",
            "3d",
            "--notice-period",
            "7d",
        ],
    )
    .await;
    // A rate as a percentage is the same as in basis points.
    let report = run(&mut admin, &["set-apr", "--pool", &pool, "5%"])
        .await
        .unwrap();
    assert!(
        report.text.contains("announced APR 1000 → 500 bps") && report.text.contains("in 7d"),
        "{}",
        report.text
    );
    // Reported as an announcement, in display and JSON alike: nothing was set yet.
    assert!(!report.text.contains("set the APR"), "{}", report.text);
    let done = report.json["done"].as_str().unwrap_or_default().to_string();
    assert!(
        done.starts_with("announced APR 1000 → 500 bps") && done.contains("stays 1000 bps"),
        "{}",
        report.json
    );
    let shown = run(&mut admin, &["show", "pool", &pool]).await.unwrap();
    assert_eq!(shown.json["apr_bps"], 1000, "not yet");
    assert_eq!(shown.json["pending_changes"][0]["kind"], "apr");
    assert_eq!(
        shown.json["pending_changes"][0]["executable_in_seconds"],
        7 * DAY
    );
    // Dates for people, RFC 3339 beside the unix seconds for machines.
    let at = GENESIS_TS + 7 * DAY;
    let date = stakepool_client::projection::format_utc(at);
    assert!(
        shown.text.contains(&format!(
            "ANNOUNCED       APR 1000 → 500 bps from {date} at the earliest (executable in 7d"
        )),
        "{}",
        shown.text
    );
    assert!(
        report.text.contains(&format!("from {date} (in 7d)")),
        "{}",
        report.text
    );
    assert_eq!(shown.json["pending_changes"][0]["executable_at"], at);
    assert_eq!(
        shown.json["pending_changes"][0]["executable_at_rfc3339"],
        stakepool_client::projection::format_rfc3339(at)
    );
    // The proposal as a field, not only prose.
    assert_eq!(shown.json["pending_changes"][0]["new_apr_bps"], 500);

    // A depositor sees it on their position, with the last moment to start leaving and be
    // out first: the unbonding period (3d) before it can apply.
    let mut alice = cluster.wallet(10_000_000).await;
    ok(&mut alice, &["deposit", "--pool", &pool, "10"]).await;
    let position = run(&mut alice, &["show", "position", "--pool", &pool])
        .await
        .unwrap();
    let leave_by = at - 3 * DAY;
    assert!(
        position.text.contains("ANNOUNCED       APR 1000 → 500 bps")
            && position.text.contains(&format!(
                "request-unbond by {} (in 4d)",
                stakepool_client::projection::format_utc(leave_by)
            )),
        "{}",
        position.text
    );
    assert_eq!(position.json["pending_changes"][0]["leave_by"], leave_by);
    let listed = ok(&mut alice, &["positions"]).await;
    assert_eq!(
        listed["positions"][0]["pending_changes"][0]["new_apr_bps"], 500,
        "{listed}"
    );
    cluster.advance(5 * DAY).await;
    let position = run(&mut alice, &["show", "position", "--pool", &pool])
        .await
        .unwrap();
    assert!(
        position
            .text
            .contains("too late to be fully out before it can apply: unbonding takes 3d"),
        "{}",
        position.text
    );

    // A cut of the reserve is announced, and said to be; nothing else changed.
    let report = run(
        &mut admin,
        &["set-params", "--pool", &pool, "--reserve-bps", "1000"],
    )
    .await
    .unwrap();
    let done = report.json["done"].as_str().unwrap_or_default().to_string();
    assert!(
        done.starts_with("announced reserve") && done.ends_with("nothing else changed"),
        "{}",
        report.json
    );
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(shown["pending_changes"].as_array().unwrap().len(), 2);
    ok(&mut admin, &["cancel-change", "--pool", &pool, "reserve"]).await;

    let error = one_line_error(&mut crank, &["execute-change", "--pool", &pool, "apr"]).await;
    assert!(error.contains("NoticeNotElapsed"), "{error}");
    cluster.advance(2 * DAY).await;
    ok(&mut crank, &["execute-change", "--pool", &pool, "apr"]).await;
    let shown = ok(&mut admin, &["show", "pool", &pool]).await;
    assert_eq!(shown["apr_bps"], 500);
    assert_eq!(shown["pending_changes"].as_array().unwrap().len(), 0);
    assert_eq!(shown["reserve_bps"], 2000);
}
