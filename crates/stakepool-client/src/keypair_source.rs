//! Where a keypair comes from, read as the Solana CLI reads `-k/--keypair` and config.yml's
//! `keypair_path` (solana-clap-utils' `signer_from_path`), so one seed phrase or file gives
//! the same address in `solana` and in `stakepool`:
//! - a file (or `file:PATH`), or `stdin`/`-` (the JSON bytes `solana-keygen` writes);
//! - `prompt://`: a seed phrase and passphrase, typed without echo on a terminal, checked
//!   against BIP39's word lists and checksum (unless `--skip-seed-phrase-validation`), and
//!   derived along BIP44: `m/44'/501'` by default, `?key=ACCOUNT/CHANGE` for
//!   `m/44'/501'/ACCOUNT'/CHANGE'` (what wallet apps use, `?key=0/0` for the first), or
//!   `?full-path=m/…`;
//! - `ASK`: the same prompt with the legacy derivation (`solana-keygen new` without a path);
//! - `usb://ledger[/PUBKEY][?key=…]`: a hardware wallet, which this library only parses; the
//!   CLI signs with it when built with its `ledger` feature.
use std::io::{BufRead, Write};
use std::path::PathBuf;

use bip39::{Language, Mnemonic, Seed};
use solana_keypair::seed_derivable::keypair_from_seed_and_derivation_path;
use solana_keypair::{keypair_from_seed, Keypair};
use uriparse::URIReference;

pub use solana_derivation_path::DerivationPath;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeypairSource {
    File(PathBuf),
    Stdin,
    /// `prompt://` (`legacy: false`, along `path` or BIP44's `m/44'/501'`) or `ASK`
    /// (`legacy: true`: the seed's first 32 bytes, as `keypair_from_seed` takes them).
    SeedPhrase {
        path: Option<DerivationPath>,
        legacy: bool,
    },
    /// `usb://…`, whole (the locator), and its `?key=` path.
    Usb {
        uri: String,
        path: Option<DerivationPath>,
    },
}

/// Where questions are asked and answered: the terminal, or (tests, a piped stdin) lines
/// read from `input`. With `hide_input`, secrets are read from the terminal without echo.
pub struct Console<'a> {
    pub input: &'a mut dyn BufRead,
    pub prompts: &'a mut dyn Write,
    pub hide_input: bool,
}

impl Console<'_> {
    fn ask_secret(&mut self, question: &str) -> Result<String, String> {
        if self.hide_input {
            return rpassword::prompt_password(question).map_err(|e| e.to_string());
        }
        write!(self.prompts, "{question}")
            .and_then(|()| self.prompts.flush())
            .map_err(|e| e.to_string())?;
        let mut line = String::new();
        self.input.read_line(&mut line).map_err(|e| e.to_string())?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// How a seed phrase is taken.
#[derive(Clone, Copy, Debug, Default)]
pub struct SeedPhraseOptions {
    /// `--skip-seed-phrase-validation`: take a phrase that is not BIP39 (not from its word
    /// lists, or failing its checksum) as it is, as the Solana CLI's flag does.
    pub skip_validation: bool,
}

impl KeypairSource {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "stdin" | "stdin:" | "stdin://" | "-" => return Ok(KeypairSource::Stdin),
            "ASK" => {
                return Ok(KeypairSource::SeedPhrase {
                    path: None,
                    legacy: true,
                })
            }
            _ => {}
        }
        let scheme = text.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("prompt") => Ok(KeypairSource::SeedPhrase {
                path: derivation_path(text, DerivationPath::from_uri_any_query)?,
                legacy: false,
            }),
            Some("usb") => Ok(KeypairSource::Usb {
                uri: text.to_string(),
                path: derivation_path(text, DerivationPath::from_uri_key_query)?,
            }),
            Some("file") => Ok(KeypairSource::File(PathBuf::from(
                text["file:".len()..].trim_start_matches("//"),
            ))),
            _ => Ok(KeypairSource::File(PathBuf::from(text))),
        }
    }

    /// Reads the keypair; `name` (keypair, fee-payer) labels the questions asked.
    pub fn read(
        &self,
        name: &str,
        console: &mut Console,
        options: SeedPhraseOptions,
    ) -> Result<Keypair, String> {
        match self {
            KeypairSource::File(path) => solana_keypair::read_keypair_file(path).map_err(|e| {
                format!(
                    "cannot read the keypair {}: {e}; pass --keypair, or create one with `solana-keygen new`",
                    path.display()
                )
            }),
            KeypairSource::Stdin => solana_keypair::read_keypair(&mut console.input)
                .map_err(|e| format!("cannot read a keypair from stdin (the JSON bytes `solana-keygen new` writes): {e}")),
            KeypairSource::SeedPhrase { path, legacy } => {
                seed_phrase_keypair(name, console, options, path.clone(), *legacy)
            }
            KeypairSource::Usb { uri, .. } => Err(format!(
                "{uri} is a hardware wallet, not a keypair: only the stakepool CLI built with its `ledger` feature signs with one"
            )),
        }
    }
}

