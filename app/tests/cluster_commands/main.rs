//! Every cluster command of the CLI, run end to end without a validator: arguments parsed by
//! the real clap definitions, executed by `cli::execute` on a `StakeClient` over the harness's
//! cluster transport (the in-process bank natively, the SBF build in the VM under `vm/suite`)
//! — the same code path that talks to RPC in the binary — with the state checked after each.
//! The transports that stage a network's behaviour are the harness's
//! (`stakepool_tests::cluster::doubles`).
mod changes;
mod discovery;
mod harness;
mod lending;
mod pool_commands;
mod refusals;
mod staker;
mod transactions;
