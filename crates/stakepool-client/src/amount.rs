//! UI amounts: "1.5" of a 6-decimal mint is 1_500_000 base units. Parsing refuses anything
//! that would lose precision or is not a plain non-negative decimal number.
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("'{0}' is negative: amounts are never below zero")]
    Negative(String),
    #[error("'{0}' is not a number (use digits and at most one '.', like 1.5)")]
    NotANumber(String),
    #[error("'{input}' has more than {decimals} decimals, the mint's precision")]
    TooPrecise { input: String, decimals: u8 },
    #[error("'{0}' is larger than the largest token amount (u64 base units)")]
    TooLarge(String),
}

/// A UI amount's whole and fractional digits, when it is a plain non-negative decimal number.
fn split_ui_amount(input: &str) -> Result<(&str, &str), AmountError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.starts_with('-') {
        return Err(AmountError::Negative(text.to_string()));
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(AmountError::NotANumber(text.to_string()));
    }
    Ok((whole, fraction))
}

/// Checks a UI amount's syntax without the mint's decimals: what can be refused before any
/// network call, as `spl-token` does.
pub fn check_ui_amount_syntax(input: &str) -> Result<(), AmountError> {
    split_ui_amount(input).map(|_| ())
}

/// Parses a UI amount into base units of a mint with `decimals` decimals.
pub fn parse_ui_amount(input: &str, decimals: u8) -> Result<u64, AmountError> {
    let text = input.trim();
    let (whole, fraction) = split_ui_amount(input)?;
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > usize::from(decimals) {
        return Err(AmountError::TooPrecise {
            input: text.to_string(),
            decimals,
        });
    }
    let too_large = || AmountError::TooLarge(text.to_string());
    let scale = 10u128
        .checked_pow(u32::from(decimals))
        .ok_or_else(too_large)?;
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let fraction_units: u128 = if fraction.is_empty() {
        0
    } else {
        let padded = format!("{fraction:0<width$}", width = usize::from(decimals));
        padded.parse().map_err(|_| too_large())?
    };
    let raw = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction_units))
        .ok_or_else(too_large)?;
    u64::try_from(raw).map_err(|_| too_large())
}

/// Formats base units as a UI amount: no trailing zeros, no exponent ("1.5", "100", "0.000001").
/// Works on the digits, so any number of decimals is fine.
pub fn format_ui_amount(raw: impl Into<u128>, decimals: u8) -> String {
    let digits = raw.into().to_string();
    let decimals = usize::from(decimals);
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, fraction) = padded.split_at(padded.len() - decimals);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// Puts `"key": "1.5"` and its twin `"key_raw": "1500000"` into a JSON object: how every
/// amount appears in the CLI's and the simulator's JSON. Both are strings, as `spl-token`
/// prints them: a JSON number loses integers above 2^53 in JavaScript (a 9-decimal mint
/// passes that at ~9 million tokens).
pub fn put_json(
    map: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    raw: impl Into<u128>,
    decimals: u8,
) {
    let raw = raw.into();
    map.insert(
        key.to_string(),
        serde_json::Value::from(format_ui_amount(raw, decimals)),
    );
    map.insert(
        format!("{key}_raw"),
        serde_json::Value::from(raw.to_string()),
    );
}

/// Formats base units with thousands separators, for people ("1,234.5").
pub fn format_ui_amount_grouped(raw: impl Into<u128>, decimals: u8) -> String {
    let plain = format_ui_amount(raw, decimals);
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        grouped
    } else {
        format!("{grouped}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_amounts_parse() {
        assert_eq!(parse_ui_amount("1.5", 6), Ok(1_500_000));
        assert_eq!(parse_ui_amount("100", 6), Ok(100_000_000));
        assert_eq!(parse_ui_amount(".5", 1), Ok(5));
        assert_eq!(parse_ui_amount("2.", 2), Ok(200));
        assert_eq!(parse_ui_amount("1.500000", 6), Ok(1_500_000));
        assert_eq!(parse_ui_amount("18446744073709.551615", 6), Ok(u64::MAX));
    }

    #[test]
    fn bad_amounts_are_refused_by_name() {
        assert_eq!(parse_ui_amount("", 6), Err(AmountError::Empty));
        assert!(matches!(
            parse_ui_amount("-1", 6),
            Err(AmountError::Negative(_))
        ));
        for bad in ["abc", "1e5", "1.2.3", "+1", "1,000", ".", "0x10", "1 000"] {
            assert!(
                matches!(parse_ui_amount(bad, 6), Err(AmountError::NotANumber(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_ui_amount("1.0000001", 6),
            Err(AmountError::TooPrecise { .. })
        ));
        assert!(matches!(
            parse_ui_amount("0.5", 0),
            Err(AmountError::TooPrecise { .. })
        ));
        assert!(matches!(
            parse_ui_amount("18446744073709.551616", 6),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn formatting_trims_zeros_and_groups_thousands() {
        assert_eq!(format_ui_amount(1_500_000u64, 6), "1.5");
        assert_eq!(format_ui_amount(100_000_000u64, 6), "100");
        assert_eq!(format_ui_amount(1u64, 6), "0.000001");
        assert_eq!(format_ui_amount(0u64, 6), "0");
        assert_eq!(
            format_ui_amount_grouped(1_234_567_500_000u64, 6),
            "1,234,567.5"
        );
        assert_eq!(format_ui_amount_grouped(999_000_000u64, 6), "999");
        assert_eq!(format_ui_amount(5u64, 40), format!("0.{}5", "0".repeat(39)));
        assert_eq!(format_ui_amount(u64::MAX, 0), u64::MAX.to_string());
        // Owed amounts can pass a u64: 3,999,000,000 tokens at 12 decimals.
        assert_eq!(
            format_ui_amount_grouped(3_999_000_000u128 * 10u128.pow(12), 12),
            "3,999,000,000"
        );
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(raw in any::<u64>(), decimals in 0u8..=12) {
            prop_assert_eq!(parse_ui_amount(&format_ui_amount(raw, decimals), decimals), Ok(raw));
        }

        #[test]
        fn a_digit_beyond_the_precision_is_refused(raw in any::<u64>(), decimals in 0u8..=12, extra in 1u8..=9) {
            let scale = 10u128.pow(u32::from(decimals));
            let whole = u128::from(raw) / scale;
            let fraction = u128::from(raw) % scale;
            let digits = if decimals == 0 { String::new() } else { format!("{fraction:0>width$}", width = usize::from(decimals)) };
            let text = format!("{whole}.{digits}{extra}");
            let refused = matches!(parse_ui_amount(&text, decimals), Err(AmountError::TooPrecise { .. }));
            prop_assert!(refused, "{}", text);
        }
    }
}
