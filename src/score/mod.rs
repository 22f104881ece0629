//! Scoring: the pure computation of contract §5 — each indicator's points, totals, ranks with
//! ties, change against the previous month, awards, the watch list, teams and the annual
//! evaluation; with contract §10, the rating levels, escalation and promotion candidates of
//! [`rating`]. No I/O; every function takes validated data and returns numbers.

pub mod rating;

use std::collections::{BTreeMap, HashMap};

use crate::model::*;
use rating::Candidate;

/// `round2(x)`: `(x * 100).round() / 100`, halves away from zero.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `round4(x)`: `(x * 10000).round() / 10000`, halves away from zero.
pub fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// A total as a whole number of hundredths (exact once rounded with [`round2`]).
pub fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// `num / den` rounded to the nearest integer, halves away from zero (`den > 0`).
pub fn div_round(num: i128, den: i128) -> i128 {
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

/// The exact mean of whole hundredths, as hundredths rounded half away from zero.
pub fn mean_cents(sum: i64, n: usize) -> i64 {
    div_round(sum as i128, n as i128) as i64
}

/// One indicator's score `s` and performance value `p` (contract §5).
pub fn indicator_score(ind: &Indicator, value: Value, mark: Option<f64>) -> (f64, Option<f64>) {
    let w = ind.weight;
    match (&ind.method, value) {
        (Method::Ratio { cap, floor }, Value::Ratio { actual, target }) => {
            let r = actual / target;
            let s = if r < *floor { 0.0 } else { w * r.min(*cap) };
            (s, Some(r))
        }
        (Method::Percent, Value::Number(v)) => (w * v / 100.0, Some(v)),
        (
            Method::Linear {
                target,
                per_unit_below,
                per_unit_above,
                min,
                max,
            },
            Value::Number(v),
        ) => {
            let raw =
                w - per_unit_below * (target - v).max(0.0) + per_unit_above * (v - target).max(0.0);
            (raw.max(*min).min(*max), Some(v))
        }
        (Method::Deduct { per_unit, limit }, Value::Number(v)) => {
            let d = match limit {
                Some(l) => (per_unit * v).min(*l),
                None => per_unit * v,
            };
            (-d, Some(v))
        }
        (Method::Training, _) => match mark {
            Some(m) => (w * m / 100.0, Some(m)),
            None => (w, None),
        },
        // Validation guarantees the value matches the method.
        _ => (0.0, None),
    }
}

/// Where a bonus came from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum BonusSource {
    /// A bonus item of the results entry.
    Entry,
    /// A competition result (index into competitions).
    Competition(usize),
    /// An innovation (index into innovations).
    Innovation(usize),
    /// Adopted suggestions of the month (their count).
    Suggestions(usize),
}

/// One part of a manager's bonus, with its reason.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Bonus {
    /// Points.
    pub points: f64,
    /// Reason shown to readers.
    pub reason: String,
    /// Source.
    pub source: BonusSource,
}

/// One ranked manager in a month.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    /// Index of the manager.
    pub manager: usize,
    /// Index of the entry in the month's results file.
    pub entry: usize,
    /// Unrounded score per indicator.
    pub scores: Vec<f64>,
    /// Performance value per indicator.
    pub perf: Vec<Option<f64>>,
    /// Training mark of the month, if any.
    pub mark: Option<f64>,
    /// Total bonus (unrounded).
    pub bonus: f64,
    /// Bonus parts.
    pub bonuses: Vec<Bonus>,
    /// Total deduction (unrounded).
    pub deduction: f64,
    /// Veto reason.
    pub veto: Option<String>,
    /// Total before a veto, rounded.
    pub raw_total: f64,
    /// Total (round2; 0 with a veto).
    pub total: f64,
    /// Rank (ties share).
    pub rank: u32,
    /// Previous rank − rank.
    pub change: Option<i64>,
    /// Rating level (index into the levels), `None` without ratings.
    pub rating: Option<usize>,
}

/// Winners of one award in a month.
#[derive(Clone, Debug)]
pub struct AwardWinners {
    /// Index of the award.
    pub award: usize,
    /// Winning managers, by value descending then id.
    pub managers: Vec<usize>,
}

