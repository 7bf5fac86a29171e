//! `-k usb://ledger[/PUBKEY][?key=ACCOUNT/CHANGE]`: a Ledger signs, through the Solana CLI's
//! own remote-wallet stack (solana-remote-wallet), so the same URI picks the same account as
//! in `solana`. It needs hidapi (libudev on Linux), so it is built only with the `ledger`
//! feature: `cargo run --features ledger --bin stakepool -- …`.
use solana_signer::Signer;
use stakepool_client::keypair_source::DerivationPath;

#[cfg(feature = "ledger")]
pub fn signer(
    uri: &str,
    path: Option<DerivationPath>,
    name: &str,
) -> Result<Box<dyn Signer>, String> {
    use solana_remote_wallet::locator::Locator;
    use solana_remote_wallet::remote_keypair::generate_remote_keypair;
    use solana_remote_wallet::remote_wallet::maybe_wallet_manager;

    let locator = Locator::new_from_path(uri).map_err(|e| format!("{uri}: {e}"))?;
    let manager = maybe_wallet_manager()
        .map_err(|e| format!("{uri}: {e}"))?
        .ok_or_else(|| {
            format!("{uri}: no hardware wallet found: connect the Ledger, unlock it and open its Solana app")
        })?;
    // `path` unset is BIP44's m/44'/501', as in the Solana CLI.
    let keypair = generate_remote_keypair(locator, path.unwrap_or_default(), &manager, false, name)
        .map_err(|e| format!("{uri}: {e}"))?;
    Ok(Box::new(keypair))
}

#[cfg(not(feature = "ledger"))]
pub fn signer(
    uri: &str,
    _path: Option<DerivationPath>,
    _name: &str,
) -> Result<Box<dyn Signer>, String> {
    Err(format!(
        "{uri}: this build of stakepool has no hardware-wallet support; build it with \
         `cargo run --features ledger --bin stakepool` (on Linux it needs libudev-dev), or use \
         a keypair file, stdin or prompt://"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a device (CI has none), a Ledger is asked for by name and nothing panics; a
    /// build without the feature says how to get one. A locator that is no hardware wallet
    /// is refused before any device is looked for.
    #[test]
    fn a_ledger_that_is_not_there_is_named() {
        let error = signer("usb://ledger", None, "keypair").err().unwrap();
        if cfg!(feature = "ledger") {
            assert!(
                error.contains("no hardware wallet found") || error.contains("hidapi"),
                "{error}"
            );
            let error = signer("usb://nosuchwallet", None, "keypair").err().unwrap();
            assert!(error.starts_with("usb://nosuchwallet: "), "{error}");
        } else {
            assert!(error.contains("--features ledger"), "{error}");
        }
    }
}
