//! `stakepool-migrations CONFIG [--dry-run]`: brings the cluster named in CONFIG to the state
//! it describes. Prints the plan first; `--dry-run` stops there.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use stakepool_client::client::StakeClient;
use stakepool_client::cluster::{expand_home, resolve_url};
use stakepool_client::compute_budget::UnitPrice;
use stakepool_client::transport::Rpc;
use stakepool_migrations::{apply, plan, render, DeployConfig};

#[derive(Debug, Parser)]
#[command(
    name = "stakepool-migrations",
    version,
    about = "Bring a cluster to the pools a deploy config describes (idempotent: a second run does nothing)"
)]
struct Args {
    /// Deploy config (TOML); see migrations/localnet.toml
    config: PathBuf,
    /// Print the plan and send nothing
    #[arg(long)]
    dry_run: bool,
    /// Override the config's cluster (URL or moniker)
    #[arg(short = 'u', long = "url", value_name = "URL_OR_MONIKER")]
    url: Option<String>,
    /// Override the config's payer keypair
    #[arg(short = 'k', long, value_name = "KEYPAIR")]
    keypair: Option<String>,
    /// Commitment to read and confirm at
    #[arg(long, value_name = "COMMITMENT_LEVEL", default_value = "confirmed",
          value_parser = ["processed", "confirmed", "finalized"])]
    commitment: String,
    /// Priority fee per compute unit, in micro-lamports or `auto` (as the `stakepool` CLI)
    #[arg(long, value_name = "MICRO_LAMPORTS|auto")]
    with_compute_unit_price: Option<UnitPrice>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let config = DeployConfig::load(&args.config).map_err(|e| e.to_string())?;
    let url =
        resolve_url(args.url.as_deref().unwrap_or(&config.cluster)).map_err(|e| e.to_string())?;
    let keypair_path = expand_home(args.keypair.as_deref().unwrap_or(&config.payer));
    let payer = solana_keypair::read_keypair_file(&keypair_path)
        .map_err(|e| format!("cannot read payer keypair {}: {e}", keypair_path.display()))?;
    let commitment = args.commitment.parse().expect("checked by clap");
    let mut client = StakeClient::new(Rpc::with_commitment(&url, commitment), payer);
    // The CLI's send path: a simulated compute-unit limit and the asked price on every
    // transaction, rebroadcast until it lands or expires.
    client.unit_price = Some(args.with_compute_unit_price.unwrap_or_default());

    let plans = plan(&client, &config).await.map_err(|e| e.to_string())?;
    println!("Cluster: {url}");
    print!("{}", render(&plans));
    if stakepool_migrations::is_empty(&plans) {
        println!(
            "Nothing to do: the cluster matches {}.",
            args.config.display()
        );
        return Ok(());
    }
    if args.dry_run {
        println!("Dry run: nothing sent.");
        return Ok(());
    }
    apply(&client, &plans, |plan, step, signature| {
        println!(
            "✓ {}: {step}{}",
            plan.name,
            signature
                .map(|s| format!("\n  Signature: {s}"))
                .unwrap_or_default()
        );
    })
    .await
    .map_err(|e| e.to_string())?;
    println!("Done: the cluster matches {}.", args.config.display());
    Ok(())
}
