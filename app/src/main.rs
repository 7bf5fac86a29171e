//! `stakepool`: the staking pool's command line. Cluster commands go over JSON-RPC;
//! `simulate` runs the real programs in-process with no validator.
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use stakepool::cli::signing;
use stakepool::cli::{execute, Cli, Command, OutputFormat, Show};
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::cluster::{resolve_target, TargetFlags};
use stakepool_client::keypair_source::{Console, SeedPhraseOptions};
use stakepool_client::program_ids::{self, Deployment};
use stakepool_client::transport::Rpc;
use stakepool_simulation::scenario::{self, report, Scenario};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output;
    match run(cli).await {
        Ok(code) => code,
        Err(failure) => {
            // Scripts asking for JSON get JSON for failures too (on stdout, with the status),
            // with the error's name and number to match on.
            if output.is_json() {
                println!(
                    "{}",
                    serde_json::json!({
                        "error": failure.message,
                        "code": { "name": failure.name, "number": failure.number },
                    })
                );
            } else {
                eprintln!("error: {}", failure.message);
            }
            ExitCode::FAILURE
        }
    }
}

/// Why a command failed: the message people read, and the name (and the program's error
/// number, for a refusal) scripts match on.
struct Failure {
    message: String,
    name: String,
    number: Option<u32>,
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        Self {
            message: error.to_string(),
            name: error.name(),
            number: error.number(),
        }
    }
}

/// A failure before the cluster is asked: the flags, the config file, a keypair.
impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self {
            message,
            name: "InvalidArguments".into(),
            number: None,
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    if cli.output == OutputFormat::Csv && !matches!(cli.command, Command::History { .. }) {
        return Err(String::from("--output csv is for `history`; use display or json here").into());
    }
    if let Command::Completion { shell } = cli.command {
        use clap::CommandFactory;
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "stakepool", &mut script);
        write_out(&String::from_utf8_lossy(&script))?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Simulate { scenario } = &cli.command {
        let ignored = cluster_flags(&cli);
        if !ignored.is_empty() {
            return Err(format!(
                "simulate runs its own in-process cluster and would ignore {}: leave them out",
                ignored.join(", ")
            )
            .into());
        }
        return simulate(scenario.as_deref(), cli.output)
            .await
            .map_err(Failure::from);
    }
    // A deployment built with its own keys: its ids, before any address is derived.
    if cli.program_id.is_some() || cli.lending_program_id.is_some() {
        let built = Deployment::default();
        program_ids::use_deployment(Deployment {
            staking_pool: cli.program_id.unwrap_or(built.staking_pool),
            lending: cli.lending_program_id.unwrap_or(built.lending),
        })
        .map_err(|_| "the program ids were already in use".to_string())?;
    }
    let target = resolve_target(TargetFlags {
        url: cli.url.as_deref(),
        keypair: cli.keypair.as_deref(),
        config: cli.config.as_deref(),
        commitment: cli.commitment.as_deref(),
        compute_unit_price: cli.with_compute_unit_price.as_deref(),
    })
    .map_err(|e| e.to_string())?;
    let stdin = std::io::stdin();
    // A seed phrase typed at a terminal is not echoed; piped in, it is read as lines.
    let hide_input = stdin.is_terminal();
    let console = &mut Console {
        input: &mut stdin.lock(),
        prompts: &mut std::io::stderr(),
        hide_input,
    };
    let options = SeedPhraseOptions {
        skip_validation: cli.skip_seed_phrase_validation,
    };
    let keypair = target.keypair_path.to_string_lossy();
    // Reading needs no keypair: a throwaway one is never asked to sign, and no seed phrase
    // or hardware wallet is asked for.
    let signer = if reads_only(&cli.command) {
        Box::new(solana_keypair::Keypair::new())
    } else {
        signing::signer_from(
            &keypair,
            "keypair",
            &cli.signers,
            cli.sign_only,
            console,
            options,
        )
        .map_err(|e| {
            // `show position` and `positions` default the owner to "you".
            if matches!(
                cli.command,
                Command::Show(_) | Command::Positions { .. } | Command::History { .. }
            ) {
                format!("{e} (or name the OWNER to show)")
            } else {
                e
            }
        })?
    };
    let mut client = StakeClient::new(Rpc::with_commitment(&target.url, target.commitment), signer);
    signing::apply_flags(&cli, &mut client);
    if let Some(fee_payer) = &cli.fee_payer {
        client.fee_payer = Some(
            signing::signer_from(
                fee_payer,
                "fee-payer",
                &cli.signers,
                cli.sign_only,
                console,
                options,
            )
            .map_err(|e| format!("--fee-payer: {e}"))?,
        );
    }
    // On a cluster every transaction carries a compute-unit limit sized from simulation.
    client.unit_price = Some(target.unit_price);
    let spinner = spinner(cli.output, &target.url);
    let (verbose, pool) = (cli.verbose, cli.command.pool());
    let acts = !reads_only(&cli.command);
    let result = execute(cli.command, &client).await;
    spinner.finish_and_clear();
    if verbose {
        explain(&client, pool, acts, result.is_err() || cli.dry_run).await;
    }
    let report = result?;
    let printed = match cli.output {
        OutputFormat::Csv => report.csv.clone().unwrap_or_default(),
        OutputFormat::Display => format!("{}\n", report.text),
        OutputFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report.json).expect("serialisable")
        ),
        OutputFormat::JsonCompact => format!("{}\n", report.json),
    };
    write_out(&printed)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the report to stdout. A reader that closed the pipe early (`| head`) ends the
