//! A handle: building this crate builds `floor-vault` (and so its `floor_vault.so`) with the
//! SBF workspace's profile. It adds nothing to the program.
pub use floor_vault as _;
