//! Training summaries (contract §6): sessions, hours, attendance and pass rates, person-hours,
//! the plan's completion and per-manager figures, for a month or a year. Pure computation.

use std::collections::BTreeMap;

use crate::model::*;
use crate::score::{div_round, round4};

/// A summary period: a month or a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A month.
    Month(Month),
    /// A year.
    Year(i32),
}

impl Period {
    /// Whether a month falls in the period.
    pub fn contains(self, m: Month) -> bool {
        match self {
            Period::Month(p) => p == m,
            Period::Year(y) => m.year == y,
        }
    }

    /// The last month of the period.
    pub fn last_month(self) -> Month {
        match self {
            Period::Month(m) => m,
            Period::Year(y) => Month { year: y, month: 12 },
        }
    }

    /// `YYYY-MM` or `YYYY`.
    pub fn key(self) -> String {
        match self {
            Period::Month(m) => m.to_string(),
            Period::Year(y) => format!("{y:04}"),
        }
    }
}

/// Scores are summed exactly as whole millionths (scores have at most a few decimals).
const SCALE: f64 = 1_000_000.0;

fn micro(x: f64) -> i128 {
    (x * SCALE).round() as i128
}

/// The exact mean of scores, rounded to 0.01 (halves away from zero), as a double.
fn exact_mean(sum_micro: i128, n: usize) -> Option<f64> {
    (n > 0).then(|| div_round(sum_micro * 100, n as i128 * SCALE as i128) as f64 / 100.0)
}

fn rate(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| round4(num as f64 / den as f64))
}

/// Plan completion for a period.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlanStatus {
    /// Plan entries due in the period.
    pub due: usize,
    /// Due entries carried out by a session on or before the period's end.
    pub held: usize,
    /// `round4(held / due)`.
    pub completion_rate: Option<f64>,
    /// Ids of due entries not held, sorted (有头无尾).
    pub missing: Vec<String>,
}

/// One manager's training figures for a period.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ManagerTraining {
    /// Manager id.
    pub id: String,
    /// Sessions listing the manager.
    pub sessions: usize,
    /// Sessions attended.
    pub present: usize,
    /// Absences not excused.
    pub absent: usize,
    /// Hours attended.
    pub hours: f64,
    /// Exact mean of their scores.
    pub average_score: Option<f64>,
    /// Index of the manager (not exported).
    #[serde(skip)]
    pub manager: usize,
}

/// A training summary (the export `training/PERIOD.json`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    /// `YYYY-MM` or `YYYY`.
    pub period: String,
    /// Sessions held.
    pub sessions: usize,
    /// Sum of session hours.
    pub hours: f64,
    /// Sum of hours over present entries.
    pub person_hours: f64,
    /// Attendee entries.
    pub expected: usize,
    /// Present entries.
    pub present: usize,
    /// Excused absences.
    pub excused: usize,
    /// Unexcused absences.
    pub absent: usize,
    /// `round4(present / (expected − excused))`.
    pub attendance_rate: Option<f64>,
    /// Present entries with a score.
    pub assessed: usize,
    /// Scores at or above the pass mark.
    pub passed: usize,
    /// `round4(passed / assessed)`.
    pub pass_rate: Option<f64>,
    /// Exact mean of scores.
    pub average_score: Option<f64>,
    /// Kind → sessions.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Plan completion.
    pub plan: PlanStatus,
    /// Per manager, by id.
    pub managers: Vec<ManagerTraining>,
    /// Indices of the sessions of the period, by date then id (not exported).
    #[serde(skip)]
    pub session_ids: Vec<usize>,
    /// The period (not exported).
    #[serde(skip)]
    pub key: Option<Period>,
}

/// Summarises the sessions and plan entries of `period`.
pub fn summarize(site: &Site, period: Period) -> Summary {
    let sessions: Vec<usize> = (0..site.trainings.len())
        .filter(|&i| period.contains(Month::of(site.trainings[i].date)))
        .collect();
    let (mut hours, mut person_hours) = (0.0, 0.0);
    let (mut expected, mut present, mut excused, mut assessed, mut passed) = (0, 0, 0, 0, 0);
    let mut score_sum: i128 = 0;
    let mut by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    // manager -> (sessions, present, absent, hours, score sum, scores)
    let mut per: BTreeMap<usize, (usize, usize, usize, f64, i128, usize)> = BTreeMap::new();
    for &i in &sessions {
        let t = &site.trainings[i];
        hours += t.hours;
        *by_kind.entry(t.kind.key()).or_default() += 1;
        for a in &t.attendees {
            expected += 1;
            let e = per.entry(a.manager).or_default();
            e.0 += 1;
            if a.present {
                present += 1;
                person_hours += t.hours;
                e.1 += 1;
                e.3 += t.hours;
                if let Some(s) = a.score {
                    assessed += 1;
                    passed += (s >= site.config.pass_mark) as usize;
                    score_sum += micro(s);
                    e.4 += micro(s);
                    e.5 += 1;
                }
            } else if a.excused {
                excused += 1;
            } else {
                e.2 += 1;
            }
        }
    }
    let end = period.last_month();
    let due: Vec<usize> = (0..site.plans.len())
        .filter(|&i| period.contains(site.plans[i].month))
        .collect();
    let held_plans: std::collections::HashSet<usize> = site
        .trainings
        .iter()
        .filter(|t| Month::of(t.date) <= end)
        .filter_map(|t| t.plan)
        .collect();
    let mut missing: Vec<String> = due
        .iter()
        .filter(|i| !held_plans.contains(i))
        .map(|&i| site.plans[i].id.clone())
        .collect();
    missing.sort();
    let held = due.len() - missing.len();
    let mut managers: Vec<ManagerTraining> = per
        .into_iter()
        .map(
            |(m, (sessions, present, absent, hours, sum, n))| ManagerTraining {
                id: site.managers[m].id.clone(),
                sessions,
                present,
                absent,
                hours,
                average_score: exact_mean(sum, n),
                manager: m,
            },
        )
        .collect();
    managers.sort_by(|a, b| a.id.cmp(&b.id));
    Summary {
        period: period.key(),
        sessions: sessions.len(),
        hours,
        person_hours,
        expected,
        present,
        excused,
        absent: expected - present - excused,
        attendance_rate: rate(present, expected - excused),
        assessed,
        passed,
        pass_rate: rate(passed, assessed),
        average_score: exact_mean(score_sum, assessed),
        by_kind,
        plan: PlanStatus {
            due: due.len(),
            held,
            completion_rate: rate(held, due.len()),
            missing,
        },
        managers,
        session_ids: sessions,
        key: Some(period),
    }
}

/// The periods that have a session or a plan entry: every such month, then every such year.
pub fn periods(site: &Site) -> Vec<Period> {
    let mut months: Vec<Month> = site
        .trainings
        .iter()
        .map(|t| Month::of(t.date))
        .chain(site.plans.iter().map(|p| p.month))
        .collect();
    months.sort();
    months.dedup();
    let mut years: Vec<i32> = months.iter().map(|m| m.year).collect();
    years.dedup();
    months
        .into_iter()
        .map(Period::Month)
        .chain(years.into_iter().map(Period::Year))
        .collect()
}

/// Summaries of every period, computed in parallel.
pub fn summaries(site: &Site) -> Vec<Summary> {
    use rayon::prelude::*;
    periods(site)
        .into_par_iter()
        .map(|p| summarize(site, p))
        .collect()
}
