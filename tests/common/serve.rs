//! A running `rankpress serve`, for the tests that talk to it over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running `rankpress serve` on a free port, with its stderr lines.
pub struct Serve {
    /// The process.
    pub child: std::process::Child,
    /// The port it serves on.
    pub port: u16,
    /// Lines of its stderr not yet read into `log`.
    pub lines: std::sync::mpsc::Receiver<String>,
    /// Its stderr lines up to the one with the address.
    pub log: Vec<String>,
}

impl Serve {
    /// Starts `rankpress serve --port 0` in `root`; returns once it prints its address.
    pub fn start(root: &Path) -> Serve {
        Serve::start_with(root, &[])
    }

    /// Starts `rankpress serve --port 0 ARGS…` in `root`; returns once it prints its address.
    pub fn start_with(root: &Path, args: &[&str]) -> Serve {
        Serve::start_env(root, args, &[])
    }

    /// Starts `rankpress serve --port 0 ARGS…` in `root` with the environment variables
    /// `env` set; returns once it prints its address.
    pub fn start_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rankpress"))
            .current_dir(root)
            .args(["serve", "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = std::sync::mpsc::channel::<String>();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut log = Vec::new();
        let port = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .expect("serve starts");
            log.push(line.clone());
            if let Some(i) = line.find("http://127.0.0.1:") {
                let rest = &line[i + "http://127.0.0.1:".len()..];
                break rest[..rest.find('/').unwrap()].parse().unwrap();
            }
        };
        Serve {
            child,
            port,
            lines,
            log,
        }
    }

    /// Sends raw bytes, returns the whole raw answer (the server closes the connection).
    pub fn raw(&self, request: &[u8]) -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        // The server may answer and close before reading everything: ignore write errors.
        let _ = s.write_all(request);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// GET `path`: the raw answer.
    pub fn get(&self, path: &str) -> String {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// The served build version.
    pub fn version(&self) -> String {
        let r = self.get("/__rankpress/version");
        r.split("\r\n\r\n").nth(1).unwrap_or_default().to_string()
    }

    /// Reads stderr lines into `log` until one contains `needle` (at most 20 s); returns
    /// the lines read from the one after `from` to that one.
    pub fn log_until(&mut self, from: usize, needle: &str) -> Vec<String> {
        let start = Instant::now();
        while !self.log[from..].iter().any(|l| l.contains(needle)) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {needle:?} in {:?}",
                self.log
            );
            if let Ok(l) = self.lines.recv_timeout(Duration::from_millis(200)) {
                self.log.push(l);
            }
        }
        self.log[from..].to_vec()
    }

    /// Waits until the version differs from `old`; returns the new one.
    pub fn wait_change(&self, old: &str) -> String {
        let start = Instant::now();
        loop {
            let v = self.version();
            if v != old {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no rebuild seen");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Serve {
    /// Sends `signal` to the process (`STOP` and `CONT` too).
    pub fn signal(&self, signal: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, signal).unwrap();
    }

    /// Sends `signal` and waits (at most 60 s) for the process to end; its exit status.
    pub fn stop_with(&mut self, signal: rustix::process::Signal) -> std::process::ExitStatus {
        self.signal(signal);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "serve did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
