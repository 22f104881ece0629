//! The month a command works on — one rule for `bulletin`, `send`, `payroll`, `export` and
//! `import`: `--month YYYY-MM` is parsed and range-checked before the data is loaded (a bad
//! value is bad usage, exit 2, in every command), and the month must have results; without
//! `--month` it is the latest month with results.

use crate::diag::{t, Lang};
use crate::error::Error;
use crate::model::{Month, Site};

/// Parses a `--month` argument, or says what is expected (a month outside
/// [`Month::FIRST`]..=[`Month::LAST`] is refused, naming the range).
pub fn parse(lang: Lang, s: &str) -> Result<Month, Error> {
    let m = Month::parse(s).ok_or_else(|| {
        Error::Usage(t!(
            lang,
            "--month 的值 \"{}\" 不是月份，应为 YYYY-MM，例如 2026-10",
            "--month \"{}\" is not a month; expected YYYY-MM, e.g. 2026-10",
            s
        ))
    })?;
    if m.in_range() {
        Ok(m)
    } else {
        Err(Error::Usage(format!("--month: {}", m.range_message(lang))))
    }
}

/// Parses an optional `--month` argument (see [`parse`]).
pub fn parse_opt(lang: Lang, s: Option<&str>) -> Result<Option<Month>, Error> {
    s.map(|s| parse(lang, s)).transpose()
}

/// The month a command works on: `month` if given (it must have results), else the latest
/// month with results.
pub fn pick(site: &Site, month: Option<Month>) -> Result<Month, Error> {
    let lang = site.config.language;
    match month {
        Some(m) if site.months.iter().any(|r| r.month == m) => Ok(m),
        Some(m) => Err(Error::Missing(t!(
            lang,
            "{m} 没有成绩文件（content/results/{m}.yaml）",
            "{m} has no results file (content/results/{m}.yaml)"
        ))),
        None => site.months.last().map(|r| r.month).ok_or_else(|| {
            Error::Missing(t!(
                lang,
                "还没有任何月份的成绩",
                "there are no monthly results yet"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_month_is_bad_usage() {
        for s in ["x", "2026-13", "2026-1"] {
            assert!(matches!(parse(Lang::En, s), Err(Error::Usage(_))), "{s}");
        }
        assert_eq!(parse(Lang::En, "2026-10").unwrap().to_string(), "2026-10");
        assert_eq!(parse_opt(Lang::Zh, None).unwrap(), None);
    }
}
