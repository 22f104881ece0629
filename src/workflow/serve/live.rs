//! The good build being served: its files rendered on request, by the same code as `build`
//! (so each has the bytes `build` writes), and kept until the next change — as Hugo's "fast
//! render mode" renders only the pages being viewed. With the cache off
//! ([`crate::cache::enabled`]) nothing rendered is kept: every request renders its file again.

use std::collections::{BTreeSet, HashMap};
use std::sync::{mpsc, Arc, Mutex};

use crate::workflow::preview::Snapshot;

/// A rendered file (or the template's error), shared by the requests for it.
pub type Rendered = Result<Arc<Vec<u8>>, String>;

/// A request to the threads rendering a build: the file's path and where to send it (`None`:
/// no such file).
type Request = (String, mpsc::Sender<Option<Rendered>>);

/// A good build being served: the path of every file of its output, and the threads that
/// render them on request. They stop once the build is replaced and its last request answered
/// (when the last `Live` is dropped, so is the channel's sender).
pub struct Live {
    /// Every file of the build's output (relative, `/`-separated).
    pub paths: BTreeSet<String>,
    requests: Mutex<mpsc::Sender<Request>>,
}

/// Threads rendering the files of one build.
const RENDERERS: usize = 2;

/// The most bytes of rendered files kept between requests: a crawl of a province preview
/// (~420 MB of pages) must not hold them all. Past it, the kept files are dropped and
/// rendered again when asked for (a manager page takes about a millisecond).
const KEPT_BYTES: usize = 64 << 20;

/// The rendered files of one build, kept for the next request of the same path.
#[derive(Default)]
struct Kept {
    files: HashMap<String, Arc<Vec<u8>>>,
    bytes: usize,
}

impl Kept {
    /// Keeps `bytes` for `path`, dropping everything kept so far if it would pass
    /// [`KEPT_BYTES`] (a file larger than that is not kept).
    fn keep(&mut self, path: String, bytes: Arc<Vec<u8>>) {
        if bytes.len() > KEPT_BYTES {
            return;
        }
        if self.bytes + bytes.len() > KEPT_BYTES {
            self.files.clear();
            self.bytes = 0;
        }
        self.bytes += bytes.len();
        if let Some(old) = self.files.insert(path, bytes) {
            self.bytes -= old.len();
        }
    }
}

impl Live {
    /// Starts the threads that render the files of `snap`; returns once they know every path.
    pub fn start(snap: Snapshot) -> Live {
        let (requests, rx) = mpsc::channel::<Request>();
        let (paths_tx, paths_rx) = mpsc::channel();
        let reuse = crate::cache::enabled();
        std::thread::spawn(move || {
            let Snapshot { built, theme, .. } = snap;
            let (site, computed, version) = (&built.site, &built.computed, &built.version);
            crate::render::on_demand(site, computed, version.as_ref(), theme, |files| {
                let _ = paths_tx.send(files.paths().into_iter().collect::<BTreeSet<_>>());
                let rx = Mutex::new(rx);
                // Files rendered since this build, kept until it is replaced (up to a cap).
                let done: Mutex<Kept> = Mutex::default();
                std::thread::scope(|s| {
                    for _ in 0..RENDERERS {
                        s.spawn(|| loop {
                            let Ok((path, reply)) = rx.lock().expect("requests").recv() else {
                                return;
                            };
                            let kept = done.lock().expect("done").files.get(&path).cloned();
                            let answer = match kept {
                                Some(bytes) => Some(Ok(bytes)),
                                None => files.render(&path).map(|r| {
                                    let lang = site.config.language;
                                    let r =
                                        r.map_err(|e| crate::diag::Localize::localize(&e, lang));
                                    let bytes = Arc::new(r?);
                                    if reuse {
                                        done.lock().expect("done").keep(path, bytes.clone());
                                    }
                                    Ok(bytes)
                                }),
                            };
                            let _ = reply.send(answer);
                        });
                    }
                });
            });
        });
        Live {
            paths: paths_rx.recv().unwrap_or_default(),
            requests: Mutex::new(requests),
        }
    }

    /// The file at `rel` (relative, `/`-separated): `None` if the output has none.
    pub fn get(&self, rel: &str) -> Option<Rendered> {
        if !self.paths.contains(rel) {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        let sent = self
            .requests
            .lock()
            .expect("requests")
            .send((rel.to_string(), tx));
        if sent.is_err() {
            return Some(Err("the renderer stopped".into()));
        }
        rx.recv()
            .unwrap_or_else(|_| Some(Err("the renderer stopped".into())))
    }

    /// True when `rel` is a folder of the output (the root, or a prefix of a file's path).
    pub fn is_dir(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return true;
        }
        let prefix = format!("{rel}/");
        self.paths
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_files_stay_under_the_cap() {
        let mut kept = Kept::default();
        let file = |n: usize| Arc::new(vec![b'x'; n]);
        kept.keep("a".into(), file(KEPT_BYTES / 2));
        kept.keep("a".into(), file(KEPT_BYTES / 4));
        assert_eq!(kept.bytes, KEPT_BYTES / 4, "a file kept again counts once");
        kept.keep("b".into(), file(KEPT_BYTES / 2));
        assert_eq!((kept.files.len(), kept.bytes), (2, KEPT_BYTES * 3 / 4));
        kept.keep("c".into(), file(KEPT_BYTES / 2));
        assert_eq!(
            kept.files.keys().collect::<Vec<_>>(),
            ["c"],
            "full: dropped, then kept"
        );
        assert_eq!(kept.bytes, KEPT_BYTES / 2);
        kept.keep("huge".into(), file(KEPT_BYTES + 1));
        assert!(!kept.files.contains_key("huge"));
        assert!(kept.bytes <= KEPT_BYTES);
    }
}
