//! Watching the site's folders for changes with the `notify` crate: `content/` and the site's
//! theme folders (`templates/`, `static/`, `i18n/`, `themes/`), each recursively, and the
//! site's root itself, to see one of those folders made (a first template override) and
//! start watching it.
//!
//! The OS's notifications (inotify on Linux) are used where they are reliable. On shared and
//! network folders (NFS, SMB, a virtual machine's or WSL's shared folder, FUSE), where changes
//! made by another machine are not notified, when the OS refuses a watch (inotify's limit
//! reached), or when `RANKPRESS_WATCH=poll` is set, the folders are polled instead: every
//! [`POLL`], each file's size and modification time (to the nanosecond) are compared with the
//! last poll's (a site is a few hundred small files: well under a millisecond). `notify`'s own
//! `PollWatcher` is not used for this: in notify 8 it compares modification times in whole
//! seconds, so a second save within the same second is never seen and the preview stays
//! silently stale (fixed upstream in notify-rs/notify#981, released only in the 9.0 release
//! candidates; switch to it with notify 9). Either way sees the editors that save by writing
//! a new file and renaming it. The events are collapsed by [`settle`]: one save, one rebuild.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher};

/// The folders of a site that are watched, under its root.
pub const FOLDERS: [&str; 5] = ["content", "templates", "static", "i18n", "themes"];

/// How often the folders are compared when polling.
pub const POLL: Duration = Duration::from_millis(50);

/// After a change is seen, how long the watched folders must stay unchanged before the
/// rebuild starts: an editor's save is often several steps (a temporary file written, then
/// renamed over the old one), and a rebuild between two of them would be wasted and followed
/// at once by another.
pub const SETTLE: Duration = Duration::from_millis(30);

/// The longest wait for the folders to settle: a file written without pause for longer
/// (a large copy) is rebuilt anyway, and again once it is complete.
const SETTLE_MAX: Duration = Duration::from_secs(1);

/// What the serve loop waits for.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// Something changed under the watched folders; `Some(dir)`: a watched folder was made.
    Changed(Option<PathBuf>),
    /// SIGINT or SIGTERM: stop.
    Stop,
}

/// The watcher of a site's folders; events go to the channel given to [`Watch::start`].
pub enum Watch {
    /// The OS's notifications.
    Native(notify::RecommendedWatcher),
    /// A thread polling the folders; it stops when this is dropped.
    Poll(Arc<AtomicBool>),
}

impl Watch {
    /// Starts watching the folders of the site at `root`.
    pub fn start(root: &Path, tx: mpsc::Sender<Event>) -> Watch {
        // The OS's notifications name files by absolute paths.
        let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let root = absolute.as_path();
        let poll =
            std::env::var_os("RANKPRESS_WATCH").is_some_and(|v| v == "poll") || shared_folder(root);
        if !poll {
            if let Ok(native) = notify::recommended_watcher(handler(root, tx.clone())) {
                let mut watch = Watch::Native(native);
                if watch.add_all(root).is_ok() {
                    return watch;
                }
            }
        }
        Watch::poll(root, tx)
    }

    /// Polls the folders of the site at `root` every [`POLL`] in a thread of its own.
    fn poll(root: &Path, tx: mpsc::Sender<Event>) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (root.to_path_buf(), stop.clone());
        // Taken now: a change made once this returns is seen.
        let mut seen = files(&root);
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                std::thread::sleep(POLL);
                let now = files(&root);
                if now != seen {
                    seen = now;
                    if tx.send(Event::Changed(None)).is_err() {
                        return;
                    }
                }
            }
        });
        Watch::Poll(stop)
    }

    /// Watches the root and every watched folder that exists.
    fn add_all(&mut self, root: &Path) -> notify::Result<()> {
        if let Watch::Native(w) = self {
            w.watch(root, RecursiveMode::NonRecursive)?;
            for dir in FOLDERS.iter().map(|d| root.join(d)).filter(|d| d.is_dir()) {
                w.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }

    /// Watches a watched folder made since the start (polling sees it anyway).
    pub fn add(&mut self, dir: &Path) {
        if let Watch::Native(w) = self {
            let _ = w.watch(dir, RecursiveMode::Recursive);
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Watch::Poll(stop) = self {
            stop.store(true, Ordering::SeqCst);
        }
    }
}

/// Every file and folder under the watched folders of `root`, with its size and modification
/// time, in a stable order.
fn files(root: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut all = Vec::new();
    for dir in FOLDERS {
        for e in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let meta = e.metadata().ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            all.push((e.into_path(), len, modified));
        }
    }
    all
}

/// The handler of `notify`'s events: a change under a watched folder (or an error: the next
/// rebuild reads everything again anyway) is sent on; reads and changes of other files in
/// the root are not.
fn handler(root: &Path, tx: mpsc::Sender<Event>) -> impl notify::EventHandler {
    let root = root.to_path_buf();
    move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else {
            let _ = tx.send(Event::Changed(None));
            return;
        };
        if let EventKind::Access(kind) = event.kind {
            if kind != notify::event::AccessKind::Close(notify::event::AccessMode::Write) {
                return;
            }
        }
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(&root) else {
                continue;
            };
            let mut parts = rel.components();
            let Some(first) = parts.next() else {
                continue;
            };
            if !FOLDERS.iter().any(|f| first.as_os_str() == *f) {
                continue;
            }
            let made = parts.next().is_none() && path.is_dir();
            let _ = tx.send(Event::Changed(made.then(|| path.clone())));
            return;
        }
    }
}

