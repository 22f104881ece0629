//! Property tests of the scoring and ranking rules on generated data (proptest).

use proptest::prelude::*;
use rankpress::diag::Lang;
use rankpress::model::*;
use rankpress::score::{self, cents};
use rankpress::training::{self, Period};

fn indicators() -> Vec<Indicator> {
    let ind = |id: &str, weight, method| Indicator {
        id: id.into(),
        name: id.into(),
        group: None,
        weight,
        method,
    };
    vec![
        ind(
            "sales",
            30.0,
            Method::Ratio {
                cap: 1.2,
                floor: 0.8,
            },
        ),
        ind("visits", 20.0, Method::Percent),
        ind(
            "forecast",
            15.0,
            Method::Linear {
                target: 95.0,
                per_unit_below: 0.5,
                per_unit_above: 1.0,
                min: 0.0,
                max: 20.0,
            },
        ),
        ind(
            "complaints",
            0.0,
            Method::Deduct {
                per_unit: 2.0,
                limit: Some(6.0),
            },
        ),
        ind("training", 10.0, Method::Training),
    ]
}

fn config() -> Config {
    Config {
        title: "t".into(),
        organization: None,
        language: Lang::Zh,
        theme: "default".into(),
        base_url: None,
        indicators: indicators(),
        awards: vec![
            Award {
                id: "sales-star".into(),
                name: "s".into(),
                basis: AwardBasis::Indicator(0),
                top: 2,
                min: Some(1.0),
            },
            Award {
                id: "overall".into(),
                name: "o".into(),
                basis: AwardBasis::Total,
                top: 3,
                min: None,
            },
        ],
        watch_bottom: 3,
        pass_mark: 60.0,
        bonus_per_adopted: 0.5,
        excellence_top: 3,
        min_months: 1,
        bulletin: None,
        font: None,
        policy: Default::default(),
    }
}

/// One manager's raw values in a month: (actual, target, visits, forecast, complaints, bonus, veto).
type Raw = (u32, u32, u8, u8, u8, u8, bool);

fn raw() -> impl Strategy<Value = Raw> {
    // Small ranges make ties frequent.
    (
        0u32..6,
        1u32..4,
        80u8..101,
        85u8..100,
        0u8..4,
        0u8..3,
        prop::bool::weighted(0.05),
    )
}

fn site(months: &[Vec<Raw>], attendance: &[(u8, bool, bool, Option<u8>)]) -> Site {
    let n = months.iter().map(Vec::len).max().unwrap_or(0);
    let managers = (0..n)
        .map(|i| Manager {
            id: format!("m{i:03}"),
            name: format!("M{i}"),
            team: i % 3,
            grade: None,
            joined: None,
            left: None,
            email: None,
        })
        .collect();
    let teams = (0..3)
        .map(|t| Team {
            id: format!("t{t}"),
            name: format!("T{t}"),
        })
        .collect();
    let months = months
        .iter()
        .enumerate()
        .map(|(mi, rows)| MonthResults {
            month: Month {
                year: 2026,
                month: mi as u32 + 1,
            },
            note: None,
            file: String::new(),
            entries: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Entry {
                    manager: i,
                    values: vec![
                        Value::Ratio {
                            actual: r.0 as f64 * 250.0,
                            target: r.1 as f64 * 300.0,
                        },
                        Value::Number(r.2 as f64),
                        Value::Number(r.3 as f64),
                        Value::Number(r.4 as f64),
                        Value::None,
                    ],
                    bonus: (0..r.5)
                        .map(|_| Item {
                            points: 0.5,
                            reason: "b".into(),
                        })
                        .collect(),
                    deductions: vec![],
                    veto: r.6.then(|| "v".to_string()),
                })
                .collect(),
        })
        .collect();
    let trainings = vec![Training {
        id: "t1".into(),
        title: "t".into(),
        date: Date {
            year: 2026,
            month: 1,
            day: 10,
        },
        kind: TrainingKind::Routine,
        topic: None,
        hours: 2.5,
        instructor: None,
        plan: None,
        attendees: attendance
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < n)
            .map(|(i, a)| Attendance {
                manager: i,
                present: a.1,
                excused: !a.1 && a.2,
                score: if a.1 { a.3.map(f64::from) } else { None },
                reason: None,
            })
            .collect(),
        file: String::new(),
    }];
    Site {
        config: config(),
        teams,
        managers,
        months,
        trainings,
        plans: vec![],
        competitions: vec![],
        innovations: vec![],
        suggestions: vec![],
        pages: vec![],
    }
}

