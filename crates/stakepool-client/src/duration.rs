//! Durations as people write them (scenario offsets, unbonding periods): "30d", "12h", "1d12h", "90m", "45s", "2w", "1y", "0".
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("'{0}' is not a time offset: use numbers with s, m, h, d, w or y, like 30d, 12h or 1d12h")]
pub struct OffsetError(pub String);

pub fn parse_offset(text: &str) -> Result<i64, OffsetError> {
    let bad = || OffsetError(text.to_string());
    let text_trimmed = text.trim();
    if text_trimmed == "0" {
        return Ok(0);
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut any = false;
    for c in text_trimmed.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            'y' => 365 * 86_400,
            _ => return Err(bad()),
        };
        let value: i64 = number.parse().map_err(|_| bad())?;
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        number.clear();
        any = true;
    }
    if !number.is_empty() || !any {
        return Err(bad());
    }
    Ok(total)
}

/// The shortest way to write an offset back: "30d", "1d12h", "0".
pub fn format_offset(seconds: i64) -> String {
    if seconds == 0 {
        return "0".into();
    }
    let mut rest = seconds;
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_and_print() {
        assert_eq!(parse_offset("30d"), Ok(30 * 86_400));
        assert_eq!(parse_offset("1d12h"), Ok(36 * 3_600));
        assert_eq!(parse_offset("2w"), Ok(14 * 86_400));
        assert_eq!(parse_offset("1y"), Ok(365 * 86_400));
        assert_eq!(parse_offset("0"), Ok(0));
        assert_eq!(format_offset(36 * 3_600), "1d12h");
        assert_eq!(format_offset(365 * 86_400), "365d");
        for bad in ["", "30", "d", "3x", "-1d", "1.5d", "99999999999999999999y"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
    }
}
