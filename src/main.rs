//! The `rankpress` binary: a thin wrapper around [`rankpress::cli`].

fn main() -> std::process::ExitCode {
    rankpress::cli::main()
}
