//! YAML reading: a fast parse into [`Value`] trees, and a span-aware locator for problems.
//!
//! Clean data is parsed once with `yaml_serde` (libyaml; rejects duplicate keys, limits alias
//! expansion). Positions are only needed when something is wrong, so [`locate_all`] re-reads an
//! offending file with `saphyr-parser`, which reports exact spans, and finds each problem's node
//! by its logical path.

use saphyr_parser::{Event, Parser};
use std::borrow::Cow;

pub use yaml_serde::Value;

/// One step of a path from a document's root to a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// A YAML syntax or structure error with its 1-based position.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// 1-based line (0 if unknown).
    pub line: usize,
    /// 1-based column (0 if unknown).
    pub column: usize,
    /// The parser's description, without the position.
    pub message: String,
}

/// Parses one YAML document into a [`Value`]. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(SyntaxError {
            line,
            column,
            message: TOO_DEEP.to_string(),
        });
    }
    yaml_serde::from_str::<Value>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        // libyaml reports a duplicate key at its mapping; point at the second occurrence.
        if message.contains("duplicate entry") {
            if let Some((l, c)) = find_duplicate(text) {
                return SyntaxError {
                    line: l,
                    column: c,
                    message,
                };
            }
        }
        SyntaxError {
            line,
            column,
            message,
        }
    })
}

/// A position tree of a YAML document, used only to locate problems.
#[derive(Debug)]
enum Node {
    /// A scalar (or alias) with its text as written (empty for an alias).
    Scalar((usize, usize), String),
    Seq((usize, usize), Vec<Node>),
    Map((usize, usize), Vec<(String, (usize, usize), Node)>),
}

impl Node {
    fn pos(&self) -> (usize, usize) {
        match self {
            Node::Scalar(p, _) | Node::Seq(p, _) | Node::Map(p, _) => *p,
        }
    }
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Option<(Event<'a>, (usize, usize))> {
        match self.parser.next_event()? {
            Ok((ev, span)) => Some((ev, (span.start.line(), span.start.col() + 1))),
            Err(_) => None,
        }
    }

    /// Builds the node that starts with `ev`; `None` at the end of input or on error.
    fn node(&mut self, ev: Event<'a>, pos: (usize, usize), depth: usize) -> Option<Node> {
        if depth > 256 {
            return None;
        }
        match ev {
            Event::Scalar(s, ..) => Some(Node::Scalar(pos, s.to_string())),
            Event::Alias(_) => Some(Node::Scalar(pos, String::new())),
            Event::SequenceStart(..) => {
                let mut items = Vec::new();
                loop {
                    let (ev, p) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        return Some(Node::Seq(pos, items));
                    }
                    items.push(self.node(ev, p, depth + 1)?);
                }
            }
            Event::MappingStart(..) => {
                let mut entries = Vec::new();
                loop {
                    let (ev, kp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        return Some(Node::Map(pos, entries));
                    }
                    let key = match &ev {
                        Event::Scalar(s, ..) => s.to_string(),
                        _ => String::from("\u{0}"),
                    };
                    self.node(ev, kp, depth + 1)?;
                    let (vev, vp) = self.next()?;
                    let value = self.node(vev, vp, depth + 1)?;
                    entries.push((key, kp, value));
                }
            }
            _ => Some(Node::Scalar(pos, String::new())),
        }
    }

    fn document(&mut self) -> Option<Node> {
        loop {
            let (ev, pos) = self.next()?;
            match ev {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
                Event::StreamEnd | Event::DocumentEnd => return None,
                ev => return self.node(ev, pos, 0),
            }
        }
    }
}

/// The document of `text` with the position of every node. The span-aware parser refuses a tab
/// after `key:` (`satisfaction:\t195`), which the data parser accepts; a tab is one character
/// as a space is, so reading such a text with spaces for tabs gives the same positions.
fn spanned_document(text: &str) -> Option<Node> {
    let parse = |text: &str| {
        Builder {
            parser: Parser::new_from_str(text),
        }
        .document()
    };
    parse(text).or_else(|| {
        text.contains('\t')
            .then(|| parse(&text.replace('\t', " ")))
            .flatten()
    })
}

