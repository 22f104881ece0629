//! `rankpress payroll`: the month's performance pay (contract §10) as `DIR/YYYY-MM.json` (the
//! contract's shape), `.csv` (UTF-8 with BOM, formula-safe) and `.xlsx` (header row, money
//! format, a total row, frozen header), written together with
//! [`crate::fsutil::write_atomic_group`] (all change or none; new files readable by their owner
//! only). Pay is confidential: DIR follows [`crate::confidential`] (default `ROOT/payroll`,
//! marked, never in the site's output).

use std::path::PathBuf;

use serde::Serialize;

use crate::decimal::yuan;
use crate::diag::{t, Lang, Localize};
use crate::error::Error;
use crate::model::{Month, PayMethod, Site};
use crate::pay::PayRow;
use crate::project::Project;
use crate::score::MonthScore;

/// The months `payroll` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Months {
    /// One month (parsed by [`crate::month::parse`]), or the latest with results when `None`
    /// (see [`crate::month::pick`]).
    One(Option<Month>),
    /// Every month with results (`--month all`).
    All,
}

/// What `payroll` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// The months to write.
    pub months: Months,
    /// Folder to write into (`-o`); default `ROOT/payroll`.
    pub dir: Option<PathBuf>,
}

#[derive(Serialize)]
struct RowOut<'a> {
    rank: u32,
    id: &'a str,
    name: &'a str,
    team: &'a str,
    total: f64,
    rating: Option<&'a str>,
    coefficient: Option<f64>,
    pay: f64,
}

/// `DIR/YYYY-MM.json`.
#[derive(Serialize)]
struct PayrollOut<'a> {
    month: String,
    method: &'static str,
    base: Option<f64>,
    pool: Option<f64>,
    paid: f64,
    rows: Vec<RowOut<'a>>,
}

/// Cents as the double nearest to their decimal (its shortest text is the decimal itself).
fn amount(cents: i128) -> f64 {
    cents as f64 / 100.0
}

/// One payroll line, ready for any of the three formats.
struct Line<'a> {
    rank: u32,
    id: &'a str,
    name: &'a str,
    team_id: &'a str,
    team: &'a str,
    total: f64,
    level: Option<&'a crate::model::Rating>,
    cents: i128,
}

fn lines<'a>(site: &'a Site, ms: &'a MonthScore, pays: &[PayRow]) -> Vec<Line<'a>> {
    ms.rows
        .iter()
        .zip(pays)
        .map(|(r, p)| {
            let m = &site.managers[r.manager];
            Line {
                rank: r.rank,
                id: &m.id,
                name: &m.name,
                team_id: &site.teams[m.team].id,
                team: &site.teams[m.team].name,
                total: r.total,
                level: r.rating.map(|l| &site.config.policy.ratings[l]),
                cents: p.cents,
            }
        })
        .collect()
}

fn json(site: &Site, month: Month, lines: &[Line]) -> Vec<u8> {
    let pay = site.config.policy.pay.as_ref().expect("pay is configured");
    let out = PayrollOut {
        month: month.to_string(),
        method: pay.method.key(),
        base: pay
            .base_cents
            .filter(|_| pay.method == PayMethod::Rating)
            .map(amount),
        pool: pay
            .pool_cents
            .filter(|_| pay.method == PayMethod::Pool)
            .map(amount),
        paid: amount(lines.iter().map(|l| l.cents).sum()),
        rows: lines
            .iter()
            .map(|l| RowOut {
                rank: l.rank,
                id: l.id,
                name: l.name,
                team: l.team_id,
                total: l.total,
                rating: l.level.map(|r| r.id.as_str()),
                coefficient: l.level.map(|r| r.coefficient.to_f64()),
                pay: amount(l.cents),
            })
            .collect(),
    };
    crate::exports::to_json_pretty(&out)
}

/// Column headings of the CSV and the sheet, in the site's language.
fn headings(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "名次",
            "编号",
            "姓名",
            "片区",
            "总分",
            "考核等次",
            "绩效系数",
            "绩效工资（元）",
        ],
        Lang::En => [
            "Rank",
            "ID",
            "Name",
            "Team",
            "Total",
            "Rating",
            "Coefficient",
            "Pay (yuan)",
        ],
    }
}

fn total_label(lang: Lang) -> String {
    t!(lang, "合计", "Total")
}

fn csv(lang: Lang, lines: &[Line]) -> Vec<u8> {
    use crate::exports::csv_text;
    let mut out = String::from("\u{feff}");
    out.push_str(&headings(lang).map(csv_text).join(","));
    out.push_str("\r\n");
    for l in lines {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            l.rank,
            csv_text(l.id),
            csv_text(l.name),
            csv_text(l.team),
            format_args!("{:.2}", l.total),
            l.level.map(|r| csv_text(&r.name)).unwrap_or_default(),
            l.level
                .map(|r| r.coefficient.to_string())
                .unwrap_or_default(),
            yuan(l.cents)
        ));
    }
    out.push_str(&format!(
        "{},,,,,,,{}\r\n",
        csv_text(&total_label(lang)),
        yuan(lines.iter().map(|l| l.cents).sum())
    ));
    out.into_bytes()
}

