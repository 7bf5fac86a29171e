//! Who signs, and how: keypair sources, `--signer PUBKEY=SIGNATURE` (a signature made by
//! `--sign-only` elsewhere), and the global flags that shape a transaction before it is signed.
use anchor_lang::prelude::Pubkey;
use solana_presigner::Presigner;
use solana_signer::null_signer::NullSigner;
use solana_signer::Signer;
use stakepool_client::client::StakeClient;
use stakepool_client::cluster::expand_home;
use stakepool_client::keypair_source::{Console, KeypairSource, SeedPhraseOptions};
use stakepool_client::transport::Signature;
use stakepool_client::transport::{Hash, Transport};

use super::args::Cli;

/// `--signer PUBKEY=SIGNATURE`.
pub fn parse_presigned(text: &str) -> Result<(Pubkey, Signature), String> {
    let (key, signature) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not PUBKEY=SIGNATURE"))?;
    let key = key
        .parse()
        .map_err(|_| format!("'{key}' is not a public key"))?;
    let signature = signature
        .parse()
        .map_err(|_| format!("'{signature}' is not a signature"))?;
    Ok((key, signature))
}

/// `--blockhash`.
pub fn parse_blockhash(text: &str) -> Result<Hash, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a blockhash"))
}

/// A `-k`/`--fee-payer` argument as a signer: a public key that a `--signer` signed for, a
/// public key that signs elsewhere (`sign_only`: it is listed as not signed here), a
/// hardware wallet (`usb://ledger`, with the `ledger` feature), or a keypair source (file,
/// `stdin`, `prompt://`, `ASK`). `name` labels the questions a seed phrase prompt asks.
pub fn signer_from(
    text: &str,
    name: &str,
    presigned: &[(Pubkey, Signature)],
    sign_only: bool,
    console: &mut Console,
    options: SeedPhraseOptions,
) -> Result<Box<dyn Signer>, String> {
    if let Ok(key) = text.parse::<Pubkey>() {
        if let Some((key, signature)) = presigned.iter().find(|(signer, _)| *signer == key) {
            return Ok(Box::new(Presigner::new(key, signature)));
        }
        if sign_only {
            return Ok(Box::new(NullSigner::new(&key)));
        }
        return Err(format!(
            "{key} is a public key: pass its signature with --signer {key}=SIGNATURE, or a keypair"
        ));
    }
    match KeypairSource::parse(&expand_home(text).to_string_lossy())? {
        KeypairSource::Usb { uri, path } => super::hardware_wallet::signer(&uri, path, name),
        source => Ok(Box::new(source.read(name, console, options)?)),
    }
}

/// The flags that shape what is sent: `--dry-run`, `--sign-only`, `--blockhash`,
/// `--with-compute-unit-limit`.
pub fn apply_flags<T: Transport>(cli: &Cli, client: &mut StakeClient<T>) {
    client.dry_run = cli.dry_run;
    client.sign_only = cli.sign_only;
    client.blockhash = cli.blockhash;
    client.unit_limit = cli.with_compute_unit_limit;
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_keypair::Keypair;

    fn signer_of(
        text: &str,
        presigned: &[(Pubkey, Signature)],
        sign_only: bool,
    ) -> Result<Box<dyn Signer>, String> {
        let console = &mut Console {
            input: &mut &b""[..],
            prompts: &mut Vec::new(),
            hide_input: false,
        };
        signer_from(
            text,
            "keypair",
            presigned,
            sign_only,
            console,
            SeedPhraseOptions::default(),
        )
    }

    #[test]
    fn a_presigned_public_key_signs_only_with_its_signature() {
        let keypair = Keypair::new();
        let signature = keypair.sign_message(b"message");
        let text = format!("{}={signature}", keypair.pubkey());
        let presigned = vec![parse_presigned(&text).unwrap()];
        let signer = signer_of(&keypair.pubkey().to_string(), &presigned, false).unwrap();
        assert_eq!(signer.pubkey(), keypair.pubkey());
        assert_eq!(signer.try_sign_message(b"message").unwrap(), signature);
        assert!(signer.try_sign_message(b"another message").is_err());
        let other = Keypair::new().pubkey().to_string();
        assert!(signer_of(&other, &presigned, false)
            .err()
            .unwrap()
            .contains("--signer"));
        // Signing only, another's key is a place for a signature made elsewhere.
        let elsewhere = signer_of(&other, &presigned, true).unwrap();
        assert_eq!(elsewhere.pubkey().to_string(), other);
        assert!(parse_presigned("nonsense").is_err());
        assert!(parse_presigned(&format!("{}=xyz", keypair.pubkey())).is_err());
    }
}
