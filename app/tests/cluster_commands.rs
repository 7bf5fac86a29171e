//! Every cluster command of the CLI, run end to end without a validator: arguments parsed by
//! the real clap definitions, executed by `cli::execute` on a `StakeClient` over the harness's
//! cluster transport (the in-process bank natively, the SBF build in the VM under `vm/suite`)
//! — the same code path that talks to RPC in the binary — with the state checked after each.
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use clap::Parser;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool::cli::{execute, Cli, Report};
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::token_setup;
use stakepool_client::transport::{
    Account, Hash, Landed, Refusal, Signature, Simulation, Transaction, Transport, TransportError,
};
use stakepool_tests::cluster::{set_cluster_time, start_cluster, ClusterTransport, EVENTS_IN_LOGS};
use stakepool_tests::GENESIS_TS;

const DECIMALS: u8 = 6;
const DAY: i64 = 86_400;

struct Cluster {
    transport: ClusterTransport,
    operator: StakeClient<ClusterTransport>,
    operator_key: Keypair,
    mint: Pubkey,
    now: i64,
}

impl Cluster {
    async fn start() -> Self {
        let (transport, payer) = start_cluster().await;
        let operator_key = Keypair::new();
        let operator = StakeClient::new(transport.clone(), operator_key.insecure_clone());
        let bank = StakeClient::new(transport.clone(), payer);
        bank.send(
            &[token_setup::transfer_sol(
                &bank.me(),
                &operator.me(),
                100_000_000_000,
            )],
            vec![],
        )
        .await
        .unwrap();
        let mint = Keypair::new();
        let me = operator.me();
        let create = token_setup::create_mint(
            &me,
            &mint.pubkey(),
            &me,
            DECIMALS,
            &anchor_spl::token::ID,
            10_000_000,
        );
        operator
            .send_signed(&create, &[&mint], vec![])
            .await
            .unwrap();
        let cluster = Self {
            transport,
            operator,
            operator_key,
            mint: mint.pubkey(),
            now: GENESIS_TS,
        };
        cluster.fund(&me, 1_000_000_000_000).await;
        cluster
    }

    /// Gives `owner` SOL and `tokens` base units in their associated token account.
    async fn fund(&self, owner: &Pubkey, tokens: u64) {
        let me = self.operator.me();
        let (account, create) =
            token_setup::associated_account(&me, owner, &self.mint, &anchor_spl::token::ID);
        let mut instructions = vec![token_setup::transfer_sol(&me, owner, 1_000_000_000), create];
        if tokens > 0 {
            instructions.push(token_setup::mint_to(
                &self.mint,
                &account,
                &me,
                tokens,
                DECIMALS,
                &anchor_spl::token::ID,
            ));
        }
        self.operator.send(&instructions, vec![]).await.unwrap();
    }

    async fn wallet(&self, tokens: u64) -> StakeClient<ClusterTransport> {
        let client = StakeClient::new(self.transport.clone(), Keypair::new());
        self.fund(&client.me(), tokens).await;
        client
    }

    async fn advance(&mut self, seconds: i64) {
        self.now += seconds;
        set_cluster_time(&self.transport, self.now).await;
    }
}

/// Parses `args` as the binary would and executes them as `client`.
async fn run(
    client: &mut StakeClient<ClusterTransport>,
    args: &[&str],
) -> Result<Report, ClientError> {
    let cli = Cli::try_parse_from(std::iter::once("stakepool").chain(args.iter().copied()))
        .expect("valid arguments");
    stakepool::cli::signing::apply_flags(&cli, client);
    // Boxed: a test awaits many commands, and each command's future is large.
    Box::pin(execute(cli.command, client)).await
}

async fn ok(client: &mut StakeClient<ClusterTransport>, args: &[&str]) -> Value {
    let report = run(client, args)
        .await
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let reads = ["show", "pools", "positions"];
    if !args.iter().any(|a| reads.contains(a)) && !args.contains(&"--dry-run") {
        assert!(report.text.contains("Signature: "), "{}", report.text);
    }
    report.json
}

async fn one_line_error(client: &mut StakeClient<ClusterTransport>, args: &[&str]) -> String {
    let error = run(client, args)
        .await
        .expect_err("should fail")
        .to_string();
    assert_eq!(error.lines().count(), 1, "{error}");
    error
}

