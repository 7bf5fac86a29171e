//! The `stakepool` command line: a thin clap layer over `StakeClient`. It lives in the library
//! so the tests can run every command in-process through the same code that talks to RPC.
mod amount_input;
pub mod args;
mod commands;
pub mod discovery;
pub mod execute;
pub mod hardware_wallet;
pub mod history;
mod report;
pub mod signing;
pub mod verbose;

pub use args::{Cli, Command, OutputFormat, Show};
pub use execute::{execute, Report};
