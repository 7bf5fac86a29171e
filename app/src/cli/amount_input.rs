//! An amount as the user typed it: a UI amount of the pool's mint, or `ALL`, what the command
//! can move now, read from the cluster.
use std::future::Future;

use stakepool_client::amount::parse_ui_amount;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;

/// A UI amount of a mint with `decimals` decimals, in base units.
pub(crate) fn parse_amount(text: &str, decimals: u8) -> Result<u64, ClientError> {
    Ok(parse_ui_amount(text, decimals)?)
}

/// `ALL` (any case), as `spl-token transfer` takes it.
pub(crate) fn is_all(text: &str) -> bool {
    text.eq_ignore_ascii_case("all")
}

/// `ALL`, resolved from the cluster's state now: not for a transaction signed now and
/// completed later, whose amount must be the same both times.
pub(crate) fn resolve_all<T: Transport>(
    client: &StakeClient<T>,
    all: u64,
) -> Result<u64, ClientError> {
    if client.signs_for_later() {
        return Err(ClientError::Usage(format!(
            "ALL is read from the cluster when the command runs, so it cannot be signed for later: pass the amount (ALL is {all} base units now)"
        )));
    }
    Ok(all)
}

/// `text` in base units: `ALL` is what `all` reads from the cluster (awaited only then), any
/// other text a UI amount of a mint with `decimals` decimals.
pub(crate) async fn amount_or_all<T: Transport>(
    client: &StakeClient<T>,
    text: &str,
    decimals: u8,
    all: impl Future<Output = Result<u64, ClientError>>,
) -> Result<u64, ClientError> {
    if is_all(text) {
        resolve_all(client, all.await?)
    } else {
        parse_amount(text, decimals)
    }
}
