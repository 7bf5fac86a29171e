//! A handle: building this crate builds `mock-lending` (and so its `mock_lending.so`) with the
//! SBF workspace's profile. It adds nothing to the program.
pub use mock_lending as _;
