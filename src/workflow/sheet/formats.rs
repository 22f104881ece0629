//! Excel number formats: which ones show a percentage (built-in 9 and 10, or a format code
//! with an unquoted `%`), which ones show nothing (`;;;`), and the exact percentage a
//! percent-formatted number shows.

/// What a number format hides, as (numbers, text): a code whose sections are all empty
/// (`;;;`, `;;`, `[Red];;;`) shows a blank cell for every number, and with a fourth empty
/// section for text too, though the cell holds a value.
pub fn shows_nothing(code: &str) -> (bool, bool) {
    let mut bare = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        if c == '[' {
            chars.by_ref().find(|&q| q == ']');
        } else if !c.is_whitespace() {
            bare.push(c);
        }
    }
    let numbers = !bare.is_empty() && bare.chars().all(|c| c == ';');
    (numbers, numbers && bare.len() >= 3)
}

/// True when a number format shows a percentage: an unquoted, unescaped `%` outside brackets.
pub fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => return true,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ => {}
        }
    }
    false
}

/// A number shown as a percentage, as that percentage: the shortest decimal of `x` with the
/// point moved two places (0.965 → 96.5 exactly, not 96.50000000000001).
pub fn percent_of(x: f64) -> f64 {
    let s = format!("{x}");
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut frac = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let shifted = format!(
        "{}{}{}.{}",
        if neg { "-" } else { "" },
        int,
        &frac[..2],
        &frac[2..]
    );
    shifted.parse().unwrap_or(x * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_that_show_nothing() {
        for (code, hides) in [
            (";;;", (true, true)),
            ("[Red];;;", (true, true)),
            (";;", (true, false)),
            (";", (true, false)),
            ("0;;", (false, false)),
            ("", (false, false)),
            ("0.0%", (false, false)),
            (";;;@", (false, false)),
        ] {
            assert_eq!(shows_nothing(code), hides, "{code}");
        }
    }

    #[test]
    fn percent_formats_and_values() {
        assert!(is_percent_format("0.0%"));
        assert!(is_percent_format("[Red]0.00%;-0%"));
        assert!(!is_percent_format("0.0\"%\""));
        assert!(!is_percent_format("0.0\\%"));
        assert!(!is_percent_format("0.00"));
        assert_eq!(percent_of(0.965), 96.5);
        assert_eq!(percent_of(0.957), 95.7);
        assert_eq!(percent_of(1.0), 100.0);
        assert_eq!(percent_of(0.5), 50.0);
        assert_eq!(percent_of(-0.0123), -1.23);
        assert_eq!(percent_of(0.0000001), 0.00001);
    }
}
