//! What a command prints: text for people and JSON for scripts, and how a transaction that
//! was sent, simulated or signed for later reads in both.
use serde_json::{json, Value};
use stakepool_client::amount::put_json;
use stakepool_client::client::{ClientError, Outcome, Sent, SignedOnly};

/// What a command prints.
#[derive(Clone, Debug)]
pub struct Report {
    pub text: String,
    pub json: Value,
    /// The report as CSV, for the commands that have one (`history`).
    pub csv: Option<String>,
}

/// A JSON object of amounts, each as `"key": "1.5"` with its `"key_raw"` twin, and the mint's
/// `decimals` they are written in.
pub(crate) fn amounts(pairs: &[(&str, u64)], decimals: u8) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("decimals".into(), json!(decimals));
    for (key, raw) in pairs {
        put_json(&mut map, key, *raw, decimals);
    }
    Value::Object(map)
}

/// A finished transaction: what was done, the signature (or the dry run's result), notes.
pub(crate) fn sent(what: String, outcome: &Outcome, mut extra: Value) -> Report {
    let mut text = String::new();
    match &outcome.sent {
        Sent::Confirmed(signature) => {
            text.push_str(&format!("✓ {what}\nSignature: {signature}"));
            extra["signature"] = json!(signature.to_string());
        }
        Sent::Simulated(simulation) => {
            let units = simulation
                .units_consumed
                .map_or(String::new(), |u| format!(" ({u} compute units)"));
            text.push_str(&format!(
                "✓ dry run: {what} would succeed{units}; nothing was sent"
            ));
            extra["dry_run"] = json!(true);
            extra["units_consumed"] = json!(simulation.units_consumed);
            extra["logs"] = json!(simulation.logs);
        }
        Sent::SignedOnly(signed) => {
            text.push_str(&signed_only_text(&what, signed));
            extra["sign_only"] = json!(true);
            extra["blockhash"] = json!(signed.blockhash.to_string());
            extra["signers"] = json!(signed
                .signers
                .iter()
                .map(|(key, signature)| json!({
                    "pubkey": key.to_string(),
                    "signature": signature.map(|s| s.to_string()),
                }))
                .collect::<Vec<_>>());
            extra["compute_unit_limit"] = json!(signed.compute_unit_limit);
            extra["compute_unit_price"] = json!(signed.compute_unit_price.to_string());
            extra["message_base64"] = json!(signed.message_base64);
            extra["message_base58"] = json!(signed.message_base58);
        }
    }
    for note in &outcome.notes {
        text.push_str(&format!("\nNote: {note}"));
    }
    extra["notes"] = json!(outcome.notes);
    extra["done"] = json!(what);
    Report {
        text,
        json: extra,
        csv: None,
    }
}

/// `--sign-only`'s report: the signatures, and the flags that complete the transaction.
fn signed_only_text(what: &str, signed: &SignedOnly) -> String {
    let mut text = format!(
        "signed, not sent: {what}\nBlockhash: {}\nSigners (Pubkey=Signature):",
        signed.blockhash
    );
    let mut complete = format!("--blockhash {}", signed.blockhash);
    for (key, signature) in &signed.signers {
        match signature {
            Some(signature) => {
                text.push_str(&format!("\n  {key}={signature}"));
                complete.push_str(&format!(" --signer {key}={signature}"));
            }
            None => text.push_str(&format!("\n  {key} (not signed here)")),
        }
    }
    if let Some(limit) = signed.compute_unit_limit {
        complete.push_str(&format!(" --with-compute-unit-limit {limit}"));
        complete.push_str(&format!(
            " --with-compute-unit-price {}",
            signed.compute_unit_price
        ));
    }
    text.push_str(&format!(
        "\nComplete it with the same command and: {complete}\nMessage (base64): {}",
        signed.message_base64
    ));
    text
}

/// A sent transaction with nothing to report beyond what was done.
pub(crate) fn simple(outcome: Outcome, what: &str) -> Result<Report, ClientError> {
    Ok(sent(what.to_string(), &outcome, json!({})))
}

/// Adds `extra`'s keys to `json` (both objects).
pub(crate) fn merge(json: &mut Value, extra: Value) {
    if let (Value::Object(map), Value::Object(extra)) = (json, extra) {
        map.extend(extra);
    }
}
