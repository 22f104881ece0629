//! `rankpress init DIR`: creates a new site — `content/` with a complete, coherent example
//! (site.yaml with the usual indicators, levels, pay, grades, escalation and a `bulletin:` block
//! sending to a local test relay; a roster of 12 with emails, large enough that the stars and
//! the watch list never overlap; one month of results), a `.gitignore` for `output/`,
//! `bulletins/`, `payroll/` and the spreadsheets `export` writes (not `sent/`, which is
//! committed), and a README in Chinese that walks the data keepers through the month's routine
//! of `docs/workflow.md`, from `export` to publishing `output/`.

use std::path::Path;

use crate::diag::{t, Lang};
use crate::error::{Error, Outcome};
use crate::model::Month;

const SITE_YAML: &str = include_str!("init/site.yaml");
const MANAGERS_YAML: &str = include_str!("init/managers.yaml");
const RESULTS_YAML: &str = include_str!("init/results.yaml");
const README: &str = include_str!("init/README.md");
const GITIGNORE: &str = include_str!("init/gitignore");

/// The month of the example results: the month before `today`'s.
pub fn example_month(today: chrono::NaiveDate) -> Month {
    use chrono::Datelike;
    Month {
        year: today.year(),
        month: today.month(),
    }
    .prev()
}

/// The files of a new site, relative to its folder, for the example month `month`.
pub fn files(month: Month) -> Vec<(String, String)> {
    let next = {
        let m = if month.month == 12 {
            Month {
                year: month.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: month.year,
                month: month.month + 1,
            }
        };
        m.to_string()
    };
    let fill = |s: &str| {
        s.replace("{MONTH}", &month.to_string())
            .replace("{NEXT}", &next)
    };
    vec![
        ("content/site.yaml".into(), SITE_YAML.into()),
        ("content/managers.yaml".into(), MANAGERS_YAML.into()),
        (format!("content/results/{month}.yaml"), fill(RESULTS_YAML)),
        ("README.md".into(), fill(README)),
        (".gitignore".into(), GITIGNORE.into()),
    ]
}

/// `rankpress init DIR`: refuses a folder that exists and is not empty.
pub fn run(dir: &Path) -> Result<Outcome, Error> {
    let lang = Lang::Zh;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Error::Usage(t!(
                lang,
                "{} 不是空文件夹，未创建网站（不会覆盖已有文件）。请指定一个新的或空的文件夹。",
                "{} is not empty; nothing was created. Choose a new or empty folder.",
                dir.display()
            )));
        }
    }
    let month = example_month(chrono::Local::now().date_naive());
    for (rel, text) in files(month) {
        let path = dir.join(&rel);
        crate::fsutil::write_atomic(&path, text.as_bytes())
            .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    }
    println!(
        "{}",
        t!(
            lang,
            "已在 {} 创建新网站（示例月份 {}）。请先阅读其中的 README.md，然后：\n  cd {}\n  rankpress check\n  rankpress serve",
            "created a new site in {} (example month {}). Read its README.md, then:\n  cd {}\n  rankpress check\n  rankpress serve",
            dir.display(),
            month,
            dir.display()
        )
    );
    Ok(Outcome::Done)
}
