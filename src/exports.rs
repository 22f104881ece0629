//! Exports (contract §8, §10): rankings as JSON and CSV, the annual and quarterly evaluations
//! and training summaries as JSON. Numbers are rounded as the contract says; strings in CSV cells are
//! neutralised against spreadsheet formula injection.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::model::Site;
use crate::score::rating::Candidate;
use crate::score::{round2, AnnualRow, MonthScore, QuarterScore, YearScore};

/// A ranking row in `rankings/YYYY-MM.json`.
#[derive(Serialize)]
pub struct RankingRow<'a> {
    rank: u32,
    id: &'a str,
    name: &'a str,
    team: &'a str,
    scores: BTreeMap<&'a str, f64>,
    bonus: f64,
    deduction: f64,
    veto: Option<&'a str>,
    total: f64,
    change: Option<i64>,
    rating: Option<&'a str>,
}

/// An escalated manager in `rankings/YYYY-MM.json` (v2).
#[derive(Serialize)]
struct EscalatedOut<'a> {
    id: &'a str,
    streak: u32,
}

/// A promotion or demotion candidate in `annual/YYYY.json` (v2).
#[derive(Serialize)]
struct CandidateOut<'a> {
    id: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

#[derive(Serialize)]
struct AwardOut<'a> {
    id: &'a str,
    name: &'a str,
    managers: Vec<&'a str>,
}

#[derive(Serialize)]
struct TeamOut<'a> {
    rank: u32,
    team: &'a str,
    managers: usize,
    average: f64,
}

/// `rankings/YYYY-MM.json`.
#[derive(Serialize)]
pub struct RankingExport<'a> {
    month: String,
    previous: Option<String>,
    rows: Vec<RankingRow<'a>>,
    awards: Vec<AwardOut<'a>>,
    watch: Vec<&'a str>,
    teams: Vec<TeamOut<'a>>,
    escalated: Vec<EscalatedOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_version: Option<&'a serde_json::Value>,
    /// Later commits that changed the month's results file (更正说明); absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    corrections: Option<&'a [crate::history::Correction]>,
}

impl<'a> RankingExport<'a> {
    /// Adds the month's corrections (an empty list adds nothing).
    pub fn with_corrections(mut self, c: Option<&'a [crate::history::Correction]>) -> Self {
        self.corrections = c.filter(|c| !c.is_empty());
        self
    }
}

/// Builds the ranking export of a month.
pub fn ranking<'a>(
    site: &'a Site,
    ms: &'a MonthScore,
    version: Option<&'a serde_json::Value>,
) -> RankingExport<'a> {
    let cfg = &site.config;
    let mid = |i: usize| site.managers[i].id.as_str();
    RankingExport {
        month: ms.month.to_string(),
        previous: ms.previous.map(|m| m.to_string()),
        rows: ms
            .rows
            .iter()
            .map(|r| {
                let m = &site.managers[r.manager];
                RankingRow {
                    rank: r.rank,
                    id: &m.id,
                    name: &m.name,
                    team: &site.teams[m.team].id,
                    scores: cfg
                        .indicators
                        .iter()
                        .zip(&r.scores)
                        .map(|(i, s)| (i.id.as_str(), round2(*s)))
                        .collect(),
                    bonus: round2(r.bonus),
                    deduction: round2(r.deduction),
                    veto: r.veto.as_deref(),
                    total: r.total,
                    change: r.change,
                    rating: r.rating.map(|l| cfg.policy.ratings[l].id.as_str()),
                }
            })
            .collect(),
        awards: ms
            .awards
            .iter()
            .map(|a| AwardOut {
                id: &cfg.awards[a.award].id,
                name: &cfg.awards[a.award].name,
                managers: a.managers.iter().map(|&m| mid(m)).collect(),
            })
            .collect(),
        watch: ms.watch.iter().map(|&m| mid(m)).collect(),
        teams: ms
            .teams
            .iter()
            .map(|t| TeamOut {
                rank: t.rank,
                team: &site.teams[t.team].id,
                managers: t.managers.len(),
                average: t.average_cents as f64 / 100.0,
            })
            .collect(),
        escalated: ms
            .escalated
            .iter()
            .map(|&(m, streak)| EscalatedOut { id: mid(m), streak })
            .collect(),
        data_version: version,
        corrections: None,
    }
}

#[derive(Serialize)]
struct AnnualRowOut<'a> {
    rank: u32,
    id: &'a str,
    name: &'a str,
    team: &'a str,
    months: usize,
    average: f64,
    best_rank: u32,
    top3: usize,
    watch: usize,
    vetoes: usize,
    awards: &'a BTreeMap<String, usize>,
    ratings: BTreeMap<&'a str, usize>,
}

/// `annual/YYYY.json`.
#[derive(Serialize)]
pub struct AnnualExport<'a> {
    year: i32,
    months: Vec<String>,
    rows: Vec<AnnualRowOut<'a>>,
    excellence: Vec<&'a str>,
    promotion: Vec<CandidateOut<'a>>,
    demotion: Vec<CandidateOut<'a>>,
}

/// The rows of a period (year or quarter), as exported.
fn period_rows<'a>(site: &'a Site, rows: &'a [AnnualRow]) -> Vec<AnnualRowOut<'a>> {
    let levels = &site.config.policy.ratings;
    rows.iter()
        .map(|r| {
            let m = &site.managers[r.manager];
            AnnualRowOut {
                rank: r.rank,
                id: &m.id,
                name: &m.name,
                team: &site.teams[m.team].id,
                months: r.months,
                average: r.average_cents as f64 / 100.0,
                best_rank: r.best_rank,
                top3: r.top3,
                watch: r.watch,
                vetoes: r.vetoes,
                awards: &r.awards,
                ratings: levels
                    .iter()
                    .zip(&r.ratings)
                    .filter(|(_, &n)| n > 0)
                    .map(|(l, &n)| (l.id.as_str(), n))
                    .collect(),
            }
        })
        .collect()
}