fn attendance() -> impl Strategy<Value = Vec<(u8, bool, bool, Option<u8>)>> {
    prop::collection::vec(
        (
            0u8..1,
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0u8..101),
        ),
        0..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ranks_are_a_competition_ranking(months in prop::collection::vec(prop::collection::vec(raw(), 1..12), 1..4), att in attendance()) {
        let s = site(&months, &att);
        let scores = score::compute(&s);
        for m in &scores.months {
            for r in &m.rows {
                let greater = m.rows.iter().filter(|o| cents(o.total) > cents(r.total)).count();
                prop_assert_eq!(r.rank as usize, greater + 1);
                if r.veto.is_some() { prop_assert_eq!(r.total, 0.0); }
            }
            // A higher total never ranks lower; rows are in rank order.
            for w in m.rows.windows(2) {
                prop_assert!(w[0].rank <= w[1].rank);
                prop_assert!(cents(w[0].total) >= cents(w[1].total));
            }
            // Award winners satisfy their rule: not vetoed, at least the minimum, and nobody
            // outside the winners beats the weakest winner.
            for aw in &m.awards {
                let a = &s.config.awards[aw.award];
                let value = |mgr: usize| {
                    let r = m.row_of(mgr).unwrap();
                    match a.basis { AwardBasis::Total => Some(r.total), AwardBasis::Indicator(ix) => r.perf[ix] }
                };
                let weakest = aw.managers.iter().filter_map(|&w| value(w)).fold(f64::INFINITY, f64::min);
                for &w in &aw.managers {
                    let r = m.row_of(w).unwrap();
                    prop_assert!(r.veto.is_none());
                    prop_assert!(a.min.is_none_or(|min| value(w).unwrap() >= min));
                }
                for r in m.rows.iter().filter(|r| !aw.managers.contains(&r.manager) && r.veto.is_none()) {
                    if let Some(v) = value(r.manager) {
                        if a.min.is_none_or(|min| v >= min) { prop_assert!(v < weakest); }
                    }
                }
                prop_assert!(aw.managers.len() >= a.top.min(m.rows.iter().filter(|r| r.veto.is_none() && value(r.manager).is_some_and(|v| a.min.is_none_or(|min| v >= min))).count()));
            }
            // The watch list holds the lowest totals.
            let worst_kept = m.watch.iter().map(|&w| cents(m.row_of(w).unwrap().total)).max();
            if let Some(t) = worst_kept {
                prop_assert!(m.rows.iter().filter(|r| cents(r.total) < t).all(|r| m.watch.contains(&r.manager)));
            }
        }
    }

    #[test]
    fn changing_one_manager_changes_no_other_score(rows in prop::collection::vec(raw(), 2..10), who in 0usize..10, new in raw(), att in attendance()) {
        let who = who % rows.len();
        let before = score::compute(&site(std::slice::from_ref(&rows), &att));
        let mut changed = rows.clone();
        changed[who] = new;
        let after = score::compute(&site(&[changed], &att));
        for r in &before.months[0].rows {
            if r.manager == who { continue; }
            let o = after.months[0].row_of(r.manager).unwrap();
            prop_assert_eq!(&r.scores, &o.scores);
            prop_assert_eq!(r.total, o.total);
        }
    }

    #[test]
    fn training_counts_add_up(rows in prop::collection::vec(raw(), 1..12), att in attendance()) {
        let s = site(&[rows], &att);
        let t = training::summarize(&s, Period::Month(Month { year: 2026, month: 1 }));
        prop_assert_eq!(t.expected, t.present + t.excused + t.absent);
        prop_assert_eq!(t.managers.iter().map(|m| m.sessions).sum::<usize>(), t.expected);
        prop_assert_eq!(t.managers.iter().map(|m| m.present).sum::<usize>(), t.present);
        prop_assert_eq!(t.managers.iter().map(|m| m.absent).sum::<usize>(), t.absent);
        prop_assert!(t.passed <= t.assessed && t.assessed <= t.present);
        if let Some(r) = t.attendance_rate { prop_assert!((0.0..=1.0).contains(&r)); }
        prop_assert!((t.person_hours - t.present as f64 * 2.5).abs() < 1e-9);
    }

    #[test]
    fn exports_round_trip(months in prop::collection::vec(prop::collection::vec(raw(), 1..8), 1..3)) {
        let s = site(&months, &[]);
        let scores = score::compute(&s);
        for m in &scores.months {
            let json = rankpress::exports::to_json(&rankpress::exports::ranking(&s, m, None));
            let back: serde_json::Value = serde_json::from_slice(&json).unwrap();
            let rows = back["rows"].as_array().unwrap();
            prop_assert_eq!(rows.len(), m.rows.len());
            for (j, r) in rows.iter().zip(&m.rows) {
                prop_assert_eq!(j["total"].as_f64().unwrap(), r.total);
                prop_assert_eq!(j["rank"].as_u64().unwrap(), r.rank as u64);
                prop_assert_eq!(j["id"].as_str().unwrap(), s.managers[r.manager].id.as_str());
            }
            let csv = String::from_utf8(rankpress::exports::ranking_csv(&s, m)).unwrap();
            let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
            prop_assert_eq!(lines.len(), m.rows.len() + 1);
            // The total's column by its heading (contract v2 added `rating` after `change`).
            let col = lines[0].split(',').position(|h| h == "total").unwrap();
            for (line, r) in lines[1..].iter().zip(&m.rows) {
                let total: f64 = line.split(',').nth(col).unwrap().parse().unwrap();
                prop_assert_eq!(total, r.total);
            }
        }
    }
}