fn derivation_path(
    text: &str,
    from_query: fn(
        &URIReference<'_>,
    )
        -> Result<Option<DerivationPath>, solana_derivation_path::DerivationPathError>,
) -> Result<Option<DerivationPath>, String> {
    let uri = URIReference::try_from(text).map_err(|e| format!("{text}: {e}"))?;
    from_query(&uri).map_err(|e| format!("{text}: {e}"))
}

/// solana-clap-utils' `keypair_from_seed_phrase`: the phrase, then the passphrase (asked twice
/// when not empty), then the derivation.
fn seed_phrase_keypair(
    name: &str,
    console: &mut Console,
    options: SeedPhraseOptions,
    path: Option<DerivationPath>,
    legacy: bool,
) -> Result<Keypair, String> {
    let phrase = console.ask_secret(&format!("[{name}] seed phrase: "))?;
    let words = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    let mnemonic = if options.skip_validation {
        None
    } else {
        Some(mnemonic(&words)?)
    };
    let passphrase = console.ask_secret(&format!(
        "[{name}] If this seed phrase has an associated passphrase, enter it now. Otherwise, press ENTER to continue: "
    ))?;
    if !passphrase.is_empty() && console.ask_secret("Enter same passphrase again: ")? != passphrase
    {
        return Err("the passphrases did not match".into());
    }
    let seed = match &mnemonic {
        Some(mnemonic) => Seed::new(mnemonic, &passphrase).as_bytes().to_vec(),
        None => {
            solana_seed_phrase::generate_seed_from_seed_phrase_and_passphrase(&words, &passphrase)
        }
    };
    let keypair = if legacy {
        keypair_from_seed(&seed)
    } else {
        keypair_from_seed_and_derivation_path(&seed, path)
    };
    keypair.map_err(|e| format!("cannot derive a keypair from that seed phrase: {e}"))
}

