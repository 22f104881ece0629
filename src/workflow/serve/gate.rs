//! The thin accept layer in front of `tiny_http`: it holds the limits tiny_http has no setting
//! for, and hands every admitted connection to the tiny_http server over a private local socket.
//!
//! tiny_http reads a request head without a limit (one endless header line grows its buffer
//! forever), waits for a client's bytes without a timeout, and gives no handle on its
//! connections, so it can neither cap them nor close the oldest. This layer accepts on the
//! public address and, for each connection:
//!
//! - admits it into [`Connections`]: at [`MAX_CONNECTIONS`] open (or [`MAX_PER_CLIENT`] for one
//!   client address) the oldest connection of the client holding the most is closed, so idle or
//!   slow connections never shut out a page or the live-reload poll;
//! - relays its bytes to tiny_http, counting each request head ([`Heads`]): a request line
//!   longer than [`MAX_HEAD`] is answered 414, longer headers 431, as web servers do;
//! - closes it after [`IDLE_TIMEOUT`] without a byte from the client.
//!
//! The private socket is a Unix socket in a folder only this user can open (elsewhere, a
//! loopback port), so the limits cannot be bypassed from another account.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest request head (request line and headers) relayed, as web servers cap it.
pub const MAX_HEAD: usize = 8 * 1024;

/// How long a connection may stay without sending a byte (in a request head, or between two
/// requests) before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections open at once. A new connection beyond it (or beyond [`MAX_PER_CLIENT`]) closes
/// the oldest one of the client holding the most, rather than being turned away: requests are
/// answered in milliseconds, so the oldest connections are the idle ones (a browser's
/// pre-connections, or someone holding connections open), and they cannot shut out the pages'
/// requests and the live-reload poll.
const MAX_CONNECTIONS: usize = 128;

/// Connections one client address may hold open at once.
const MAX_PER_CLIENT: usize = 32;

/// Open files one connection takes: its socket and the gate's two handles on it, the private
/// socket's two handles on the gate's side and two on tiny_http's.
const FILES_PER_CONNECTION: u64 = 7;

/// Raises the process's soft limit of open files (1024 by default on Linux) so that
/// [`MAX_CONNECTIONS`] fit with room for the files a rebuild reads, within the hard limit:
/// tiny_http stops accepting for good at its first failed accept.
#[cfg(unix)]
fn room_for_connections() {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let want = MAX_CONNECTIONS as u64 * FILES_PER_CONNECTION + 1024;
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current.is_some_and(|now| now < want) {
        limit.current = Some(limit.maximum.map_or(want, |max| max.min(want)));
        let _ = setrlimit(Resource::Nofile, limit);
    }
}

/// The open connections, oldest first, so that a new one can close the oldest.
#[derive(Default)]
struct Connections {
    next: u64,
    open: Vec<Open>,
}

/// An open connection: its number, client address and a handle to shut it down.
struct Open {
    id: u64,
    client: IpAddr,
    stream: TcpStream,
}

impl Connections {
    /// Makes room for a connection from `client` (closing the oldest connection of the client
    /// holding the most, when full), then registers it; its number, or `None` if it cannot be
    /// registered (its handle could not be cloned).
    fn admit(&mut self, client: IpAddr, stream: &TcpStream) -> Option<u64> {
        let own = self.open.iter().filter(|o| o.client == client).count();
        let victim = if own >= MAX_PER_CLIENT {
            Some(client)
        } else if self.open.len() >= MAX_CONNECTIONS {
            let mut counts: HashMap<IpAddr, usize> = HashMap::new();
            for o in &self.open {
                *counts.entry(o.client).or_default() += 1;
            }
            counts.into_iter().max_by_key(|c| c.1).map(|c| c.0)
        } else {
            None
        };
        if let Some(i) = victim.and_then(|v| self.open.iter().position(|o| o.client == v)) {
            let old = self.open.remove(i);
            let _ = old.stream.shutdown(Shutdown::Both);
        }
        let stream = stream.try_clone().ok()?;
        self.next += 1;
        self.open.push(Open {
            id: self.next,
            client,
            stream,
        });
        Some(self.next)
    }

    /// Forgets a connection that has ended.
    fn close(&mut self, id: u64) {
        self.open.retain(|o| o.id != id);
    }
}

/// Why a request head is refused.
#[derive(Debug, PartialEq)]
enum Over {
    /// The request line alone is longer than [`MAX_HEAD`]: 414.
    UriTooLong,
    /// The headers are longer than [`MAX_HEAD`]: 431.
    HeadersTooLarge,
}

