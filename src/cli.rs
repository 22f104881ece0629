//! The command line: argument parsing and the commands that drive the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::site;

/// rankpress: monthly rankings, training summaries and bulletins for customer managers.
#[derive(Parser, Debug)]
#[command(name = "rankpress", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the site and its output are.
#[derive(Args, Debug, Clone)]
pub struct Paths {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder; default: ROOT/output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

impl Paths {
    /// The output folder.
    pub fn output(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the data, then build the site into the output folder.
    Build {
        #[command(flatten)]
        paths: Paths,
        /// Print the time of each phase.
        #[arg(long)]
        timings: bool,
    },
    /// Load and validate everything; write nothing; exit 0 only when the data is clean.
    Check {
        #[command(flatten)]
        paths: Paths,
    },
    /// The monthly workflow: init, import, export, hook, diff, serve.
    #[command(flatten)]
    Workflow(crate::workflow::Command),
}

/// Exit code for bad data.
pub const EXIT_DATA: u8 = 1;
/// Exit code for bad usage or I/O failure.
pub const EXIT_IO: u8 = 2;

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_IO } else { 0 });
        }
    };
    match cli.command {
        Command::Build { paths, timings } => build(&paths, timings),
        Command::Check { paths } => check(&paths),
        Command::Workflow(cmd) => crate::workflow::run(cmd),
    }
}

fn print_problems(problems: &[crate::diag::Problem], root: &std::path::Path) -> ExitCode {
    let lang = site::detect_language(root);
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = writeln!(err, "{p}");
    }
    let n = problems.len();
    let _ = writeln!(
        err,
        "{}",
        lang.pick(
            &format!("发现 {n} 个问题，未生成网站。"),
            &format!("{n} problem(s) found; nothing was built.")
        )
    );
    ExitCode::from(EXIT_DATA)
}

fn build(paths: &Paths, timings: bool) -> ExitCode {
    let opts = site::Options {
        root: paths.root.clone(),
        output: paths.output(),
    };
    match site::build(&opts) {
        Ok(report) => {
            let lang = site::detect_language(&paths.root);
            if timings {
                eprintln!("{}", report.timings);
            }
            eprintln!(
                "{}",
                lang.pick(
                    &format!(
                        "已生成 {} 个文件（{} KB）到 {}",
                        report.files,
                        report.bytes / 1024,
                        opts.output.display()
                    ),
                    &format!(
                        "built {} files ({} KB) into {}",
                        report.files,
                        report.bytes / 1024,
                        opts.output.display()
                    )
                )
            );
            ExitCode::SUCCESS
        }
        Err(site::Error::Data(problems)) => print_problems(&problems, &paths.root),
        Err(site::Error::Io(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn check(paths: &Paths) -> ExitCode {
    let mut t = site::Timings::default();
    match site::load_site(&paths.root, &mut t) {
        Ok(s) => {
            let lang = s.config.language;
            println!(
                "{}",
                lang.pick(
                    &format!(
                        "数据检查通过：{} 位客户经理，{} 个月成绩，{} 次培训。",
                        s.managers.len(),
                        s.months.len(),
                        s.trainings.len()
                    ),
                    &format!(
                        "data OK: {} managers, {} months of results, {} training sessions.",
                        s.managers.len(),
                        s.months.len(),
                        s.trainings.len()
                    )
                )
            );
            ExitCode::SUCCESS
        }
        Err(problems) => print_problems(&problems, &paths.root),
    }
}
