//! A handle: building this crate builds `staking-pool` (and so its `staking_pool.so`) with the
//! SBF workspace's profile. It adds nothing to the program.
pub use staking_pool as _;
