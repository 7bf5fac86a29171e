//! The kinds of announced change are named in one place (`changes::kind_name`): the CLI's
//! `execute-change` and `cancel-change` and the scenario format read every kind by that name,
//! so a new kind is named everywhere once it is named there.
use clap::Parser;
use stakepool::cli::{Cli, Command};
use stakepool_client::client::changes::kind_name;
use stakepool_simulation::scenario::{Action, Scenario};
use staking_pool::state::ChangeKind;

const POOL: &str = "11111111111111111111111111111111";

fn scenario_step(action: &str, change: &str) -> String {
    format!(
        "[pool]\ndecimals = 6\napr_bps = 1000\n[users]\n\
         [[step]]\nat = \"1d\"\naction = \"{action}\"\nchange = \"{change}\"\n"
    )
}

/// The names people type and scripts read in JSON: renaming one breaks them.
#[test]
fn the_names_are_the_published_ones() {
    let names: Vec<&str> = ChangeKind::ALL.into_iter().map(kind_name).collect();
    assert_eq!(
        names,
        [
            "apr",
            "reserve",
            "unbonding-period",
            "notice-period",
            "lending-market"
        ]
    );
}

#[test]
fn every_kind_is_read_by_its_one_name() {
    for kind in ChangeKind::ALL {
        let name = kind_name(kind);
        let execute = Cli::try_parse_from(["stakepool", "execute-change", "--pool", POOL, name])
            .unwrap_or_else(|e| panic!("execute-change {name}: {e}"));
        assert!(
            matches!(execute.command, Command::ExecuteChange { kind: k, .. } if k == kind),
            "execute-change {name}"
        );
        let cancel = Cli::try_parse_from(["stakepool", "cancel-change", "--pool", POOL, name])
            .unwrap_or_else(|e| panic!("cancel-change {name}: {e}"));
        assert!(
            matches!(cancel.command, Command::CancelChange { kind: k, .. } if k == kind),
            "cancel-change {name}"
        );

        let scenario = Scenario::parse(&scenario_step("execute-change", name));
        if kind == ChangeKind::LendingMarket {
            // The simulator runs one market: the name is known, the change refused as such.
            let error = scenario.unwrap_err().to_string();
            assert!(error.contains("one lending market"), "{error}");
        } else {
            let steps = scenario
                .unwrap_or_else(|e| panic!("scenario {name}: {e}"))
                .steps;
            assert_eq!(steps[0].action, Action::Execute(kind), "scenario {name}");
        }
    }
}

#[test]
fn an_unknown_kind_is_refused_with_the_names_there_are() {
    let error = Cli::try_parse_from(["stakepool", "execute-change", "--pool", POOL, "fee"])
        .unwrap_err()
        .to_string();
    for kind in ChangeKind::ALL {
        assert!(error.contains(kind_name(kind)), "{error}");
    }
    let error = Scenario::parse(&scenario_step("cancel-change", "fee"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unknown change 'fee'; use apr, reserve, unbonding-period, notice-period"),
        "{error}"
    );
}