/// command quietly: what it read is all it wanted.
fn write_out(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the report: {e}").into())
        }
        _ => Ok(()),
    }
}

/// `-v`: the pool's derived addresses (the signer's own when the command `acts` as them), and
/// the program logs of a failed or simulated transaction, on stderr (stdout stays the report).
async fn explain<T: stakepool_client::transport::Transport>(
    client: &StakeClient<T>,
    pool: Option<anchor_lang::prelude::Pubkey>,
    acts: bool,
    with_logs: bool,
) {
    if let Some(ctx) = match pool {
        Some(pool) => client.pool(&pool).await.ok(),
        None => None,
    } {
        let signer = acts.then(|| {
            (
                ctx.keys.position(&client.me()),
                client.my_token_account(&ctx),
            )
        });
        for line in stakepool::cli::verbose::derived_addresses(&ctx, signer) {
            eprintln!("{line}");
        }
    }
    let logs = client.last_logs.lock().expect("logs").clone();
    if with_logs && !logs.is_empty() {
        eprintln!("Program logs:");
        for line in logs {
            eprintln!("  {line}");
        }
    }
}

/// The cluster and signing flags given, which `simulate` has no use for.
fn cluster_flags(cli: &Cli) -> Vec<&'static str> {
    [
        (cli.url.is_some(), "--url"),
        (cli.keypair.is_some(), "--keypair"),
        (cli.fee_payer.is_some(), "--fee-payer"),
        (cli.config.is_some(), "--config"),
        (cli.commitment.is_some(), "--commitment"),
        (
            cli.with_compute_unit_price.is_some(),
            "--with-compute-unit-price",
        ),
        (
            cli.with_compute_unit_limit.is_some(),
            "--with-compute-unit-limit",
        ),
        (cli.dry_run, "--dry-run"),
        (cli.sign_only, "--sign-only"),
        (cli.blockhash.is_some(), "--blockhash"),
        (!cli.signers.is_empty(), "--signer"),
        (
            cli.skip_seed_phrase_validation,
            "--skip-seed-phrase-validation",
        ),
        (cli.verbose, "--verbose"),
        (cli.program_id.is_some(), "--program-id"),
        (cli.lending_program_id.is_some(), "--lending-program-id"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect()
}

/// Commands that only read: they run without a keypair.
fn reads_only(command: &Command) -> bool {
    matches!(
        command,
        Command::Show(Show::Pool { .. })
            | Command::Show(Show::Position { owner: Some(_), .. })
            | Command::Pools { .. }
            | Command::Positions { owner: Some(_) }
            | Command::History { owner: Some(_), .. }
    )
}

/// A spinner on stderr while the cluster answers (hidden when stderr is not a terminal, and
/// for JSON output).
fn spinner(output: OutputFormat, url: &str) -> ProgressBar {
    if output.is_json() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    spinner.set_message(format!("waiting for {url}…"));
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
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
    let printed = match output {
        OutputFormat::Display => report::display(&run),
        OutputFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report::json(&run)).expect("serialisable")
        ),
        OutputFormat::JsonCompact => format!("{}\n", report::json(&run)),
        OutputFormat::Csv => return Err("--output csv is for `history`".into()),
    };
    write_out(&printed).map_err(|failure| failure.message)?;
    if report::all_checks_hold(&run) {
        Ok(ExitCode::SUCCESS)
    } else {
        Err("a check failed (marked ✗, or \"holds\": false in JSON): the programs broke an invariant".into())
    }
}
