//! Fuzzes the whole load → validate → compute → export path on generated sites: the input
//! shapes a roster, months of results of every indicator method and training sessions, which
//! are written as YAML and built.
#![no_main]

mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Entry {
    manager: u8,
    actual: u16,
    target: u16,
    forecast: i16,
    satisfaction: u8,
    complaints: u8,
    bonus: Option<u8>,
    veto: bool,
}

#[derive(Arbitrary, Debug)]
struct Attendance {
    manager: u8,
    present: bool,
    excused: bool,
    score: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    managers: u8,
    months: Vec<(u8, Vec<Entry>)>,
    sessions: Vec<(u8, u8, Vec<Attendance>)>,
    watch: u8,
    top: u8,
}

fuzz_target!(|input: Input| {
    use std::fmt::Write;
    let dir = common::site();
    let n = (input.managers % 40) as usize + 1;
    let c = dir.join("content");
    let _ = std::fs::remove_dir_all(&c);
    common::reset(dir);
    for sub in ["results", "trainings", "competitions"] {
        let _ = std::fs::remove_dir_all(c.join(sub));
        std::fs::create_dir_all(c.join(sub)).unwrap();
    }
    let _ = std::fs::remove_file(c.join("innovations.yaml"));
    let _ = std::fs::remove_file(c.join("suggestions.yaml"));
    let site = common::FILES[0].1.replace("bottom: 2", &format!("bottom: {}", input.watch % 8)).replace("top: 2}", &format!("top: {}}}", input.top % 5 + 1));
    std::fs::write(c.join("site.yaml"), site).unwrap();
    let mut roster = String::from("teams:\n  - {id: a, name: A}\n  - {id: b, name: B}\nmanagers:\n");
    for i in 0..n {
        let _ = writeln!(roster, "  - {{id: m{i}, name: 经理{i}, team: {}}}", if i % 2 == 0 { "a" } else { "b" });
    }
    std::fs::write(c.join("managers.yaml"), roster).unwrap();
    for (month, entries) in input.months.iter().take(24) {
        let m = format!("2026-{:02}", month % 12 + 1);
        let mut y = format!("month: {m}\nresults:\n");
        let mut seen = std::collections::HashSet::new();
        for e in entries.iter().take(64) {
            let id = e.manager as usize % n;
            if !seen.insert(id) {
                continue;
            }
            let _ = write!(
                y,
                "  m{id}:\n    sales: {{actual: {}, target: {}}}\n    forecast: {}\n    brand: {{actual: {}, target: {}}}\n    satisfaction: {}\n    complaints: {}\n",
                e.actual, e.target, e.forecast as f64 / 10.0, e.target, e.actual, e.satisfaction, e.complaints
            );
            if let Some(b) = e.bonus {
                let _ = writeln!(y, "    bonus: [{{points: {}, reason: 加分}}]", b as f64 / 4.0);
            }
            if e.veto {
                y.push_str("    veto: 违规\n");
            }
        }
        std::fs::write(c.join(format!("results/{m}.yaml")), y).unwrap();
    }
    for (i, (month, day, att)) in input.sessions.iter().take(12).enumerate() {
        let mut y = format!("id: s{i}\ntitle: 培训\ndate: 2026-{:02}-{:02}\nkind: routine\nhours: 2\nattendees:\n", month % 12 + 1, day % 28 + 1);
        let mut seen = std::collections::HashSet::new();
        for a in att.iter().take(64) {
            let id = a.manager as usize % n;
            if !seen.insert(id) {
                continue;
            }
            let score = match (a.present, a.score) {
                (true, Some(s)) => format!(", score: {}", s % 101),
                _ => String::new(),
            };
            let excused = if !a.present && a.excused { ", excused: true" } else { "" };
            let _ = writeln!(y, "  m{id}: {{present: {}{score}{excused}}}", a.present);
        }
        std::fs::write(c.join(format!("trainings/s{i}.yaml")), y).unwrap();
    }
    common::run(dir);
});
