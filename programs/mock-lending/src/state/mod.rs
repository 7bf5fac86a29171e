pub mod market;
pub mod receipt;

pub use market::*;
pub use receipt::*;