/// Builds the annual export of a year.
pub fn annual<'a>(site: &'a Site, ys: &'a YearScore) -> AnnualExport<'a> {
    let candidates = |cs: &'a [Candidate]| {
        cs.iter()
            .map(|c| CandidateOut {
                id: &site.managers[c.manager].id,
                from: c.from.as_deref(),
                to: c.to.as_deref(),
            })
            .collect()
    };
    AnnualExport {
        year: ys.year,
        months: ys.months.iter().map(|m| m.to_string()).collect(),
        rows: period_rows(site, &ys.rows),
        excellence: ys
            .excellence
            .iter()
            .map(|&m| site.managers[m].id.as_str())
            .collect(),
        promotion: candidates(&ys.promotion),
        demotion: candidates(&ys.demotion),
    }
}

/// `quarterly/YYYY-Qn.json` (v2).
#[derive(Serialize)]
pub struct QuarterExport<'a> {
    quarter: String,
    months: Vec<String>,
    rows: Vec<AnnualRowOut<'a>>,
}

/// Builds the export of a quarter.
pub fn quarter<'a>(site: &'a Site, qs: &'a QuarterScore) -> QuarterExport<'a> {
    QuarterExport {
        quarter: qs.label(),
        months: qs.months.iter().map(|m| m.to_string()).collect(),
        rows: period_rows(site, &qs.rows),
    }
}

/// Serialises an export as compact JSON (the contract fixes the values, not the whitespace;
/// compact JSON is half the bytes of pretty JSON at province size) with a final newline.
/// Negative zero (e.g. the points of a deduction with no complaints, `-(2 × 0)`) is written
/// `0.0`: every number of every export goes through here.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PositiveZero(CompactFormatter));
    value.serialize(&mut ser).expect("exports serialise");
    out.push(b'\n');
    out
}

/// [`to_json`], pretty-printed (two-space indents): for files people open by hand (payroll).
pub fn to_json_pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, PositiveZero(PrettyFormatter::new()));
    value.serialize(&mut ser).expect("exports serialise");
    out.push(b'\n');
    out
}

/// A JSON formatter that writes negative zero as `0.0` and otherwise defers to `F`.
struct PositiveZero<F>(F);

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl<F: Formatter> Formatter for PositiveZero<F> {
    #[inline]
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: f64) -> std::io::Result<()> {
        self.0.write_f64(w, if v == 0.0 { 0.0 } else { v })
    }
    #[inline]
    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: f32) -> std::io::Result<()> {
        self.0.write_f32(w, if v == 0.0 { 0.0 } else { v })
    }
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }
}

/// Neutralises a text cell that a spreadsheet would run as a formula, and quotes it for CSV.
pub fn csv_text(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let body = if risky {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if body.contains([',', '"', '\n', '\r']) || risky {
        format!("\"{}\"", body.replace('"', "\"\""))
    } else {
        body
    }
}

/// Formats a number for CSV: no exponent, no trailing zeros.
fn csv_num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `rankings/YYYY-MM.csv`: UTF-8 with BOM, so Excel opens Chinese text correctly.
pub fn ranking_csv(site: &Site, ms: &MonthScore) -> Vec<u8> {
    let cfg = &site.config;
    let mut out = String::from("\u{feff}rank,id,name,team");
    for i in &cfg.indicators {
        out.push(',');
        out.push_str(&csv_text(&i.id));
    }
    out.push_str(",bonus,deduction,veto,total,change,rating\r\n");
    for r in &ms.rows {
        let m = &site.managers[r.manager];
        out.push_str(&format!(
            "{},{},{},{}",
            r.rank,
            csv_text(&m.id),
            csv_text(&m.name),
            csv_text(&site.teams[m.team].id)
        ));
        for s in &r.scores {
            out.push(',');
            out.push_str(&csv_num(round2(*s)));
        }
        out.push_str(&format!(
            ",{},{},{},{},{},{}\r\n",
            csv_num(round2(r.bonus)),
            csv_num(round2(r.deduction)),
            r.veto.as_deref().map(csv_text).unwrap_or_default(),
            csv_num(r.total),
            r.change.map(|c| c.to_string()).unwrap_or_default(),
            r.rating
                .map(|l| csv_text(&cfg.policy.ratings[l].name))
                .unwrap_or_default()
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_is_exported_as_zero() {
        let v = serde_json::json!({"complaints": -0.0, "s": "-0.0", "x": [-0.0, -0.05, 1.5]});
        let text = String::from_utf8(to_json(&v)).unwrap();
        assert_eq!(
            text,
            "{\"complaints\":0.0,\"s\":\"-0.0\",\"x\":[0.0,-0.05,1.5]}\n"
        );
        let text = String::from_utf8(to_json_pretty(&v)).unwrap();
        assert!(
            !text.contains(": -0.0") && !text.contains("  -0.0,"),
            "{text}"
        );
        assert!(
            text.contains("\"complaints\": 0.0") && text.contains("\"-0.0\""),
            "{text}"
        );
        assert!(text.contains("-0.05"), "{text}");
        assert_eq!(csv_num(-0.0), "0");
        assert_eq!(csv_num(-0.001), "0");
    }

    #[test]
    fn csv_cells_are_neutralised_and_quoted() {
        assert_eq!(csv_text("张伟"), "张伟");
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("+1"), "\"'+1\"");
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_num(30.0), "30");
        assert_eq!(csv_num(24.17), "24.17");
        assert_eq!(csv_num(-2.0), "-2");
        assert_eq!(csv_num(16.5), "16.5");
    }
}
