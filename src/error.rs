//! Why a command failed, and how a command that ran to its end went: every command the command
//! line dispatches returns `Result<Outcome, Error>`; only [`crate::cmd`] prints an [`Error`]
//! (its `Display`, on standard error) and turns it into an exit code ([`crate::cmd::exit`]).

use std::fmt;

use crate::diag::{t, Lang, Problem};

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was done (exit 0).
    Done,
    /// `send` ran through but not every message is known to have been sent; it listed which
    /// (exit 3).
    NotAllSent,
}

/// Why a command failed; every message is already in the site's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The data has problems (exit 1).
    Data(Problems),
    /// A request refused for what a data file or a sheet holds: a sheet with problems or over a
    /// limit, an invalid address (exit 1, like bad data). The message says why and what to do.
    Refused(String),
    /// Bad usage: an argument that is not valid, a target folder that may not be used (exit 2).
    Usage(String),
    /// Missing input: something the command needs is not there yet — no results for the
    /// month, no `bulletin:` (or `smtp`, `pay`) settings, no bulletins written yet, no chart
    /// font, an unset credentials variable (exit 2, the same for every command). The message
    /// says what to add or run first.
    Missing(String),
    /// Reading or writing a file failed (exit 2).
    Io(String),
    /// Delivery: `send` could not deliver (the server unreachable, refusing the login or a
    /// message, the send log not writable) (exit 3).
    Send(String),
}

/// Problems in the data as a command reports them: a heading, the problems one a line, and a
/// closing line saying how many and what was (not) done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems {
    /// A line before the list (which revision's data), if any; the list is indented under it.
    pub head: Option<String>,
    /// The problems: `file:line:column: message`, or a sheet cell's `file:C7: message`.
    pub lines: Vec<String>,
    /// The closing line(s), if any.
    pub closing: Option<String>,
}

impl Error {
    /// The data's problems, closed by "N problem(s) found; nothing was built."
    pub fn data(lang: Lang, problems: &[Problem]) -> Error {
        let n = problems.len();
        Error::listed(
            problems,
            t!(
                lang,
                "发现 {} 个问题，未生成网站。",
                "{} problem(s) found; nothing was built.",
                n
            ),
        )
    }

    /// The data's problems, closed by the command's own line.
    pub fn listed(problems: &[Problem], closing: String) -> Error {
        Error::Data(Problems {
            head: None,
            lines: problems.iter().map(Problem::framed).collect(),
            closing: Some(closing),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Data(p) => {
                let indent = if p.head.is_some() { "  " } else { "" };
                let mut lines = p.head.iter().map(|h| h.to_string()).chain(
                    p.lines
                        .iter()
                        .map(|l| format!("{indent}{l}"))
                        .chain(p.closing.clone()),
                );
                if let Some(first) = lines.next() {
                    write!(f, "{first}")?;
                }
                lines.try_for_each(|l| write!(f, "\n{l}"))
            }
            Error::Refused(s)
            | Error::Usage(s)
            | Error::Missing(s)
            | Error::Io(s)
            | Error::Send(s) => {
                write!(f, "{s}")
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(line: usize) -> Problem {
        Problem {
            file: "content/managers.yaml".into(),
            line,
            column: 3,
            message: "bad".into(),
            frame: None,
        }
    }

    #[test]
    fn problems_are_listed_then_closed() {
        let e = Error::data(Lang::En, &[problem(2), problem(5)]);
        assert_eq!(
            e.to_string(),
            "content/managers.yaml:2:3: bad\ncontent/managers.yaml:5:3: bad\n\
             2 problem(s) found; nothing was built."
        );
        let e = Error::data(Lang::Zh, &[problem(2)]);
        assert!(e.to_string().ends_with("\n发现 1 个问题，未生成网站。"));
    }

    #[test]
    fn problems_under_a_heading_are_indented() {
        let e = Error::Data(Problems {
            head: Some("the data of HEAD has problems:".into()),
            lines: vec![problem(2).to_string()],
            closing: None,
        });
        assert_eq!(
            e.to_string(),
            "the data of HEAD has problems:\n  content/managers.yaml:2:3: bad"
        );
    }
}
