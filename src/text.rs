//! Plain-text and HTML helpers shared by every output: display width of Chinese text (from
//! `unicode-width`), padding, aligned text columns (bulletins' text part, `rankpress diff`) and
//! HTML escaping (charts' SVG, the preview server).

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
}
