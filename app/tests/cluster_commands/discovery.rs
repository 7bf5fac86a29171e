//! Finding pools and positions, and an owner's history.
use anchor_lang::prelude::Pubkey;
use clap::Parser;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool::cli::{execute, Cli};
use stakepool_client::client::StakeClient;
use stakepool_client::token_setup;
use stakepool_tests::cluster::doubles::WithUnreadable;
use stakepool_tests::cluster::EVENTS_IN_LOGS;

use super::harness::*;

/// `pools` and `positions` find what exists by `getProgramAccounts`: every pool, those of a
/// mint or an admin, and every position of an owner, with principal and owed now.
#[tokio::test]
async fn pools_and_positions_are_discovered_by_mint_admin_and_owner() {
    let mut cluster = Cluster::start().await;
    let (mut ann, mut ben) = (cluster.wallet(0).await, cluster.wallet(0).await);
    let first = create_pool(&cluster, &mut ann, "1000", &[]).await;
    let second = create_pool(&cluster, &mut ann, "500", &["--pool-id", "1"]).await;
    let bens = create_pool(&cluster, &mut ben, "800", &[]).await;
    // A pool of another mint.
    let other_mint = Keypair::new();
    let me = cluster.operator.me();
    let create = token_setup::create_mint(
        &me,
        &other_mint.pubkey(),
        &me,
        DECIMALS,
        &anchor_spl::token::ID,
        10_000_000,
    );
    cluster
        .operator
        .send_signed(&create, &[&other_mint], vec![])
        .await
        .unwrap();
    let other_mint = other_mint.pubkey().to_string();
    let foreign = ok(
        &mut ben,
        &["create-pool", "--mint", &other_mint, "--apr-bps", "100"],
    )
    .await["pool"]
        .as_str()
        .unwrap()
        .to_string();

    let listed = |json: &Value| -> Vec<String> {
        let mut pools: Vec<String> = json["pools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pool"].as_str().unwrap().to_string())
            .collect();
        pools.sort();
        pools
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    let everyone = cluster.wallet(0).await;
    let mut reader = everyone;
    assert_eq!(
        listed(&ok(&mut reader, &["pools"]).await),
        sorted(vec![&first, &second, &bens, &foreign])
    );
    let ann_key = ann.me().to_string();
    assert_eq!(
        listed(&ok(&mut reader, &["pools", "--admin", &ann_key]).await),
        sorted(vec![&first, &second])
    );
    let mint = cluster.mint.to_string();
    let ben_key = ben.me().to_string();
    assert_eq!(
        listed(
            &ok(
                &mut reader,
                &["pools", "--mint", &mint, "--admin", &ben_key]
            )
            .await
        ),
        vec![bens.clone()]
    );
    assert_eq!(
        listed(&ok(&mut reader, &["pools", "--mint", &other_mint]).await),
        vec![foreign.clone()]
    );

    // Carol in two pools, Dave in one: each sees only their own, owed projected to now.
    let mut carol = cluster.wallet(100_000_000).await;
    let mut dave = cluster.wallet(100_000_000).await;
    ok(&mut carol, &["deposit", "--pool", &first, "10"]).await;
    ok(&mut carol, &["deposit", "--pool", &bens, "20"]).await;
    ok(&mut dave, &["deposit", "--pool", &first, "30"]).await;
    cluster.advance(365 * DAY).await;
    let carol_key = carol.me().to_string();
    let mine = ok(&mut reader, &["positions", &carol_key]).await;
    let rows = mine["positions"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{mine}");
    let row = |pool: &str| rows.iter().find(|r| r["pool"] == pool).unwrap().clone();
    assert_eq!(raw(&row(&first), "principal"), 10_000_000);
    assert_eq!(raw(&row(&first), "owed"), 1_000_000, "a year at 10 % of 10");
    assert_eq!(raw(&row(&bens), "principal"), 20_000_000);
    assert_eq!(raw(&row(&bens), "owed"), 1_600_000, "a year at 8 % of 20");
    // Without OWNER: the signer's own.
    let own = ok(&mut dave, &["positions"]).await;
    assert_eq!(own["positions"].as_array().unwrap().len(), 1);
    assert_eq!(raw(&own["positions"][0], "principal"), 30_000_000);
    assert!(ok(&mut reader, &["positions"]).await["positions"]
        .as_array()
        .unwrap()
        .is_empty());
}

/// `pools` lists what it can read and skips, counts and names an account it cannot, instead
/// of failing as a whole.
#[tokio::test]
async fn pools_skips_an_account_it_cannot_read_and_says_so() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let unreadable = Pubkey::new_unique();
    let transport = WithUnreadable {
        inner: cluster.transport.clone(),
        unreadable,
    };
    let reader = StakeClient::new(transport, Keypair::new());
    let cli = Cli::try_parse_from(["stakepool", "pools"]).unwrap();
    let report = execute(cli.command, &reader).await.unwrap();
    let pools = report.json["pools"].as_array().unwrap();
    assert_eq!(pools.len(), 1);
    assert_eq!(pools[0]["pool"], pool);
    let skipped = report.json["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["account"], unreadable.to_string());
    assert!(
        report.text.starts_with("1 pool(s)")
            && report.text.contains(
                "skipped 1 account(s) of the program that do not read as a pool of this version:"
            )
            && report.text.contains(&unreadable.to_string()),
        "{}",
        report.text
    );
}

#[tokio::test]
async fn history_lists_what_an_owner_did_and_outlives_the_position() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(1_000_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    ok(&mut admin, &["fund-rewards", "--pool", &pool, "100"]).await;
    let mut alice = cluster.wallet(100_000_000).await;
    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "100"]).await;
    assert_eq!(
        deposited["decimals"], DECIMALS,
        "amounts come with their decimals"
    );
    cluster.advance(365 * DAY).await;
    let claimed = raw(&ok(&mut alice, &["claim", "--pool", &pool]).await, "amount");
    assert!(claimed > 0);
    ok(&mut alice, &["withdraw", "--pool", &pool, "ALL"]).await;
    ok(&mut alice, &["close-position", "--pool", &pool]).await;

    let owner = alice.me().to_string();
    // Read by anyone, without the owner's keypair, after the position is gone.
    let mut reader = cluster.wallet(0).await;
    let by_pool = run(&mut reader, &["history", &owner, "--pool", &pool])
        .await
        .unwrap();
    let by_owner = run(&mut reader, &["history", &owner]).await.unwrap();
    let entries = by_pool.json["entries"].as_array().unwrap().clone();
    assert_eq!(
        by_pool.json["transactions"], 4,
        "deposit, claim, withdraw, close"
    );
    if !EVENTS_IN_LOGS {
        // No events in these logs: each transaction is an entry that says so, none dropped.
        assert_eq!(entries.len(), 4, "{entries:?}");
        for entry in &entries {
            assert_eq!(entry["kind"], "unreadable", "{entry}");
            assert!(entry["reason"]
                .as_str()
                .unwrap()
                .contains("hold none of its events"));
        }
        assert!(by_pool.text.contains("UNREADABLE"), "{}", by_pool.text);
        return;
    }
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["open", "deposit", "claim", "withdraw", "close"]);
    assert_eq!(raw(&entries[1], "amount"), 100_000_000);
    assert_eq!(raw(&entries[2], "amount"), claimed);
    assert_eq!(raw(&entries[3], "amount"), 100_000_000);
    assert_eq!(raw(&entries[3], "received"), 100_000_000);
    for entry in &entries {
        assert_eq!(entry["decimals"], DECIMALS, "{entry}");
        assert!(entry["time_rfc3339"].as_str().unwrap().ends_with('Z'));
    }
    // What was claimed in total survives the close.
    let totals = &by_pool.json["totals"][0];
    assert_eq!(raw(totals, "claimed"), claimed);
    assert_eq!(raw(totals, "deposited"), 100_000_000);
    assert_eq!(raw(totals, "withdrawn"), 100_000_000);
    assert!(
        by_pool.text.contains(&format!(
            "claimed {} (paid out)",
            stakepool_client::amount::format_ui_amount_grouped(claimed, DECIMALS)
        )),
        "{}",
        by_pool.text
    );
    // The owner's own transactions give the same entries, each naming its pool.
    assert_eq!(
        by_owner.json["entries"].as_array().unwrap().len(),
        entries.len()
    );
    assert_eq!(by_owner.json["entries"][2]["pool"], pool.as_str());
    // CSV: a header and one row per entry, amounts in tokens and base units.
    let csv = by_pool.csv.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "time_utc,unix_time,signature,slot,pool,kind,amount,amount_raw,decimals,detail"
    );
    assert_eq!(rows.len(), 1 + entries.len());
    // Row 0 is the header: the claim (entry 2) is row 3.
    assert!(
        rows[3].contains(&format!(
            ",claim,{},{claimed},6,",
            stakepool_client::amount::format_ui_amount(claimed, DECIMALS)
        )),
        "{}",
        rows[3]
    );
}
