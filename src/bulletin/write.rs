//! Writing a month's bulletins into the bulletins folder (`ROOT/bulletins/` by default, see
//! [`crate::confidential`]; each file atomically) and the manifest that `send` reads (and checks
//! against the data, see [`super::envelopes`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Bulletin, MonthBulletins};
use crate::diag::{Lang, Localize};
use crate::model::Month;

/// Why a month's bulletins could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The manifest could not be serialised.
    #[error("{0}")]
    Manifest(#[from] serde_json::Error),
}

impl Localize for WriteError {
    /// The message as it always was (English, the operating system's own words).
    fn localize(&self, _lang: Lang) -> String {
        self.to_string()
    }
}

/// Where `bulletin` writes the `.eml` of message `key` of `month`, relative to the bulletins
/// folder: `YYYY-MM.eml` for the team bulletin, `YYYY-MM/ID.eml` for a personal one. The only
/// files `send` sends.
pub fn eml_path(month: Month, key: &str) -> String {
    if key == "team" {
        format!("{month}.eml")
    } else {
        format!("{month}/{key}.eml")
    }
}

/// One message of a month as recorded in `BULLETINS/YYYY-MM/manifest.json`, which `send` reads.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestEntry {
    /// `team` or a manager id; the key of `sent.log`.
    pub key: String,
    /// The `.eml` file, relative to the bulletins folder.
    pub file: String,
    /// Envelope sender.
    pub from: String,
    /// Envelope recipients.
    pub to: Vec<String>,
    /// Subject (decoded).
    pub subject: String,
    /// Message-ID.
    pub message_id: String,
}

/// `BULLETINS/YYYY-MM/manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The month.
    pub month: String,
    /// Messages in sending order: the team bulletin first, then personal ones by rank.
    pub messages: Vec<ManifestEntry>,
}

/// Writes `data` to `path` atomically (see [`crate::fsutil::write_atomic`]), naming the file
/// on failure.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), WriteError> {
    // Personal bulletins may hold the person's pay: new files are readable by their owner only.
    crate::fsutil::write_atomic_as(path, data, crate::fsutil::Mode::Private).map_err(|source| {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// What [`write`](fn@write) wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Files written, relative to the bulletins folder.
    pub files: Vec<String>,
    /// Size of the team bulletin's HTML part.
    pub team_html_bytes: usize,
    /// Size of the team bulletin's `.eml`.
    pub team_eml_bytes: usize,
}

/// Writes a month's bulletins into the bulletins folder `dir` (claimed by the caller):
/// `YYYY-MM.eml`, `YYYY-MM.html` (browser preview, images in `YYYY-MM/NAME.png`), `YYYY-MM/ID.eml`
/// with its preview `YYYY-MM/ID.html` (images in `YYYY-MM/ID/NAME.png`) and
/// `YYYY-MM/manifest.json`. The personal files of an earlier run that are no longer produced are
/// removed.
pub fn write(dir: &Path, b: &MonthBulletins) -> Result<Written, WriteError> {
    let m = b.month.to_string();
    let mdir = dir.join(&m);
    let mut w = Written {
        team_html_bytes: b.team.html.len(),
        team_eml_bytes: b.team.eml.len(),
        ..Written::default()
    };
    let mut put = |rel: String, data: &[u8]| -> Result<(), WriteError> {
        write_atomic(&dir.join(&rel), data)?;
        w.files.push(rel);
        Ok(())
    };
    for i in &b.team.images {
        put(format!("{m}/{}.png", i.cid), &i.png)?;
    }
    put(format!("{m}.html"), b.team.preview_html(&m).as_bytes())?;
    let team = eml_path(b.month, "team");
    put(team.clone(), &b.team.eml)?;
    let mut messages = vec![entry(&b.team, team)];
    for p in &b.personal {
        for i in &p.images {
            put(format!("{m}/{}/{}.png", p.key, i.cid), &i.png)?;
        }
        put(
            format!("{m}/{}.html", p.key),
            p.preview_html(&p.key).as_bytes(),
        )?;
        let rel = eml_path(b.month, &p.key);
        put(rel.clone(), &p.eml)?;
        messages.push(entry(p, rel));
    }
    let manifest = Manifest {
        month: m.clone(),
        messages,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    put(format!("{m}/manifest.json"), &json)?;
    // Stale personal bulletins (a manager who lost an email, or `personal` switched off).
    if let Ok(rd) = std::fs::read_dir(&mdir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            let Some(key) = n.strip_suffix(".eml") else {
                continue;
            };
            if b.personal.iter().any(|p| p.key == key) {
                continue;
            }
            // Only what `bulletin` wrote for that key: the message, its preview and charts.
            let _ = std::fs::remove_file(e.path());
            let _ = std::fs::remove_file(mdir.join(format!("{key}.html")));
            let charts = mdir.join(key);
            for name in super::compose::PERSONAL_CHARTS {
                let _ = std::fs::remove_file(charts.join(format!("{name}.png")));
            }
            let _ = std::fs::remove_dir(charts);
        }
    }
    Ok(w)
}

fn entry(b: &Bulletin, file: String) -> ManifestEntry {
    ManifestEntry {
        key: b.key.clone(),
        file,
        from: b.from.clone(),
        to: b.to.clone(),
        subject: b.subject.clone(),
        message_id: b.message_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_error_names_the_file_and_keeps_the_os_error() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("2024-05"), "a file, not a folder").unwrap();
        let path = d.path().join("2024-05/team.eml");
        let e = write_atomic(&path, b"x").unwrap_err();
        let WriteError::Io { path: at, source } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(at, &path);
        assert_eq!(
            e.localize(Lang::Zh),
            format!("cannot write {}: {source}", path.display())
        );
    }
}
