//! The project's copies of the contract's fixtures (`tests/fixtures/conformance{,-v2,-v3}`) are
//! byte-identical to `../shared/conformance{,-v2,-v3}` when that folder is present; a clean clone
//! has only its own copies, and then this test says so and passes.

mod common;

use common::*;

#[test]
fn fixture_copies_match_shared() {
    let Some(shared) = shared_dir() else {
        eprintln!(
            "../shared is absent (a clean clone): the repository's copies in tests/fixtures are used as they are"
        );
        return;
    };
    let mut compared = 0;
    for (name, copy) in [
        ("conformance", conformance_dir()),
        ("conformance-v2", conformance_v2_dir()),
        ("conformance-v3", conformance_v3_dir()),
    ] {
        let original = shared.join(name);
        if !original.is_dir() {
            eprintln!("{} is absent: nothing to compare", original.display());
            continue;
        }
        let a = tree(&original);
        let b = tree(&copy);
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&a),
            names(&b),
            "{} and {} hold different files: copy the shared fixtures again (cp -r {} tests/fixtures/)",
            original.display(),
            copy.display(),
            original.display()
        );
        for ((n, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                x == y,
                "{name}/{n} differs from {}: copy the shared fixtures again",
                original.display()
            );
        }
        compared += a.len();
    }
    eprintln!("{compared} fixture files are byte-identical to ../shared");
}