/// One team's line in a month.
#[derive(Clone, Debug)]
pub struct TeamRow {
    /// Index of the team.
    pub team: usize,
    /// Rank by average.
    pub rank: u32,
    /// Ranked managers of the team (indices, in ranking order).
    pub managers: Vec<usize>,
    /// Exact mean of totals, in hundredths.
    pub average_cents: i64,
}

/// A month's computed ranking.
#[derive(Clone, Debug)]
pub struct MonthScore {
    /// The month.
    pub month: Month,
    /// Index into `Site::months`.
    pub index: usize,
    /// Previous results month.
    pub previous: Option<Month>,
    /// Rows, by rank then id.
    pub rows: Vec<Row>,
    /// Award winners, in award order.
    pub awards: Vec<AwardWinners>,
    /// Watch list (manager indices), by total ascending then id.
    pub watch: Vec<usize>,
    /// Teams, by rank then id.
    pub teams: Vec<TeamRow>,
    /// Escalated managers with their watch-list streak, ordered like the watch list.
    pub escalated: Vec<(usize, u32)>,
}

impl MonthScore {
    /// The row of a manager, if ranked this month.
    pub fn row_of(&self, manager: usize) -> Option<&Row> {
        self.rows.iter().find(|r| r.manager == manager)
    }
}

/// One manager's line in the annual evaluation.
#[derive(Clone, Debug)]
pub struct AnnualRow {
    /// Index of the manager.
    pub manager: usize,
    /// Annual rank.
    pub rank: u32,
    /// Months ranked.
    pub months: usize,
    /// Exact mean of monthly totals, in hundredths.
    pub average_cents: i64,
    /// Best monthly rank.
    pub best_rank: u32,
    /// Months with rank <= 3.
    pub top3: usize,
    /// Months on the watch list.
    pub watch: usize,
    /// Months with a veto.
    pub vetoes: usize,
    /// Award id → times won.
    pub awards: BTreeMap<String, usize>,
    /// Months in each rating level (indexed like the levels; empty without ratings).
    pub ratings: Vec<usize>,
}

/// A year's evaluation.
#[derive(Clone, Debug)]
pub struct YearScore {
    /// The year.
    pub year: i32,
    /// Results months of the year.
    pub months: Vec<Month>,
    /// Rows, by rank then id.
    pub rows: Vec<AnnualRow>,
    /// Excellence candidates (manager indices), by average descending then id.
    pub excellence: Vec<usize>,
    /// Promotion candidates, by annual rank then id.
    pub promotion: Vec<Candidate>,
    /// Demotion candidates, by annual rank then id.
    pub demotion: Vec<Candidate>,
}

/// A quarter's summary: rows computed exactly like the annual ones over its results months.
#[derive(Clone, Debug)]
pub struct QuarterScore {
    /// The year.
    pub year: i32,
    /// The quarter, 1..=4.
    pub quarter: u32,
    /// Results months of the quarter.
    pub months: Vec<Month>,
    /// Rows, by rank then id.
    pub rows: Vec<AnnualRow>,
}

impl QuarterScore {
    /// `YYYY-Qn`, as in file names and URLs.
    pub fn label(&self) -> String {
        format!("{:04}-Q{}", self.year, self.quarter)
    }
}

/// Per-(month, manager) lookups of everything that feeds a score, built once.
struct Inputs {
    marks: HashMap<(Month, usize), (f64, usize)>,
    bonuses: HashMap<(Month, usize), Vec<Bonus>>,
    adopted: HashMap<(Month, usize), usize>,
}

