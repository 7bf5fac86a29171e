//! The cluster the command tests run on, and running a command as the binary would.
use anchor_lang::prelude::Pubkey;
use clap::Parser;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool::cli::{execute, Cli, Report};
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::token_setup;
use stakepool_tests::cluster::{set_cluster_time, start_cluster, ClusterTransport};
use stakepool_tests::GENESIS_TS;

pub const DECIMALS: u8 = 6;
pub const DAY: i64 = 86_400;

pub struct Cluster {
    pub transport: ClusterTransport,
    pub operator: StakeClient<ClusterTransport>,
    pub operator_key: Keypair,
    pub mint: Pubkey,
    pub now: i64,
}

impl Cluster {
    pub async fn start() -> Self {
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
    pub async fn fund(&self, owner: &Pubkey, tokens: u64) {
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

    pub async fn wallet(&self, tokens: u64) -> StakeClient<ClusterTransport> {
        let client = StakeClient::new(self.transport.clone(), Keypair::new());
        self.fund(&client.me(), tokens).await;
        client
    }

    pub async fn advance(&mut self, seconds: i64) {
        self.now += seconds;
        set_cluster_time(&self.transport, self.now).await;
    }
}

/// Parses `args` as the binary would and executes them as `client`.
pub async fn run(
    client: &mut StakeClient<ClusterTransport>,
    args: &[&str],
) -> Result<Report, ClientError> {
    let cli = Cli::try_parse_from(std::iter::once("stakepool").chain(args.iter().copied()))
        .expect("valid arguments");
    stakepool::cli::signing::apply_flags(&cli, client);
    // Boxed: a test awaits many commands, and each command's future is large.
    Box::pin(execute(cli.command, client)).await
}

pub async fn ok(client: &mut StakeClient<ClusterTransport>, args: &[&str]) -> Value {
    let report = run(client, args)
        .await
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let reads = ["show", "pools", "positions"];
    if !args.iter().any(|a| reads.contains(a)) && !args.contains(&"--dry-run") {
        assert!(report.text.contains("Signature: "), "{}", report.text);
    }
    report.json
}

pub async fn one_line_error(client: &mut StakeClient<ClusterTransport>, args: &[&str]) -> String {
    let error = run(client, args)
        .await
        .expect_err("should fail")
        .to_string();
    assert_eq!(error.lines().count(), 1, "{error}");
    error
}

/// `create-pool` for the cluster's mint with `extra` flags, as `admin`; the new pool's address.
pub async fn create_pool(
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
pub async fn init_market(
    cluster: &Cluster,
    authority: &mut StakeClient<ClusterTransport>,
) -> String {
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

/// The base-unit twin of an amount in a command's JSON.
pub fn raw(json: &Value, key: &str) -> u64 {
    json[format!("{key}_raw")]
        .as_str()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or_else(|| panic!("{key}_raw (a string of base units) in {json}"))
}

/// A cluster with a 10 % pool and a depositor's keypair holding 50 tokens (and SOL).
pub async fn pool_with_a_depositor() -> (Cluster, Pubkey, Keypair) {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let alice = Keypair::new();
    cluster.fund(&alice.pubkey(), 50_000_000).await;
    (cluster, pool.parse().unwrap(), alice)
}
