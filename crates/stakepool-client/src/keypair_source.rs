//! Where a keypair comes from, as the Solana CLI reads `-k/--keypair` and config.yml's
//! `keypair_path`: a file, `stdin` (the JSON bytes `solana-keygen` writes), or `prompt://`
//! (a seed phrase and passphrase, derived as `solana-keygen recover prompt://` does without
//! a derivation path). `usb://ledger` needs the Solana CLI's remote-wallet stack, which this
//! build does not carry; it is refused with what to use instead.
use std::io::{BufRead, Write};
use std::path::PathBuf;

use solana_keypair::Keypair;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeypairSource {
    File(PathBuf),
    Stdin,
    /// `prompt://`, and its query (`?key=0/0`) if any.
    Prompt(String),
    Usb(String),
}

impl KeypairSource {
    fn has_derivation_path(&self) -> bool {
        matches!(self, KeypairSource::Prompt(text) if text.contains('?'))
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "stdin" | "-" => KeypairSource::Stdin,
            t if t.starts_with("prompt:") => KeypairSource::Prompt(t.to_string()),
            t if t.starts_with("usb://") => KeypairSource::Usb(t.to_string()),
            t => KeypairSource::File(PathBuf::from(t.strip_prefix("file:").unwrap_or(t))),
        }
    }

    /// Reads the keypair; `input`/`prompts` stand for the terminal (stdin/stderr).
    pub fn read(
        &self,
        input: &mut impl BufRead,
        prompts: &mut impl Write,
    ) -> Result<Keypair, String> {
        match self {
            KeypairSource::File(path) => solana_keypair::read_keypair_file(path).map_err(|e| {
                format!(
                    "cannot read the keypair {}: {e}; pass --keypair, or create one with `solana-keygen new`",
                    path.display()
                )
            }),
            KeypairSource::Stdin => solana_keypair::read_keypair(input)
                .map_err(|e| format!("cannot read a keypair from stdin (the JSON bytes `solana-keygen new` writes): {e}")),
            KeypairSource::Prompt(_) if self.has_derivation_path() => Err(
                "prompt:// with a derivation path (?key=) is not supported: use prompt:// (the legacy derivation `solana-keygen recover prompt://` uses) or a keypair file".into(),
            ),
            KeypairSource::Prompt(_) => {
                let phrase = ask(input, prompts, "seed phrase: ")?;
                if phrase.split_whitespace().count() < 12 {
                    return Err("a seed phrase has 12 or 24 words".into());
                }
                let passphrase = ask(input, prompts, "BIP39 passphrase (empty for none): ")?;
                let words = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
                solana_keypair::keypair_from_seed_phrase_and_passphrase(&words, &passphrase)
                    .map_err(|e| format!("cannot derive a keypair from that seed phrase: {e}"))
            }
            KeypairSource::Usb(url) => Err(format!(
                "{url}: hardware wallets are not supported by this build of stakepool; use a keypair file, stdin or prompt://"
            )),
        }
    }
}

fn ask(
    input: &mut impl BufRead,
    prompts: &mut impl Write,
    question: &str,
) -> Result<String, String> {
    write!(prompts, "{question}")
        .and_then(|()| prompts.flush())
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    const PHRASE: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn sources_parse_as_the_solana_cli_names_them() {
        assert_eq!(KeypairSource::parse("stdin"), KeypairSource::Stdin);
        assert_eq!(
            KeypairSource::parse("prompt://"),
            KeypairSource::Prompt("prompt://".into())
        );
        assert!(KeypairSource::parse("prompt://?key=0/0")
            .read(&mut &b""[..], &mut Vec::new())
            .unwrap_err()
            .contains("derivation path"));
        assert_eq!(
            KeypairSource::parse("usb://ledger?key=0"),
            KeypairSource::Usb("usb://ledger?key=0".into())
        );
        assert_eq!(
            KeypairSource::parse("/k/id.json"),
            KeypairSource::File("/k/id.json".into())
        );
        assert_eq!(
            KeypairSource::parse("file:/k/id.json"),
            KeypairSource::File("/k/id.json".into())
        );
    }

    #[test]
    fn a_file_and_stdin_give_the_keypair_solana_keygen_wrote() {
        let keypair = Keypair::new();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.json");
        solana_keypair::write_keypair_file(&keypair, &path).unwrap();
        let from_file = KeypairSource::File(path.clone())
            .read(&mut &b""[..], &mut Vec::new())
            .unwrap();
        assert_eq!(from_file.pubkey(), keypair.pubkey());
        let json = std::fs::read(&path).unwrap();
        let from_stdin = KeypairSource::Stdin
            .read(&mut &json[..], &mut Vec::new())
            .unwrap();
        assert_eq!(from_stdin.pubkey(), keypair.pubkey());
        let missing = KeypairSource::File(dir.path().join("none.json"))
            .read(&mut &b""[..], &mut Vec::new())
            .unwrap_err();
        assert!(missing.contains("solana-keygen new"), "{missing}");
        assert!(KeypairSource::Stdin
            .read(&mut &b"[1,2"[..], &mut Vec::new())
            .is_err());
    }

    #[test]
    fn a_seed_phrase_is_asked_for_and_derived_with_its_passphrase() {
        let mut prompts = Vec::new();
        let input = format!("{PHRASE}\nsecret\n");
        let keypair = KeypairSource::Prompt(String::new())
            .read(&mut input.as_bytes(), &mut prompts)
            .unwrap();
        let expected =
            solana_keypair::keypair_from_seed_phrase_and_passphrase(PHRASE, "secret").unwrap();
        assert_eq!(keypair.pubkey(), expected.pubkey());
        let asked = String::from_utf8(prompts).unwrap();
        assert!(
            asked.contains("seed phrase") && asked.contains("passphrase"),
            "{asked}"
        );
        // Another passphrase is another key.
        let other = KeypairSource::Prompt(String::new())
            .read(&mut format!("{PHRASE}\n\n").as_bytes(), &mut Vec::new())
            .unwrap();
        assert_ne!(other.pubkey(), keypair.pubkey());
        assert!(KeypairSource::Prompt(String::new())
            .read(&mut &b"too short\n\n"[..], &mut Vec::new())
            .is_err());
    }

    #[test]
    fn a_hardware_wallet_is_refused_with_what_to_use_instead() {
        let error = KeypairSource::Usb("usb://ledger".into())
            .read(&mut &b""[..], &mut Vec::new())
            .unwrap_err();
        assert!(error.contains("not supported by this build"), "{error}");
    }
}
