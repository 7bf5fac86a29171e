//! One module per instruction. Each has a `handler`, always called by its module path; the
//! glob re-exports exist for the Accounts types Anchor's `#[program]` expects at the root.
#![allow(ambiguous_glob_reexports)]

pub mod admin;
pub mod claim;
pub mod close_position;
pub mod compound;
pub mod deposit;
pub mod execute_change;
pub mod fund_rewards;
pub mod harvest;
pub mod initialize_pool;
pub mod open_position;
pub mod rebalance;
pub mod recognise_loss;
pub mod request_unbond;
pub mod withdraw;
pub mod withdraw_in_kind;

pub use admin::*;
pub use claim::*;
pub use close_position::*;
pub use compound::*;
pub use deposit::*;
pub use execute_change::*;
pub use fund_rewards::*;
pub use initialize_pool::*;
pub use open_position::*;
pub use request_unbond::*;
pub use withdraw::*;
pub use withdraw_in_kind::*;
