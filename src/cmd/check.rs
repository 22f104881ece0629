//! `rankpress check`: load and validate everything, write nothing.

use crate::diag::t;
use crate::error::{Error, Outcome};
use crate::project::Project;

/// Load and validate everything; write nothing; exit 0 only when the data is clean.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    root: std::path::PathBuf,
}

/// Loads and validates the site; prints the warnings and a summary.
pub fn run(args: Args) -> Result<Outcome, Error> {
    let project = Project::open(&args.root);
    let s = project
        .load_site()
        .map_err(|problems| Error::data(project.lang(), &problems))?;
    let scores = crate::score::compute(&s);
    let warnings = crate::validate::warnings::warnings(&s, &scores);
    let n_warnings = warnings.len();
    for w in crate::validate::warnings::locate(warnings, |file| {
        std::fs::read_to_string(args.root.join(file)).ok()
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
