//! The program's security.txt: where to report a vulnerability, readable from the deployed
//! program's data by explorers and `query-security-txt`. Its contact is the private
//! vulnerability reporting SECURITY.md describes; a deployment under its own id names its
//! source repository here before it builds.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "Staking pool",
    project_url: "the source repository of this program (SECURITY.md)",
    contacts: "other:private vulnerability reporting of the source repository, as SECURITY.md describes",
    policy: "SECURITY.md in the source repository: report privately, acknowledged within three working days",
    preferred_languages: "en"
}
