//! Migrations against the in-process bank: the example config builds everything, a second
//! run plans nothing, and a changed config plans exactly the changes.
use anchor_lang::prelude::Pubkey;
use solana_signer::Signer;
use stakepool_client::client::StakeClient;
use stakepool_client::limits::Written;
use stakepool_client::transport::Transport;
use stakepool_client::{accounts, token_setup};
use stakepool_migrations::{apply, is_empty, plan, DeployConfig, Step};
use stakepool_simulation::in_process;
use stakepool_simulation::InProcess;
use staking_pool::state::Pool;

async fn client() -> StakeClient<InProcess> {
    client_and_bank().await.0
}

async fn client_and_bank() -> (StakeClient<InProcess>, InProcess) {
    let ctx = in_process::start().await;
    let payer = ctx.payer.insecure_clone();
    let bank = InProcess::new(ctx);
    (StakeClient::new(bank.clone(), payer), bank)
}

fn example(name: &str) -> DeployConfig {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    DeployConfig::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Plans and applies `config`; the first pool's address.
async fn migrate(client: &StakeClient<InProcess>, config: &DeployConfig) -> Pubkey {
    let plans = plan(client, config).await.unwrap();
    apply(client, &plans, |_, _, _| {}).await.unwrap();
    plans[0].pool
}

async fn pool_state(client: &StakeClient<InProcess>, pool: &Pubkey) -> Pool {
    let account = client.transport.account(pool).await.unwrap();
    accounts::zero_copy(&account.expect("pool exists").data, "pool").unwrap()
}

#[tokio::test]
async fn the_localnet_example_builds_everything_once_and_then_plans_nothing() {
    let client = client().await;
    let config = example("localnet.toml");

    let first = plan(&client, &config).await.unwrap();
    let kinds: Vec<&str> = first[0]
        .steps
        .iter()
        .map(|s| match s {
            Step::CreateTestMint { .. } => "mint",
            Step::CreateMockMarket { .. } => "market",
            Step::CreatePool { .. } => "pool",
            Step::SetLendingMarket { .. } => "lend",
            Step::MintToPayer { .. } => "mint-to",
            Step::FundRewards { .. } => "fund",
            other => panic!("unexpected first-run step {other}"),
        })
        .collect();
    assert_eq!(kinds, ["mint", "market", "pool", "lend", "mint-to", "fund"]);

    apply(&client, &first, |_, _, _| {}).await.unwrap();
    let pool = pool_state(&client, &first[0].pool).await;
    assert_eq!(pool.apr_bps, 1_000);
    assert_eq!(pool.limits.reserve_bps, 2_000);
    assert_eq!(pool.limits.min_deposit, 1_000_000);
    assert_eq!(pool.total_rewards_funded, 100_000_000_000);
    assert_eq!(pool.admin, client.signer.pubkey());
    assert!(pool.has_lending_market());
    let mint = token_setup::seeded_mint_address(
        &client.signer.pubkey(),
        "stakepool:demo",
        &anchor_spl::token::ID,
    );
    assert_eq!(pool.stake_mint, mint);
    assert_eq!(
        client.token_balance(&pool.reward_vault).await.unwrap(),
        Some(100_000_000_000)
    );
    let wallet = anchor_spl::associated_token::get_associated_token_address_with_program_id(
        &client.signer.pubkey(),
        &mint,
        &anchor_spl::token::ID,
    );
    assert_eq!(
        client.token_balance(&wallet).await.unwrap(),
        Some(10_000_000_000)
    );

    let second = plan(&client, &config).await.unwrap();
    assert!(is_empty(&second), "{second:?}");
}

#[tokio::test]
async fn a_changed_config_plans_exactly_the_changes() {
    let client = client().await;
    let mut config = example("localnet.toml");
    let pool = migrate(&client, &config).await;

    config.pools[0].apr_bps = 1_200;
    config.pools[0].limits.unbonding_period = Some(Written("7d".into()));
    config.pools[0].reward_funding = Some("150000".into());
    let changes = plan(&client, &config).await.unwrap();
    assert_eq!(changes[0].steps.len(), 4, "{:?}", changes[0].steps);
    assert!(matches!(
        changes[0].steps[0],
        Step::SetApr {
            from: 1_000,
            to: 1_200,
            ..
        }
    ));
    assert!(
        matches!(changes[0].steps[1], Step::SetParams { to, .. } if to.unbonding_period == 7 * 86_400)
    );
    assert!(matches!(
        changes[0].steps[2],
        Step::MintToPayer {
            amount: 50_000_000_000,
            ..
        }
    ));
    assert!(matches!(
        changes[0].steps[3],
        Step::FundRewards {
            amount: 50_000_000_000,
            funded: 100_000_000_000,
            ..
        }
    ));
    apply(&client, &changes, |_, _, _| {}).await.unwrap();
    let state = pool_state(&client, &pool).await;
    assert_eq!(state.apr_bps, 1_200);
    assert_eq!(state.limits.unbonding_period, 7 * 86_400);
    assert_eq!(state.total_rewards_funded, 150_000_000_000);
    assert!(is_empty(&plan(&client, &config).await.unwrap()));

    // Lowering the funding target never takes rewards back: nothing to do.
    config.pools[0].reward_funding = Some("1".into());
    assert!(is_empty(&plan(&client, &config).await.unwrap()));
}

#[tokio::test]
async fn the_devnet_example_is_valid_and_builds_both_pools() {
    let client = client().await;
    let config = example("devnet.toml");
    let plans = plan(&client, &config).await.unwrap();
    assert_eq!(plans.len(), 2);
    apply(&client, &plans, |_, _, _| {}).await.unwrap();
    let locked = pool_state(&client, &plans[1].pool).await;
    assert_eq!(locked.limits.unbonding_period, 14 * 86_400);
    assert_eq!(locked.limits.notice_period, 15 * 86_400);
    assert!(!locked.has_lending_market());
    assert!(is_empty(&plan(&client, &config).await.unwrap()));
}

#[tokio::test]
async fn a_mock_market_someone_else_created_is_refused_and_nothing_is_sent() {
    let (client, bank) = client_and_bank().await;
    let mut config = example("localnet.toml");
    config.pools[0].lending_market = "none".into();
    let pool = migrate(&client, &config).await;

    // Someone else creates the mock market this config would create for the test mint.
    let other = solana_keypair::Keypair::new();
    let fund = token_setup::transfer_sol(&client.signer.pubkey(), &other.pubkey(), 1_000_000_000);
    client.send(&[fund], vec![]).await.unwrap();
    let squatter = StakeClient::new(bank, other);
    let mint = pool_state(&client, &pool).await.stake_mint;
    squatter.init_market(&mint, 0, 800).await.unwrap();

    config.pools[0].lending_market = "create-mock-market".into();
    let refused = plan(&client, &config).await.unwrap_err().to_string();
    assert!(refused.contains("not the payer"), "{refused}");
    assert!(!pool_state(&client, &pool).await.has_lending_market());

    // Another market id is the payer's own.
    config.pools[0].mock_market_id = 1;
    let plans = plan(&client, &config).await.unwrap();
    apply(&client, &plans, |_, _, _| {}).await.unwrap();
    assert!(pool_state(&client, &pool).await.has_lending_market());
    assert!(is_empty(&plan(&client, &config).await.unwrap()));
}

#[tokio::test]
async fn moving_a_pool_with_lent_funds_to_another_market_is_refused_at_planning() {
    let client = client().await;
    let mut config = example("localnet.toml");
    let pool = migrate(&client, &config).await;
    client.deposit(&pool, 1_000_000_000, None).await.unwrap();
    client.rebalance(&pool).await.unwrap();
    assert!(pool_state(&client, &pool).await.lent_principal > 0);

    config.pools[0].mock_market_id = 1;
    let refused = plan(&client, &config).await.unwrap_err().to_string();
    assert!(refused.contains("recall-all"), "{refused}");
}

/// With a notice period, a config change against depositors is announced by one run, awaited
/// by the next ("waiting until"), executed by the first run after its time, and then the plan
/// is empty again. A first deploy with a notice period still attaches its market at once.
#[tokio::test]
async fn a_change_against_depositors_is_announced_then_executed_by_a_later_run() {
    let (client, bank) = client_and_bank().await;
    let mut config = example("localnet.toml");
    config.pools[0].limits.notice_period = Some(Written("7d".into()));
    let pool = migrate(&client, &config).await;
    let state = pool_state(&client, &pool).await;
    assert_eq!(state.limits.notice_period, 7 * 86_400);
    assert!(state.has_lending_market(), "market attached at once");
    assert!(is_empty(&plan(&client, &config).await.unwrap()));

    config.pools[0].apr_bps = 500;
    let announce = plan(&client, &config).await.unwrap();
    assert!(matches!(
        announce[0].steps[..],
        [Step::SetApr { to: 500, .. }]
    ));
    apply(&client, &announce, |_, _, _| {}).await.unwrap();
    let state = pool_state(&client, &pool).await;
    assert_eq!(state.apr_bps, 1_000, "announced, not applied");
    let (_, at, _) = state
        .pending_change(staking_pool::state::ChangeKind::Apr)
        .expect("announced");

    // The next run waits: it must not announce again (that would restart the clock).
    let waiting = plan(&client, &config).await.unwrap();
    assert!(
        matches!(waiting[0].steps[..], [Step::AwaitChange { until, .. }] if until == at),
        "{waiting:?}"
    );
    let told = waiting[0].steps[0].to_string();
    let when = stakepool_client::projection::format_utc(at);
    assert!(
        told.starts_with(&format!(
            "waiting until {when} for the announced change: APR"
        )),
        "{told}"
    );
    apply(&client, &waiting, |_, _, _| {}).await.unwrap();
    let still = pool_state(&client, &pool).await;
    assert_eq!(
        still
            .pending_change(staking_pool::state::ChangeKind::Apr)
            .map(|p| p.1),
        Some(at)
    );

    // Once its time has come, a run executes it.
    {
        let mut ctx = bank.ctx.lock().await;
        in_process::set_time(&mut ctx, at).await;
    }
    let execute = plan(&client, &config).await.unwrap();
    assert!(matches!(execute[0].steps[..], [Step::ExecuteChange { .. }]));
    apply(&client, &execute, |_, _, _| {}).await.unwrap();
    assert_eq!(pool_state(&client, &pool).await.apr_bps, 500);
    assert!(is_empty(&plan(&client, &config).await.unwrap()));
}
