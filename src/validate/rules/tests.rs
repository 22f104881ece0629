//! The rulebook's boundaries, as its three readers apply them: the full check of a results
//! file, the fast path and sheet import accept and refuse the same values of every indicator
//! method; sessions' hours and scores are the same on the full check and the fast path.

use std::collections::HashMap;

use super::super::results::Context;
use super::super::testing::{check, manager_index, MANAGERS};
use super::*;
use crate::load::{ResultsContent, ResultsFile};
use crate::model::{Config, Manager, Month, Site, Team};
use crate::workflow::sheet::import::import_table;
use crate::workflow::sheet::read::{Cell, Table};

/// A site with one indicator of each method that takes a value (and a training one).
const SITE: &str = "title: T\nlanguage: en\nindicators:\n  - {id: sales, name: Sales, method: ratio, weight: 40}\n  - {id: sat, name: Satisfaction, method: percent, weight: 30}\n  - {id: complaints, name: Complaints, method: deduct, per_unit: 2}\n  - {id: calls, name: Calls, method: linear, weight: 20, target: 5, per_unit_below: 1}\n  - {id: training, name: Training, method: training, weight: 10}\n";

/// The clean values of li-na's entry: `(indicator, part, value)`.
const CLEAN: [(&str, Part, f64); 5] = [
    ("sales", Part::Actual, 90.0),
    ("sales", Part::Target, 100.0),
    ("sat", Part::Value, 95.0),
    ("complaints", Part::Value, 0.0),
    ("calls", Part::Value, 5.0),
];

fn site() -> (Config, Vec<Team>, Vec<Manager>) {
    let (config, p) = check(Lang::En, SITE, |c, v| {
        super::super::settings::site_config(c, v, None)
    });
    assert_eq!(p, []);
    let (roster, p) = check(Lang::En, MANAGERS, super::super::roster::roster);
    assert_eq!(p, []);
    let (teams, managers) = roster.unwrap();
    (config.unwrap(), teams, managers)
}

/// A site of `config` and the roster, with no data yet (what import needs).
fn site_of(config: Config, teams: Vec<Team>, managers: Vec<Manager>) -> Site {
    Site {
        config,
        teams,
        managers,
        months: Vec::new(),
        trainings: Vec::new(),
        plans: Vec::new(),
        competitions: Vec::new(),
        innovations: Vec::new(),
        suggestions: Vec::new(),
        pages: Vec::new(),
    }
}

/// The clean values with `(indicator, part)` set to `x`.
fn values(ind: &str, part: Part, x: f64) -> Vec<(&'static str, Part, f64)> {
    CLEAN
        .iter()
        .map(|&(i, p, v)| (i, p, if (i, p) == (ind, part) { x } else { v }))
        .collect()
}

/// Whether (full check, fast path, import) accept the values.
fn readers(values: &[(&str, Part, f64)]) -> (bool, bool, bool) {
    let (config, teams, managers) = site();
    let idx: HashMap<String, usize> = manager_index(&managers);
    let get = |ind: &str, part: Part| {
        values
            .iter()
            .find(|(i, p, _)| (*i, *p) == (ind, part))
            .map(|v| v.2)
            .unwrap()
    };
    let yaml = format!(
        "month: 2026-03\nresults:\n  li-na: {{sales: {{actual: {}, target: {}}}, sat: {}, complaints: {}, calls: {}}}\n",
        get("sales", Part::Actual),
        get("sales", Part::Target),
        get("sat", Part::Value),
        get("complaints", Part::Value),
        get("calls", Part::Value),
    );
    let cx = Context::new(Lang::En, &config, &managers, &idx);
    let fast = super::super::fast::results(&cx, &yaml, "2026-03", "r.yaml").is_some();
    let full = cx.check(ResultsFile {
        source: 0,
        stem: "2026-03".to_string(),
        display: "r.yaml".to_string(),
        key: None,
        content: ResultsContent::Read {
            text: Some(yaml.clone()),
            parsed: crate::load::parse_data("r.yaml", &yaml, Lang::En),
        },
    });
    let full = full.problems.is_empty() && full.month.is_some_and(|m| m.entries.len() == 1);

    let header = [
        "id",
        "sales.actual",
        "sales.target",
        "sat",
        "complaints",
        "calls",
    ];
    let mut row = vec![Cell::Text("li-na".to_string())];
    for (ind, part) in [
        ("sales", Part::Actual),
        ("sales", Part::Target),
        ("sat", Part::Value),
        ("complaints", Part::Value),
        ("calls", Part::Value),
    ] {
        row.push(Cell::Number(get(ind, part)));
    }
    let rows = vec![
        header.iter().map(|h| Cell::Text(h.to_string())).collect(),
        row,
    ];
    let table = Table::from_rows("r.xlsx".to_string(), None, rows);
    let site = site_of(config.clone(), teams, managers.clone());
    let month = Month::parse("2026-03").unwrap();
    let import = import_table(&site, month, &table, None).is_ok();
    (full, fast, import)
}

