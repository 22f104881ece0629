//! Rating levels and pay (contract §10): properties of the level assignment and of the pool
//! (proptest, on generated sites), the payroll files, and the confidentiality of pay — no pay
//! amount appears anywhere under `output/`.

mod common;

use std::path::Path;

use common::*;
use proptest::prelude::*;
use rankpress::decimal::Decimal;
use rankpress::diag::Lang;
use rankpress::model::*;
use rankpress::pay::{month_pay, share_pool};
use rankpress::score;

/// A generated level: (quota in hundredths of a percent or none, min or none, coefficient in
/// hundredths).
type Level = (Option<u32>, Option<u8>, u16);

fn levels() -> impl Strategy<Value = Vec<Level>> {
    prop::collection::vec(
        (
            prop::option::of(1u32..=10_000),
            prop::option::of(50u8..100),
            0u16..300,
        ),
        2..5,
    )
}

fn ratings(levels: &[Level]) -> Vec<Rating> {
    let last = levels.len() - 1;
    levels
        .iter()
        .enumerate()
        .map(|(i, &(q, min, c))| Rating {
            id: format!("l{i}"),
            name: format!("L{i}"),
            quota: q.filter(|_| i < last).map(|q| Decimal {
                units: q as i128,
                scale: 2,
            }),
            min: min.filter(|_| i < last).map(f64::from),
            coefficient: Decimal {
                units: c as i128,
                scale: 2,
            },
        })
        .collect()
}

/// A site of one month: each manager's `visits` percent (0–100, few values so that ties are
/// frequent) and whether they have a veto.
fn site(levels: &[Level], people: &[(u8, bool)], pay: Pay) -> Site {
    let managers = (0..people.len())
        .map(|i| Manager {
            id: format!("m{i:03}"),
            name: format!("M{i}"),
            team: 0,
            grade: None,
            joined: None,
            left: None,
            email: None,
        })
        .collect();
    let entries = people
        .iter()
        .enumerate()
        .map(|(i, &(v, veto))| Entry {
            manager: i,
            values: vec![Value::Number(f64::from(v))],
            bonus: vec![],
            deductions: vec![],
            veto: veto.then(|| "v".to_string()),
        })
        .collect();
    Site {
        config: Config {
            title: "t".into(),
            organization: None,
            language: Lang::Zh,
            theme: "default".into(),
            base_url: None,
            indicators: vec![Indicator {
                id: "visits".into(),
                name: "visits".into(),
                group: None,
                weight: 100.0,
                method: Method::Percent,
            }],
            awards: vec![],
            watch_bottom: 3,
            pass_mark: 60.0,
            bonus_per_adopted: 0.0,
            excellence_top: 3,
            min_months: 1,
            bulletin: None,
            font: None,
            policy: Policy {
                ratings: ratings(levels),
                pay: Some(pay),
                ..Default::default()
            },
        },
        teams: vec![Team {
            id: "t".into(),
            name: "T".into(),
        }],
        managers,
        months: vec![MonthResults {
            month: Month {
                year: 2026,
                month: 1,
            },
            note: None,
            entries,
            file: String::new(),
        }],
        trainings: vec![],
        plans: vec![],
        competitions: vec![],
        innovations: vec![],
        suggestions: vec![],
        pages: vec![],
    }
}

fn people() -> impl Strategy<Value = Vec<(u8, bool)>> {
    prop::collection::vec(
        (
            prop::sample::select(vec![40u8, 60, 75, 80, 90, 95, 100]),
            prop::bool::weighted(0.1),
        ),
        1..40,
    )
}

