pub mod pending;
pub mod pod;
pub mod pool;
pub mod pool_handle;
pub mod position;

pub use pending::*;
pub use pod::*;
pub use pool::*;
pub use pool_handle::*;
pub use position::*;
