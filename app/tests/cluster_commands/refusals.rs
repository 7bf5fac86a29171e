//! Refusals a user can hit: one line each, naming the cause and what to do next.
use anchor_lang::prelude::Pubkey;
use clap::Parser;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool::cli::{execute, Cli};
use stakepool_client::client::StakeClient;
use stakepool_client::token_setup;

use super::harness::*;

#[tokio::test]
async fn errors_a_user_can_hit_say_what_to_do_in_one_line() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(10_000_000).await;
    let missing = Pubkey::new_unique().to_string();
    let error = one_line_error(&mut alice, &["deposit", "--pool", &missing, "1"]).await;
    assert!(
        error.contains("no pool at") && error.contains("stakepool create-pool"),
        "{error}"
    );

    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "10.000001"]).await;
    assert!(
        error.contains("holds 10, this needs 10.000001: top it up or use a smaller amount"),
        "{error}"
    );
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "1.0000001"]).await;
    assert!(error.contains("has more than 6 decimals"), "{error}");
    let error = one_line_error(&mut alice, &["claim", "--pool", &pool]).await;
    assert!(
        error.contains("has no position") && error.contains("stakepool deposit"),
        "{error}"
    );

    ok(&mut alice, &["deposit", "--pool", &pool, "10"]).await;
    ok(&mut admin, &["pause", "--pool", &pool]).await;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "1"]).await;
    assert!(
        error.contains("is paused") && error.contains("withdraw and claim still work"),
        "{error}"
    );

    // Owed more than the reward vault holds: the claim pays what is there and says the rest
    // stays owed.
    let mut funder = StakeClient::new(
        cluster.transport.clone(),
        cluster.operator_key.insecure_clone(),
    );
    ok(&mut funder, &["fund-rewards", "--pool", &pool, "0.4"]).await;
    cluster.advance(365 * 86_400).await;
    let report = run(&mut alice, &["claim", "--pool", &pool]).await.unwrap();
    assert!(
        report
            .text
            .contains("Note: reward vault holds 0.4, you are owed 1: 0.6 stays owed"),
        "{}",
        report.text
    );
    let shown = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&shown, "owed"), 600_000);

    // A refusal by the program reads as its error's name and message.
    let error = one_line_error(&mut alice, &["set-apr", "--pool", &pool, "100"]).await;
    assert!(error.contains("Unauthorized"), "{error}");
    let error = one_line_error(&mut alice, &["rebalance", "--pool", &pool]).await;
    assert!(
        error.contains("has no lending market") && error.contains("set-lending-market"),
        "{error}"
    );
}

/// A user's Token-2022 account with CPI Guard on, or requiring memos on transfers in, is
/// refused by Token-2022 inside the pool's transfer; the line names the account, the cause and
/// the fix.
#[tokio::test]
async fn token_2022_cpi_guard_and_required_memos_are_named_with_their_fix() {
    use stakepool_tests::tokens::{AccountExtension, TOKEN_2022};
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(0).await;
    let me = cluster.operator.me();
    let mint = Keypair::new();
    let create =
        token_setup::create_mint(&me, &mint.pubkey(), &me, DECIMALS, &TOKEN_2022, 10_000_000);
    cluster
        .operator
        .send_signed(&create, &[&mint], vec![])
        .await
        .unwrap();
    let mint_arg = mint.pubkey().to_string();
    let pool = ok(
        &mut admin,
        &["create-pool", "--mint", &mint_arg, "--apr-bps", "1000"],
    )
    .await["pool"]
        .as_str()
        .unwrap()
        .to_string();
    // One token account of alice's with each extension, holding 5 tokens.
    let mut accounts = Vec::new();
    for extension in [AccountExtension::CpiGuard, AccountExtension::MemoTransfer] {
        let account = Keypair::new();
        let create = extension.create_account(
            &alice.me(),
            &account.pubkey(),
            &mint.pubkey(),
            &alice.me(),
            10_000_000,
        );
        alice
            .send_signed(&create, &[&account], vec![])
            .await
            .unwrap();
        let mint_to = token_setup::mint_to(
            &mint.pubkey(),
            &account.pubkey(),
            &me,
            5_000_000,
            DECIMALS,
            &TOKEN_2022,
        );
        cluster.operator.send(&[mint_to], vec![]).await.unwrap();
        accounts.push(account.pubkey().to_string());
    }
    let (guarded, memos) = (&accounts[0], &accounts[1]);

    let error = one_line_error(
        &mut alice,
        &["deposit", "--pool", &pool, "1", "--from", guarded],
    )
    .await;
    assert!(
        error.starts_with(&format!(
            "your token account {guarded} has CPI Guard enabled"
        )),
        "{error}"
    );
    assert!(
        error.contains("the pool moves your tokens by cross-program invocation")
            && error.contains(&format!("`spl-token disable-cpi-guard {guarded}`"))
            && error.contains("another token account (`--from`)"),
        "{error}"
    );

    // Memos are required of transfers in only: the deposit from that account goes through,
    // the withdrawal back into it does not.
    ok(
        &mut alice,
        &["deposit", "--pool", &pool, "1", "--from", memos],
    )
    .await;
    let error = one_line_error(
        &mut alice,
        &["withdraw", "--pool", &pool, "1", "--to", memos],
    )
    .await;
    assert!(
        error.starts_with(&format!(
            "the destination {memos} requires a memo on incoming transfers"
        )),
        "{error}"
    );
    assert!(
        error.contains("another token account (`--to`)")
            && error.contains(&format!(
                "`spl-token disable-required-transfer-memos {memos}`"
            )),
        "{error}"
    );
    let position = ok(&mut alice, &["show", "position", "--pool", &pool]).await;
    assert_eq!(raw(&position, "staked"), 1_000_000, "{position}");
}

