//! Anchor events read back from a VM run's logs. `emit!` writes one `Program data: <base64>`
//! line per event (8-byte discriminator, then the Borsh body); native runs cannot show these,
//! because natively compiled programs have no `sol_log_data` to write them with.
use anchor_lang::{AnchorDeserialize, Event};
use base64::Engine;

/// Every `T` in `logs`, in the order emitted.
pub fn all<T: Event + AnchorDeserialize>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .filter_map(|bytes| {
            let body = bytes.strip_prefix(T::DISCRIMINATOR)?;
            T::deserialize(&mut &body[..]).ok()
        })
        .collect()
}

/// The one `T` in `logs`.
///
/// # Panics
/// When there is not exactly one, with the logs (a test assertion).
pub fn one<T: Event + AnchorDeserialize>(logs: &[String]) -> T {
    let mut found = all::<T>(logs);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {} event, logs:\n{}",
        std::any::type_name::<T>(),
        logs.join("\n")
    );
    found.remove(0)
}
