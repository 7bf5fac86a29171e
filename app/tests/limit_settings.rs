//! The pool's limits are declared once (`stakepool_client::limits::LimitSettings`) and every
//! front end reads every one of them: the CLI's `create-pool` and `set-params` flags, the
//! deploy config's `[pool.limits]`, a scenario's `[pool.limits]` and a `set-params` step's
//! `limits`. The names come from the type itself, so a limit added there is checked here
//! with no edit to this test; and `LimitSettings::parse` destructures the type whole, so a
//! limit nobody reads does not compile.
#![cfg(feature = "simulator")]

use clap::Parser;
use serde_json::json;
use stakepool::cli::{Cli, Command};
use stakepool_client::limits::LimitSettings;
use stakepool_migrations::DeployConfig;
use stakepool_simulation::scenario::{Action, Scenario};
use staking_pool::state::PoolLimits;

const DECIMALS: u8 = 6;
const MINT: &str = "So11111111111111111111111111111111111111112";
const POOL: &str = "11111111111111111111111111111111";

/// `name` set alone, to a value the settings accept: a whole number where the limit is an
/// amount or a share, a day where it is a period.
fn alone(name: &str) -> (String, LimitSettings) {
    ["1", "1d"]
        .into_iter()
        .find_map(|value| {
            let settings: LimitSettings = serde_json::from_value(json!({ name: value })).ok()?;
            settings
                .apply(PoolLimits::default(), DECIMALS)
                .ok()
                .map(|_| (value.to_string(), settings))
        })
        .unwrap_or_else(|| panic!("no sample value for the limit {name}"))
}

#[test]
fn every_limit_reaches_every_front_end() {
    let names = LimitSettings::names();
    assert_eq!(names.len(), 5, "{names:?}");
    for &name in names {
        let (value, expected) = alone(name);
        let flag = format!("--{}", name.replace('_', "-"));

        let create = Cli::try_parse_from([
            "stakepool",
            "create-pool",
            "--mint",
            MINT,
            "--apr-bps",
            "1",
            &flag,
            &value,
        ])
        .unwrap_or_else(|e| panic!("create-pool {flag}: {e}"));
        match create.command {
            Command::CreatePool { limits, .. } => {
                assert_eq!(limits, expected, "create-pool {flag}")
            }
            other => panic!("{other:?}"),
        }
        let set = Cli::try_parse_from(["stakepool", "set-params", "--pool", POOL, &flag, &value])
            .unwrap_or_else(|e| panic!("set-params {flag}: {e}"));
        match set.command {
            Command::SetParams { limits, .. } => assert_eq!(limits, expected, "set-params {flag}"),
            other => panic!("{other:?}"),
        }

        let config = DeployConfig::parse(&format!(
            "cluster = \"l\"\npayer = \"p\"\n[[pool]]\nname = \"a\"\nmint = \"{MINT}\"\napr_bps = 1\n\
             [pool.limits]\n{name} = \"{value}\"\n"
        ))
        .unwrap_or_else(|e| panic!("config {name}: {e}"));
        assert_eq!(config.pools[0].limits, expected, "config {name}");

        let scenario = Scenario::parse(&format!(
            "[pool]\ndecimals = {DECIMALS}\napr_bps = 1\n[pool.limits]\n{name} = \"{value}\"\n\
             [users]\n[[step]]\nat = \"1d\"\naction = \"set-params\"\nlimits = {{ {name} = \"{value}\" }}\n"
        ))
        .unwrap_or_else(|e| panic!("scenario {name}: {e}"));
        assert_eq!(
            scenario.pool.limits,
            expected.apply(PoolLimits::default(), DECIMALS).unwrap(),
            "scenario [pool.limits] {name}"
        );
        assert_eq!(
            scenario.steps[0].action,
            Action::SetParams(expected.parse(DECIMALS).unwrap()),
            "scenario step {name}"
        );
    }
}

/// The program's rules are checked where the limits are read: the same refusal, with its
/// numbers, from the CLI's parser of the settings and from a scenario.
#[test]
fn a_limit_the_program_refuses_is_refused_when_read() {
    let reserve: LimitSettings = serde_json::from_value(json!({ "reserve_bps": "10001" })).unwrap();
    let refusal = reserve.apply(PoolLimits::default(), DECIMALS).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "reserve_bps: 10001 is above 10000 (100 %)"
    );
    let notice: LimitSettings = serde_json::from_value(json!({ "notice_period": "12h" })).unwrap();
    let base = PoolLimits {
        unbonding_period: 86_400,
        ..PoolLimits::default()
    };
    assert!(notice
        .apply(base, DECIMALS)
        .unwrap_err()
        .to_string()
        .starts_with("notice_period: 12h must exceed the unbonding period (1d) by at least 1d"));
    let float = serde_json::from_value::<LimitSettings>(json!({ "min_deposit": 1.5 })).unwrap_err();
    assert!(
        float.to_string().contains("write 1.5 as a string"),
        "{float}"
    );
}