/// The base-unit twin of an amount in a command's JSON.
/// `create-pool` for the cluster's mint with `extra` flags, as `admin`; the new pool's address.
async fn create_pool(
    cluster: &Cluster,
    admin: &mut StakeClient<ClusterTransport>,
    apr_bps: &str,
    extra: &[&str],
) -> String {
    let mint = cluster.mint.to_string();
    let mut args = vec!["create-pool", "--mint", &mint, "--apr-bps", apr_bps];
    args.extend_from_slice(extra);
    ok(admin, &args).await["pool"].as_str().unwrap().to_string()
}

/// `market init` for the cluster's mint at 8 %, as `authority`; the new market's address.
async fn init_market(cluster: &Cluster, authority: &mut StakeClient<ClusterTransport>) -> String {
    let mint = cluster.mint.to_string();
    ok(
        authority,
        &["market", "init", "--mint", &mint, "--apr-bps", "800"],
    )
    .await["market"]
        .as_str()
        .unwrap()
        .to_string()
}

fn raw(json: &Value, key: &str) -> u64 {
    json[format!("{key}_raw")]
        .as_str()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or_else(|| panic!("{key}_raw (a string of base units) in {json}"))
}

#[tokio::test]
async fn every_pool_command_works_end_to_end() {
    let mut cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(100_000_000).await;
    let mut cranker = cluster.wallet(0).await;

    let pool = create_pool(
        &cluster,
        &mut admin,
        "1000",
        &["--reserve-bps", "2000", "--min-deposit", "0.5"],
    )
    .await;
    let pool_key: Pubkey = pool.parse().unwrap();
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

    // Anyone funds rewards; here the operator.
    let mut operator = StakeClient::new(
        cluster.transport.clone(),
        cluster.operator_key.insecure_clone(),
    );
    ok(&mut operator, &["fund-rewards", "--pool", &pool, "1000"]).await;
    assert_eq!(
        raw(
            &ok(&mut admin, &["show", "pool", &pool]).await,
            "reward_balance"
        ),
        1_000_000_000
    );

    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "80.5"]).await;
    assert_eq!(raw(&deposited, "amount"), 80_500_000);
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

    // Lending: a market, chosen by the admin, cranked by anyone.
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
    ok(&mut cranker, &["harvest", "--pool", &pool]).await;
    let harvested = raw(
        &ok(&mut admin, &["show", "pool", &pool]).await,
        "reward_balance",
    ) + 8_050_000
        - 1_000_000_000;
    assert!(
        harvested.abs_diff(5_152_000) <= 1,
        "8 % of 64.4 lent: {harvested}"
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

    // Admin levers.
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

    // Unbonding, then out, then close for rent.
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
    ok(&mut alice, &["claim", "--pool", &pool]).await;
    ok(&mut alice, &["close-position", "--pool", &pool]).await;
    assert!(alice
        .position(&alice.pool(&pool_key).await.unwrap(), &alice.me())
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn dry_run_simulates_and_sends_nothing() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(10_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "500", &[]).await;
    let report = run(&mut alice, &["--dry-run", "deposit", "--pool", &pool, "5"])
        .await
        .unwrap();
    assert!(
        report
            .text
            .starts_with("✓ dry run: deposited 5 would succeed"),
        "{}",
        report.text
    );
    assert_eq!(report.json["dry_run"], true);
    let pool_key: Pubkey = pool.parse().unwrap();
    let ctx = alice.pool(&pool_key).await.unwrap();
    assert!(
        alice.position(&ctx, &alice.me()).await.unwrap().is_none(),
        "nothing was sent"
    );
    let wallet = alice.my_token_account(&ctx);
    assert_eq!(
        alice.token_balance(&wallet).await.unwrap(),
        Some(10_000_000)
    );
    assert!(report.json["units_consumed"].is_u64());
    assert_eq!(ctx.pool.total_staked(), 0);
    // A dry run that would fail reports the program's error by name.
    ok(&mut admin, &["pause", "--pool", &pool]).await;
    let error = one_line_error(
        &mut admin,
        &["--dry-run", "set-apr", "--pool", &pool, "999999"],
    )
    .await;
    assert!(error.contains("InvalidApr"), "{error}");
}

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

/// A cluster on which one other transaction lands just before the next one sent: the race
/// between reading a pool and a withdrawal landing. Records what it forwarded.
#[derive(Clone)]
struct LandsFirst {
    inner: ClusterTransport,
    first: Arc<Mutex<Option<Transaction>>>,
    forwarded: Arc<Mutex<Vec<Transaction>>>,
}

impl Transport for LandsFirst {
    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner.account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner.latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let first = self.first.lock().unwrap().take();
        if let Some(first) = first {
            self.inner
                .send(&first)
                .await
                .expect("the other transaction lands");
        }
        self.forwarded.lock().unwrap().push(transaction.clone());
        self.inner.send(transaction).await
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        self.inner.simulate(transaction).await
    }
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

/// A cluster with a fee market and a lossy network, over the harness's transport: the first
/// `expire` sends never land (reported `Expired`, nothing executed), recent priority fees are
/// `fees`, and what the client asks and sends is recorded.
#[derive(Clone, Default)]
struct Lossy {
    inner: Option<ClusterTransport>,
    expire: Arc<Mutex<usize>>,
    fees: Vec<u64>,
    fee_queries: Arc<Mutex<Vec<Vec<Pubkey>>>>,
    simulated: Arc<Mutex<Vec<Option<u64>>>>,
    landed: Arc<Mutex<Vec<Transaction>>>,
    expired: Arc<Mutex<Vec<Transaction>>>,
    /// A refusal comes back as a node reports a transaction sent without preflight: it
    /// landed, failed, and paid its fee.
    refusals_land: bool,
}

impl Lossy {
    fn over(cluster: &Cluster) -> Self {
        Self {
            inner: Some(cluster.transport.clone()),
            ..Self::default()
        }
    }
    fn inner(&self) -> &ClusterTransport {
        self.inner.as_ref().unwrap()
    }
}

impl Transport for Lossy {
    fn endpoint(&self) -> String {
        self.inner().endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner().account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner().latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let drop_it = {
            let mut expire = self.expire.lock().unwrap();
            let drop_it = *expire > 0;
            *expire = expire.saturating_sub(1);
            drop_it
        };
        if drop_it {
            let signature = transaction.signatures[0];
            self.expired.lock().unwrap().push(transaction.clone());
            return Err(TransportError::Expired { signature });
        }
        let signature = match self.inner().send(transaction).await {
            Err(TransportError::Refused(refusal)) if self.refusals_land => {
                return Err(TransportError::Refused(Refusal {
                    landed: Some(Landed {
                        signature: transaction.signatures[0],
                        fee: Some(5_000),
                    }),
                    ..refusal
                }))
            }
            sent => sent?,
        };
        self.landed.lock().unwrap().push(transaction.clone());
        Ok(signature)
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        let simulation = self.inner().simulate(transaction).await?;
        self.simulated
            .lock()
            .unwrap()
            .push(simulation.units_consumed);
        Ok(simulation)
    }
    async fn recent_prioritization_fees(
        &self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, TransportError> {
        self.fee_queries.lock().unwrap().push(writable.to_vec());
        Ok(self.fees.clone())
    }
}

/// A cluster with a 10 % pool and a depositor's keypair holding 50 tokens (and SOL).
async fn pool_with_a_depositor() -> (Cluster, Pubkey, Keypair) {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let alice = Keypair::new();
    cluster.fund(&alice.pubkey(), 50_000_000).await;
    (cluster, pool.parse().unwrap(), alice)
}

const COMPUTE_BUDGET_PROGRAM: &str = "ComputeBudget111111111111111111111111111111";

/// The compute-budget instructions at the head of `transaction`, as (program, data).
fn budget_of(transaction: &Transaction) -> Vec<(String, Vec<u8>)> {
    let keys = &transaction.message.account_keys;
    transaction
        .message
        .instructions
        .iter()
        .map(|ix| {
            (
                keys[usize::from(ix.program_id_index)].to_string(),
                ix.data.clone(),
            )
        })
        .take_while(|(program, _)| program == COMPUTE_BUDGET_PROGRAM)
        .collect()
}

/// Every transaction on a cluster carries a compute-unit limit sized from its own simulation
/// (never the default 200,000 per instruction) and the price asked for: fixed, or `auto`,
/// the 75th percentile of recent fees on the accounts it writes.
#[tokio::test]
async fn transactions_carry_a_simulated_unit_limit_and_the_asked_priority_fee() {
    use stakepool_client::compute_budget::{self, UnitPrice};
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;

    let fixed = Lossy::over(&cluster);
    let mut client = StakeClient::new(fixed.clone(), alice.insecure_clone());
    client.unit_price = Some(UnitPrice::Fixed(2_500));
    client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let landed = fixed.landed.lock().unwrap().clone();
    assert_eq!(landed.len(), 1);
    let units = fixed.simulated.lock().unwrap()[0].expect("the bank reports units");
    let limit = compute_budget::limit_for(units);
    assert!(limit < 200_000, "sized, not the default: {limit}");
    let expected: Vec<(String, Vec<u8>)> = compute_budget::instructions(limit, 2_500)
        .into_iter()
        .map(|ix| (ix.program_id.to_string(), ix.data))
        .collect();
    assert_eq!(budget_of(&landed[0]), expected);
    assert!(
        fixed.fee_queries.lock().unwrap().is_empty(),
        "a fixed price asks nobody"
    );

    let auto = Lossy {
        fees: vec![0, 5_000, 20, 10, 30],
        ..Lossy::over(&cluster)
    };
    let mut client = StakeClient::new(auto.clone(), alice.insecure_clone());
    client.unit_price = Some(UnitPrice::Auto);
    client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let queried = auto.fee_queries.lock().unwrap()[0].clone();
    let position = stakepool_client::pda::position(&pool_key, &alice.pubkey()).0;
    assert!(
        queried.contains(&pool_key) && queried.contains(&position),
        "{queried:?}"
    );
    assert!(!queried.contains(&cluster.mint), "the mint is only read");
    let landed = auto.landed.lock().unwrap()[0].clone();
    let budget = budget_of(&landed);
    // Sorted 0, 10, 20, 30, 5000: the 75th percentile by nearest rank is the 4th, 30.
    assert_eq!(budget[1].1, compute_budget::instructions(1, 30)[1].data);

    // The position holds both deposits: each landed once.
    let ctx = client.pool(&pool_key).await.unwrap();
    let held = client
        .position(&ctx, &alice.pubkey())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.staked_shares, 20_000_000);
}

/// A transaction that expired without landing is signed again on a fresh blockhash and
/// sent (it can never land now, so the command runs once), and the note says so; with no
/// resends left the error is `Expired`, with the signature, and nothing changed.
#[tokio::test]
async fn an_expired_transaction_is_resigned_once_and_reported_truthfully() {
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;

    let lossy = Lossy {
        expire: Arc::new(Mutex::new(1)),
        ..Lossy::over(&cluster)
    };
    let client = StakeClient::new(lossy.clone(), alice.insecure_clone());
    let outcome = client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let expired_tx = lossy.expired.lock().unwrap()[0].clone();
    let expired = expired_tx.signatures[0];
    let landed = lossy.landed.lock().unwrap()[0].clone();
    assert_ne!(expired, landed.signatures[0], "signed again");
    assert_ne!(
        landed.message.recent_blockhash, expired_tx.message.recent_blockhash,
        "on a fresh blockhash"
    );
    assert_eq!(
        landed.message.instructions, expired_tx.message.instructions,
        "the same instructions"
    );
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains(&expired.to_string()) && n.contains("expired")),
        "{:?}",
        outcome.notes
    );
    let ctx = client.pool(&pool_key).await.unwrap();
    assert_eq!(
        client
            .position(&ctx, &alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        10_000_000
    );

    let lossy = Lossy {
        expire: Arc::new(Mutex::new(3)),
        ..Lossy::over(&cluster)
    };
    let mut client = StakeClient::new(lossy.clone(), alice.insecure_clone());
    client.resends = 2;
    let error = client
        .deposit(&pool_key, 10_000_000, None)
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Expired");
    let last = lossy.expired.lock().unwrap().last().unwrap().signatures[0];
    assert_eq!(
        lossy.expired.lock().unwrap().len(),
        3,
        "sent, then re-signed twice"
    );
    assert!(error.to_string().contains(&last.to_string()));
    assert!(error.to_string().contains("safe to retry"));
    assert_eq!(
        client
            .position(&ctx, &alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        10_000_000,
        "nothing changed"
    );
}

/// A transaction that landed and failed is named by its cause, with its signature and the fee
/// it paid, and nothing else changed.
#[tokio::test]
async fn a_transaction_that_landed_and_failed_says_its_fee_was_paid() {
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;
    let lossy = Lossy {
        refusals_land: true,
        ..Lossy::over(&cluster)
    };
    let mut client = StakeClient::new(lossy, alice.insecure_clone());
    // No client-side checks: the wallet's 50 tokens cannot pay 60, as the chain finds.
    client.preflight = false;
    let error = client
        .deposit(&pool_key, 60_000_000, None)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert_eq!(error.name(), "InsufficientFunds", "{text}");
    assert_eq!(error.number(), Some(1), "SPL Token's InsufficientFunds");
    assert!(text.contains("landed and failed"), "{text}");
    assert!(text.contains("its fee of 0.000005 SOL was paid"), "{text}");
    assert!(text.contains("nothing else changed"), "{text}");
    let ctx = client.pool(&pool_key).await.unwrap();
    assert!(client
        .position(&ctx, &alice.pubkey())
        .await
        .unwrap()
        .is_none());
}

/// A fee payer without the SOL for the fees is told before anything lands, with what to do:
/// one that does not exist at all, and one that cannot pay a steep priority fee.
#[tokio::test]
async fn a_payer_without_sol_is_told_how_to_get_some() {
    use stakepool_client::compute_budget::UnitPrice;
    let cluster = Cluster::start().await;
    let broke = Keypair::new();
    let poor = Keypair::new();
    cluster
        .operator
        .send(
            &[token_setup::transfer_sol(
                &cluster.operator.me(),
                &poor.pubkey(),
                1_000_000,
            )],
            vec![],
        )
        .await
        .unwrap();
    for (payer, price) in [
        (broke, UnitPrice::None),
        (poor, UnitPrice::Fixed(1_000_000_000)),
    ] {
        let recorder = Lossy::over(&cluster);
        let mut client = StakeClient::new(recorder.clone(), payer);
        client.unit_price = Some(price);
        // A set limit: no simulation runs first, so the balance check itself answers.
        client.unit_limit = Some(50_000);
        let error = client
            .create_pool(&cluster.mint, 0, 1000, Default::default())
            .await
            .map(drop)
            .unwrap_err();
        assert_eq!(error.name(), "InsufficientSol", "{error}");
        let text = error.to_string();
        assert!(
            text.contains(&client.me().to_string()) && text.contains("send SOL to"),
            "{text}"
        );
        // 5,000 lamports a signature, and 50,000 units at the price.
        let fee: u64 = 5_000
            + if price == UnitPrice::None {
                0
            } else {
                50_000_000
            };
        let need = stakepool_client::amount::format_ui_amount(fee, 9);
        assert!(text.contains(&format!("this needs {need} SOL")), "{text}");
        assert!(recorder.landed.lock().unwrap().is_empty(), "nothing sent");
    }
}

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

/// `--fee-payer`: another keypair pays the fees and signs; the owner still owns, signs and
/// pays no fee.
#[tokio::test]
async fn a_fee_payer_pays_the_fees_and_the_owner_nothing() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let pool_key: Pubkey = pool.parse().unwrap();
    let mut alice = cluster.wallet(50_000_000).await;
    ok(&mut alice, &["deposit", "--pool", &pool, "10"]).await;
    let sponsor = Keypair::new();
    cluster.fund(&sponsor.pubkey(), 0).await;
    let lamports = |key: Pubkey| {
        let transport = cluster.transport.clone();
        async move {
            transport
                .account(&key)
                .await
                .unwrap()
                .map_or(0, |a| a.lamports)
        }
    };
    let (alice_before, sponsor_before) =
        (lamports(alice.me()).await, lamports(sponsor.pubkey()).await);
    alice.fee_payer = Some(Box::new(sponsor.insecure_clone()));
    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "5"]).await;
    assert_eq!(raw(&deposited, "amount"), 5_000_000);
    assert_eq!(
        lamports(alice.me()).await,
        alice_before,
        "the owner paid nothing"
    );
    assert_eq!(
        lamports(sponsor.pubkey()).await,
        sponsor_before - 2 * stakepool_client::client::LAMPORTS_PER_SIGNATURE,
        "the fee payer paid two signatures' fees"
    );
    let ctx = alice.pool(&pool_key).await.unwrap();
    assert_eq!(
        alice
            .position(&ctx, &alice.me())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        15_000_000
    );
}

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

