//! Instructions only the pool's admin may call (and `accept_admin`, for the incoming admin).
pub mod accept_admin;
pub mod admin_only;
pub mod cancel_change;
pub mod propose_change;
pub mod recall_all;
pub mod set_apr;
pub mod set_lending_market;
pub mod set_params;
pub mod set_paused;
pub mod transfer_admin;

pub use accept_admin::*;
pub use admin_only::*;
pub use propose_change::*;
pub use recall_all::*;
pub use set_lending_market::*;