impl Over {
    /// The raw answer (the connection is closed after it).
    fn answer(&self) -> String {
        let (status, body) = match self {
            Over::UriTooLong => ("414 URI Too Long", "request line too long\n"),
            Over::HeadersTooLarge => (
                "431 Request Header Fields Too Large",
                "request headers too large\n",
            ),
        };
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }
}

/// The length of the request head being received (the server answers GET and HEAD only, so
/// every byte a client sends belongs to a head; a head ends at an empty line).
#[derive(Default)]
struct Heads {
    len: usize,
    newline: bool,
    /// The last four bytes, to see `\r\n\r\n` across reads.
    tail: u32,
}

impl Heads {
    /// Counts `bytes`; refuses the head they belong to once it passes [`MAX_HEAD`].
    fn feed(&mut self, bytes: &[u8]) -> Result<(), Over> {
        for &b in bytes {
            self.tail = (self.tail << 8) | u32::from(b);
            if self.tail == u32::from_be_bytes(*b"\r\n\r\n") {
                *self = Heads::default();
                continue;
            }
            self.len += 1;
            self.newline |= b == b'\n';
            if self.len > MAX_HEAD {
                return Err(if self.newline {
                    Over::HeadersTooLarge
                } else {
                    Over::UriTooLong
                });
            }
        }
        Ok(())
    }
}

/// A connection to the tiny_http server behind the gate.
enum Inner {
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixStream),
    Tcp(TcpStream),
}

impl Inner {
    fn try_clone(&self) -> std::io::Result<Inner> {
        Ok(match self {
            #[cfg(unix)]
            Inner::Unix(s) => Inner::Unix(s.try_clone()?),
            Inner::Tcp(s) => Inner::Tcp(s.try_clone()?),
        })
    }

    fn shutdown(&self, how: Shutdown) {
        let _ = match self {
            #[cfg(unix)]
            Inner::Unix(s) => s.shutdown(how),
            Inner::Tcp(s) => s.shutdown(how),
        };
    }
}