#[test]
fn every_reader_accepts_and_refuses_each_method_at_its_boundaries() {
    assert_eq!(readers(&CLEAN), (true, true, true), "the clean entry");
    let cases: &[(&str, Part, f64, bool)] = &[
        // ratio: actual >= 0, target > 0
        ("sales", Part::Actual, 0.0, true),
        ("sales", Part::Actual, -0.001, false),
        ("sales", Part::Actual, MAX_ABS, true),
        ("sales", Part::Actual, 2e12, false),
        ("sales", Part::Target, 0.001, true),
        ("sales", Part::Target, 0.0, false),
        ("sales", Part::Target, -1.0, false),
        // percent: 0 to 100
        ("sat", Part::Value, 0.0, true),
        ("sat", Part::Value, 100.0, true),
        ("sat", Part::Value, -0.001, false),
        ("sat", Part::Value, 100.001, false),
        // deduct: a count >= 0
        ("complaints", Part::Value, 0.0, true),
        ("complaints", Part::Value, 3.5, true),
        ("complaints", Part::Value, -0.001, false),
        ("complaints", Part::Value, MAX_ABS, true),
        ("complaints", Part::Value, 1.000001e12, false),
        // linear: any usable number
        ("calls", Part::Value, -MAX_ABS, true),
        ("calls", Part::Value, MAX_ABS, true),
        ("calls", Part::Value, -1.5e12, false),
        ("calls", Part::Value, 1e13, false),
    ];
    for &(ind, part, x, accepted) in cases {
        let want = (accepted, accepted, accepted);
        assert_eq!(
            readers(&values(ind, part, x)),
            want,
            "{ind} {part:?} = {x}: (full check, fast path, import)"
        );
        // The rulebook says the same.
        let (config, _, _) = site();
        let method = &config
            .indicators
            .iter()
            .find(|i| i.id == ind)
            .unwrap()
            .method;
        let rule = value_rules(method).iter().find(|r| r.part == part).unwrap();
        assert_eq!(rule.range.accepts(x), accepted, "{ind} {part:?} = {x}");
    }
}

#[test]
fn import_names_a_cell_too_large_to_be_a_number() {
    let (config, teams, managers) = site();
    let table = Table::from_rows(
        "r.xlsx".to_string(),
        None,
        vec![
            [
                "id",
                "sales.actual",
                "sales.target",
                "sat",
                "complaints",
                "calls",
            ]
            .iter()
            .map(|h| Cell::Text(h.to_string()))
            .collect(),
            vec![
                Cell::Text("li-na".to_string()),
                Cell::Number(1.0),
                Cell::Number(2.0),
                Cell::Number(50.0),
                Cell::Number(0.0),
                Cell::Number(1e13),
            ],
        ],
    );
    let site = site_of(config, teams, managers);
    let errs = import_table(&site, Month::parse("2026-03").unwrap(), &table, None).unwrap_err();
    assert_eq!(
        errs,
        ["r.xlsx:F2: \"Calls\" value 10000000000000 is out of range: expected a number of at most 10^12 in magnitude"]
    );
}

#[test]
fn each_method_has_its_numbers() {
    let (config, _, _) = site();
    let parts: Vec<(&str, Vec<Part>)> = config
        .indicators
        .iter()
        .map(|i| {
            let parts = value_rules(&i.method).iter().map(|r| r.part).collect();
            (i.id.as_str(), parts)
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("sales", vec![Part::Actual, Part::Target]),
            ("sat", vec![Part::Value]),
            ("complaints", vec![Part::Value]),
            ("calls", vec![Part::Value]),
            ("training", vec![]),
        ]
    );
    assert_eq!(
        written_as(Lang::En, value_rules(&config.indicators[0].method)),
        "{actual: …, target: …}"
    );
    assert_eq!(
        written_as(Lang::Zh, value_rules(&config.indicators[1].method)),
        "数字"
    );
}

#[test]
fn sessions_hours_and_scores_at_their_boundaries() {
    let (_, _, managers) = site();
    let idx = manager_index(&managers);
    let plan_idx: HashMap<&str, usize> = HashMap::new();
    let cx = super::super::fast::TrainingContext {
        mgr_idx: &idx,
        plan_idx: &plan_idx,
    };
    for (hours, score, accepted) in [
        (0.001, 100.0, true),
        (2.0, 0.0, true),
        (0.0, 50.0, false),
        (2.0, 100.001, false),
        (2.0, -0.001, false),
        (2e12, 50.0, false),
    ] {
        assert_eq!(HOURS.accepts(hours) && SCORE.accepts(score), accepted);
        let yaml = format!("id: t1\ntitle: T\ndate: 2026-01-10\nkind: routine\nhours: {hours}\nattendees:\n  li-na: {{present: true, score: {score}}}\n");
        let fast = super::super::fast::training(&cx, &yaml, "t.yaml").is_some();
        let v = crate::yaml::parse(&yaml).unwrap();
        let (full, p) = check(Lang::En, &yaml, |c, _| {
            super::super::training::training(c, &v, "t.yaml".into(), &idx, &plan_idx, &[])
        });
        let full = full.is_some() && p.is_empty();
        assert_eq!(
            (full, fast),
            (accepted, accepted),
            "hours {hours}, score {score}"
        );
    }
}
