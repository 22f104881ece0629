//! `rankpress send`: the bulletins over SMTP ([`crate::send`]).

use crate::confidential::Kind;
use crate::error::{Error, Outcome};
use crate::project::Project;

/// Send the bulletins written by `bulletin` over SMTP.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: super::BulletinPaths,
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
}

/// Sends (it prints a line per message and a summary itself); exit 3 unless every message is
/// known to have been sent.
pub fn run(args: Args) -> Result<Outcome, Error> {
    let project = Project::open(&args.paths.root);
    let opts = crate::send::Options {
        output: project.confidential_dir(Kind::Bulletins, args.paths.output.as_deref()),
        month: crate::month::parse_opt(project.lang(), args.month.as_deref())?,
        dry_run: args.dry_run,
        force: args.force,
        resend: args.resend,
        resend_changed: args.resend_changed,
    };
    let sent = crate::send::run(&project, &opts)?;
    Ok(if sent.all_sent() {
        Outcome::Done
    } else {
        Outcome::NotAllSent
    })
}