impl Read for Inner {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            #[cfg(unix)]
            Inner::Unix(s) => s.read(buf),
            Inner::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Inner {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            #[cfg(unix)]
            Inner::Unix(s) => s.write(buf),
            Inner::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the tiny_http server behind the gate listens.
enum Behind {
    #[cfg(unix)]
    Unix(std::path::PathBuf),
    Tcp(std::net::SocketAddr),
}

impl Behind {
    fn connect(&self) -> std::io::Result<Inner> {
        match self {
            #[cfg(unix)]
            Behind::Unix(path) => std::os::unix::net::UnixStream::connect(path).map(Inner::Unix),
            Behind::Tcp(addr) => TcpStream::connect(addr).map(Inner::Tcp),
        }
    }
}

/// The tiny_http server behind the gate, with the private folder of its socket (removed when
/// this is dropped).
pub struct Server {
    /// The server: its requests are taken with `recv`.
    pub http: tiny_http::Server,
    behind: Behind,
    /// The private folder of the inner socket, removed by [`Server::close`] (the gate's thread
    /// holds the server for ever, so it is never dropped).
    dir: Mutex<Option<tempfile::TempDir>>,
}

impl Server {
    /// Starts the tiny_http server on a private socket (a Unix socket in a new folder only this
    /// user can open; else a loopback port).
    pub fn start() -> std::io::Result<Server> {
        #[cfg(unix)]
        room_for_connections();
        #[cfg(unix)]
        if let Ok(dir) = tempfile::Builder::new().prefix("rankpress-serve").tempdir() {
            let path = dir.path().join("http");
            if let Ok(listener) = std::os::unix::net::UnixListener::bind(&path) {
                if let Ok(http) = tiny_http::Server::from_listener(listener, None) {
                    return Ok(Server {
                        http,
                        behind: Behind::Unix(path),
                        dir: Mutex::new(Some(dir)),
                    });
                }
            }
        }
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let http =
            tiny_http::Server::from_listener(listener, None).map_err(std::io::Error::other)?;
        Ok(Server {
            http,
            behind: Behind::Tcp(addr),
            dir: Mutex::new(None),
        })
    }

    /// Removes the inner socket's private folder: called when `serve` ends, so that no preview
    /// leaves a folder in the temporary folder.
    pub fn close(&self) {
        if let Ok(mut dir) = self.dir.lock() {
            drop(dir.take());
        }
    }

    /// Accepts connections on `public` for ever (in a thread of its own), each relayed to the
    /// tiny_http server within the limits of this module.
    pub fn gate(self: &Arc<Self>, public: TcpListener) {
        let server = self.clone();
        std::thread::spawn(move || {
            let open = Arc::new(Mutex::new(Connections::default()));
            for stream in public.incoming().flatten() {
                let Ok(peer) = stream.peer_addr() else {
                    continue;
                };
                let Some(id) = open.lock().expect("connections").admit(peer.ip(), &stream) else {
                    continue; // dropped: closed at once
                };
                let (server, open) = (server.clone(), open.clone());
                std::thread::spawn(move || {
                    relay(stream, &server.behind);
                    open.lock().expect("connections").close(id);
                });
            }
        });
    }
}

/// Relays one client connection to the server behind, request heads capped; returns when
/// either side has closed it.
fn relay(mut client: TcpStream, behind: &Behind) {
    let _ = client.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = client.set_write_timeout(Some(IDLE_TIMEOUT));
    let Ok(mut inner) = behind.connect() else {
        return;
    };
    let (Ok(mut from_inner), Ok(mut to_client)) = (inner.try_clone(), client.try_clone()) else {
        return;
    };
    // Set before the gate closes the server's side to answer 414/431 itself: the answers'
    // copier then leaves the client's side open for it.
    let refused = Arc::new(AtomicBool::new(false));
    let answers = std::thread::spawn({
        let refused = refused.clone();
        move || {
            let _ = std::io::copy(&mut from_inner, &mut to_client);
            if !refused.load(Ordering::SeqCst) {
                let _ = to_client.shutdown(Shutdown::Write);
            }
        }
    });
    let mut heads = Heads::default();
    let mut buf = [0u8; 4096];
    let over = loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break None,
            Ok(n) => n,
        };
        if let Err(over) = heads.feed(&buf[..n]) {
            break Some(over);
        }
        if inner.write_all(&buf[..n]).is_err() {
            break None;
        }
    };
    if over.is_some() {
        refused.store(true, Ordering::SeqCst);
        inner.shutdown(Shutdown::Both);
    } else {
        // The server answers what it has read, then closes.
        inner.shutdown(Shutdown::Write);
    }
    let _ = answers.join();
    if let Some(over) = over {
        let _ = client.write_all(over.answer().as_bytes());
        let _ = client.shutdown(Shutdown::Write);
        // Let the client read the answer rather than see a reset from its unread bytes.
        let deadline = Instant::now() + Duration::from_secs(2);
        let _ = client.set_read_timeout(Some(Duration::from_millis(200)));
        while Instant::now() < deadline {
            match client.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_server_closes_the_oldest_connection_of_the_busiest_client() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let a = [10, 0, 0, 1].into();
        let mut open = Connections::default();
        let count = |open: &Connections, ip| open.open.iter().filter(|o| o.client == ip).count();
        for _ in 0..MAX_PER_CLIENT + 5 {
            open.admit(a, &stream).unwrap();
        }
        assert_eq!(
            count(&open, a),
            MAX_PER_CLIENT,
            "a client's own oldest make room"
        );
        assert_eq!(open.open[0].id, 6);
        let others: Vec<IpAddr> = (2..=MAX_CONNECTIONS / MAX_PER_CLIENT)
            .map(|i| [10, 0, 0, i as u8].into())
            .collect();
        for &ip in &others {
            for _ in 0..MAX_PER_CLIENT {
                open.admit(ip, &stream).unwrap();
            }
        }
        assert_eq!(open.open.len(), MAX_CONNECTIONS);
        let c = [10, 0, 1, 1].into();
        let id = open.admit(c, &stream).unwrap();
        assert_eq!(
            open.open.len(),
            MAX_CONNECTIONS,
            "the busiest client gives way"
        );
        assert_eq!(count(&open, c), 1);
        open.close(id);
        assert_eq!(count(&open, c), 0);
    }

    #[test]
    fn request_heads_are_capped() {
        let feed = |chunks: &[&[u8]]| {
            let mut heads = Heads::default();
            chunks.iter().try_for_each(|c| heads.feed(c))
        };
        // Heads of any number of requests, each under the cap, split anywhere.
        let one = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(5000));
        let (a, b) = one.as_bytes().split_at(one.len() - 2);
        assert_eq!(feed(&[one.as_bytes(), a, b, one.as_bytes()]), Ok(()));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(feed(&[long.as_bytes()]), Err(Over::UriTooLong));
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(feed(&[big.as_bytes()]), Err(Over::HeadersTooLarge));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(2000));
        assert_eq!(feed(&[many.as_bytes()]), Err(Over::HeadersTooLarge));
        for over in [Over::UriTooLong, Over::HeadersTooLarge] {
            let answer = over.answer();
            let (head, body) = answer.split_once("\r\n\r\n").unwrap();
            assert!(head.contains(&format!("Content-Length: {}\r\n", body.len())));
        }
    }
}
