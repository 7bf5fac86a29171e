//! A yearly rate as people write it: basis points (`1000`) or a percentage (`10%`, `7.25%`).
//! One basis point is 0.01 %, so a percentage has at most two decimals.

/// The rate in basis points.
pub fn parse_apr(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let invalid =
        || format!("'{text}' is not a rate: give basis points (1000) or a percentage (10%, 7.25%)");
    let Some(percent) = text.strip_suffix('%') else {
        return text.parse().map_err(|_| invalid());
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = match percent.trim().split_once('.') {
        Some((whole, fraction)) if digits(fraction) => (whole, fraction),
        Some(_) => return Err(invalid()),
        None => (percent.trim(), ""),
    };
    if fraction.len() > 2 {
        return Err(format!(
            "'{text}' is finer than a basis point (0.01%): use at most two decimals"
        ));
    }
    if !digits(whole) {
        return Err(invalid());
    }
    let whole: u32 = whole.parse().map_err(|_| invalid())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    whole
        .checked_mul(100)
        .and_then(|bps| bps.checked_add(fraction))
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_and_percentages_give_the_same_rate() {
        assert_eq!(parse_apr("1000"), Ok(1000));
        assert_eq!(parse_apr("10%"), Ok(1000));
        assert_eq!(parse_apr("7.25%"), Ok(725));
        assert_eq!(parse_apr("7.5%"), Ok(750));
        assert_eq!(parse_apr("0.01%"), Ok(1));
        assert_eq!(parse_apr("0%"), Ok(0));
    }

    #[test]
    fn what_is_not_a_rate_is_refused_with_the_forms_it_takes() {
        for bad in [
            "ten",
            "10 percent",
            "%",
            ".5%",
            "1.%",
            "-1%",
            "1e3",
            "99999999999%",
        ] {
            let error = parse_apr(bad).unwrap_err();
            assert!(
                error.contains("basis points (1000) or a percentage"),
                "{bad}: {error}"
            );
        }
        assert!(parse_apr("7.125%")
            .unwrap_err()
            .contains("finer than a basis point"));
    }
}
