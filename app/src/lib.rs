//! The `stakepool` CLI: argument parsing and one function per command (`cli`), over the client
//! library (`stakepool-client`) for clusters and the simulator (`stakepool-simulation`) for
//! `stakepool simulate`. A library too, so the tests run every command through the same code.
pub mod cli;