/// An admin change signed where the admin key is (`--sign-only`, which prints the
/// signature, blockhash, compute budget and message) and completed elsewhere with only the
/// admin's public key and `--signer PUBKEY=SIGNATURE`: it lands once, as signed. A command
/// that differs from what was signed cannot use the signature, and changes nothing.
#[tokio::test]
async fn an_admin_change_signed_offline_is_completed_with_its_signature() {
    use stakepool_client::compute_budget::UnitPrice;
    let cluster = Cluster::start().await;
    let admin_key = Keypair::new();
    cluster.fund(&admin_key.pubkey(), 0).await;
    let mut admin = StakeClient::new(cluster.transport.clone(), admin_key.insecure_clone());
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let pool_key: Pubkey = pool.parse().unwrap();

    // Where the key is: sign only, with a priority fee, as a cluster transaction would be.
    admin.unit_price = Some(UnitPrice::Fixed(1_000));
    let signed = run(
        &mut admin,
        &["set-apr", "--pool", &pool, "500", "--sign-only"],
    )
    .await
    .unwrap();
    assert!(signed.text.contains("Complete it with"), "{}", signed.text);
    let json = signed.json;
    assert_eq!(json["sign_only"], true);
    let signature = json["signers"][0]["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let blockhash = json["blockhash"].as_str().unwrap().to_string();
    let limit = json["compute_unit_limit"].as_u64().unwrap().to_string();
    assert!(json["message_base64"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    let ctx = admin.pool(&pool_key).await.unwrap();
    assert_eq!(ctx.pool.apr_bps, 1000, "nothing was sent");

    // Elsewhere: only the admin's public key and the signature.
    let presigned = format!("{}={signature}", admin_key.pubkey());
    let presigner = stakepool::cli::signing::signer_from(
        &admin_key.pubkey().to_string(),
        "keypair",
        &[stakepool::cli::signing::parse_presigned(&presigned).unwrap()],
        false,
        &mut stakepool_client::keypair_source::Console {
            input: &mut &b""[..],
            prompts: &mut Vec::new(),
            hide_input: false,
        },
        Default::default(),
    )
    .unwrap();
    let mut online = StakeClient::new(cluster.transport.clone(), Keypair::new());
    online.signer = presigner;
    online.unit_price = Some(UnitPrice::Fixed(1_000));
    let complete = [
        "--blockhash",
        &blockhash,
        "--with-compute-unit-limit",
        &limit,
    ];
    // A different rate is another message: the signature does not fit it.
    let mut wrong = vec!["set-apr", "--pool", &pool, "600"];
    wrong.extend_from_slice(&complete);
    let error = run(&mut online, &wrong).await.unwrap_err().to_string();
    assert!(
        error.contains("only fits the very message it signed"),
        "{error}"
    );
    assert_eq!(online.pool(&pool_key).await.unwrap().pool.apr_bps, 1000);

    let mut args = vec!["set-apr", "--pool", &pool, "500"];
    args.extend_from_slice(&complete);
    let landed = ok(&mut online, &args).await;
    assert_eq!(landed["signature"].as_str().unwrap(), signature);
    assert_eq!(online.pool(&pool_key).await.unwrap().pool.apr_bps, 500);
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

/// The cluster, with one more account of the program among those `getProgramAccounts`
/// returns: it carries a pool's discriminator and nothing a pool of this version can read.
#[derive(Clone)]
struct WithUnreadable {
    inner: ClusterTransport,
    unreadable: Pubkey,
}

impl Transport for WithUnreadable {
    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner.account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner.latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        self.inner.send(transaction).await
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        self.inner.simulate(transaction).await
    }
    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[stakepool_client::transport::Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let mut found = self.inner.program_accounts(program, filters).await?;
        use anchor_lang::Discriminator;
        let data = [staking_pool::state::Pool::DISCRIMINATOR, &[7u8; 10]].concat();
        found.push((
            self.unreadable,
            Account {
                lamports: 1_000_000,
                data,
                owner: staking_pool::ID,
                executable: false,
                rent_epoch: 0,
            },
        ));
        Ok(found)
    }
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
