//! One module per instruction; `handler`s are always called by module path.
#![allow(ambiguous_glob_reexports)]

pub mod authority;
pub mod deposit;
pub mod init_market;
pub mod open_receipt;
pub mod transfer_shares;
pub mod withdraw;

pub use authority::*;
pub use deposit::*;
pub use init_market::*;
pub use open_receipt::*;
pub use transfer_shares::*;
