//! The monthly workflow end to end, with real parts: `init`, spreadsheet `import`/`export`
//! (an `.xlsx` written with rust_xlsxwriter, a GBK `.csv` written with encoding_rs), the git
//! pre-commit `hook`, the data's git history (`data_version`, corrections, `diff`) in real
//! repositories with fixed dates and authors, and `serve` over HTTP on a free loopback port.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs git in `dir` with a fixed author, committer and date, isolated from the user's config.
fn git(dir: &Path, args: &[&str], date: &str) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", dir.join(".no-global-config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "内勤 王")
        .env("GIT_AUTHOR_EMAIL", "neiqin@example.com")
        .env("GIT_COMMITTER_NAME", "内勤 王")
        .env("GIT_COMMITTER_EMAIL", "neiqin@example.com")
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+08:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+08:00"))
        .output()
        .expect("git")
}

fn git_ok(dir: &Path, args: &[&str], date: &str) -> String {
    let o = git(dir, args, date);
    assert!(
        o.status.success(),
        "git {args:?}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
        .unwrap()
}

fn results_file(site: &Path) -> std::path::PathBuf {
    std::fs::read_dir(site.join("content/results"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .next()
        .unwrap()
}

#[test]
fn init_creates_a_site_that_checks_and_builds() {
    let dir = tempdir();
    let site = dir.path().join("新网站");
    let o = rankpress(dir.path(), &["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "content/site.yaml",
        "content/managers.yaml",
        "README.md",
        ".gitignore",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert!(std::fs::read_to_string(site.join(".gitignore"))
        .unwrap()
        .contains("/output/"));
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    for step in [
        "rankpress export",
        "rankpress import",
        "rankpress serve",
        "rankpress diff",
        "hook install",
        "git commit",
    ] {
        assert!(readme.contains(step), "README mentions {step}");
    }
    let o = rankpress(&site, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = rankpress(&site, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let month = results_file(&site)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let json = read_json(&site.join(format!("output/data/rankings/{month}.json")));
    assert_eq!(json["rows"].as_array().unwrap().len(), 12);
    // The live-reload script belongs to serve only.
    let index = std::fs::read_to_string(site.join("output/index.html")).unwrap();
    assert!(!index.contains("__rankpress"));

    // A folder that is not empty is refused, and left alone.
    let o = rankpress(dir.path(), &["init", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是空文件夹"), "{}", stderr(&o));
    // An empty folder is fine.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let o = rankpress(dir.path(), &["init", "empty"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Writes an `.xlsx` with the given rows (numbers where a cell parses as one).
fn write_xlsx(path: &Path, sheet: &str, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn import_xlsx_writes_neat_yaml_and_builds() {
    let site = init_site();
    let root = site.path();
    let xlsx = root.join("results.xlsx");
    // A title row above the header; columns by id, by name and by 名称实际/目标; a manager left
    // empty (not ranked); bonus, deduction and veto.
    write_xlsx(
        &xlsx,
        "十一月",
        &[
            &["2030年1月客户经理考核成绩"],
            &[
                "编号",
                "姓名",
                "片区",
                "卷烟销量实际",
                "卷烟销量目标",
                "forecast",
                "brand.actual",
                "brand.target",
                "拜访到位率",
                "客户满意度",
                "有效投诉",
                "加分",
                "加分原因",
                "扣分",
                "扣分原因",
                "一票否决",
            ],
            &[
                "li-na",
                "李娜",
                "城区片区",
                "417",
                "390",
                "95.7",
                "117",
                "97",
                "95.3",
                "95.1",
                "0",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "zhang-wei",
                "张伟",
                "城区片区",
                "484",
                "460",
                "98.4",
                "96",
                "86",
                "95.7",
                "94.8",
                "0",
                "1.5",
                "协助市场检查: 专项",
                "",
                "",
                "",
            ],
            &[
                "wang-qiang",
                "王强",
                "城区片区",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "zhao-min",
                "赵敏",
                "农村片区",
                "402",
                "400",
                "96",
                "88",
                "85",
                "97.1",
                "93",
                "2",
                "",
                "",
                "0.5",
                "预测上报延迟",
                "",
            ],
            &[
                "sun-lei",
                "孙磊",
                "农村片区",
                "298",
                "320",
                "94.2",
                "75",
                "78",
                "92.4",
                "91.2",
                "0",
                "",
                "",
                "",
                "",
                "违规套购",
            ],
        ],
    );
    let o = rankpress(root, &["import", "results.xlsx", "--month", "2030-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("王强（wang-qiang，第 5 行）各项均为空"),
        "{}",
        stderr(&o)
    );
    let written = std::fs::read_to_string(root.join("content/results/2030-01.yaml")).unwrap();
    assert_eq!(
        written,
        "# 由 rankpress import 从 results.xlsx（工作表 十一月）导入。
month: 2030-01
results:
  zhang-wei:
    sales: {actual: 484, target: 460}
    forecast: 98.4
    brand: {actual: 96, target: 86}
    visits: 95.7
    satisfaction: 94.8
    complaints: 0
    bonus: [{points: 1.5, reason: \"协助市场检查: 专项\"}]
  li-na:
    sales: {actual: 417, target: 390}
    forecast: 95.7
    brand: {actual: 117, target: 97}
    visits: 95.3
    satisfaction: 95.1
    complaints: 0
  zhao-min:
    sales: {actual: 402, target: 400}
    forecast: 96
    brand: {actual: 88, target: 85}
    visits: 97.1
    satisfaction: 93
    complaints: 2
    deductions: [{points: 0.5, reason: 预测上报延迟}]
  sun-lei:
    sales: {actual: 298, target: 320}
    forecast: 94.2
    brand: {actual: 75, target: 78}
    visits: 92.4
    satisfaction: 91.2
    complaints: 0
    veto: 违规套购
"
    );
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = read_json(&root.join("output/data/rankings/2030-01.json"));
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let sun = rows.iter().find(|r| r["id"] == "sun-lei").unwrap();
    assert_eq!(sun["total"], 0.0);
    assert_eq!(sun["veto"], "违规套购");

    // The same sheet again: refused without --force; identical with it (deterministic).
    let o = rankpress(root, &["import", "results.xlsx", "--month", "2030-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = rankpress(
        root,
        &["import", "results.xlsx", "--month", "2030-01", "--force"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("content/results/2030-01.yaml")).unwrap(),
        written
    );
}

#[test]
fn import_gbk_csv_by_name_and_builds() {
    let site = init_site();
    let root = site.path();
    // As Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, CRLF, managers by name only,
    // ratio columns named by a part of the indicator's name, a percent sign, a quoted cell.
    let text = "姓名,销量实际,销量目标,需求预测准确率,重点品牌培育实际,重点品牌培育目标,拜访到位率,满意度,有效投诉,备注\r\n\
                张伟,\"1,250\",1200,96.5,96,86,95.7%,94.8,1,好\r\n\
                李娜,417,390,95.7,117,97,95.3,95.1,0,\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    std::fs::write(root.join("十月.csv"), &gbk).unwrap();
    let o = rankpress(root, &["import", "十月.csv", "--month", "2030-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let y = std::fs::read_to_string(root.join("content/results/2030-02.yaml")).unwrap();
    assert!(
        y.contains("  zhang-wei:\n    sales: {actual: 1250, target: 1200}\n    forecast: 96.5\n"),
        "{y}"
    );
    assert!(
        y.contains("    visits: 95.7\n    satisfaction: 94.8\n    complaints: 1\n"),
        "{y}"
    );
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = read_json(&root.join("output/data/rankings/2030-02.json"));
    assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    // UTF-8 with a BOM reads the same.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    std::fs::write(root.join("utf8.csv"), &bom).unwrap();
    let o = rankpress(
        root,
        &["import", "utf8.csv", "--month", "2030-02", "--force"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("content/results/2030-02.yaml")).unwrap(),
        y.replace("十月.csv", "utf8.csv")
    );
}

#[test]
fn import_reports_every_bad_cell_by_position_and_writes_nothing() {
    let site = init_site();
    let root = site.path();
    write_xlsx(
        &root.join("results.xlsx"),
        "Sheet1",
        &[
            &[
                "编号",
                "姓名",
                "卷烟销量实际",
                "卷烟销量目标",
                "需求预测准确率",
                "brand.actual",
                "brand.target",
                "拜访到位率",
                "客户满意度",
                "有效投诉",
                "加分数",
            ],
            &[
                "zhang-wei",
                "张伟",
                "484",
                "460",
                "九十",
                "96",
                "86",
                "95.7",
                "94.8",
                "0",
                "",
            ],
            &[
                "zhang-wii",
                "",
                "417",
                "390",
                "95.7",
                "117",
                "97",
                "95.3",
                "95.1",
                "0",
                "",
            ],
            &[
                "zhao-min", "赵敏", "402", "", "96", "88", "85", "120", "93", "0", "",
            ],
            &[
                "zhao-min", "赵敏", "402", "400", "96", "88", "85", "97", "93", "0", "",
            ],
        ],
    );
    let o = rankpress(root, &["import", "results.xlsx", "--month", "2030-03"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        vec![
            "results.xlsx:Sheet1!K1: 未知的列“加分数”（是否应为“加分”？）；列名应为指标编号或名称，完成率指标用“名称实际”/“名称目标”，见 rankpress help import",
            "results.xlsx:Sheet1!E2: “九十”不是数字：应填写“需求预测准确率”（数字）",
            "results.xlsx:Sheet1!A3: 名册（managers.yaml）中没有编号为“zhang-wii”的客户经理（是否应为“zhang-wei”？）",
            "results.xlsx:Sheet1!D4: 单元格为空：应填写“卷烟销量完成率（目标）”（目标（任务）数，大于 0）",
            "results.xlsx:Sheet1!H4: “拜访到位率”的值 120 超出范围：应为 0 到 100 的百分数",
            "results.xlsx:Sheet1!A5: 赵敏（zhao-min）与第 4 行重复：每人每月只能有一行",
            "发现 6 个问题，未写入任何文件。请在表格中修正后重新导入。",
        ],
        "{err}"
    );
    assert!(!root.join("content/results/2030-03.yaml").exists());

    // CSV positions have no sheet; a missing column is reported at the header row.
    write(
        &root.join("bad.csv"),
        "id,sales.actual,sales.target,forecast,brand.actual,brand.target,visits,satisfaction,training\n\
         li-na,417,390,95.7,117,97,95.3,abc,\n",
    );
    let o = rankpress(root, &["import", "bad.csv", "--month", "2030-03"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("bad.csv:I1: “training”（培训考核）按培训记录自动计分"),
        "{err}"
    );
    assert!(err.contains("bad.csv:A1: 表头缺少“有效投诉”的列"), "{err}");
    assert!(
        err.contains("bad.csv:H2: “abc”不是数字：应填写“客户满意度”（数字）"),
        "{err}"
    );
    assert!(!root.join("content/results/2030-03.yaml").exists());
}

#[test]
fn import_messages_follow_the_site_language() {
    let site = init_site();
    let root = site.path();
    let p = root.join("content/site.yaml");
    let s = std::fs::read_to_string(&p)
        .unwrap()
        .replace("language: zh-CN", "language: en");
    std::fs::write(&p, s).unwrap();
    write(&root.join("r.csv"), "id,sales.actual\nnobody,1\n");
    let o = rankpress(root, &["import", "r.csv", "--month", "2030-03"]);
    let err = stderr(&o);
    assert!(
        err.contains("r.csv:A2: no manager with id \"nobody\" in the roster"),
        "{err}"
    );
    assert!(
        err.contains("r.csv:A1: the header has no column for \"需求预测准确率\""),
        "{err}"
    );
}

#[test]
fn export_template_round_trips_through_import() {
    let site = init_site();
    let root = site.path();
    let month = results_file(root)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success());
    let before = std::fs::read(root.join(format!("output/data/rankings/{month}.json"))).unwrap();
    for (format, file) in [("xlsx", "t.xlsx"), ("csv", "t.csv")] {
        let o = rankpress(
            root,
            &[
                "export", "--month", &month, "--format", format, "--out", file,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        if format == "xlsx" {
            // Dated by the month, not the clock: the same data gives the same bytes.
            let mut zip =
                zip::ZipArchive::new(std::fs::File::open(root.join(file)).unwrap()).unwrap();
            let mut core = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("docProps/core.xml").unwrap(),
                &mut core,
            )
            .unwrap();
            assert!(
                core.contains(&format!(">{month}-01T00:00:00Z</dcterms:created>")),
                "{core}"
            );
        }
        let o = rankpress(root, &["import", file, "--month", &month, "--force"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let y =
            std::fs::read_to_string(root.join(format!("content/results/{month}.yaml"))).unwrap();
        assert!(
            y.contains("note: |\n  本月为示例数据。"),
            "the note is kept:\n{y}"
        );
        let o = rankpress(root, &["build"]);
        assert!(o.status.success());
        let after = std::fs::read(root.join(format!("output/data/rankings/{month}.json"))).unwrap();
        assert_eq!(
            before, after,
            "{format}: same rankings after the round trip"
        );
    }
    // An empty template of a new month: every manager employed, headers the importer accepts.
    let o = rankpress(
        root,
        &[
            "export", "--month", "2031-01", "--format", "csv", "--out", "new.csv",
        ],
    );
    assert!(o.status.success());
    let csv = std::fs::read_to_string(root.join("new.csv")).unwrap();
    assert!(
        csv.starts_with(
            "\u{feff}2031-01 月度成绩\r\n编号,姓名,片区,卷烟销量实际,卷烟销量目标,需求预测准确率,"
        ),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        14,
        "a title, a header and init's 12 managers"
    );
}

#[test]
fn hook_refuses_a_commit_with_bad_data_and_accepts_good_data() {
    let site = init_site();
    let root = site.path();
    git_ok(root, &["init", "-q", "-b", "main"], "2030-01-01");
    // A foreign hook is left alone without --force.
    let hooks = root.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    let o = rankpress(root, &["hook", "install"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"));
    let o = rankpress(root, &["hook", "install", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(hooks.join("pre-commit.rankpress-backup").is_file());
    // Installing again updates our own hook without --force.
    let o = rankpress(root, &["hook", "install"]);
    assert!(o.status.success(), "{}", stderr(&o));

    git_ok(root, &["add", "-A"], "2030-01-01");
    let o = git(root, &["commit", "-q", "-m", "建立网站"], "2030-01-01");
    assert!(o.status.success(), "good data is committed: {}", stderr(&o));

    let file = results_file(root);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("forecast: 98.4", "forecast: 九十八")).unwrap();
    git_ok(root, &["add", "-A"], "2030-01-02");
    let o = git(root, &["commit", "-q", "-m", "坏数据"], "2030-01-02");
    assert!(!o.status.success(), "bad data is refused");
    let err = stderr(&o);
    let rel = format!(
        "content/results/{}",
        file.file_name().unwrap().to_string_lossy()
    );
    assert!(err.contains(&format!("{rel}:11:15:")), "{err}");
    assert!(err.contains("提交已取消"), "{err}");

    // The staged content is what is checked: fixing only the working tree is not enough.
    std::fs::write(&file, &text).unwrap();
    let o = git(root, &["commit", "-q", "-m", "坏数据"], "2030-01-02");
    assert!(!o.status.success(), "the index still holds the bad data");
    git_ok(root, &["add", "-A"], "2030-01-02");
    let o = git(
        root,
        &["commit", "-q", "--allow-empty", "-m", "修正"],
        "2030-01-02",
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A repository with two months; the first is corrected twice after it was added.
fn repo_with_corrections() -> (tempfile::TempDir, String) {
    let site = init_site();
    let root = site.path();
    let first = results_file(root);
    let month = first.file_stem().unwrap().to_string_lossy().into_owned();
    git_ok(root, &["init", "-q", "-b", "main"], "2030-01-05");
    git_ok(root, &["add", "-A"], "2030-01-05");
    git_ok(root, &["commit", "-q", "-m", "建立网站"], "2030-01-05");
    // A second month, added later (not a correction).
    let text = std::fs::read_to_string(&first).unwrap();
    write(
        &root.join("content/results/2030-02.yaml"),
        &text.replace(&format!("month: {month}"), "month: 2030-02"),
    );
    git_ok(root, &["add", "-A"], "2030-02-05");
    git_ok(
        root,
        &["commit", "-q", "-m", "2030-02 月度考核结果"],
        "2030-02-05",
    );
    // Two corrections of the first month, one with an unrelated change beside it.
    std::fs::write(
        &first,
        text.replace(
            "sales: {actual: 417, target: 390}",
            "sales: {actual: 457, target: 390}",
        ),
    )
    .unwrap();
    git_ok(
        root,
        &["commit", "-q", "-am", "更正：李娜销量应为 457"],
        "2030-02-10",
    );
    write(
        &root.join("content/pages/about.md"),
        "---\ntitle: 关于\n---\n正文\n",
    );
    git_ok(root, &["add", "-A"], "2030-02-11");
    git_ok(root, &["commit", "-q", "-m", "增加关于页面"], "2030-02-11");
    let corrected = std::fs::read_to_string(&first).unwrap();
    std::fs::write(
        &first,
        corrected.replace("complaints: 1\n", "complaints: 0\n"),
    )
    .unwrap();
    git_ok(
        root,
        &["commit", "-q", "-am", "更正：王强投诉经复核不成立"],
        "2030-02-12",
    );
    (site, month)
}

#[test]
fn data_version_and_corrections_come_from_the_repository() {
    let dir = tempdir();
    // No repository: no version, no corrections.
    assert!(rankpress::history::data_version(dir.path()).is_none());
    assert!(rankpress::history::corrections(dir.path()).is_empty());

    let (site, month) = repo_with_corrections();
    let root = site.path();
    let short = git_ok(root, &["rev-parse", "--short", "HEAD"], "2030-02-12");
    let v = rankpress::history::data_version(root).unwrap();
    assert_eq!(v["commit"], short.trim());
    assert_eq!(v["date"], "2030-02-12");
    assert_eq!(v["uncommitted"], false);

    let c = rankpress::history::corrections(root);
    assert_eq!(
        c.keys().collect::<Vec<_>>(),
        vec![&month],
        "2030-02 has none"
    );
    let list = &c[&month];
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].date, "2030-02-10");
    assert_eq!(list[0].message, "更正：李娜销量应为 457");
    assert_eq!(list[1].date, "2030-02-12");
    assert_eq!(list[1].message, "更正：王强投诉经复核不成立");
    assert_eq!(list[1].commit, short.trim());

    // The month's JSON lists them; a month without corrections has no such key.
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j = read_json(&root.join(format!("output/data/rankings/{month}.json")));
    assert_eq!(j["corrections"][0]["message"], "更正：李娜销量应为 457");
    assert_eq!(j["corrections"][1]["date"], "2030-02-12");
    assert_eq!(j["data_version"]["commit"], short.trim());
    let j2 = read_json(&root.join("output/data/rankings/2030-02.json"));
    assert!(j2.get("corrections").is_none());

    // Output stays deterministic: a second build writes the same bytes.
    let first = std::fs::read(root.join(format!("output/data/rankings/{month}.json"))).unwrap();
    rankpress(root, &["build"]);
    assert_eq!(
        first,
        std::fs::read(root.join(format!("output/data/rankings/{month}.json"))).unwrap()
    );

    // An edit not yet committed (even a new file) marks the version.
    write(&root.join("content/pages/new.md"), "---\ntitle: 新\n---\n");
    assert_eq!(
        rankpress::history::data_version(root).unwrap()["uncommitted"],
        true
    );
    // The output folder (ignored) does not.
    std::fs::remove_file(root.join("content/pages/new.md")).unwrap();
    assert_eq!(
        rankpress::history::data_version(root).unwrap()["uncommitted"],
        false
    );
}

#[test]
fn pages_show_corrections_and_the_data_version() {
    let (site, month) = repo_with_corrections();
    let root = site.path();
    let short = git_ok(root, &["rev-parse", "--short", "HEAD"], "2030-02-12");
    let short = short.trim();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("output");
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();

    // The corrected month's page lists each later commit: date, message, commit.
    let page = read(&format!("months/{month}/index.html"));
    assert!(page.contains("更正说明"), "month page lacks the notice");
    for s in [
        "2030-02-10",
        "更正：李娜销量应为 457",
        "2030-02-12",
        "更正：王强投诉经复核不成立",
    ] {
        assert!(page.contains(s), "month page lacks {s}");
    }
    let first = page.find("更正：李娜销量应为 457").unwrap();
    assert!(
        first < page.find("更正：王强投诉经复核不成立").unwrap(),
        "oldest first"
    );
    // The month without corrections has no notice.
    assert!(!read("months/2030-02/index.html").contains("更正说明"));

    // Every manager ranked that month shows the notice, under that month's breakdown.
    let j = read_json(&out.join(format!("data/rankings/{month}.json")));
    let rows = j["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        let id = r["id"].as_str().unwrap();
        let mp = read(&format!("managers/{id}/index.html"));
        assert!(mp.contains("更正说明"), "{id}: no correction notice");
        let at = mp
            .find(&format!("id=\"m-{month}\""))
            .expect("breakdown of the month");
        let rest = &mp[at..];
        let end = rest.find("</details>").unwrap();
        let block = &rest[..end];
        for s in [
            "2030-02-10 更正：李娜销量应为 457",
            "2030-02-12 更正：王强投诉经复核不成立",
        ] {
            assert!(block.contains(s), "{id}: the {month} breakdown lacks {s}");
        }
        // The 2030-02 breakdown has no notice.
        let at2 = mp.find("id=\"m-2030-02\"").expect("breakdown of 2030-02");
        let b2 = &mp[at2..];
        assert!(
            !b2[..b2.find("</details>").unwrap()].contains("更正"),
            "{id}"
        );
    }

    // Every page's footer shows the data version: commit and date, no "uncommitted".
    let footer = format!("数据版本：{short} (2030-02-12)");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html") && !p.starts_with(out.join("bulletins")) {
            let html = std::fs::read_to_string(p).unwrap();
            assert!(
                html.contains(&footer),
                "{}: footer lacks {footer}",
                p.display()
            );
            assert!(!html.contains("含未提交的修改"), "{}", p.display());
            pages += 1;
        }
    }
    assert!(pages > 5);

    // With an uncommitted edit, the footer says so.
    write(
        &root.join("content/pages/new.md"),
        "---\ntitle: 新\n---\n正文\n",
    );
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(&footer) && home.contains("含未提交的修改"),
        "{home}"
    );
}

#[test]
fn diff_shows_whose_rank_and_total_changed() {
    let (site, month) = repo_with_corrections();
    let root = site.path();
    // HEAD~4 is the first commit; HEAD has the second month and both corrections.
    let o = rankpress(root, &["diff", "HEAD~4", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("{month}（3 人有变化）")), "{out}");
    let zhang = out.lines().find(|l| l.contains("zhang-wei")).expect(&out);
    assert!(
        zhang.contains("1 → 2") && zhang.contains("降 1"),
        "overtaken: {zhang}"
    );
    assert!(out.contains("2030-02：新增的月份"), "{out}");
    let li = out.lines().find(|l| l.contains("li-na")).expect(&out);
    assert!(li.contains("→") && li.contains('+'), "{li}");
    let wang = out.lines().find(|l| l.contains("wang-qiang")).expect(&out);
    assert!(
        wang.contains("+2.00"),
        "the complaint's 2 points come back: {wang}"
    );
    // Columns are aligned: the rank arrows line up.
    let col = |l: &str| l.find('→').map(|i| rankpress::text::width(&l[..i]));
    assert_eq!(col(li), col(wang), "{out}");

    // Against the working tree: nothing changed, then an edit.
    let o = rankpress(root, &["diff", "HEAD"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("排名和总分没有任何变化"),
        "{}",
        stdout(&o)
    );
    let file = root.join(format!("content/results/{month}.yaml"));
    let t = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, t.replace("satisfaction: 91.2", "satisfaction: 81.2")).unwrap();
    let o = rankpress(root, &["diff", "HEAD"]);
    let out = stdout(&o);
    assert!(out.contains("sun-lei") && out.contains("-9.04"), "{out}");
    assert!(out.contains("工作区"), "{out}");

    // An unknown revision is a clear error.
    let o = rankpress(root, &["diff", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("无法读取修订 no-such-rev"),
        "{}",
        stderr(&o)
    );
}

/// One HTTP/1.0 GET on loopback: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_string();
    (status, body)
}

/// Waits until the served version differs from `old`; returns the new one.
fn wait_version(port: u16, old: &str) -> String {
    let start = Instant::now();
    loop {
        let (_, v) = get(port, "/__rankpress/version");
        if v != old {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no rebuild seen");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_on_change_and_shows_data_errors() {
    let site = init_site();
    let root = site.path();
    let month = results_file(root)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut srv = common::serve::Serve::start(root);
    let (port, log) = (srv.port, &srv.log);
    assert!(log.iter().any(|l| l.contains("已生成")), "{log:?}");

    let (status, page) = get(port, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("/__rankpress/version"),
        "reload script injected: {page}"
    );
    let json_path = format!("/data/rankings/{month}.json");
    let (status, json) = get(port, &json_path);
    assert_eq!(status, 200);
    assert!(!json.contains("__rankpress"));
    let total = |j: &str, id: &str| -> f64 {
        let v: serde_json::Value = serde_json::from_str(j).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["total"]
            .as_f64()
            .unwrap()
    };
    let before = total(&json, "sun-lei");
    let (_, v0) = get(port, "/__rankpress/version");

    // Edit a month: the page changes.
    let file = results_file(root);
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("satisfaction: 91.2", "satisfaction: 81.2"),
    )
    .unwrap();
    let v1 = wait_version(port, &v0);
    let (_, json) = get(port, &json_path);
    assert!(
        (total(&json, "sun-lei") - (before - 9.04)).abs() < 0.001,
        "{json}"
    );

    // Break it: every page shows the problem with its position, escaped.
    std::fs::write(&file, good.replace("forecast: 98.4", "forecast: <b>98</b>")).unwrap();
    let v2 = wait_version(port, &v1);
    let (status, page) = get(port, "/");
    assert_eq!(status, 500);
    let rel = format!(
        "content/results/{}",
        file.file_name().unwrap().to_string_lossy()
    );
    assert!(
        page.contains(&format!("<code>{rel}:11:15</code>")),
        "{page}"
    );
    assert!(
        page.contains("&lt;b&gt;98&lt;/b&gt;") && !page.contains("<b>98"),
        "{page}"
    );
    assert!(page.contains("/__rankpress/version"));

    // Fix it: the site comes back.
    std::fs::write(&file, &good).unwrap();
    wait_version(port, &v2);
    let (status, page) = get(port, "/");
    assert_eq!(status, 200, "{page}");
    let (_, json) = get(port, &json_path);
    assert!((total(&json, "sun-lei") - before).abs() < 0.001);
    let (status, _) = get(port, "/no/such/page.html");
    assert_eq!(status, 404);
    let (status, _) = get(port, "/../../etc/passwd");
    assert_eq!(status, 404);

    // SIGTERM stops it cleanly.
    unsafe {
        libc::kill(srv.child.id() as i32, libc::SIGTERM);
    }
    let start = Instant::now();
    loop {
        if let Some(status) = srv.child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if start.elapsed() > Duration::from_secs(5) {
            panic!("serve did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