/// `-v` prints the program logs of a refused or simulated transaction: the client keeps
/// them, and every command names the pool whose addresses `-v` derives.
#[tokio::test]
async fn the_logs_of_a_refusal_are_kept_for_verbose_output() {
    use stakepool_client::compute_budget::UnitPrice;
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    ok(&mut admin, &["pause", "--pool", &pool]).await;
    let mut alice = cluster.wallet(10_000_000).await;
    alice.preflight = false;
    alice.unit_price = Some(UnitPrice::None);
    let error = run(&mut alice, &["deposit", "--pool", &pool, "1"])
        .await
        .unwrap_err();
    assert_eq!(error.name(), "PoolPaused");
    let logs = alice.last_logs.lock().unwrap().clone();
    // (Natively run programs print their own `msg!` lines elsewhere; the runtime's are here.)
    assert!(
        logs.iter()
            .any(|l| l.contains("failed: custom program error")),
        "{logs:?}"
    );

    let cli = Cli::try_parse_from(["stakepool", "-v", "claim", "--pool", &pool]).unwrap();
    assert!(cli.verbose);
    assert_eq!(cli.command.pool(), Some(pool.parse().unwrap()));
    let cli = Cli::try_parse_from(["stakepool", "pools"]).unwrap();
    assert_eq!(cli.command.pool(), None);
}

/// A token program's refusal inside the pool's transfer is named ("InsufficientFunds"), not
/// shown as a hex code at an instruction index counting the compute-budget instructions.
#[tokio::test]
async fn a_token_programs_refusal_is_named() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let mut alice = cluster.wallet(1_000_000).await;
    alice.preflight = false;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "5"]).await;
    assert!(
        error.contains("InsufficientFunds")
            && error.contains("the token program refused the transfer: Insufficient funds")
            && !error.contains("0x1")
            && !error.contains("Instruction"),
        "{error}"
    );
}

/// A malformed amount is refused before any network call: against an endpoint where nothing
/// listens, the error is the amount's, not the connection's.
#[tokio::test]
async fn a_malformed_amount_is_refused_before_the_cluster_is_asked() {
    let client = StakeClient::new(
        stakepool_client::transport::Rpc::new("http://127.0.0.1:1"),
        Keypair::new(),
    );
    let pool = Pubkey::new_unique().to_string();
    for (args, expected) in [
        (
            vec!["deposit", "--pool", &pool, "1.5x"],
            "'1.5x' is not a number",
        ),
        (
            vec!["withdraw", "--pool", &pool, "1,5"],
            "'1,5' is not a number",
        ),
        (
            vec!["market", "deposit", &pool, "1..2"],
            "'1..2' is not a number",
        ),
    ] {
        let cli = Cli::try_parse_from(std::iter::once("stakepool").chain(args)).unwrap();
        let error = execute(cli.command, &client).await.unwrap_err().to_string();
        assert!(error.contains(expected), "{error}");
        assert!(!error.contains("could not reach"), "{error}");
    }
}

#[tokio::test]
async fn deposit_limits_are_explained_with_their_numbers() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(100_000_000).await;
    let pool = create_pool(
        &cluster,
        &mut admin,
        "1000",
        &["--min-deposit", "2", "--deposit-cap", "5"],
    )
    .await;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "1.5"]).await;
    assert!(
        error.contains("minimum deposit is 2: deposit at least that much"),
        "{error}"
    );
    ok(&mut alice, &["deposit", "--pool", &pool, "4"]).await;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "2"]).await;
    assert!(error.contains("leaves room for 1 more"), "{error}");
    // With the client's checks off, the program's own refusal says the same by name.
    alice.preflight = false;
    let error = one_line_error(&mut alice, &["deposit", "--pool", &pool, "2"]).await;
    assert!(error.contains("DepositCapExceeded"), "{error}");
}
