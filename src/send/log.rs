//! The send log: `ROOT/sent/YYYY-MM.log`, a text file meant to be committed with the data, so
//! that deleting a folder or sending from another checkout never sends a message twice.
//!
//! One line per event, tab-separated: the time (UTC), the event, the message's key (`team` or
//! a manager id), the hash of its content ([`crate::bulletin::content_hash`]), its Message-ID
//! and its recipients. The events: `attempt` (written and fsynced just before the message is
//! handed to the server), `sent` (the server answered 250 after its data) and `failed` (any
//! failure `send` saw: the server did not accept it). An `attempt` with nothing after it means
//! `send` was killed while that message was in flight: the server may or may not have it.
//! Lines starting with `#` are comments.
//!
//! `send` holds an OS lock on the log while it runs (`flock`, `LockFileEx`; it dies with the
//! process), so two runs at once cannot both send. Before this file existed the log lived in
//! the bulletins folder (`YYYY-MM/sent.log`, `YYYY-MM/attempts.log`); those are still read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::diag::{t, Lang};
use crate::error::Error;
use crate::model::Month;

/// The folder of the send logs, in the site root.
pub const DIR: &str = "sent";

/// The log of accepted messages of earlier versions, in the bulletins' month folder.
pub const OLD_SENT: &str = "sent.log";

/// The log of attempts of earlier versions, in the bulletins' month folder.
pub const OLD_ATTEMPTS: &str = "attempts.log";

/// `ROOT/sent/YYYY-MM.log`.
pub fn path(root: &Path, month: Month) -> PathBuf {
    root.join(DIR).join(format!("{month}.log"))
}

/// One message as handed to the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The hash of its content; `None` in a log of an earlier version (its Message-ID, itself
    /// made from a hash of the content, stands in).
    pub hash: Option<String>,
    /// The Message-ID handed to the server.
    pub message_id: String,
}

/// What the logs say of one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The last version the server accepted.
    pub sent: Option<Record>,
    /// A version handed to the server with no answer recorded: delivery unknown.
    pub in_flight: Option<Record>,
}

/// What the logs say, by key.
pub type History = BTreeMap<String, State>;

/// An event of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// About to hand the message to the server.
    Attempt,
    /// The server accepted it.
    Sent,
    /// It was not accepted.
    Failed,
}

impl Event {
    fn word(self) -> &'static str {
        match self {
            Event::Attempt => "attempt",
            Event::Sent => "sent",
            Event::Failed => "failed",
        }
    }
}

/// Applies the lines of a log (this version's format) to `h`.
fn apply(h: &mut History, text: &str) {
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let [_, event, key, hash, id, ..] = f[..] else {
            continue;
        };
        let rec = Record {
            hash: Some(hash.to_string()),
            message_id: id.to_string(),
        };
        let st = h.entry(key.to_string()).or_default();
        match event {
            "attempt" => st.in_flight = Some(rec),
            "sent" => {
                st.sent = Some(rec);
                st.in_flight = None;
            }
            "failed" => st.in_flight = None,
            _ => {}
        }
    }
}

/// Applies the logs of earlier versions: `attempts.log` (time, key, Message-ID or `-failed`)
/// and `sent.log` (time, key, Message-ID, recipients).
fn apply_old(h: &mut History, attempts: &str, sent: &str) {
    for line in attempts.lines() {
        if let [_, key, id, ..] = line.split('\t').collect::<Vec<_>>()[..] {
            let st = h.entry(key.to_string()).or_default();
            st.in_flight = (id != "-failed").then(|| Record {
                hash: None,
                message_id: id.to_string(),
            });
        }
    }
    for line in sent.lines() {
        if let [_, key, id, ..] = line.split('\t').collect::<Vec<_>>()[..] {
            let st = h.entry(key.to_string()).or_default();
            st.sent = Some(Record {
                hash: None,
                message_id: id.to_string(),
            });
            st.in_flight = None;
        }
    }
}