/// Finds the position (1-based line and column) of each queried path in `text`.
///
/// A query is a path and whether to point at the key of its last step rather than the value.
/// When a path does not fully exist (a missing key), the deepest existing node is given, which
/// is where the user has to add it.
pub fn locate_all(text: &str, queries: &[(&[Seg], bool)]) -> Vec<Option<(usize, usize)>> {
    let root = spanned_document(text);
    queries
        .iter()
        .map(|(path, want_key)| root.as_ref().map(|r| find(r, path, *want_key)))
        .collect()
}

/// The text of the scalar at `path` exactly as written (e.g. `60000.50`), where exact decimals
/// matter (pay, quotas); `None` when there is no scalar there.
pub fn scalar_text(text: &str, path: &[Seg]) -> Option<String> {
    let root = spanned_document(text)?;
    let mut node = &root;
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Node::Map(_, entries)) => &entries.iter().find(|(key, _, _)| key == k)?.2,
            (Seg::Index(i), Node::Seq(_, items)) => items.get(*i)?,
            _ => return None,
        };
    }
    match node {
        Node::Scalar(_, s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The position of the first key that repeats an earlier key of the same mapping.
fn find_duplicate(text: &str) -> Option<(usize, usize)> {
    fn walk(n: &Node) -> Option<(usize, usize)> {
        match n {
            Node::Scalar(..) => None,
            Node::Seq(_, items) => items.iter().find_map(walk),
            Node::Map(_, entries) => {
                let mut seen = std::collections::HashSet::new();
                for (k, kp, v) in entries {
                    if !seen.insert(k.as_str()) {
                        return Some(*kp);
                    }
                    if let Some(p) = walk(v) {
                        return Some(p);
                    }
                }
                None
            }
        }
    }
    let mut b = Builder {
        parser: Parser::new_from_str(text),
    };
    walk(&b.document()?)
}

fn find(root: &Node, path: &[Seg], want_key: bool) -> (usize, usize) {
    let mut node = root;
    // Where the user should look when a key is missing: the key of the enclosing entry.
    let mut anchor = root.pos();
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match (seg, node) {
            (Seg::Key(k), Node::Map(_, entries)) => {
                match entries.iter().find(|(key, _, _)| key == k) {
                    Some((_, kp, v)) => {
                        if last && want_key {
                            return *kp;
                        }
                        anchor = *kp;
                        node = v;
                    }
                    None => return anchor,
                }
            }
            (Seg::Index(ix), Node::Seq(_, items)) => match items.get(*ix) {
                Some(v) => {
                    anchor = v.pos();
                    node = v;
                }
                None => return anchor,
            },
            _ => return node.pos(),
        }
    }
    node.pos()
}

/// The deepest nesting of collections (lists and mappings inside each other) a data file may
/// have: `yaml_serde`'s own recursion limit. Real data nests a handful of levels.
pub const MAX_DEPTH: usize = 128;

/// The message [`parse`] gives a file nested deeper than [`MAX_DEPTH`] (`yaml_serde`'s wording
/// for the same limit, so that both are explained alike).
pub const TOO_DEEP: &str = "recursion limit exceeded";

/// Where a flow collection (`[` or `{`) opens more than [`MAX_DEPTH`] levels deep: its 1-based
/// line and column; `None` when the file nests less.
///
/// Both YAML parsers scan flow collections in time proportional to the depth at every token,
/// so a file of nothing but `[` (a million levels in a megabyte) would take minutes before
/// either refused it. This linear pass over the text runs first. It follows YAML's lexical
/// rules closely enough to skip what cannot open a collection — quoted scalars, comments,
/// block scalars (`|`, `>`), brackets inside plain text in block context — and errs towards
/// counting: a bracket it cannot rule out counts. Deep *block* nesting (indentation, `- - -`)
/// costs the parsers linear time and is refused by `yaml_serde`'s recursion limit.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    // A lone CR (an old Mac editor's line end), NEL, LS and PS end a line for libyaml as LF
    // does: the scan sees the lines it does (a comment or a block scalar ends there).
    let breaks = ['\r', '\u{85}', '\u{2028}', '\u{2029}'];
    let lines;
    let text = if text.contains(breaks) {
        let b = text.as_bytes();
        lines = text
            .char_indices()
            .map(|(i, c)| match c {
                '\r' if b.get(i + 1) == Some(&b'\n') => c,
                c if breaks.contains(&c) => '\n',
                c => c,
            })
            .collect::<String>();
        lines.as_str()
    } else {
        text
    };
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
    };
    s.block()
        .err()
        .map(|at| (at.0, text[at.1..at.2].chars().count() + 1))
}

