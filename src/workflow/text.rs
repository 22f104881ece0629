//! Small text helpers of the workflow commands: YAML scalars and numbers written the way
//! people write them (widths, padding and HTML escaping are in [`crate::text`]).

/// A number as people write it: `96.5`, `484`, never an exponent.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = format!("{x}");
    if s.contains('e') {
        // Far outside anything a results sheet holds; keep it exact anyway.
        let s = format!("{x:.10}");
        return s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    s
}

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted.
pub fn yaml_str(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !s.starts_with([
            ' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"',
            '%', '@', '`', '~',
        ])
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['\n', '\r', '\t', ',', '[', ']', '{', '}', '"', '\\'])
        && !s.chars().any(|c| c.is_control())
        && !looks_special(s);
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// True when a plain scalar would be read as something other than a string.
fn looks_special(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | ".nan" | ".inf"
    ) || s.parse::<f64>().is_ok()
        || l.starts_with("0x")
        || l.starts_with("0o")
        || crate::model::Date::parse(s).is_some()
}

/// Column letters of a 0-based column index: 0 → A, 26 → AA (at most XFD, Excel's last).
pub fn col_name(c: usize) -> String {
    rust_xlsxwriter::column_number_to_name(c.min(16_383) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_round_trip() {
        assert_eq!(yaml_str("协助市场检查"), "协助市场检查");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("123"), "\"123\"");
        assert_eq!(yaml_str("true"), "\"true\"");
        assert_eq!(yaml_str("- x"), "\"- x\"");
        assert_eq!(yaml_str("说明，含逗号"), "说明，含逗号");
        assert_eq!(yaml_str("a,b"), "\"a,b\"");
    }

    #[test]
    fn numbers_and_columns() {
        assert_eq!(num(484.0), "484");
        assert_eq!(num(96.5), "96.5");
        assert_eq!(num(-0.0), "0");
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }
}