/// True when `root` is on a shared or network file system, where the OS's notifications miss
/// changes made from elsewhere.
#[cfg(target_os = "linux")]
fn shared_folder(root: &Path) -> bool {
    const SHARED: [u32; 10] = [
        0x6969,      // NFS
        0x517B,      // SMB
        0xFF53_4D42, // CIFS
        0xFE53_4D42, // SMB2
        0x0102_1997, // 9P (WSL, QEMU shared folders)
        0x786F_4256, // VirtualBox shared folders
        0x6573_5546, // FUSE (sshfs and the like)
        0x6A65_6A63, // virtiofs
        0x0BD0_0BD0, // Lustre
        0x4750_4653, // GPFS
    ];
    rustix::fs::statfs(root).is_ok_and(|s| SHARED.contains(&(s.f_type as u32)))
}

/// True when `root` is on a shared or network file system (not told apart here: the OS's
/// notifications are used).
#[cfg(not(target_os = "linux"))]
fn shared_folder(_root: &Path) -> bool {
    false
}

/// After the first event of a change: takes the events that follow until none has come for
/// [`SETTLE`] (at most [`SETTLE_MAX`]); the folders made meanwhile, or `None` for a stop.
pub fn settle(rx: &mpsc::Receiver<Event>, first: Event) -> Option<Vec<PathBuf>> {
    let mut made = Vec::new();
    let mut event = first;
    let start = Instant::now();
    loop {
        match event {
            Event::Stop => return None,
            Event::Changed(dir) => made.extend(dir),
        }
        let left = SETTLE_MAX.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Some(made);
        }
        event = match rx.recv_timeout(SETTLE.min(left)) {
            Ok(e) => e,
            Err(mpsc::RecvTimeoutError::Timeout) => return Some(made),
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_events_is_one_change() {
        let (tx, rx) = mpsc::channel();
        for _ in 0..5 {
            tx.send(Event::Changed(None)).unwrap();
        }
        tx.send(Event::Changed(Some("templates".into()))).unwrap();
        let made = settle(&rx, Event::Changed(None));
        assert_eq!(made, Some(vec![PathBuf::from("templates")]));
        assert!(rx.try_recv().is_err(), "every queued event taken");
        tx.send(Event::Changed(None)).unwrap();
        tx.send(Event::Stop).unwrap();
        assert_eq!(settle(&rx, Event::Changed(None)), None, "a stop ends it");
    }

    #[test]
    fn a_saved_file_is_seen_and_a_made_folder_is_named() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir(root.join("content")).unwrap();
        for poll in [false, true] {
            let (tx, rx) = mpsc::channel();
            let watch = if poll {
                Watch::poll(root, tx)
            } else {
                Watch::start(root, tx)
            };
            assert_eq!(matches!(watch, Watch::Poll(_)), poll);
            // Not a watched folder: no event. Then a file saved in content/.
            std::fs::write(root.join("notes.txt"), format!("{poll}")).unwrap();
            std::fs::write(root.join("content/a.yaml"), format!("{poll}")).unwrap();
            let first = rx.recv_timeout(Duration::from_secs(20));
            assert_eq!(first, Ok(Event::Changed(None)), "poll: {poll}");
            let first = first.unwrap();
            let _ = settle(&rx, first);
            // A theme folder made: seen (and named, to be watched, by the OS's notifications).
            let dir = root.join(if poll { "static" } else { "templates" });
            std::fs::create_dir(&dir).unwrap();
            let e = rx.recv_timeout(Duration::from_secs(20)).unwrap();
            let want = if poll { None } else { Some(dir) };
            assert_eq!(e, Event::Changed(want));
        }
    }
}