fn pay() -> impl Strategy<Value = Pay> {
    prop_oneof![
        (0i128..100_000_000).prop_map(|p| Pay {
            method: PayMethod::Pool,
            base_cents: None,
            pool_cents: Some(p),
        }),
        (0i128..1_000_000).prop_map(|b| Pay {
            method: PayMethod::Rating,
            base_cents: Some(b),
            pool_cents: None,
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every ranked manager gets exactly one level; a veto the last; a quota level holds at
    /// most its quota except for ties at the boundary; a level's `min` is respected; and a veto
    /// is paid 0.
    #[test]
    fn levels_follow_the_quota_rules(lv in levels(), ppl in people(), p in pay()) {
        let s = site(&lv, &ppl, p.clone());
        let sc = score::compute(&s);
        let ms = &sc.months[0];
        let n = ms.rows.len();
        let last = s.config.policy.ratings.len() - 1;
        prop_assert_eq!(n, ppl.len());
        for r in &ms.rows {
            let l = r.rating.expect("every ranked manager has a level");
            prop_assert!(l <= last);
            if r.veto.is_some() {
                prop_assert_eq!(l, last);
            }
        }
        for (li, level) in s.config.policy.ratings[..last].iter().enumerate() {
            let got: Vec<i64> = ms.rows.iter().filter(|r| r.rating == Some(li)).map(|r| score::cents(r.total)).collect();
            if let Some(m) = level.min {
                prop_assert!(ms.rows.iter().filter(|r| r.rating == Some(li)).all(|r| r.total >= m));
            }
            if let Some(q) = level.quota {
                let k = (n as i128 * q.units / (100 * 10i128.pow(q.scale))) as usize;
                if got.len() > k {
                    // Everyone beyond the k-th ties with the k-th.
                    prop_assert!(k > 0, "k = 0 gives the level to nobody");
                    prop_assert!(got[k - 1..].iter().all(|&c| c == got[k - 1]), "{got:?} k={k}");
                }
            }
        }
        let pays = month_pay(&s, ms).unwrap().unwrap();
        prop_assert_eq!(pays.len(), n);
        for (r, p) in ms.rows.iter().zip(&pays) {
            prop_assert_eq!(r.manager, p.manager);
            prop_assert!(p.cents >= 0);
            if r.veto.is_some() {
                prop_assert_eq!(p.cents, 0);
            }
        }
        if p.method == PayMethod::Pool {
            let total: i128 = pays.iter().map(|p| p.cents).sum();
            let anyone = ms.rows.iter().any(|r| r.veto.is_none() && r.total > 0.0
                && s.config.policy.ratings[r.rating.unwrap()].coefficient.units > 0);
            prop_assert_eq!(total, if anyone { p.pool_cents.unwrap() } else { 0 });
        }
    }

    /// The pool's cents add up exactly, and more weight never means less pay.
    #[test]
    fn pool_shares_add_up_and_are_monotone(
        pool in 0i128..10_000_000_000,
        weights in prop::collection::vec(0i128..2_000_000, 1..60),
    ) {
        let pays = share_pool(pool, &weights).unwrap();
        let sum: i128 = pays.iter().sum();
        if weights.iter().all(|&w| w == 0) {
            prop_assert!(pays.iter().all(|&p| p == 0));
        } else {
            prop_assert_eq!(sum, pool);
        }
        for i in 0..weights.len() {
            if weights[i] == 0 {
                prop_assert_eq!(pays[i], 0);
            }
            for j in 0..weights.len() {
                if weights[i] > weights[j] {
                    prop_assert!(pays[i] >= pays[j], "w {} > {} but pay {} < {}", weights[i], weights[j], pays[i], pays[j]);
                }
                if weights[i] == weights[j] {
                    prop_assert!((pays[i] - pays[j]).abs() <= 1);
                }
            }
        }
    }
}

/// The v2 fixture with pay by pool (an odd pool, so that amounts have cents), and bulletins.
fn pool_site() -> tempfile::TempDir {
    let dir = site_from(&conformance_v2_dir().join("ratings/content"));
    let path = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "pay:\n  method: rating\n  base: 3000\n",
            "pay:\n  method: pool\n  pool: 54321.07\nbulletin:\n  from: 绩效通报 <kpi@example.com>\n  to: [leader@example.com]\n  personal: true\n",
        );
    assert!(text.contains("pool: 54321.07"));
    write(&path, &text);
    dir
}

/// Every pay amount of every month, from `rankpress payroll --month all`.
fn pay_amounts(site: &Path, dir: &Path) -> Vec<i64> {
    let run = rankpress(
        site,
        &["payroll", "--month", "all", "-o", dir.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut cents = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            let total: i64 = v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["pay"].as_f64().unwrap() * 100.0).round() as i64)
                .inspect(|&c| cents.push(c))
                .sum();
            assert_eq!(total, 5_432_107, "{}: the pool adds up", e.path().display());
        }
    }
    cents
}

