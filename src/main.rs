//! The `rankpress` binary: a thin wrapper around [`rankpress::cmd`].

/// mimalloc: a build allocates and frees millions of small strings from two threads; glibc's
/// malloc spent a quarter of the render time in malloc/free (see bench/NOTES.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rankpress::cmd::main()
}
