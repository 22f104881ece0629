//! Content fingerprints kept in users' files, whose values must never change.
//!
//! These are not cache keys (a cache key may change with any release: the cost is one full
//! rebuild) but hashes written into files that outlive a build, and compared with ones
//! written by earlier versions:
//!
//! - the content hash of a bulletin message, logged by `send` in `sent.log`
//!   ([`crate::bulletin::content_hash`]): a changed value would make `send` think every
//!   message already sent has changed since. It is made with [`KeyBuilder`] (SipHash-1-3, 128
//!   bits), with its own fixed keys ([`content_hasher`]).
//! - the hash in a bulletin's Message-ID and MIME boundaries ([`message_hash`]): the `.eml`
//!   files and the messages sent carry it, and the content hash above covers it, so it keeps
//!   the algorithm it was written with, FNV-1a (64 bits). This is the only hash of rankpress
//!   that is not a [`KeyBuilder`]: changing it would change every message's bytes and so its
//!   logged content hash.

use super::KeyBuilder;

/// The fixed SipHash keys of a message's content hash (see the module documentation).
const CONTENT_KEYS: (u64, u64) = (0x7365_6e74_6c6f_6731, 0x6d65_7373_6167_6531);

/// The hasher of a message's content hash: feed it the content with [`std::hash::Hasher::write`]
/// (raw bytes, no length prefixes) and take [`KeyBuilder::finish_u128`].
pub fn content_hasher() -> KeyBuilder {
    KeyBuilder::with_keys(CONTENT_KEYS)
}

/// FNV-1a, 64 bits, of `parts`, each followed by the byte `0xff`: the hash in a bulletin's
/// Message-ID and boundaries (see the module documentation for why it is not a
/// [`KeyBuilder`]).
pub fn message_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.iter().chain(&[0xffu8]) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher;

    #[test]
    fn stored_fingerprints_are_pinned() {
        // Values written into send logs and messages by earlier versions: they must never
        // change.
        let mut h = content_hasher();
        h.write(b"Subject: x\r\n\r\nbody");
        assert_eq!(format!("{:032x}", h.finish_u128()), CONTENT_PINNED);
        // The algorithm `send` logs were written with: SipHash-1-3, 128 bits, these keys.
        let mut old = siphasher::sip128::SipHasher13::new_with_keys(CONTENT_KEYS.0, CONTENT_KEYS.1);
        old.write(b"Subject: x\r\n");
        old.write(b"\r\nbody");
        let old = siphasher::sip128::Hasher128::finish128(&old).as_u128();
        assert_eq!(format!("{old:032x}"), CONTENT_PINNED);
        assert_eq!(message_hash(&[b"a", b"bc"]), MESSAGE_PINNED);
    }

    const CONTENT_PINNED: &str = "a949b22709af6b0a6961356f33d4d99b";
    const MESSAGE_PINNED: u64 = 11575188015659155627;
}