/// The phrase as a BIP39 mnemonic in any of the languages the Solana CLI tries.
fn mnemonic(words: &str) -> Result<Mnemonic, String> {
    [
        Language::English,
        Language::ChineseSimplified,
        Language::ChineseTraditional,
        Language::Japanese,
        Language::Spanish,
        Language::Korean,
        Language::French,
        Language::Italian,
    ]
    .into_iter()
    .find_map(|language| Mnemonic::from_phrase(words, language).ok())
    .ok_or_else(|| {
        "that is not a BIP39 seed phrase (a word is not in the word list, the word count is wrong, \
         or the checksum fails): check it, or pass --skip-seed-phrase-validation for a phrase \
         that is not BIP39"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    /// BIP39's test phrase. Wallet apps derive its first Solana account, m/44'/501'/0'/0',
    /// as HAgk14Jp…KpqK: a vector from outside this code.
    const PHRASE: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const FIRST_WALLET_ACCOUNT: &str = "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk";

    fn read_with(
        source: &str,
        answers: &str,
        options: SeedPhraseOptions,
    ) -> Result<Keypair, String> {
        let mut input = answers.as_bytes();
        let mut prompts = Vec::new();
        let mut console = Console {
            input: &mut input,
            prompts: &mut prompts,
            hide_input: false,
        };
        KeypairSource::parse(source)?.read("keypair", &mut console, options)
    }

    fn read(source: &str, answers: &str) -> Result<Keypair, String> {
        read_with(source, answers, SeedPhraseOptions::default())
    }

    #[test]
    fn sources_parse_as_the_solana_cli_names_them() {
        let parse = |text| KeypairSource::parse(text).unwrap();
        assert_eq!(parse("stdin"), KeypairSource::Stdin);
        assert_eq!(parse("-"), KeypairSource::Stdin);
        assert_eq!(
            parse("prompt://"),
            KeypairSource::SeedPhrase {
                path: None,
                legacy: false
            }
        );
        assert_eq!(
            parse("prompt://?key=1/2"),
            KeypairSource::SeedPhrase {
                path: Some(DerivationPath::new_bip44(Some(1), Some(2))),
                legacy: false
            }
        );
        assert_eq!(
            parse("ASK"),
            KeypairSource::SeedPhrase {
                path: None,
                legacy: true
            }
        );
        assert_eq!(
            parse("usb://ledger?key=0"),
            KeypairSource::Usb {
                uri: "usb://ledger?key=0".into(),
                path: Some(DerivationPath::new_bip44(Some(0), None)),
            }
        );
        assert_eq!(
            parse("/k/id.json"),
            KeypairSource::File("/k/id.json".into())
        );
        assert_eq!(
            parse("file:/k/id.json"),
            KeypairSource::File("/k/id.json".into())
        );
        assert_eq!(
            parse("file:///k/id.json"),
            KeypairSource::File("/k/id.json".into())
        );
        let bad = KeypairSource::parse("prompt://?key=a/b").unwrap_err();
        assert!(bad.contains("prompt://?key=a/b"), "{bad}");
    }

    #[test]
    fn a_file_and_stdin_give_the_keypair_solana_keygen_wrote() {
        let keypair = Keypair::new();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.json");
        solana_keypair::write_keypair_file(&keypair, &path).unwrap();
        let from_file = read(path.to_str().unwrap(), "").unwrap();
        assert_eq!(from_file.pubkey(), keypair.pubkey());
        let json = std::fs::read_to_string(&path).unwrap();
        assert_eq!(read("stdin", &json).unwrap().pubkey(), keypair.pubkey());
        let missing = read(dir.path().join("none.json").to_str().unwrap(), "").unwrap_err();
        assert!(missing.contains("solana-keygen new"), "{missing}");
        assert!(read("stdin", "[1,2").is_err());
    }

    #[test]
    fn a_seed_phrase_derives_the_address_wallet_apps_and_the_solana_cli_derive() {
        let first = read("prompt://?key=0/0", &format!("{PHRASE}\n\n")).unwrap();
        assert_eq!(first.pubkey().to_string(), FIRST_WALLET_ACCOUNT);
        // `?full-path=` names the same path in full.
        let full = read("prompt://?full-path=m/44/501/0/0", &format!("{PHRASE}\n\n")).unwrap();
        assert_eq!(full.pubkey(), first.pubkey());
        // Without a path, BIP44's m/44'/501'; ASK takes the legacy derivation. Each is its
        // own address, and ASK's is the seed's first 32 bytes.
        let default = read("prompt://", &format!("{PHRASE}\n\n")).unwrap();
        let legacy = read("ASK", &format!("{PHRASE}\n\n")).unwrap();
        let bip44 = keypair_from_seed_and_derivation_path(
            &solana_seed_phrase::generate_seed_from_seed_phrase_and_passphrase(PHRASE, ""),
            Some(DerivationPath::new_bip44(None, None)),
        )
        .unwrap();
        assert_eq!(default.pubkey(), bip44.pubkey());
        let legacy_expected =
            solana_keypair::keypair_from_seed_phrase_and_passphrase(PHRASE, "").unwrap();
        assert_eq!(legacy.pubkey(), legacy_expected.pubkey());
        assert_ne!(default.pubkey(), first.pubkey());
        assert_ne!(default.pubkey(), legacy.pubkey());
        // Whitespace between words does not matter, as in the Solana CLI.
        let spaced = read(
            "prompt://?key=0/0",
            &format!("  {}\n\n", PHRASE.replace(' ', "\t ")),
        )
        .unwrap();
        assert_eq!(spaced.pubkey(), first.pubkey());
    }

    #[test]
    fn a_passphrase_is_asked_twice_and_makes_another_key() {
        let mut input = format!("{PHRASE}\nsecret\nsecret\n");
        let mut prompts = Vec::new();
        let with_passphrase = KeypairSource::parse("prompt://?key=0/0")
            .unwrap()
            .read(
                "fee-payer",
                &mut Console {
                    input: &mut input.as_bytes(),
                    prompts: &mut prompts,
                    hide_input: false,
                },
                SeedPhraseOptions::default(),
            )
            .unwrap();
        assert_ne!(with_passphrase.pubkey().to_string(), FIRST_WALLET_ACCOUNT);
        let asked = String::from_utf8(prompts).unwrap();
        assert!(asked.starts_with("[fee-payer] seed phrase: "), "{asked}");
        assert!(
            asked.contains("associated passphrase") && asked.contains("again"),
            "{asked}"
        );
        input = format!("{PHRASE}\nsecret\nsecreT\n");
        assert_eq!(
            read("prompt://", &input).unwrap_err(),
            "the passphrases did not match"
        );
    }

    #[test]
    fn a_phrase_that_is_not_bip39_is_refused_unless_validation_is_skipped() {
        // Twelve words from the list whose checksum fails (the last word is off), a word
        // not in any list, and too few words.
        let bad_checksum = "abandon ".repeat(12);
        for phrase in [
            bad_checksum.trim(),
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandonn",
            "abandon about",
        ] {
            let error = read("prompt://", &format!("{phrase}\n\n")).unwrap_err();
            assert!(error.contains("not a BIP39 seed phrase"), "{phrase}: {error}");
            assert!(error.contains("--skip-seed-phrase-validation"), "{error}");
        }
        // Skipped, a phrase is taken as typed, derived as the Solana CLI derives it then.
        let skip = SeedPhraseOptions {
            skip_validation: true,
        };
        let taken = read_with("ASK", &format!("{}\n\n", bad_checksum.trim()), skip).unwrap();
        let expected =
            solana_keypair::keypair_from_seed_phrase_and_passphrase(bad_checksum.trim(), "")
                .unwrap();
        assert_eq!(taken.pubkey(), expected.pubkey());
        // A valid phrase gives the same key whether it was validated or not.
        let validated = read("prompt://?key=0/0", &format!("{PHRASE}\n\n")).unwrap();
        let unvalidated = read_with("prompt://?key=0/0", &format!("{PHRASE}\n\n"), skip).unwrap();
        assert_eq!(validated.pubkey(), unvalidated.pubkey());
    }

    #[test]
    fn a_hardware_wallet_is_not_read_as_a_keypair() {
        let error = read("usb://ledger", "").unwrap_err();
        assert!(error.contains("`ledger` feature"), "{error}");
    }
}
