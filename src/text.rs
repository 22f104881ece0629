//! Plain-text and HTML helpers shared by every output: display width of Chinese text (from
//! `unicode-width`), padding, aligned text columns (bulletins' text part, `rankpress diff`),
//! HTML escaping (charts' SVG, the preview server), and the numbers, YAML scalars and column
//! letters that the sheet commands write.

use unicode_width::UnicodeWidthStr;

/// Terminal columns taken by `s`: East Asian wide and full-width characters take two.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Pads `s` to `w` columns, on the left (`right`-aligned) or on the right.
pub fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Rows of cells laid out as aligned lines: each column as wide as its widest cell, two spaces
/// between columns, `right[i]` aligning column i to the right; trailing spaces trimmed.
pub fn aligned_lines(rows: &[Vec<&str>], right: &[bool]) -> Vec<String> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| width(s)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(c, s)| pad(s, widths[c], right.get(c).copied().unwrap_or(false)))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

/// A header and rows as an aligned text table (see [`aligned_lines`]), without a final newline.
pub fn text_table(head: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut all: Vec<Vec<&str>> = vec![head.to_vec()];
    all.extend(rows.iter().map(|r| r.iter().map(String::as_str).collect()));
    aligned_lines(&all, right).join("\n").trim_end().to_string()
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
    fn pads_cjk_as_double_width() {
        assert_eq!(width("张伟ab"), 6);
        assert_eq!(pad("张伟", 6, false), "张伟  ");
        assert_eq!(pad("ab", 6, true), "    ab");
        let t = text_table(
            &["名次", "姓名"],
            &[
                vec!["1".into(), "欧阳娜娜".into()],
                vec!["10".into(), "Li".into()],
            ],
            &[true, false],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "名次  姓名");
        assert_eq!(lines[1], "   1  欧阳娜娜");
        assert_eq!(lines[2], "  10  Li");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
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