impl Inputs {
    fn new(site: &Site) -> Inputs {
        let mut marks: HashMap<(Month, usize), (f64, usize)> = HashMap::new();
        for t in &site.trainings {
            let m = Month::of(t.date);
            for a in &t.attendees {
                let v = match (a.present, a.score, a.excused) {
                    (true, Some(s), _) => s,
                    (false, _, false) => 0.0,
                    _ => continue,
                };
                let e = marks.entry((m, a.manager)).or_insert((0.0, 0));
                e.0 += v;
                e.1 += 1;
            }
        }
        let mut bonuses: HashMap<(Month, usize), Vec<Bonus>> = HashMap::new();
        for (ci, c) in site.competitions.iter().enumerate() {
            for r in &c.results {
                let reason = match &r.prize {
                    Some(p) => format!("{} {}", c.name, p),
                    None => c.name.clone(),
                };
                bonuses
                    .entry((Month::of(c.date), r.manager))
                    .or_default()
                    .push(Bonus {
                        points: r.bonus,
                        reason,
                        source: BonusSource::Competition(ci),
                    });
            }
        }
        for (ii, inn) in site.innovations.iter().enumerate() {
            for &m in &inn.managers {
                bonuses.entry((inn.month, m)).or_default().push(Bonus {
                    points: inn.bonus,
                    reason: inn.title.clone(),
                    source: BonusSource::Innovation(ii),
                });
            }
        }
        let mut adopted: HashMap<(Month, usize), usize> = HashMap::new();
        for s in site.suggestions.iter().filter(|s| s.adopted) {
            *adopted.entry((s.month, s.manager)).or_default() += 1;
        }
        Inputs {
            marks,
            bonuses,
            adopted,
        }
    }
}

/// Everything computed from a site: months, years.
#[derive(Clone, Debug)]
pub struct Scores {
    /// One per results month, in month order.
    pub months: Vec<MonthScore>,
    /// One per year with results, in order.
    pub years: Vec<YearScore>,
    /// One per quarter with results, in order.
    pub quarters: Vec<QuarterScore>,
}

/// Computes every month and year of a site. Months are independent given the previous month's
/// ranks, so they are scored in parallel and then linked.
pub fn compute(site: &Site) -> Scores {
    compute_reusing(site, |_| None)
}

/// As [`compute`], taking the score of month `i` from `earlier(i)` when it gives one: a score
/// this function computed for an earlier version of the site with the same inputs (the same
/// results file at the same index, and the same everything else but the other results files).
/// What depends on the other months (`previous`, each row's `change`, `escalated`) is worked
/// out again. `serve` uses it so that an edit scores only the months it touched.
pub fn compute_reusing(
    site: &Site,
    earlier: impl Fn(usize) -> Option<MonthScore> + Sync,
) -> Scores {
    use rayon::prelude::*;
    let inputs = Inputs::new(site);
    let mut months: Vec<MonthScore> = site
        .months
        .par_iter()
        .enumerate()
        .map(|(i, m)| earlier(i).unwrap_or_else(|| score_month(site, &inputs, i, m)))
        .collect();
    let mut prev_rank: Vec<Option<u32>> = vec![None; site.managers.len()];
    let mut prev_month: Option<Month> = None;
    for ms in &mut months {
        ms.previous = prev_month;
        for row in &mut ms.rows {
            row.change = prev_rank[row.manager].map(|p| p as i64 - row.rank as i64);
        }
        prev_rank.iter_mut().for_each(|r| *r = None);
        for row in &ms.rows {
            prev_rank[row.manager] = Some(row.rank);
        }
        prev_month = Some(ms.month);
    }
    rating::escalate(
        &mut months,
        site.managers.len(),
        site.config.policy.escalate_after,
    );
    let years = annual(site, &months);
    let quarters = quarters(site, &months);
    Scores {
        months,
        years,
        quarters,
    }
}

