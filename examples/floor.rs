//! The "floor" of a build, for `bench/peer.sh`: the least work any site generator must do for
//! a workload — parse all of its YAML and write the bytes of the site it produces.
//!
//! ```sh
//! cargo run --release --example floor -- SITE REFERENCE_OUTPUT NEW_OUTPUT
//! ```
//!
//! 1. Untimed: reads every file of `REFERENCE_OUTPUT` (a rankpress build of `SITE` made
//!    beforehand) into memory, and lists `SITE/content/**/*.yaml`.
//! 2. Timed, phase "parse": reads and parses every YAML file under `SITE/content/` in
//!    parallel (rayon) into a `yaml_serde::Value`, as rankpress's loader does.
//! 3. Timed, phase "write": creates `NEW_OUTPUT` (which must not exist or be empty) with the
//!    folders of the reference and writes every file's bytes into it, in parallel, without
//!    fsync (rankpress gets its atomicity from a folder swap, not from syncing each page).
//!
//! Prints `floor_parse_s`, `floor_write_s` and `floor_s` (their sum, wall time), and
//! `floor_cpu_s` (user + system CPU time of all threads over the same span), one `name value`
//! per line, on stdout. Exits 2 on a usage or I/O error, 1 if a YAML file does not parse.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, reference, out] = match <[String; 3]>::try_from(args) {
        Ok(a) => a,
        Err(_) => {
            eprintln!("usage: floor SITE REFERENCE_OUTPUT NEW_OUTPUT");
            return ExitCode::from(2);
        }
    };
    match run(Path::new(&site), Path::new(&reference), Path::new(&out)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::from(2)
        }
    }
}

/// Files (relative path, bytes) and folders (relative paths, parents first) of a tree.
type Tree = (Vec<(PathBuf, Vec<u8>)>, Vec<PathBuf>);

/// Reads every file under `dir` into memory.
fn read_tree(dir: &Path) -> std::io::Result<Tree> {
    let mut paths = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        if entry.file_type().is_dir() {
            if !rel.as_os_str().is_empty() {
                dirs.push(rel);
            }
        } else {
            paths.push(rel);
        }
    }
    let files = paths
        .into_par_iter()
        .map(|rel| std::fs::read(dir.join(&rel)).map(|bytes| (rel, bytes)))
        .collect::<std::io::Result<Vec<_>>>()?;
    Ok((files, dirs))
}

fn run(site: &Path, reference: &Path, out: &Path) -> std::io::Result<ExitCode> {
    let content = site.join("content");
    let yaml: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
        .collect();
    if yaml.is_empty() {
        return Err(std::io::Error::other(format!(
            "no YAML files under {}",
            content.display()
        )));
    }
    let (files, dirs) = read_tree(reference)?;
    if files.is_empty() {
        return Err(std::io::Error::other(format!(
            "{} holds no files",
            reference.display()
        )));
    }
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "{} exists and is not empty",
            out.display()
        )));
    }

    let c0 = cpu_s();
    let t0 = Instant::now();
    let parsed: Vec<Result<yaml_serde::Value, String>> = yaml
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            yaml_serde::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect();
    let t1 = Instant::now();
    let mut bad = false;
    for r in &parsed {
        if let Err(e) = r {
            eprintln!("floor: {e}");
            bad = true;
        }
    }

    std::fs::create_dir_all(out)?;
    for d in &dirs {
        std::fs::create_dir(out.join(d))?;
    }
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| std::fs::write(out.join(rel), bytes))?;
    let t2 = Instant::now();
    let c2 = cpu_s();
    drop(parsed);

    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!("yaml_files {}", yaml.len());
    println!("files {}", files.len());
    println!("bytes {bytes}");
    println!("floor_parse_s {:.6}", (t1 - t0).as_secs_f64());
    println!("floor_write_s {:.6}", (t2 - t1).as_secs_f64());
    println!("floor_s {:.6}", (t2 - t0).as_secs_f64());
    println!("floor_cpu_s {:.6}", c2 - c0);
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// User + system CPU time of this process (all threads) so far, in seconds.
fn cpu_s() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}