fn xlsx(lang: Lang, month: Month, lines: &[Line]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::Format;
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = crate::workflow::sheet::workbook(month);
    let ws = wb.add_worksheet();
    ws.set_name(month.to_string()).map_err(e)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let money_bold = Format::new().set_num_format("#,##0.00").set_bold();
    let two = Format::new().set_num_format("0.00");
    let widths = [6.0, 12.0, 10.0, 12.0, 10.0, 10.0, 10.0, 16.0];
    for (c, h) in headings(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
        ws.set_column_width(c as u16, widths[c]).map_err(e)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, l.rank).map_err(e)?;
        ws.write_string(r, 1, l.id).map_err(e)?;
        ws.write_string(r, 2, l.name).map_err(e)?;
        ws.write_string(r, 3, l.team).map_err(e)?;
        ws.write_number_with_format(r, 4, l.total, &two)
            .map_err(e)?;
        if let Some(level) = l.level {
            ws.write_string(r, 5, &level.name).map_err(e)?;
            ws.write_number(r, 6, level.coefficient.to_f64())
                .map_err(e)?;
        }
        ws.write_number_with_format(r, 7, amount(l.cents), &money)
            .map_err(e)?;
    }
    let r = lines.len() as u32 + 1;
    ws.write_string_with_format(r, 0, total_label(lang), &bold)
        .map_err(e)?;
    ws.write_number_with_format(
        r,
        7,
        amount(lines.iter().map(|l| l.cents).sum()),
        &money_bold,
    )
    .map_err(e)?;
    ws.set_freeze_panes(1, 0).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

/// Writes the payroll of the month(s) asked for; returns the files written.
pub fn run(project: &Project, opts: &Options) -> Result<Vec<PathBuf>, Error> {
    let root = project.root();
    let site = project
        .load_site()
        .map_err(|p| Error::data(project.lang(), &p))?;
    let lang = site.config.language;
    if site.config.policy.pay.is_none() {
        // Contract §10: "Without `pay` in site.yaml it is an error (exit 1) that says so."
        return Err(Error::Refused(
            t!(lang, "site.yaml 中没有设置绩效工资（pay）。请添加，例如：\n  pay:\n    method: pool      # 按奖金池分配；或 rating（基数 × 等次系数）\n    pool: 60000       # 每月绩效工资总额（元）；method: rating 时写 base: 3000", "site.yaml has no performance pay (pay). Add it, for example:\n  pay:\n    method: pool      # share a pool; or rating (base × the level's coefficient)\n    pool: 60000       # the month's pool (yuan); with method: rating write base: 3000"),
        ));
    }
    use crate::confidential::{self, Kind};
    // The folder as checked (`..` and symlinks resolved): the files go where the check looked,
    // not where the kernel would take `link/..`.
    let chosen = project.confidential_dir(Kind::Payroll, opts.dir.as_deref());
    let dir = confidential::check(root, &chosen, Kind::Payroll)
        .map_err(|e| Error::Usage(e.localize(lang)))?;
    let scores = crate::score::compute(&site);
    let months: Vec<&MonthScore> = match opts.months {
        Months::All => scores.months.iter().collect(),
        Months::One(m) => {
            let m = crate::month::pick(&site, m)?;
            scores.months.iter().filter(|s| s.month == m).collect()
        }
    };
    // Every file of the run is worked out first, then written together: all change or none.
    let mut files = Vec::new();
    for ms in months {
        let pays = crate::pay::month_pay_or_refuse(&site, ms)?.expect("pay is configured");
        let lines = lines(&site, ms, &pays);
        let xlsx = xlsx(lang, ms.month, &lines).map_err(Error::Io)?;
        for (ext, data) in [
            ("json", json(&site, ms.month, &lines)),
            ("csv", csv(lang, &lines)),
            ("xlsx", xlsx),
        ] {
            files.push((dir.join(format!("{}.{ext}", ms.month)), data));
        }
    }
    confidential::claim(root, &chosen, Kind::Payroll)
        .map_err(|e| Error::Usage(e.localize(lang)))?;
    crate::fsutil::write_atomic_group(&files, crate::fsutil::Mode::Private).map_err(
        |(path, e)| {
            Error::Io(t!(
                lang,
                "无法写入 {}：{e}；本次的工资表文件都没有改动",
                "cannot write {}: {e}; none of this run's payroll files changed",
                path.display()
            ))
        },
    )?;
    let written = files.into_iter().map(|(path, _)| path).collect();
    Ok(written)
}