fn score_month(site: &Site, inputs: &Inputs, index: usize, mr: &MonthResults) -> MonthScore {
    let cfg = &site.config;
    let month = mr.month;
    let mut rows: Vec<Row> = mr
        .entries
        .iter()
        .enumerate()
        .map(|(ei, e)| {
            let mark = inputs
                .marks
                .get(&(month, e.manager))
                .map(|(s, n)| s / *n as f64);
            let mut scores = Vec::with_capacity(cfg.indicators.len());
            let mut perf = Vec::with_capacity(cfg.indicators.len());
            let mut sum = 0.0;
            for (ind, v) in cfg.indicators.iter().zip(&e.values) {
                let (s, p) = indicator_score(ind, *v, mark);
                sum += s;
                scores.push(s);
                perf.push(p);
            }
            let mut bonuses: Vec<Bonus> = e
                .bonus
                .iter()
                .map(|b| Bonus {
                    points: b.points,
                    reason: b.reason.clone(),
                    source: BonusSource::Entry,
                })
                .collect();
            if let Some(extra) = inputs.bonuses.get(&(month, e.manager)) {
                bonuses.extend(extra.iter().cloned());
            }
            let n_adopted = inputs
                .adopted
                .get(&(month, e.manager))
                .copied()
                .unwrap_or(0);
            let mut bonus = 0.0;
            for b in &bonuses {
                bonus += b.points;
            }
            if n_adopted > 0 {
                let pts = cfg.bonus_per_adopted * n_adopted as f64;
                bonus += pts;
                if pts != 0.0 {
                    bonuses.push(Bonus {
                        points: pts,
                        reason: String::new(),
                        source: BonusSource::Suggestions(n_adopted),
                    });
                }
            }
            let mut deduction = 0.0;
            for d in &e.deductions {
                deduction += d.points;
            }
            let raw_total = round2(sum + bonus - deduction);
            let total = if e.veto.is_some() { 0.0 } else { raw_total };
            Row {
                manager: e.manager,
                entry: ei,
                scores,
                perf,
                mark,
                bonus,
                bonuses,
                deduction,
                veto: e.veto.clone(),
                raw_total,
                total,
                rank: 0,
                change: None,
                rating: None,
            }
        })
        .collect();
    let ids = |i: usize| site.managers[i].id.as_str();
    rows.sort_by(|a, b| {
        cents(b.total)
            .cmp(&cents(a.total))
            .then_with(|| ids(a.manager).cmp(ids(b.manager)))
    });
    assign_ranks(&mut rows, |r| cents(r.total), |r, k| r.rank = k);
    let ranked: Vec<rating::Ranked> = rows
        .iter()
        .map(|r| rating::Ranked {
            cents: cents(r.total),
            total: r.total,
            veto: r.veto.is_some(),
        })
        .collect();
    for (r, level) in rows
        .iter_mut()
        .zip(rating::assign_levels(&cfg.policy.ratings, &ranked))
    {
        r.rating = Some(level);
    }

    let awards = cfg
        .awards
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            let mut cands: Vec<(f64, usize)> = rows
                .iter()
                .filter(|r| r.veto.is_none())
                .filter_map(|r| {
                    let v = match a.basis {
                        AwardBasis::Total => Some(r.total),
                        AwardBasis::Indicator(ix) => r.perf[ix],
                    }?;
                    a.min.is_none_or(|m| v >= m).then_some((v, r.manager))
                })
                .collect();
            cands.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| ids(x.1).cmp(ids(y.1))));
            let managers = match cands.get(a.top.saturating_sub(1)) {
                Some(&(threshold, _)) => cands
                    .iter()
                    .filter(|c| c.0 >= threshold)
                    .map(|c| c.1)
                    .collect(),
                None => cands.iter().map(|c| c.1).collect(),
            };
            AwardWinners {
                award: ai,
                managers,
            }
        })
        .collect();

    let watch = if cfg.watch_bottom == 0 || rows.is_empty() {
        Vec::new()
    } else {
        let mut asc: Vec<&Row> = rows.iter().collect();
        asc.sort_by(|a, b| {
            cents(a.total)
                .cmp(&cents(b.total))
                .then_with(|| ids(a.manager).cmp(ids(b.manager)))
        });
        let n = cfg.watch_bottom.min(asc.len());
        let threshold = cents(asc[n - 1].total);
        asc.into_iter()
            .filter(|r| cents(r.total) <= threshold)
            .map(|r| r.manager)
            .collect()
    };

    let mut by_team: BTreeMap<usize, (i64, Vec<usize>)> = BTreeMap::new();
    for r in &rows {
        let e = by_team.entry(site.managers[r.manager].team).or_default();
        e.0 += cents(r.total);
        e.1.push(r.manager);
    }
    let mut teams: Vec<TeamRow> = by_team
        .into_iter()
        .map(|(team, (sum, managers))| TeamRow {
            team,
            rank: 0,
            average_cents: mean_cents(sum, managers.len()),
            managers,
        })
        .collect();
    teams.sort_by(|a, b| {
        b.average_cents
            .cmp(&a.average_cents)
            .then_with(|| site.teams[a.team].id.cmp(&site.teams[b.team].id))
    });
    assign_ranks(&mut teams, |t| t.average_cents, |t, k| t.rank = k);

    MonthScore {
        month,
        index,
        previous: None,
        rows,
        awards,
        watch,
        teams,
        escalated: Vec::new(),
    }
}

