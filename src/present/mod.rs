//! The presentation layer: it builds, once, what the pages and the bulletins show — month labels,
//! averages, rank-change wording, score explanations, chart specifications (with the
//! distribution's bins and the team averages), level distributions and escalated managers — so
//! that a number or a wording changes in one place. Every word comes from the theme's i18n label
//! files ([`Theme::label`], [`Theme::fill`]); nothing here touches pay.
//!
//! - [`format`](mod@format): numbers as readers see them.
//! - [`explain`]: score explanations and rules in words.
//! - [`charts`]: chart specifications and their numbers as a table.

pub mod charts;
pub mod explain;
pub mod format;

use serde::Serialize;

use crate::model::{Month, Site};
use crate::score::{cents, mean_cents, MonthScore, Scores};
use crate::theme::Theme;

/// A month's label from the theme's `month_fmt` (`2026年10月`, `2026-10`).
pub fn month_label(t: &Theme, m: Month) -> String {
    t.fill(
        "month_fmt",
        &[
            ("y", &m.year.to_string()),
            ("m", &m.month.to_string()),
            ("mm", &format!("{:02}", m.month)),
        ],
    )
}

/// A year's label from the theme's `year_fmt`.
pub fn year_label(t: &Theme, y: i32) -> String {
    t.fill("year_fmt", &[("y", &y.to_string())])
}

/// The mean total of a month in cents, exact (contract §5 means); `None` for an empty month.
pub fn month_average_cents(ms: &MonthScore) -> Option<i64> {
    if ms.rows.is_empty() {
        return None;
    }
    let sum: i64 = ms.rows.iter().map(|r| cents(r.total)).sum();
    Some(mean_cents(sum, ms.rows.len()))
}

/// What every view of the results months needs, per month index of [`Scores::months`],
/// computed once: the `YYYY-MM` key, the label and the average total.
pub struct Months {
    /// `YYYY-MM`.
    pub keys: Vec<String>,
    /// The theme's label of the month.
    pub labels: Vec<String>,
    /// The mean total in cents.
    pub averages: Vec<Option<i64>>,
}

impl Months {
    /// Builds the keys, labels and averages of every results month.
    pub fn new(t: &Theme, scores: &Scores) -> Months {
        Months {
            keys: scores.months.iter().map(|m| m.month.to_string()).collect(),
            labels: scores
                .months
                .iter()
                .map(|m| month_label(t, m.month))
                .collect(),
            averages: scores.months.iter().map(month_average_cents).collect(),
        }
    }

    /// The averages as points, for a chart series.
    pub fn average_points(&self) -> Vec<Option<f64>> {
        self.averages
            .iter()
            .map(|a| a.map(|c| c as f64 / 100.0))
            .collect()
    }
}

/// Rank change as shown: CSS class, text and a spoken title.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Change {
    /// `up`, `down`, `same`, `new` (ranked for the first time after a previous month) or
    /// `none` (no previous month).
    pub cls: &'static str,
    /// Sort key: the change, or far below any change for new and unknown.
    pub v: i64,
    /// `↑2`, `↓1`, `—`, or the theme's `change_new`.
    pub text: String,
    /// The change in words (`change_up`, `change_down`, …).
    pub title: String,
}

/// The rank change `c` (positive: up) in words; `has_prev` tells a newcomer from a month
/// without a previous one.
pub fn change(t: &Theme, c: Option<i64>, has_prev: bool) -> Change {
    match c {
        Some(n) if n > 0 => Change {
            cls: "up",
            v: n,
            text: format!("↑{n}"),
            title: t.fill("change_up", &[("n", &n.to_string())]),
        },
        Some(n) if n < 0 => Change {
            cls: "down",
            v: n,
            text: format!("↓{}", -n),
            title: t.fill("change_down", &[("n", &(-n).to_string())]),
        },
        Some(_) => Change {
            cls: "same",
            v: 0,
            text: "—".into(),
            title: t.label("change_same").into(),
        },
        None if has_prev => Change {
            cls: "new",
            v: -100_000,
            text: t.label("change_new").into(),
            title: t.label("change_new_title").into(),
        },
        None => Change {
            cls: "none",
            v: -100_001,
            text: "—".into(),
            title: t.label("change_none").into(),
        },
    }
}

/// The month's count of ranked managers per rating level, best level first (empty without
/// levels).
pub fn level_counts(site: &Site, ms: &MonthScore) -> Vec<usize> {
    let mut counts = vec![0; site.config.policy.ratings.len()];
    for r in &ms.rows {
        if let Some(c) = r.rating.and_then(|l| counts.get_mut(l)) {
            *c += 1;
        }
    }
    counts
}

/// The month's escalated managers (contract v2) as `(manager, streak, "连续 n 个月后进")`, in
/// the order of the watch list.
pub fn escalated(t: &Theme, ms: &MonthScore) -> Vec<(usize, u32, String)> {
    ms.escalated
        .iter()
        .map(|&(m, n)| (m, n, t.fill("escalated_streak", &[("n", &n.to_string())])))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
