//! `--help` as a new user reads it: every command, argument and flag says what it is for, and
//! a command's own options are listed apart from the cluster and signing options all share.
use clap::CommandFactory;
use stakepool::cli::Cli;

/// Every subcommand, depth first, with its path ("stakepool market init").
fn commands(command: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
    out.push((path.clone(), command.clone()));
    for sub in command.get_subcommands() {
        commands(sub, format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_command_argument_and_flag_has_a_description() {
    let mut all = Vec::new();
    commands(&Cli::command(), "stakepool".into(), &mut all);
    let mut missing = Vec::new();
    for (path, command) in &all {
        if command.get_about().is_none() && path != "stakepool help" {
            missing.push(format!("{path}: no description"));
        }
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() {
                missing.push(format!("{path}: {id}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_commands_own_options_are_listed_apart_from_the_shared_ones() {
    let mut cli = Cli::command();
    cli.build();
    let deposit = cli.find_subcommand_mut("deposit").unwrap();
    let help = deposit.render_long_help().to_string();
    let own = help.find("--pool").unwrap();
    let shared = help.find("Cluster and signing options:").expect(&help);
    assert!(own < shared, "{help}");
    assert!(help[shared..].contains("--url"), "{help}");
    assert!(!help[..shared].contains("--url"), "{help}");
}

#[test]
fn completion_scripts_name_the_commands() {
    let mut script = Vec::new();
    clap_complete::generate(
        clap_complete::Shell::Bash,
        &mut Cli::command(),
        "stakepool",
        &mut script,
    );
    let script = String::from_utf8(script).unwrap();
    for command in ["deposit", "history", "request-unbond", "simulate"] {
        assert!(script.contains(command), "{command}");
    }
}
