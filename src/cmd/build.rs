//! `rankpress build`: check the data, then build the site into the output folder.

use crate::diag::t;
use crate::error::{Error, Outcome};
use crate::project::{self, Project};

/// Check the data, then build the site into the output folder.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: super::Paths,
    /// Print the time of each phase.
    #[arg(long)]
    timings: bool,
}

/// Opens the site, checks the output folder once and builds into it.
pub fn run(args: Args) -> Result<Outcome, Error> {
    let project = Project::open(&args.paths.root);
    let lang = project.lang();
    let shown = args
        .paths
        .output
        .clone()
        .unwrap_or_else(|| args.paths.root.join("output"));
    let report = project
        .output(Some(&shown))
        .and_then(|output| project.build(&output))
        .map_err(|e| match e {
            project::Error::Data(problems) => Error::data(lang, &problems),
            project::Error::Io(e) => Error::Io(e),
        })?;
    if args.timings {
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
            shown.display()
        )
    );
    Ok(Outcome::Done)
}
