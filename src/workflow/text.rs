//! Small text helpers of the workflow commands: terminal column widths of Chinese text,
//! HTML escaping, YAML scalars and numbers written the way people write them.

/// Terminal columns taken by `s`: East Asian wide and full-width characters take two.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `s` padded with spaces on the right to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// `s` padded with spaces on the left to `w` columns.
pub fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

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
    fn widths_and_padding() {
        assert_eq!(width("张伟"), 4);
        assert_eq!(width("ab"), 2);
        assert_eq!(pad("张伟", 6), "张伟  ");
        assert_eq!(pad_left("3", 3), "  3");
    }

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
