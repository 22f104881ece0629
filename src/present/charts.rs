//! Chart specifications shared by the pages (SVG) and the bulletins (PNG): the month's
//! distribution of totals (its bins), the team averages, the indicator averages and the level
//! distribution, plus the numbers of any chart as a table (the pages' text alternative and the
//! bulletins' `alt` text).

use super::format::{f2, num};
use crate::charts::{bin_counts, BarChart, Chart, Histogram, LineChart, Series};
use crate::model::Site;
use crate::score::{round2, MonthScore};
use crate::theme::Theme;

/// The bins of a month's distribution: 5 points wide from the lowest to the highest total
/// (10 when the spread is over 60 points).
pub fn distribution_bins(totals: &[f64]) -> Vec<(f64, f64)> {
    let max = totals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let min = totals.iter().cloned().fold(f64::INFINITY, f64::min);
    let (max, min) = if totals.is_empty() {
        (100.0, 0.0)
    } else {
        (max, min)
    };
    let width = if max - min > 60.0 { 10.0 } else { 5.0 };
    let mut lo = (min / width).floor() * width;
    let mut bins = Vec::new();
    loop {
        bins.push((lo, lo + width));
        lo += width;
        if lo > max {
            break;
        }
    }
    bins
}

/// The distribution of the month's totals; `label` is the month's label.
pub fn distribution(t: &Theme, label: &str, ms: &MonthScore) -> Chart {
    let totals: Vec<f64> = ms.rows.iter().map(|r| r.total).collect();
    Chart::Histogram(Histogram {
        title: t.fill("chart_distribution", &[("month", label)]),
        bins: distribution_bins(&totals),
        values: totals,
        x_label: t.label("total").into(),
        y_label: t.label("people").into(),
    })
}

/// Each team's average total of the month, in the month's team order.
pub fn team_averages(t: &Theme, label: &str, site: &Site, ms: &MonthScore) -> Chart {
    Chart::Bar(BarChart {
        title: t.fill("chart_team_avg", &[("month", label)]),
        labels: ms
            .teams
            .iter()
            .map(|tr| site.teams[tr.team].name.clone())
            .collect(),
        values: ms
            .teams
            .iter()
            .map(|tr| tr.average_cents as f64 / 100.0)
            .collect(),
        y_label: t.label("average").into(),
        highlight: None,
        from_zero: false,
    })
}

/// Each indicator's average points of the month.
pub fn indicator_averages(t: &Theme, label: &str, site: &Site, ms: &MonthScore) -> Chart {
    let inds = &site.config.indicators;
    let n = ms.rows.len().max(1) as f64;
    Chart::Bar(BarChart {
        title: t.fill("chart_indicator_avg", &[("month", label)]),
        labels: inds.iter().map(|i| i.name.clone()).collect(),
        values: (0..inds.len())
            .map(|i| {
                let mut s = 0.0;
                for r in &ms.rows {
                    s += r.scores[i];
                }
                round2(s / n)
            })
            .collect(),
        y_label: t.label("points").into(),
        highlight: None,
        from_zero: true,
    })
}

/// The level distribution (counts from [`super::level_counts`]), when there are levels.
pub fn level_distribution(t: &Theme, label: &str, site: &Site, counts: &[usize]) -> Option<Chart> {
    let levels = &site.config.policy.ratings;
    if levels.is_empty() {
        return None;
    }
    Some(Chart::Bar(BarChart {
        title: t.fill("chart_rating_dist", &[("month", label)]),
        labels: levels.iter().map(|r| r.name.clone()).collect(),
        values: counts.iter().map(|&n| n as f64).collect(),
        y_label: t.label("people").into(),
        highlight: None,
        from_zero: true,
    }))
}

/// A chart's numbers as a table: the header and the rows (`—` for a missing value; ranks as
/// whole numbers, points with two decimals; histogram bins as `lo–<hi`, the last `lo–hi`).
pub fn table(chart: &Chart, t: &Theme) -> (Vec<String>, Vec<Vec<String>>) {
    match chart {
        Chart::Line(c) => {
            let mut head = vec![t.label("chart_category").to_string()];
            head.extend(c.series.iter().map(|s| s.name.clone()));
            let rows = c
                .x_labels
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let mut r = vec![x.clone()];
                    r.extend(c.series.iter().map(|s| {
                        s.values
                            .get(i)
                            .copied()
                            .flatten()
                            .map(|v| if c.invert_y { num(v) } else { f2(v) })
                            .unwrap_or_else(|| "—".into())
                    }));
                    r
                })
                .collect();
            (head, rows)
        }
        Chart::Bar(c) => (
            vec![t.label("chart_category").into(), c.y_label.clone()],
            c.labels
                .iter()
                .zip(&c.values)
                .map(|(l, v)| vec![l.clone(), f2(*v)])
                .collect(),
        ),
        Chart::Histogram(c) => {
            let counts = bin_counts(&c.values, &c.bins);
            let rows = c
                .bins
                .iter()
                .zip(counts)
                .enumerate()
                .map(|(i, ((lo, hi), n))| {
                    let range = if i + 1 == c.bins.len() {
                        format!("{}–{}", num(*lo), num(*hi))
                    } else {
                        format!("{}–<{}", num(*lo), num(*hi))
                    };
                    vec![range, n.to_string()]
                })
                .collect();
            (vec![c.x_label.clone(), c.y_label.clone()], rows)
        }
    }
}

/// A chart's title and numbers in one line, for an image's `alt` text:
/// `title：a 1，b 2` (the theme's `colon` and `alt_sep`).
pub fn alt(chart: &Chart, t: &Theme) -> String {
    let title = match chart {
        Chart::Line(c) => &c.title,
        Chart::Bar(c) => &c.title,
        Chart::Histogram(c) => &c.title,
    };
    let (_, rows) = table(chart, t);
    let cells: Vec<String> = rows.iter().map(|r| r.join(" ")).collect();
    format!(
        "{title}{}{}",
        t.label("colon"),
        cells.join(t.label("alt_sep"))
    )
}

/// A manager's rank by month (lower is better, so the axis is inverted).
pub fn manager_rank(t: &Theme, name: &str, months: Vec<String>, ranks: Vec<Option<f64>>) -> Chart {
    Chart::Line(LineChart {
        title: t.fill("chart_manager_rank", &[("name", name)]),
        x_labels: months,
        series: vec![Series {
            name: t.label("rank").into(),
            values: ranks,
            dashed: false,
        }],
        y_label: t.label("rank").into(),
        invert_y: true,
    })
}
