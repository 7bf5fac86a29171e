pub mod pending;
pub mod pool;
pub mod position;

pub use pending::*;
pub use pool::*;
pub use position::*;
