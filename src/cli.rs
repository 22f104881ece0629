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
    /// Write the monthly email bulletins into OUTPUT/bulletins/ (team, and personal ones).
    Bulletin {
        #[command(flatten)]
        paths: Paths,
        /// Month YYYY-MM; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
    },
    /// Send the bulletins written by `bulletin` over SMTP (see docs/bulletin.md).
    Send {
        #[command(flatten)]
        paths: Paths,
        /// Month YYYY-MM; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
        /// Print who would get what; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send again the messages already recorded in sent.log.
        #[arg(long, conflicts_with = "resend")]
        force: bool,
        /// Send exactly these messages (team or a manager id) once more: for a message whose
        /// delivery `send` reported as unknown, once you checked it did not arrive.
        #[arg(long, value_name = "ID", num_args = 1.., value_delimiter = ',')]
        resend: Vec<String>,
    },
    /// Write the month's performance pay (confidential) as JSON, CSV and XLSX into DIR.
    Payroll {
        /// Site folder (holds content/); default: the current folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Folder for the payroll files; default: ROOT/payroll (never inside the output).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Month YYYY-MM, or `all`; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
    },
}

/// Exit code for bad data (see [`crate::exit`]).
pub const EXIT_DATA: u8 = crate::exit::DATA;
/// Exit code for bad usage or I/O failure.
pub const EXIT_IO: u8 = crate::exit::USAGE;
/// Exit code of `send` when not every message is known to be sent.
pub const EXIT_SEND: u8 = crate::exit::SEND;

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
        Command::Bulletin { paths, month } => bulletin(&paths, month),
        Command::Send {
            paths,
            month,
            dry_run,
            force,
            resend,
        } => send(&paths, month, dry_run, force, resend),
        Command::Payroll {
            root,
            output,
            month,
        } => payroll(crate::payroll::Options {
            root,
            month,
            dir: output,
        }),
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

fn bulletin(paths: &Paths, month: Option<String>) -> ExitCode {
    let opts = crate::bulletin::Options {
        root: paths.root.clone(),
        output: paths.output(),
        month,
    };
    // Templates come from the site's theme, like the pages': site templates/ → themes/NAME/ →
    // the built-in default.
    let (lang, theme_name) = site::detect_settings(&paths.root);
    let theme = match crate::theme::Theme::load(&paths.root, &theme_name, lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rankpress: {e}");
            return ExitCode::from(EXIT_IO);
        }
    };
    let lang = site::detect_language(&paths.root);
    // The bulletins go into the output folder: the same folders as a build's are refused (the
    // folder is created and marked only once the bulletins are ready to be written).
    if let Err(e) = crate::output::check_claim(&paths.root, &opts.output, lang) {
        eprintln!("rankpress: {e}");
        return ExitCode::from(EXIT_IO);
    }
    match crate::bulletin::run(&opts, &theme) {
        Ok((b, w)) => {
            for warning in &b.warnings {
                eprintln!("{warning}");
            }
            eprintln!(
                "{}",
                lang.pick(
                    &format!(
                        "已生成 {} 的通报：团队通报 1 封（HTML {} KB，邮件 {} KB），个人通报 {} 封，共 {} 个文件，写入 {}；图表字体 {}",
                        b.month,
                        w.team_html_bytes.div_ceil(1024),
                        w.team_eml_bytes.div_ceil(1024),
                        b.personal.len(),
                        w.files.len(),
                        opts.output.join("bulletins").display(),
                        b.font.display()
                    ),
                    &format!(
                        "wrote the bulletins of {}: the team bulletin (HTML {} KB, message {} KB) and {} personal ones, {} files in {}; chart font {}",
                        b.month,
                        w.team_html_bytes.div_ceil(1024),
                        w.team_eml_bytes.div_ceil(1024),
                        b.personal.len(),
                        w.files.len(),
                        opts.output.join("bulletins").display(),
                        b.font.display()
                    )
                )
            );
            ExitCode::SUCCESS
        }
        Err(crate::bulletin::Error::Data(problems)) => print_problems(&problems, &paths.root),
        Err(crate::bulletin::Error::Usage(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_DATA)
        }
        Err(crate::bulletin::Error::Io(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn send(
    paths: &Paths,
    month: Option<String>,
    dry_run: bool,
    force: bool,
    resend: Vec<String>,
) -> ExitCode {
    let opts = crate::send::Options {
        root: paths.root.clone(),
        output: paths.output(),
        month,
        dry_run,
        force,
        resend,
    };
    match crate::send::run(&opts) {
        Ok(s) if s.all_sent() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(EXIT_SEND),
        Err(crate::send::Error::Usage(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_IO)
        }
        Err(crate::send::Error::Data(problems)) => print_problems(&problems, &paths.root),
        Err(crate::send::Error::Fatal(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_SEND)
        }
    }
}

fn payroll(opts: crate::payroll::Options) -> ExitCode {
    use crate::payroll::Error;
    match crate::payroll::run(&opts) {
        Ok(files) => {
            let lang = site::detect_language(&opts.root);
            for f in &files {
                eprintln!(
                    "{}",
                    lang.pick(
                        &format!("已写入 {}（绩效工资保密，请勿发布）", f.display()),
                        &format!("wrote {} (confidential: do not publish)", f.display())
                    )
                );
            }
            ExitCode::SUCCESS
        }
        Err(Error::Data(problems)) => print_problems(&problems, &opts.root),
        Err(Error::NoPay(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_DATA)
        }
        Err(Error::Usage(e) | Error::Io(e)) => {
            eprintln!("rankpress: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}