/// Assigns competition ranks (1, 2, 2, 4) to items already sorted by `key` descending.
fn assign_ranks<T>(items: &mut [T], key: impl Fn(&T) -> i64, mut set: impl FnMut(&mut T, u32)) {
    let mut rank = 0;
    let mut last = None;
    for (i, item) in items.iter_mut().enumerate() {
        let k = key(item);
        if last != Some(k) {
            rank = i as u32 + 1;
            last = Some(k);
        }
        set(item, rank);
    }
}

/// The rows of a period (a year or a quarter) over its results months: months ranked, the
/// exact average, best rank, top-3 months, watch-list months, vetoes, awards and rating
/// counts per manager, ranked by the average as exported; ordered by rank, then id.
fn summarize(site: &Site, ms: &[&MonthScore]) -> Vec<AnnualRow> {
    let cfg = &site.config;
    let levels = cfg.policy.ratings.len();
    let mut acc: BTreeMap<usize, (AnnualRow, i64)> = BTreeMap::new();
    for m in ms {
        for r in &m.rows {
            let (row, sum) = acc.entry(r.manager).or_insert_with(|| {
                (
                    AnnualRow {
                        manager: r.manager,
                        rank: 0,
                        months: 0,
                        average_cents: 0,
                        best_rank: u32::MAX,
                        top3: 0,
                        watch: 0,
                        vetoes: 0,
                        awards: BTreeMap::new(),
                        ratings: vec![0; levels],
                    },
                    0,
                )
            });
            row.months += 1;
            *sum += cents(r.total);
            row.best_rank = row.best_rank.min(r.rank);
            row.top3 += (r.rank <= 3) as usize;
            row.vetoes += r.veto.is_some() as usize;
            if let Some(l) = r.rating {
                row.ratings[l] += 1;
            }
        }
        for &w in &m.watch {
            if let Some((row, _)) = acc.get_mut(&w) {
                row.watch += 1;
            }
        }
        for aw in &m.awards {
            for &w in &aw.managers {
                if let Some((row, _)) = acc.get_mut(&w) {
                    *row.awards
                        .entry(cfg.awards[aw.award].id.clone())
                        .or_default() += 1;
                }
            }
        }
    }
    let ids = |i: usize| site.managers[i].id.as_str();
    let mut rows: Vec<AnnualRow> = acc
        .into_values()
        .map(|(mut row, sum)| {
            row.average_cents = mean_cents(sum, row.months);
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        b.average_cents
            .cmp(&a.average_cents)
            .then_with(|| ids(a.manager).cmp(ids(b.manager)))
    });
    assign_ranks(&mut rows, |r| r.average_cents, |r, k| r.rank = k);
    rows
}

fn annual(site: &Site, months: &[MonthScore]) -> Vec<YearScore> {
    let cfg = &site.config;
    let mut years: BTreeMap<i32, Vec<&MonthScore>> = BTreeMap::new();
    for m in months {
        years.entry(m.month.year).or_default().push(m);
    }
    years
        .into_iter()
        .map(|(year, ms)| {
            let rows = summarize(site, &ms);
            let cands: Vec<&AnnualRow> = rows
                .iter()
                .filter(|r| r.months >= cfg.min_months && r.vetoes == 0)
                .collect();
            let excellence = if cfg.excellence_top == 0 {
                Vec::new()
            } else {
                match cands.get(cfg.excellence_top - 1) {
                    Some(t) => cands
                        .iter()
                        .filter(|r| r.average_cents >= t.average_cents)
                        .map(|r| r.manager)
                        .collect(),
                    None => cands.iter().map(|r| r.manager).collect(),
                }
            };
            let (promotion, demotion) = rating::candidates(site, &rows);
            YearScore {
                year,
                months: ms.iter().map(|m| m.month).collect(),
                rows,
                excellence,
                promotion,
                demotion,
            }
        })
        .collect()
}