#[test]
fn no_pay_amount_reaches_output() {
    let site = pool_site();
    let payroll = tempdir();
    let amounts = pay_amounts(site.path(), payroll.path());
    assert!(amounts.len() > 50, "{} amounts", amounts.len());
    let run = rankpress(site.path(), &["build"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = rankpress(site.path(), &["bulletin", "--month", "2026-04"]);
    assert!(
        run.status.success(),
        "bulletin (needs a CJK font: apt-get install fonts-wqy-microhei): {}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Each amount as the site or an export would write it: 4012.37, 4,012.37, 401237 (cents).
    // 0 (a veto, or nobody weighted) is no secret.
    let mut needles: Vec<String> = amounts
        .iter()
        .filter(|&&c| c != 0)
        .flat_map(|&c| amount_spellings(c, false))
        .collect();
    needles.sort();
    needles.dedup();
    let files = tree(&site.path().join("output"));
    assert!(
        !files.iter().any(|(n, _)| n.starts_with("bulletins/")),
        "bulletins were written into output/"
    );
    assert!(files.len() > 50, "{} files", files.len());
    let leaks = holding(&files, &needles);
    assert!(
        leaks.is_empty(),
        "pay amounts in output/:\n{}",
        leaks.join("\n")
    );
    // The team bulletin lists the level distribution and the escalated managers; the personal
    // one shows the person's level, and no pay (personal_pay is off).
    let team = text_of(&site.path().join("bulletins/2026-04.eml"));
    assert!(team.contains("考核等次分布：优秀 "), "{team}");
    assert!(
        team.contains("连续后进：") && team.contains("个月后进）"),
        "{team}"
    );
    let personal = text_of(&site.path().join("bulletins/2026-04/m00012.eml"));
    assert!(personal.contains("考核等次：优秀"), "{personal}");
    assert!(!personal.contains("绩效工资"), "{personal}");
    // Nor the words: no pay column anywhere.
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("绩效工资（元）") && !text.contains("\"pay\""),
            "{name}"
        );
    }
}

#[test]
fn payroll_files_csv_xlsx_and_refusals() {
    let site = pool_site();
    let dir = site.path().join("payroll");
    let run = rankpress(site.path(), &["payroll"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Default: the latest month, into ROOT/payroll (marked as a payroll folder, kept out of
    // git by its own .gitignore).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".gitignore",
            ".rankpress-payroll",
            "2026-04.csv",
            "2026-04.json",
            "2026-04.xlsx"
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("2026-04.json")).unwrap()).unwrap();
    assert_eq!(json["method"], "pool");
    assert_eq!(json["base"], serde_json::Value::Null);
    assert_eq!(json["pool"].as_f64(), Some(54321.07));
    assert_eq!(json["paid"].as_f64(), Some(54321.07));
    let rows = json["rows"].as_array().unwrap();
    let csv = std::fs::read_to_string(dir.join("2026-04.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}名次,编号,姓名,片区,总分,考核等次,绩效系数,绩效工资（元）"
    );
    assert_eq!(lines.len(), rows.len() + 2);
    let first = &rows[0];
    assert_eq!(
        lines[1],
        format!(
            "1,{},{},城郊片区,{:.2},优秀,1.2,{:.2}",
            first["id"].as_str().unwrap(),
            first["name"].as_str().unwrap(),
            first["total"].as_f64().unwrap(),
            first["pay"].as_f64().unwrap()
        )
    );
    assert_eq!(*lines.last().unwrap(), "合计,,,,,,,54321.07");
    // The sheet: Chinese headings, amounts, the total row.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.join("2026-04.xlsx")).unwrap();
    let range = wb.worksheet_range("2026-04").unwrap();
    assert_eq!(
        range.get((0, 7)),
        Some(&Data::String("绩效工资（元）".into()))
    );
    assert_eq!(range.get((0, 5)), Some(&Data::String("考核等次".into())));
    assert_eq!(
        range.get((1, 7)),
        Some(&Data::Float(first["pay"].as_f64().unwrap()))
    );
    let last = rows.len() + 1;
    assert_eq!(range.get((last, 0)), Some(&Data::String("合计".into())));
    assert_eq!(range.get((last, 7)), Some(&Data::Float(54321.07)));

    // The same data gives the same bytes: the workbook's creation date is the month's first
    // day, not the clock.
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(dir.join("2026-04.xlsx")).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    assert!(
        core.contains(">2026-04-01T00:00:00Z</dcterms:created>"),
        "{core}"
    );

    // Never into the output folder, not even through `..`.
    let run = rankpress(site.path(), &["payroll", "-o", "output/pay"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("绝不进入网站"));
    let run = rankpress(site.path(), &["payroll", "-o", "payroll/../output"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!site.path().join("output").exists());
    // An unknown month is a usage error.
    let run = rankpress(site.path(), &["payroll", "--month", "2030-01"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn payroll_without_pay_says_what_to_add() {
    for (lang, words) in [("zh-CN", "pay:"), ("en", "has no performance pay")] {
        let site = site_from(&conformance_dir().join("basic/content"));
        let path = site.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if lang == "en" {
            text.replace("language: zh-CN", "language: en")
        } else {
            text
        };
        write(&path, &text);
        let run = rankpress(site.path(), &["payroll"]);
        // Contract §10: "Without `pay` in site.yaml it is an error (exit 1) that says so."
        assert_eq!(run.status.code(), Some(1));
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(words) && err.contains("method: pool"), "{err}");
        assert!(!site.path().join("payroll").exists());
    }
}

/// The plain-text part of a message file.
fn text_of(eml: &Path) -> String {
    let bytes = std::fs::read(eml).unwrap_or_else(|e| panic!("{}: {e}", eml.display()));
    let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    msg.body_text(0).unwrap().into_owned()
}

#[test]
fn personal_pay_only_in_personal_bulletins_and_never_in_output() {
    let site = pool_site();
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "  personal: true\n",
        "  personal: true\n  personal_pay: true\n",
    );
    write(&path, &text);
    // Refused into the output folder.
    let run = rankpress(
        site.path(),
        &["bulletin", "--month", "2026-04", "-o", "output"],
    );
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("绝不进入网站"));
    assert!(!site.path().join("output").exists());
    let run = rankpress(
        site.path(),
        &["bulletin", "--month", "2026-04", "-o", "private"],
    );
    assert!(
        run.status.success(),
        "bulletin (needs a CJK font: apt-get install fonts-wqy-microhei): {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let payroll = tempdir();
    let run = rankpress(
        site.path(),
        &[
            "payroll",
            "--month",
            "2026-04",
            "-o",
            payroll.path().to_str().unwrap(),
        ],
    );
    assert!(run.status.success());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(payroll.path().join("2026-04.json")).unwrap())
            .unwrap();
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "m00012")
        .unwrap();
    let pay = format!("{:.2}", row["pay"].as_f64().unwrap());
    let personal = text_of(&site.path().join("private/2026-04/m00012.eml"));
    assert!(
        personal.contains(&format!("本月绩效工资：{pay} 元")),
        "{pay}\n{personal}"
    );
    let team = text_of(&site.path().join("private/2026-04.eml"));
    assert!(!team.contains("绩效工资") && !team.contains(&pay), "{team}");
}

#[test]
fn init_example_uses_the_v2_keys_and_they_work() {
    let dir = tempdir();
    let site = dir.path().join("site");
    let run = rankpress(dir.path(), &["init", site.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The example is complete (issue 19): levels, pay, grades, escalation and promotion /
    // demotion are on, not commented out, and `check` and `payroll` work on it as it is.
    let text = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    for key in [
        "\nratings:\n",
        "\npay:\n",
        "\ngrades:",
        "\n  escalate_after:",
        "\n  promotion_months:",
        "\n  demotion_months:",
    ] {
        assert!(text.contains(key), "{key:?} missing in the example");
    }
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/payroll/") && gitignore.contains("/bulletins/"));
    let run = rankpress(&site, &["check"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = rankpress(&site, &["payroll"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(site.join("payroll").is_dir());
}
