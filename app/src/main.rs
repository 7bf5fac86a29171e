//! `stakepool`: the staking pool's command line. Cluster commands go over JSON-RPC;
//! `simulate` runs the real programs in-process with no validator.
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use stakepool::cli::{execute, Cli, Command, OutputFormat, Report};
use stakepool_client::client::StakeClient;
use stakepool_client::cluster::resolve_target;
use stakepool_client::transport::Rpc;
use stakepool_simulation::scenario::{self, report, Scenario};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output;
    match run(cli).await {
        Ok(code) => code,
        Err(message) => {
            // Scripts asking for JSON get JSON for failures too (on stdout, with the status).
            if output == OutputFormat::Json {
                println!("{}", serde_json::json!({ "error": message }));
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Command::Simulate { scenario } = &cli.command {
        return simulate(scenario.as_deref(), cli.output).await;
    }
    let target = resolve_target(
        cli.url.as_deref(),
        cli.keypair.as_deref(),
        cli.config.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let signer = solana_keypair::read_keypair_file(&target.keypair_path).map_err(|e| {
        format!(
            "cannot read the keypair {}: {e}; pass --keypair, or create one with `solana-keygen new`",
            target.keypair_path.display()
        )
    })?;
    let mut client = StakeClient::new(Rpc::new(&target.url), signer);
    client.dry_run = cli.dry_run;
    let spinner = spinner(cli.output, &target.url);
    let result = execute(cli.command, &client).await;
    spinner.finish_and_clear();
    let report = result.map_err(|e| e.to_string())?;
    print(&report, cli.output);
    Ok(ExitCode::SUCCESS)
}

/// A spinner on stderr while the cluster answers (hidden when stderr is not a terminal, and
/// for JSON output).
fn spinner(output: OutputFormat, url: &str) -> ProgressBar {
    if output == OutputFormat::Json {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    spinner.set_message(format!("waiting for {url}…"));
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

fn print(report: &Report, output: OutputFormat) {
    match output {
        OutputFormat::Display => println!("{}", report.text),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report.json).expect("serialisable")
        ),
    }
}

async fn simulate(path: Option<&Path>, output: OutputFormat) -> Result<ExitCode, String> {
    let (text, source) = match path {
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            path.display().to_string(),
        ),
        None => (
            scenario::BUILTIN.to_string(),
            "built-in scenario".to_string(),
        ),
    };
    let scenario = Scenario::parse(&text).map_err(|e| format!("{source}: {e}"))?;
    let run = {
        // The programs run natively here, where their `msg!` logs go to stdout; keep the
        // report clean (the bank's own logs are already off).
        let _quiet = gag::Gag::stdout().ok();
        scenario::run(&scenario).await
    }
    .map_err(|e| format!("the simulation could not set up its pool: {e}"))?;
    match output {
        OutputFormat::Display => print!("{}", report::display(&run)),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report::json(&run)).expect("serialisable")
        ),
    }
    if report::all_checks_hold(&run) {
        Ok(ExitCode::SUCCESS)
    } else {
        Err("a check failed (marked ✗, or \"holds\": false in JSON): the programs broke an invariant".into())
    }
}
