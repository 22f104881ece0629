//! The one way to make a cache key: [`KeyBuilder`], a 128-bit SipHash-1-3 with fixed keys over
//! typed inputs.
//!
//! SipHash-1-3 is a specified algorithm, so a key computed by one build of rankpress means the
//! same in the next (`std`'s `DefaultHasher` may change between Rust releases), and with fixed
//! keys it is the same on every machine. Inputs are added typed: byte strings with their length
//! ([`KeyBuilder::bytes`]), numbers, earlier keys, and any `serde::Serialize` value through
//! [`postcard`] ([`KeyBuilder::value`], self-delimiting: strings and lists carry their length,
//! floats their exact bits), so that no list of fields is written by hand and two different
//! inputs never run together. [`KeyBuilder`] is also a [`std::hash::Hasher`], for types that
//! derive `Hash`.

use std::hash::Hasher;

use siphasher::sip128::{Hasher128, SipHasher13};

/// A cache key: a 128-bit hash, as two 64-bit halves (low, high).
pub type Key = (u64, u64);

/// The fixed SipHash keys of every cache key (arbitrary; changing them invalidates every
/// stored key, which only costs one full rebuild).
const CACHE_KEYS: (u64, u64) = (0x7261_6e6b_7072_6573, 0x7363_6163_6865_0002);

/// Builds a [`Key`] from typed inputs; see the module documentation.
#[derive(Clone, Debug)]
pub struct KeyBuilder(SipHasher13);

impl Default for KeyBuilder {
    fn default() -> Self {
        KeyBuilder::new()
    }
}

impl KeyBuilder {
    /// A builder with the fixed keys of every cache key.
    pub fn new() -> KeyBuilder {
        KeyBuilder::with_keys(CACHE_KEYS)
    }

    /// A builder with other fixed keys: only for the content fingerprints kept in users' files
    /// ([`super::stored`]), whose values must never change.
    pub(crate) fn with_keys(keys: (u64, u64)) -> KeyBuilder {
        KeyBuilder(SipHasher13::new_with_keys(keys.0, keys.1))
    }

    /// Adds a byte string, prefixed with its length (64-bit little-endian).
    pub fn bytes(&mut self, x: &[u8]) -> &mut Self {
        self.0.write(&(x.len() as u64).to_le_bytes());
        self.0.write(x);
        self
    }

    /// Adds a string (as [`KeyBuilder::bytes`]).
    pub fn str(&mut self, x: &str) -> &mut Self {
        self.bytes(x.as_bytes())
    }

    /// Adds a number (64-bit little-endian).
    pub fn u64(&mut self, x: u64) -> &mut Self {
        self.0.write(&x.to_le_bytes());
        self
    }

    /// Adds an earlier key.
    pub fn key(&mut self, k: Key) -> &mut Self {
        self.u64(k.0).u64(k.1)
    }

    /// Adds a typed value, serialized with [`postcard`] straight into the hash (nothing is
    /// allocated). A value that cannot be serialized (never for the types of rankpress) adds a
    /// marker byte instead, so that the key still differs from one without the value.
    pub fn value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> &mut Self {
        if postcard::to_io(v, Writer(&mut self.0)).is_err() {
            self.0.write_u8(0xff);
        }
        self
    }

    /// The key of everything added.
    pub fn finish_key(&self) -> Key {
        self.0.finish128().as_u64()
    }

    /// The key of everything added, as one 128-bit number.
    pub fn finish_u128(&self) -> u128 {
        self.0.finish128().as_u128()
    }
}

/// Adds raw bytes (no length prefix), as any [`Hasher`]: for types deriving `Hash`, and for a
/// byte stream hashed piece by piece. [`Hasher::finish`] gives the low half of the key.
impl Hasher for KeyBuilder {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn finish(&self) -> u64 {
        self.finish_key().0
    }
}

/// [`postcard`]'s output into the hash.
struct Writer<'a>(&'a mut SipHasher13);

impl std::io::Write for Writer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key as 32 lowercase hexadecimal digits (high half first), as stored in text files.
pub fn to_hex(k: Key) -> String {
    format!("{:016x}{:016x}", k.1, k.0)
}

/// The key written by [`to_hex`], if `s` is one.
pub fn from_hex(s: &str) -> Option<Key> {
    if s.len() != 32 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hi = u64::from_str_radix(&s[..16], 16).ok()?;
    let lo = u64::from_str_radix(&s[16..], 16).ok()?;
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_pinned() {
        // A specified algorithm with fixed keys: the same inputs give the same key in every
        // build of rankpress, on every machine.
        let mut k = KeyBuilder::new();
        k.str("rankpress");
        assert_eq!(to_hex(k.finish_key()), PINNED);
    }

    const PINNED: &str = "7caf556e4da2f849142f09e97d233977";

    #[test]
    fn inputs_do_not_run_together() {
        let key = |parts: &[&str]| {
            let mut k = KeyBuilder::new();
            for p in parts {
                k.str(p);
            }
            k.finish_key()
        };
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        let value = |v: &(String, Vec<f64>)| KeyBuilder::new().value(v).finish_key();
        assert_ne!(
            value(&("a".into(), vec![1.0, 2.0])),
            value(&("a".into(), vec![1.0, 2.5]))
        );
        assert_ne!(
            value(&("a".into(), vec![0.0])),
            value(&("a".into(), vec![-0.0]))
        );
    }

    #[test]
    fn hex_round_trips() {
        let k = (0x0123_4567_89ab_cdef, u64::MAX);
        assert_eq!(from_hex(&to_hex(k)), Some(k));
        assert_eq!(from_hex("0007"), None);
        assert_eq!(from_hex(&"g".repeat(32)), None);
    }
}
