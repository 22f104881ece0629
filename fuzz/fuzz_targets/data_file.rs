//! Fuzzes the loader of every data file: the first byte picks a file of the baseline site, the
//! rest replaces it. Any input must give either a site or located problems — never a panic,
//! a hang or unbounded memory.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else { return };
    let dir = common::site();
    common::reset(dir);
    let (name, _) = common::FILES[which as usize % common::FILES.len()];
    std::fs::write(dir.join("content").join(name), body).unwrap();
    common::run(dir);
});
