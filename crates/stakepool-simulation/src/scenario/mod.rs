//! `stakepool simulate`: a scenario file (or the built-in one) run against the real programs
//! in the in-process bank, step by step, through the same client code the CLI uses.
pub mod report;
pub mod runner;
pub mod spec;

pub use runner::{run, Run};
pub use spec::{Action, Amount, Scenario, ScenarioError};

/// The scenario `stakepool simulate` runs when given no file.
pub const BUILTIN: &str = include_str!("builtin.toml");
