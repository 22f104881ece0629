//! `rankpress bulletin`: the month's email bulletins ([`crate::bulletin`]).

use crate::confidential::Kind;
use crate::diag::{t, Localize};
use crate::error::{Error, Outcome};
use crate::project::Project;

/// Write the monthly email bulletins into ROOT/bulletins/ (team, and personal ones).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: super::BulletinPaths,
    /// Month YYYY-MM; default: the latest month with results.
    #[arg(long)]
    month: Option<String>,
}

/// Writes the bulletins and says what was written.
pub fn run(args: Args) -> Result<Outcome, Error> {
    let project = Project::open(&args.paths.root);
    let lang = project.lang();
    let opts = crate::bulletin::Options {
        dir: project.confidential_dir(Kind::Bulletins, args.paths.output.as_deref()),
        month: crate::month::parse_opt(lang, args.month.as_deref())?,
    };
    // Templates come from the site's theme, like the pages': site templates/ → themes/NAME/ →
    // the built-in default.
    let theme = project.theme().map_err(|e| Error::Io(e.localize(lang)))?;
    let (b, w) = crate::bulletin::run(&project, &opts, &theme)?;
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
