//! The SBF tier's harness: the staking pool's `.so` files (built by `scripts/build-sbf.sh`)
//! executed by Agave 4.2's BPF loader through Mollusk. The scenario tests in `tests/` check
//! balances, state, exact error codes and the events decoded from the logs; the `cu-bench`
//! binary measures compute units against a floor program built the same way.
pub mod bench;
pub mod events;
pub mod floor;
pub mod svm;
pub mod world;

pub use svm::{Outcome, Svm, VmError};
pub use world::{User, World};
