//! The command line: argument parsing and the commands that drive the library. The only
//! place that prints a command's error and picks the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::diag::t;
use crate::error::{Error, Outcome};
use crate::{exit, site};

/// rankpress: monthly rankings, training summaries and bulletins for customer managers.
#[derive(Parser, Debug)]
#[command(
    name = "rankpress",
    version,
    about,
    propagate_version = true,
    after_help = exit::LEGEND
)]
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

/// Where the site and its bulletins are (`bulletin`, `send`).
#[derive(Args, Debug, Clone)]
pub struct BulletinPaths {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Bulletins folder (confidential, never published); default: ROOT/bulletins.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

impl BulletinPaths {
    /// The bulletins folder.
    pub fn bulletins(&self) -> PathBuf {
        crate::confidential::Kind::Bulletins.dir(&self.root, self.output.as_deref())
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
    /// Write the monthly email bulletins into ROOT/bulletins/ (team, and personal ones).
    #[command(long_about = guide("bulletin"))]
    Bulletin {
        #[command(flatten)]
        paths: BulletinPaths,
        /// Month YYYY-MM; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
    },
    /// Send the bulletins written by `bulletin` over SMTP.
    #[command(long_about = guide("send"))]
    Send {
        #[command(flatten)]
        paths: BulletinPaths,
        /// Month YYYY-MM; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
        /// Print who would get what; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send everything again, even what the log (sent/YYYY-MM.log) says was accepted.
        #[arg(long, conflicts_with_all = ["resend", "resend_changed"])]
        force: bool,
        /// Send exactly these messages (team or a manager id) once more: one whose delivery
        /// `send` reported as unknown, once you checked it did not arrive, or one that changed
        /// since it was sent.
        #[arg(long, value_name = "ID", num_args = 1.., value_delimiter = ',')]
        resend: Vec<String>,
        /// Send again, once, every message whose content changed since it was sent (after a
        /// correction and a new `bulletin`).
        #[arg(long)]
        resend_changed: bool,
    },
    /// Write the month's performance pay (confidential) as JSON, CSV and XLSX into DIR.
    #[command(long_about = guide("payroll"))]
    Payroll {
        /// Site folder (holds content/); default: the current folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
        /// Folder for the payroll files (confidential, never published); default: ROOT/payroll.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Month YYYY-MM, or `all`; default: the latest month with results.
        #[arg(long)]
        month: Option<String>,
    },
}

/// The month's routine (`docs/workflow.md`); its marked steps are the guides of `rankpress help
/// bulletin|send|payroll`, as `docs/import.md` is `rankpress help import`'s (a keeper's site has
/// no `docs/`).
const WORKFLOW: &str = include_str!("../docs/workflow.md");

/// The guide of `rankpress help NAME`: the step of `docs/workflow.md` between
/// `<!-- guide:NAME -->` and `<!-- /guide -->`, with the step's number taken off.
pub fn guide(name: &str) -> String {
    let open = format!("<!-- guide:{name} -->");
    let start = WORKFLOW
        .find(&open)
        .map(|i| i + open.len())
        .unwrap_or_else(|| panic!("docs/workflow.md has no guide {name}"));
    let end = start
        + WORKFLOW[start..]
            .find("<!-- /guide -->")
            .unwrap_or_else(|| panic!("docs/workflow.md: guide {name} is not closed"));
    let text = WORKFLOW[start..end].trim();
    let text = text
        .split_once(". ")
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(text, |(_, rest)| rest);
    // The step's lines are indented under its number; a guide starts at the margin.
    text.lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses the arguments, runs the command, prints its error if any and exits with the code of
/// its outcome (see [`crate::exit`]): the one place that does either.
pub fn main() -> ExitCode {
    // Every command's --help ends with the exit codes, the same for all.
    let parsed = Cli::command()
        .mut_subcommands(|c| c.after_help(exit::LEGEND))
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Build { paths, timings } => build(&paths, timings).map_err(named),
        Command::Check { paths } => check(&paths),
        Command::Workflow(cmd) => crate::workflow::run(cmd),
        Command::Bulletin { paths, month } => bulletin(&paths, month).map_err(named),
        Command::Send {
            paths,
            month,
            dry_run,
            force,
            resend,
            resend_changed,
        } => crate::send::run(&crate::send::Options {
            root: paths.root.clone(),
            output: paths.bulletins(),
            month,
            dry_run,
            force,
            resend,
            resend_changed,
        })
        .map(|sent| {
            if sent.all_sent() {
                Outcome::Done
            } else {
                Outcome::NotAllSent
            }
        })
        .map_err(named),
        Command::Payroll {
            root,
            output,
            month,
        } => payroll(crate::payroll::Options {
            root,
            month,
            dir: output,
        })
        .map_err(named),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NotAllSent) => ExitCode::from(exit::SEND),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// The messages of `build`, `bulletin`, `send` and `payroll` start with the program's name (a
/// list of problems does not).
fn named(e: Error) -> Error {
    match e {
        Error::Refused(s) => Error::Refused(format!("rankpress: {s}")),
        Error::Usage(s) => Error::Usage(format!("rankpress: {s}")),
        Error::Missing(s) => Error::Missing(format!("rankpress: {s}")),
        Error::Io(s) => Error::Io(format!("rankpress: {s}")),
        Error::Send(s) => Error::Send(format!("rankpress: {s}")),
        data @ Error::Data(_) => data,
    }
}

fn build(paths: &Paths, timings: bool) -> Result<Outcome, Error> {
    let opts = site::Options {
        root: paths.root.clone(),
        output: paths.output(),
    };
    let lang = site::detect_language(&paths.root);
    let report = site::build(&opts).map_err(|e| match e {
        site::Error::Data(problems) => Error::data(lang, &problems),
        site::Error::Io(e) => Error::Io(e),
    })?;
    if timings {
        eprintln!("{}", report.timings);
    }
    eprintln!(
        "{}",
        t!(
            lang,
            "已生成 {} 个文件（{} KB）到 {}",
            "built {} files ({} KB) into {}",
            report.files,
            report.bytes / 1024,
            opts.output.display()
        )
    );
    Ok(Outcome::Done)
}

fn check(paths: &Paths) -> Result<Outcome, Error> {
    let mut t = site::Timings::default();
    let s = site::load_site(&paths.root, &mut t)
        .map_err(|problems| Error::data(site::detect_language(&paths.root), &problems))?;
    let scores = crate::score::compute(&s);
    let warnings = crate::validate::warnings::warnings(&s, &scores);
    let n_warnings = warnings.len();
    for w in crate::validate::warnings::locate(warnings, |file| {
        std::fs::read_to_string(paths.root.join(file)).ok()
    }) {
        eprintln!("{w}");
    }
    println!(
        "{}",
        t!(
            s.config.language,
            "数据检查通过：{} 位客户经理，{} 个月成绩，{} 次培训。",
            "data OK: {} managers, {} months of results, {} training sessions.",
            s.managers.len(),
            s.months.len(),
            s.trainings.len()
        )
    );
    if n_warnings > 0 {
        println!(
            "{}",
            t!(
                s.config.language,
                "另有 {} 个警告（见上）：数据有效，但多半不是本意，请核对。",
                "{} warning(s) above: the data is valid but most likely not meant; please look.",
                n_warnings
            )
        );
    }
    Ok(Outcome::Done)
}

fn bulletin(paths: &BulletinPaths, month: Option<String>) -> Result<Outcome, Error> {
    let opts = crate::bulletin::Options {
        root: paths.root.clone(),
        dir: paths.bulletins(),
        month,
    };
    // Templates come from the site's theme, like the pages': site templates/ → themes/NAME/ →
    // the built-in default.
    let (lang, theme_name) = site::detect_settings(&paths.root);
    let theme = crate::theme::Theme::load(&paths.root, &theme_name, lang).map_err(Error::Io)?;
    let lang = site::detect_language(&paths.root);
    let (b, w) = crate::bulletin::run(&opts, &theme)?;
    for warning in &b.warnings {
        eprintln!("{warning}");
    }
    eprintln!(
        "{}",
        t!(
            lang,
            "已生成 {} 的通报：团队通报 1 封（HTML {} KB，邮件 {} KB），个人通报 {} 封，共 {} 个文件，写入 {}（保密，请勿发布）；图表字体 {}",
            "wrote the bulletins of {}: the team bulletin (HTML {} KB, message {} KB) and {} personal ones, {} files in {} (confidential: do not publish); chart font {}",
            b.month,
            w.team_html_bytes.div_ceil(1024),
            w.team_eml_bytes.div_ceil(1024),
            b.personal.len(),
            w.files.len(),
            opts.dir.display(),
            b.font.display()
        )
    );
    Ok(Outcome::Done)
}

fn payroll(opts: crate::payroll::Options) -> Result<Outcome, Error> {
    let files = crate::payroll::run(&opts)?;
    let lang = site::detect_language(&opts.root);
    for f in &files {
        eprintln!(
            "{}",
            t!(
                lang,
                "已写入 {}（绩效工资保密，请勿发布）",
                "wrote {} (confidential: do not publish)",
                f.display()
            )
        );
    }
    Ok(Outcome::Done)
}