/// What the logs of a month say: the old ones in each of `month_dirs` (the month folders where
/// earlier versions kept bulletins: the bulletins folder's, and `output/bulletins/`'s of a site
/// not yet built with this version), then `log`'s text.
pub fn history(log: &str, month_dirs: &[PathBuf]) -> History {
    let mut h = History::new();
    for dir in month_dirs {
        let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap_or_default();
        apply_old(&mut h, &read(OLD_ATTEMPTS), &read(OLD_SENT));
    }
    apply(&mut h, log);
    h
}

/// The text of the log at `path` (empty when there is none), without locking it: for a dry
/// run, which sends nothing.
pub fn peek(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The open, locked log of a month: held for the whole run.
pub struct Log {
    file: File,
}

impl Log {
    /// Opens (creating) the log and takes its lock; refuses when another `send` holds it.
    pub fn open(path: &Path, month: Month, lang: Lang) -> Result<Log, Error> {
        let io = |e: std::io::Error| {
            Error::Io(t!(
                lang,
                "无法打开 {}：{e}",
                "cannot open {}: {e}",
                path.display()
            ))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(Error::Send(t!(
                    lang,
                    "另一个 rankpress send 正在发送 {month} 的通报（它锁定了 {}）：为避免重复发送，本次未发送任何邮件；请等它结束后再运行。",
                    "another rankpress send is sending the bulletins of {month} (it holds the lock on {}): nothing was sent, so nothing is sent twice; wait for it to finish, then run send again.",
                    path.display()
                )))
            }
            Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut log = Log { file };
        if log.file.metadata().map_err(io)?.len() == 0 {
            log.write_line(&format!(
                "# rankpress send: the {month} bulletins handed to the mail server and accepted by it; commit this file with the data (see docs/bulletin.md)"
            ))
            .map_err(io)?;
        }
        Ok(log)
    }

    /// The log's text as it is now.
    pub fn text(&mut self) -> std::io::Result<String> {
        let mut s = String::new();
        self.file.rewind()?;
        self.file.read_to_string(&mut s)?;
        Ok(s)
    }

    /// Appends an event of a message and fsyncs the log before returning.
    pub fn append(
        &mut self,
        event: Event,
        key: &str,
        hash: &str,
        message_id: &str,
        to: &[String],
    ) -> std::io::Result<()> {
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
        self.write_line(&format!(
            "{now}\t{}\t{key}\t{hash}\t{message_id}\t{}",
            event.word(),
            to.join(",")
        ))
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        writeln!(self.file, "{line}")?;
        self.file.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_event_of_each_message_counts() {
        let mut h = History::new();
        apply_old(
            &mut h,
            "t\ta\t<a1>\nt\tb\t<b1>\nt\tb\t-failed\nt\tc\t<c1>\n",
            "t\ta\t<a1>\tx@y\n",
        );
        apply(
            &mut h,
            "# comment\nt\tattempt\td\th1\t<d1>\tx\nt\tsent\td\th1\t<d1>\tx\nt\tattempt\td\th2\t<d2>\tx\nt\tattempt\te\th\t<e>\tx\nt\tfailed\te\th\t<e>\tx\n",
        );
        let rec = |h: Option<&str>, id: &str| Record {
            hash: h.map(str::to_string),
            message_id: id.into(),
        };
        assert_eq!(h["a"].sent, Some(rec(None, "<a1>")));
        assert_eq!(h["a"].in_flight, None);
        assert_eq!(h["b"], State::default());
        assert_eq!(h["c"].in_flight, Some(rec(None, "<c1>")));
        assert_eq!(h["d"].sent, Some(rec(Some("h1"), "<d1>")));
        assert_eq!(h["d"].in_flight, Some(rec(Some("h2"), "<d2>")));
        assert_eq!(h["e"], State::default());
    }
}
