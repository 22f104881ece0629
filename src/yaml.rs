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

/// Finds the position (1-based line and column) of each queried path in `text`.
///
/// A query is a path and whether to point at the key of its last step rather than the value.
/// When a path does not fully exist (a missing key), the deepest existing node is given, which
/// is where the user has to add it.
pub fn locate_all(text: &str, queries: &[(&[Seg], bool)]) -> Vec<Option<(usize, usize)>> {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
    };
    let root = b.document();
    queries
        .iter()
        .map(|(path, want_key)| root.as_ref().map(|r| find(r, path, *want_key)))
        .collect()
}

/// The text of the scalar at `path` exactly as written (e.g. `60000.50`), where exact decimals
/// matter (pay, quotas); `None` when there is no scalar there.
pub fn scalar_text(text: &str, path: &[Seg]) -> Option<String> {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
    };
    let mut node = &b.document()?;
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
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert_eq!(e.line, 3);
    }
}