/// The quarter (1..=4) a month falls in.
pub fn quarter_of(m: Month) -> u32 {
    (m.month - 1) / 3 + 1
}

fn quarters(site: &Site, months: &[MonthScore]) -> Vec<QuarterScore> {
    let mut qs: BTreeMap<(i32, u32), Vec<&MonthScore>> = BTreeMap::new();
    for m in months {
        qs.entry((m.month.year, quarter_of(m.month)))
            .or_default()
            .push(m);
    }
    qs.into_iter()
        .map(|((year, quarter), ms)| QuarterScore {
            year,
            quarter,
            months: ms.iter().map(|m| m.month).collect(),
            rows: summarize(site, &ms),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(method: Method, weight: f64) -> Indicator {
        Indicator {
            id: "x".into(),
            name: "x".into(),
            group: None,
            weight,
            method,
        }
    }

    #[test]
    fn ratio_caps_and_floors() {
        let i = ind(
            Method::Ratio {
                cap: 1.2,
                floor: 0.8,
            },
            30.0,
        );
        let r = |a, t| {
            indicator_score(
                &i,
                Value::Ratio {
                    actual: a,
                    target: t,
                },
                None,
            )
        };
        assert_eq!(r(1260.0, 1200.0), (31.5, Some(1.05)));
        assert_eq!(r(1500.0, 1200.0).0, 36.0);
        assert_eq!(r(1500.0, 1200.0).1, Some(1.25));
        assert_eq!(r(700.0, 1000.0).0, 0.0);
        assert_eq!(round2(r(1190.0, 1000.0).0), 35.7);
    }

    #[test]
    fn percent_linear_deduct_training() {
        assert_eq!(
            indicator_score(&ind(Method::Percent, 20.0), Value::Number(97.0), None).0,
            19.4
        );
        let lin = ind(
            Method::Linear {
                target: 95.0,
                per_unit_below: 0.5,
                per_unit_above: 1.0,
                min: 0.0,
                max: 20.0,
            },
            15.0,
        );
        assert_eq!(indicator_score(&lin, Value::Number(99.0), None).0, 19.0);
        assert_eq!(indicator_score(&lin, Value::Number(88.0), None).0, 11.5);
        assert_eq!(indicator_score(&lin, Value::Number(200.0), None).0, 20.0);
        assert_eq!(indicator_score(&lin, Value::Number(-1000.0), None).0, 0.0);
        let ded = ind(
            Method::Deduct {
                per_unit: 2.0,
                limit: Some(6.0),
            },
            0.0,
        );
        assert_eq!(indicator_score(&ded, Value::Number(4.0), None).0, -6.0);
        assert_eq!(indicator_score(&ded, Value::Number(1.0), None).0, -2.0);
        let free = ind(
            Method::Deduct {
                per_unit: 2.0,
                limit: None,
            },
            0.0,
        );
        assert_eq!(indicator_score(&free, Value::Number(5.0), None).0, -10.0);
        let tr = ind(Method::Training, 10.0);
        assert_eq!(indicator_score(&tr, Value::None, None), (10.0, None));
        assert_eq!(
            indicator_score(&tr, Value::None, Some(85.0)),
            (8.5, Some(85.0))
        );
    }

    #[test]
    fn rounding_halves_away_from_zero() {
        assert_eq!(round2(1.005 * 1.0), 1.0); // 1.005 is below the half in binary
        assert_eq!(round2(2.675), 2.68);
        assert_eq!(round2(0.125), 0.13);
        assert_eq!(round4(2.0 / 3.0), 0.6667);
        assert_eq!(mean_cents(5, 2), 3);
        assert_eq!(mean_cents(-5, 2), -3);
        assert_eq!(mean_cents(10, 3), 3);
    }

    #[test]
    fn competition_ranks_share_ties() {
        let mut v = vec![(10, 0), (9, 0), (9, 0), (7, 0)];
        assign_ranks(&mut v, |x| x.0, |x, r| x.1 = r);
        assert_eq!(v.iter().map(|x| x.1).collect::<Vec<_>>(), vec![1, 2, 2, 4]);
    }
}