/// The scanner of [`too_deep`]; `Err((line, line_start, offset))` where the limit is crossed.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
}

type Deep = Result<(), (usize, usize, usize)>;

fn blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl Scan<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.i;
    }

    /// Block context, line by line: finds the places where a node may start (line start,
    /// after `- `, `? `, `: `, an anchor or a tag) and what starts there.
    fn block(&mut self) -> Deep {
        // After a line ending in plain text: the least indentation at which the next line may
        // continue that text (YAML's multi-line plain scalars), where `'`, `"`, `|` and `>`
        // are plain characters rather than a scalar to skip.
        let mut plain_from: Option<usize> = None;
        while self.i < self.b.len() {
            let start = self.i;
            while self.at(self.i) == b' ' {
                self.i += 1;
            }
            let indent = self.i - start;
            let continued = plain_from.take().filter(|&c| indent >= c);
            let uncertain = continued.is_some();
            // The column of the key or `-` whose value comes next on this line.
            let mut parent: Option<usize> = None;
            let mut node_start = true;
            let mut node_col = indent;
            loop {
                let c = self.at(self.i);
                if c == b'\n' {
                    break;
                }
                if blank(c) {
                    self.i += 1;
                    continue;
                }
                if c == b'#' {
                    self.skip_line();
                    break;
                }
                let col = self.i - self.line_start;
                if !node_start {
                    // Plain text or what follows a scalar: up to `: ` (the end of a key) or
                    // ` #` (a comment).
                    while !(self.at(self.i) == b'\n'
                        || (self.at(self.i) == b'#' && blank(self.b[self.i - 1]))
                        || (self.at(self.i) == b':' && blank(self.at(self.i + 1))))
                    {
                        self.i += 1;
                    }
                    if self.at(self.i) == b':' {
                        self.i += 1;
                        parent = Some(node_col);
                        node_start = true;
                    } else {
                        let own = parent.map_or(0, |p| p + 1);
                        plain_from = Some(continued.map_or(own, |c| c.min(own)));
                    }
                    continue;
                }
                node_col = col;
                match c {
                    // A document marker (`---` or `...`) at the line start: a node may follow.
                    b'-' | b'.'
                        if col == 0
                            && self.b[self.i..].starts_with(if c == b'-' {
                                b"---"
                            } else {
                                b"..."
                            })
                            && blank(self.at(self.i + 3)) =>
                    {
                        self.i += 3;
                    }
                    b'-' | b'?' | b':' if blank(self.at(self.i + 1)) => {
                        parent = Some(col);
                        self.i += 1;
                    }
                    b'&' => {
                        self.i += 1;
                        while self.at(self.i).is_ascii_alphanumeric()
                            || matches!(self.at(self.i), b'-' | b'_')
                        {
                            self.i += 1;
                        }
                    }
                    b'!' => {
                        while !blank(self.at(self.i)) && !matches!(self.at(self.i), b'[' | b'{') {
                            self.i += 1;
                        }
                    }
                    b'[' | b'{' => {
                        self.flow(uncertain)?;
                        node_start = false;
                    }
                    b'"' | b'\'' if !uncertain => {
                        self.quoted(c);
                        node_start = false;
                    }
                    b'|' | b'>' if !uncertain => {
                        self.block_scalar(parent.unwrap_or(col));
                        break;
                    }
                    _ => node_start = false,
                }
            }
            if self.i < self.b.len() {
                self.i += 1;
                self.newline();
            }
        }
        Ok(())
    }

    fn skip_line(&mut self) {
        while self.at(self.i) != b'\n' {
            self.i += 1;
        }
    }

    /// Skips a quoted scalar starting at `self.i` (across lines, as YAML allows).
    fn quoted(&mut self, q: u8) {
        self.i += 1;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            self.i += 1;
            match c {
                b'\n' => self.newline(),
                b'\\' if q == b'"' => {
                    if self.at(self.i) == b'\n' && self.i < self.b.len() {
                        self.i += 1;
                        self.newline();
                    } else {
                        self.i += 1;
                    }
                }
                b'\'' if q == b'\'' && self.at(self.i) == b'\'' => self.i += 1,
                c if c == q => return,
                _ => {}
            }
        }
    }

    /// Skips a block scalar whose header is at `self.i`, the value of a node at column
    /// `parent`: its lines are the blank ones and those indented at least as its first line
    /// (and deeper than `parent`), as in libyaml (a larger indentation only stops sooner).
    fn block_scalar(&mut self, parent: usize) {
        self.i += 1;
        let mut explicit = None;
        while matches!(self.at(self.i), b'+' | b'-' | b'0'..=b'9') {
            if self.b[self.i].is_ascii_digit() {
                explicit = Some(usize::from(self.b[self.i] - b'0'));
            }
            self.i += 1;
        }
        self.skip_line();
        let mut indent = explicit.map(|d| parent + d);
        let mut widest = (parent + 1).max(1);
        while self.i < self.b.len() {
            // At a line break: look at the next line.
            let next = self.i + 1;
            let mut j = next;
            while self.at(j) == b' ' {
                j += 1;
            }
            let spaces = j - next;
            let empty = j >= self.b.len() || self.at(j) == b'\n' || self.at(j) == b'\r';
            let need = *indent.get_or_insert_with(|| if empty { 0 } else { spaces.max(widest) });
            if empty {
                widest = widest.max(spaces);
                if need == 0 {
                    indent = None;
                }
            } else if spaces < need {
                return;
            }
            self.i = next;
            self.newline();
            self.skip_line();
        }
    }

    /// A flow collection opening at `self.i`, to just after its end; `Err` where its nesting
    /// crosses [`MAX_DEPTH`]. Inside, YAML's flow rules are exact: a node starts after `[`,
    /// `{`, `,`, `:` or blanks; plain text ends at a flow indicator, `: ` or ` #`. When the
    /// collection may instead be plain text continued from the line before (`uncertain`),
    /// quotes are not skipped: every bracket counts.
    fn flow(&mut self, uncertain: bool) -> Deep {
        let mut depth = 0usize;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            match c {
                b'\n' => {
                    self.i += 1;
                    self.newline();
                }
                b' ' | b'\t' | b'\r' | b',' => self.i += 1,
                b'#' => self.skip_line(),
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err((self.line, self.line_start, self.i));
                    }
                    self.i += 1;
                }
                b']' | b'}' => {
                    self.i += 1;
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'"' | b'\'' if !uncertain => self.quoted(c),
                b'?' | b':' | b'-'
                    if blank(self.at(self.i + 1)) || flow_indicator(self.at(self.i + 1)) =>
                {
                    self.i += 1
                }
                _ => {
                    // Plain text, an anchor, a tag or an alias.
                    self.i += 1;
                    loop {
                        let c = self.at(self.i);
                        if self.i >= self.b.len()
                            || flow_indicator(c)
                            || (c == b':'
                                && (blank(self.at(self.i + 1))
                                    || flow_indicator(self.at(self.i + 1))))
                            || (c == b'#' && blank(self.b[self.i - 1]))
                        {
                            break;
                        }
                        if c == b'\n' {
                            self.i += 1;
                            self.newline();
                        } else {
                            self.i += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Short description of a value's YAML type, for messages.
pub fn type_name(v: &Value, zh: bool) -> Cow<'static, str> {
    let (z, e) = match v {
        Value::Null => ("空值", "an empty value"),
        Value::Bool(_) => ("布尔值", "a boolean"),
        Value::Number(_) => ("数字", "a number"),
        Value::String(_) => ("文本", "text"),
        Value::Sequence(_) => ("列表", "a list"),
        Value::Mapping(_) => ("键值映射", "a mapping"),
        Value::Tagged(_) => ("带标签的值", "a tagged value"),
    };
    Cow::Borrowed(if zh { z } else { e })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_after_a_colon_does_not_lose_the_positions() {
        let text =
            "month: 2026-01\nresults:\n  zhang-wei:\n    satisfaction:\t195\n    forecast: 9x\n";
        let forecast: Vec<Seg> = vec!["results".into(), "zhang-wei".into(), "forecast".into()];
        assert_eq!(locate_all(text, &[(&forecast, false)]), vec![Some((5, 15))]);
    }

    #[test]
    fn locates_keys_values_and_missing() {
        let text = "month: 2026-01\nresults:\n  zhang-wei:\n    sales: {actual: 1, target: 2}\n    forecast: 9x\n";
        let sales: Vec<Seg> = vec!["results".into(), "zhang-wei".into(), "sales".into()];
        let actual: Vec<Seg> = vec![
            "results".into(),
            "zhang-wei".into(),
            "sales".into(),
            "actual".into(),
        ];
        let missing: Vec<Seg> = vec!["results".into(), "zhang-wei".into(), "brand".into()];
        let got = locate_all(
            text,
            &[
                (&sales, true),
                (&actual, false),
                (&missing, false),
                (&[], false),
            ],
        );
        assert_eq!(got[0], Some((4, 5)));
        assert_eq!(got[1], Some((4, 21)));
        assert_eq!(got[2], Some((3, 3)));
        assert_eq!(got[3], Some((1, 1)));
    }

    #[test]
    fn nesting_is_measured_in_linear_time() {
        // A million levels of `[` are refused where the 129th opens.
        let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
        assert_eq!(too_deep(&deep), Some((1, MAX_DEPTH + 1)));
        let e = parse(&deep).unwrap_err();
        assert_eq!((e.line, e.column, e.message.as_str()), (1, 129, TOO_DEEP));
        // On a later line, in a mapping, with columns counted in characters.
        let map = format!("名字: 张伟\nnote:   {}x", "{a: ".repeat(200));
        assert_eq!(too_deep(&map), Some((2, 9 + 4 * MAX_DEPTH)));
        // Exactly the limit passes.
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(too_deep(&ok), None);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn brackets_that_open_nothing_do_not_count() {
        let open = "[".repeat(300);
        for text in [
            format!("note: \"{open}\"\n"),
            format!("note: '{open}''s'\nb: [1, '{open}']\n"),
            format!("note: 见{open}附件\n  续行 {open}\n"),
            format!("a: 1 # {open}\n# {open}\n"),
            format!("note: |\n  {open}\n\n  {open}\nb: {{c: \"{open}\"}}\n"),
            format!("- note: >-\n    {open}\n  b: [x#y, \"{open}\"] # {open}\n"),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
            assert!(parse(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn brackets_that_may_open_collections_count() {
        let open = "[".repeat(300);
        // A line that may continue the plain text above it: its quote is not skipped to the
        // next line.
        let text = format!("a: b\n  'x\nc: {open}'\n");
        assert_eq!(too_deep(&text), Some((3, 4 + MAX_DEPTH)));
        // A block scalar's text ends where a line is less indented.
        let text = format!("- a: |\n    x\n  b: {open}\n");
        assert_eq!(too_deep(&text), Some((3, 6 + MAX_DEPTH)));
        // After a document marker, and on a line that a lone CR (an old Mac line ending)
        // begins: the parsers read both as a collection (issue 18 item 17, red team).
        assert_eq!(too_deep(&format!("--- {open}")), Some((1, 5 + MAX_DEPTH)));
        assert_eq!(
            too_deep(&format!("%YAML 1.2\n--- {open}")),
            Some((2, 5 + MAX_DEPTH))
        );
        assert_eq!(
            too_deep(&format!("a: 1\n...\n--- {open}")),
            Some((3, 5 + MAX_DEPTH))
        );
        assert_eq!(too_deep(&format!("# c\r{open}")), Some((2, 1 + MAX_DEPTH)));
        assert_eq!(
            too_deep(&format!("a: |\r  x\rb: {open}")),
            Some((3, 4 + MAX_DEPTH))
        );
        assert_eq!(
            too_deep(&format!("a: 1\r\nb: {open}")),
            Some((2, 4 + MAX_DEPTH))
        );
        for nl in ['\u{85}', '\u{2028}', '\u{2029}'] {
            assert_eq!(
                too_deep(&format!("# 注{nl}{open}")),
                Some((2, 1 + MAX_DEPTH))
            );
        }
        // An anchor or a tag right before the bracket.
        assert!(too_deep(&format!("a: &x{open}")).is_some());
        assert!(too_deep(&format!("a: !t{open}")).is_some());
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert_eq!(e.line, 3);
    }
}
