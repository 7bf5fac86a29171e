//! One function per command, grouped by who runs it; `execute` dispatches to them.
pub(crate) mod admin;
pub(crate) mod cranks;
pub(crate) mod market;
pub(crate) mod show;
pub(crate) mod staker;
