//! Hostile and careless spreadsheets for `import`/`export` (issue 10 §2–§5, §9): sheets that
//! would exhaust memory (a cell at XFD1048576, a zip bomb of a shared string, a million-row
//! CSV), Excel percent cells, fractions where percentages are expected, the export → import
//! round trip of formula-like text, and imports and exports onto symlinks. Every sheet is made
//! here, with rust_xlsxwriter or byte by byte. The commands run under an address-space limit
//! (`RLIMIT_AS`), so a reader that materialises a dense range fails the test instead of the
//! machine.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// Address space the binary may use while importing (debug build, mimalloc arenas included).
const MEMORY_LIMIT: u64 = 4 << 30;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The start of a long message, for assertion output.
fn head(s: &str) -> String {
    s.chars().take(1000).collect()
}

/// Runs rankpress with at most [`MEMORY_LIMIT`] of address space.
fn run(cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rankpress"));
    cmd.current_dir(cwd).args(args);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("run rankpress")
}

/// The example month of a new site (the one results file `init` writes).
fn example_month(root: &Path) -> String {
    std::fs::read_dir(root.join("content/results"))
        .unwrap()
        .flatten()
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .next()
        .unwrap()
}

const HEADER: [&str; 10] = [
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
];

/// Good rows of the example roster, in [`HEADER`] order.
const ROWS: [[&str; 10]; 2] = [
    [
        "zhang-wei",
        "张伟",
        "484",
        "460",
        "98.4",
        "96",
        "86",
        "95.7",
        "94.8",
        "0",
    ],
    [
        "li-na", "李娜", "417", "390", "95.7", "117", "97", "95.3", "95.1", "0",
    ],
];

/// A workbook with [`HEADER`] and [`ROWS`] (numbers as number cells).
fn good_workbook() -> rust_xlsxwriter::Workbook {
    let mut wb = rust_xlsxwriter::Workbook::new();
    fill(wb.add_worksheet());
    wb
}

/// Writes [`HEADER`] and [`ROWS`] (numbers as number cells) into `ws`.
fn fill(ws: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in ROWS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(r, c, x).unwrap(),
                Err(_) => ws.write_string(r, c, *v).unwrap(),
            };
        }
    }
}

#[test]
fn a_cell_at_xfd1048576_is_refused_without_a_dense_range() {
    let site = init_site();
    let root = site.path();
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(root.join("far.xlsx")).unwrap();
    assert!(std::fs::metadata(root.join("far.xlsx")).unwrap().len() < 10_000);
    let o = run(root, &["import", "far.xlsx", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("far.xlsx:Sheet1!XFD1048576: 表格超出导入上限："),
        "{err}"
    );
    assert!(err.contains("100000 行"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!root.join("content/results/2030-01.yaml").exists());
}

/// CRC-32 (IEEE) of `data`, bit by bit.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Writes deflate bits, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code: most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        let mut rev = 0;
        for i in 0..len {
            rev |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.put(rev, len);
    }
    fn align(&mut self) {
        if self.n > 0 {
            self.put(0, 8 - self.n);
        }
    }
    /// A stored block holding `data` (at most 65,535 bytes).
    fn stored(&mut self, data: &[u8], last: bool) {
        self.put(last as u64, 1);
        self.put(0, 2);
        self.align();
        let len = data.len() as u16;
        self.out.extend(len.to_le_bytes());
        self.out.extend((!len).to_le_bytes());
        self.out.extend(data);
    }
}

/// A raw deflate stream of `prefix`, then `'a'` repeated about `n` times, then `suffix`:
/// 13 bits per 258 bytes, so a few hundred MB fit in about a MB.
fn deflate_bomb(prefix: &[u8], n: u64, suffix: &[u8]) -> (Vec<u8>, u64) {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.stored(prefix, false);
    // A fixed-Huffman block: the literal 'a', then matches of 258 at distance 1.
    b.put(0, 1);
    b.put(1, 2);
    b.code(0x30 + b'a' as u64, 8);
    let matches = n / 258;
    for _ in 0..matches {
        b.code(0b1100_0101, 8); // length code 285: 258
        b.code(0, 5); // distance code 0: 1
    }
    b.code(0, 7); // end of block
    b.stored(suffix, true);
    b.align();
    (
        b.out,
        prefix.len() as u64 + 1 + matches * 258 + suffix.len() as u64,
    )
}

/// A zip by hand: (name, method, data as stored, crc, declared uncompressed size).
fn zip_by_hand(entries: &[(String, u16, Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, data, crc, size) in entries {
        let offset = out.len() as u32;
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend(data);
        central.extend(head(0x0201_4b50, true));
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A stored zip entry of `text`: (name, method, data, crc, size), as [`zip_by_hand`] takes.
fn stored(name: &str, text: &str) -> (String, u16, Vec<u8>, u32, u32) {
    let data = text.as_bytes().to_vec();
    let crc = crc32(&data);
    let size = data.len() as u32;
    (name.to_string(), 0u16, data, crc, size)
}

/// A workbook of one worksheet whose A1 and B1 are shared strings 1 and 0, made by hand with
/// `shared` as its `xl/sharedStrings.xml` entry.
fn xlsx_by_hand(shared: (String, u16, Vec<u8>, u32, u32)) -> Vec<u8> {
    let mut entries = vec![
        stored(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        stored(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        stored(
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        stored(
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    entries.push(shared);
    zip_by_hand(&entries)
}

/// A valid workbook whose shared string 0 is `'a'` repeated about `n` times; the zip declares
/// `declared` as that part's size (`None`: the true size).
fn bomb_xlsx(n: u64, declared: Option<u32>) -> Vec<u8> {
    let prefix = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>"#;
    let suffix = b"</t></si><si><t>id</t></si></sst>";
    let (bomb, size) = deflate_bomb(prefix, n, suffix);
    // The checksum of a small part (a large one is refused before its end is reached).
    let crc = if size < 10_000_000 {
        let mut all = prefix.to_vec();
        all.resize(size as usize - suffix.len(), b'a');
        all.extend(suffix);
        crc32(&all)
    } else {
        0
    };
    xlsx_by_hand((
        "xl/sharedStrings.xml".to_string(),
        8,
        bomb,
        crc,
        declared.unwrap_or(size.min(u32::MAX as u64) as u32),
    ))
}

#[test]
fn a_zip_bomb_of_a_shared_string_is_refused_by_declared_and_by_actual_size() {
    let site = init_site();
    let root = site.path();
    // 1.6 GB of one shared string, declared truthfully: refused before reading it.
    let honest = bomb_xlsx(1_600_000_000, None);
    assert!(honest.len() < 12_000_000, "{}", honest.len());
    std::fs::write(root.join("honest.xlsx"), &honest).unwrap();
    // 300 MB declared as 1 KB: refused while reading, at the limit.
    std::fs::write(root.join("liar.xlsx"), bomb_xlsx(300_000_000, Some(1024))).unwrap();
    for file in ["honest.xlsx", "liar.xlsx"] {
        let o = run(root, &["import", file, "--month", "2030-01"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{file}: {err}");
        assert_eq!(
            err.trim_end(),
            format!(
                "{file}: 表格超出导入上限：解压后大于 200 MB（上限：100000 行、1000 列、每格 32767 个字符、共 200 MB；见 rankpress help import）"
            ),
            "{file}"
        );
    }
    // Within the byte limit, a 100,000-character cell is still refused (Excel's 32,767).
    std::fs::write(root.join("long.xlsx"), bomb_xlsx(100_000, None)).unwrap();
    let o = run(root, &["import", "long.xlsx", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("long.xlsx:Sheet1!B1: 表格超出导入上限：单元格超过 32767 个字符"),
        "{err}"
    );
}

#[test]
fn shared_strings_declaring_billions_are_refused_before_any_room_is_made_for_them() {
    // calamine reserves room for `uniqueCount` strings on opening: 4 billion would ask for
    // about 100 GB. The count is checked first, like the strings counted.
    let site = init_site();
    let root = site.path();
    let shared = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="4000000000"><si><t>编号</t></si><si><t>id</t></si></sst>"#;
    std::fs::write(
        root.join("many.xlsx"),
        xlsx_by_hand(stored("xl/sharedStrings.xml", shared)),
    )
    .unwrap();
    let o = run(root, &["import", "many.xlsx", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim_end(),
        "many.xlsx: 无法读取工作簿（不是有效的 .xlsx 文件，或已加密）：more than 2000000 shared strings"
    );
}

#[test]
fn a_million_row_csv_stops_at_the_limit_with_one_message() {
    let site = init_site();
    let root = site.path();
    let mut csv = String::from("编号,卷烟销量实际\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("nobody-{i},1\n"));
    }
    write(&root.join("big.csv"), &csv);
    let o = run(root, &["import", "big.csv", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}", head(&err));
    assert_eq!(
        err.trim_end(),
        "big.csv:A100001: 表格超出导入上限：第 100001 行有内容，超过 100000 行（上限：100000 行、1000 列、每格 32767 个字符、共 200 MB；见 rankpress help import）",
        "{}",
        head(&err)
    );
}

#[test]
fn many_problems_are_capped_at_100_with_the_count_of_the_rest() {
    let site = init_site();
    let root = site.path();
    let mut csv = HEADER.join(",") + "\n";
    for i in 0..300 {
        csv.push_str(&format!("nobody-{i},某人,400,400,90,90,90,90,90,0\n"));
    }
    write(&root.join("many.csv"), &csv);
    let o = run(root, &["import", "many.csv", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 102, "{err}");
    assert!(lines[99].starts_with("many.csv:A101: "), "{}", lines[99]);
    assert_eq!(lines[100], "……另有 200 个问题未列出。");
    assert_eq!(
        lines[101],
        "发现 300 个问题，未写入任何文件。请在表格中修正后重新导入。"
    );
}

#[test]
fn percent_cells_are_read_as_the_percentage_they_show() {
    let site = init_site();
    let root = site.path();
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    let pct = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    let pct2 = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    // 需求预测准确率 (linear) and 拜访到位率 (percent) typed as percentages in Excel.
    for (r, (f, v)) in [(0.984, 0.957), (0.957, 0.953)].iter().enumerate() {
        ws.write_number_with_format(r as u32 + 1, 4, *f, &pct)
            .unwrap();
        ws.write_number_with_format(r as u32 + 1, 7, *v, &pct2)
            .unwrap();
    }
    // A custom format with a quoted "%" is not a percent format.
    let quoted = rust_xlsxwriter::Format::new().set_num_format("0.0\"%\"");
    ws.write_number_with_format(1, 8, 94.8, &quoted).unwrap();
    wb.save(root.join("pct.xlsx")).unwrap();
    let o = run(root, &["import", "pct.xlsx", "--month", "2030-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let y = std::fs::read_to_string(root.join("content/results/2030-01.yaml")).unwrap();
    for want in [
        "  zhang-wei:\n    sales: {actual: 484, target: 460}\n    forecast: 98.4\n    brand: {actual: 96, target: 86}\n    visits: 95.7\n    satisfaction: 94.8\n",
        "  li-na:\n    sales: {actual: 417, target: 390}\n    forecast: 95.7\n    brand: {actual: 117, target: 97}\n    visits: 95.3\n",
    ] {
        assert!(y.contains(want), "{y}");
    }
}

#[test]
fn a_column_of_fractions_where_percentages_are_expected_is_refused() {
    let site = init_site();
    let root = site.path();
    // 拜访到位率 (percent) typed as fractions; 需求预测准确率 (linear, target 95) too.
    write(
        &root.join("frac.csv"),
        &format!(
            "{}\n{}\n{}\n",
            HEADER.join(","),
            "zhang-wei,张伟,484,460,0.984,96,86,0.957,94.8,0",
            "li-na,李娜,417,390,0.957,117,97,0.953,95.1,0",
        ),
    );
    let o = run(root, &["import", "frac.csv", "--month", "2030-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "frac.csv:E2: “需求预测准确率”一列的数值都不大于 1.5（如 0.984），像是把百分数写成了小数；此指标应填 0 到 100 的数，如 98.4 或 98.4%。请改正后重新导入（见 rankpress help import）",
            "frac.csv:H2: “拜访到位率”一列的数值都不大于 1.5（如 0.957），像是把百分数写成了小数；此指标应填 0 到 100 的数，如 95.7 或 95.7%。请改正后重新导入（见 rankpress help import）",
            "发现 2 个问题，未写入任何文件。请在表格中修正后重新导入。",
        ],
        "{err}"
    );
    assert!(!root.join("content/results/2030-01.yaml").exists());
}

/// The example month's results with formula-like reasons (and one starting with `'`).
fn site_with_risky_text() -> (tempfile::TempDir, String) {
    let site = init_site();
    let root = site.path();
    let month = example_month(root);
    let p = root.join(format!("content/results/{month}.yaml"));
    let y = std::fs::read_to_string(&p)
        .unwrap()
        .replace(
            "bonus: [{points: 1, reason: 协助市场检查}]",
            "bonus: [{points: 1, reason: \"=1+2 协助检查\"}]\n    deductions: [{points: 5, reason: \"-5 分\"}]",
        )
        .replace(
            "deductions: [{points: 0.5, reason: 需求预测上报延迟}]",
            "deductions: [{points: 0.5, reason: \"@x\"}]\n    bonus: [{points: 2, reason: \"+1\"}]",
        )
        .replace(
            "  sun-lei:\n",
            "  sun-lei:\n    bonus: [{points: 1, reason: 协助检查}, {points: 0.5, reason: \"=SUM(A1)\"}]\n",
        )
        .replace(
            "  zhao-min:\n",
            "  zhao-min:\n    bonus: [{points: 1, reason: \"'引号开头\"}]\n    deductions: [{points: 1, reason: \"'=A1 原样\"}]\n",
        );
    std::fs::write(&p, y).unwrap();
    let o = rankpress(root, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (site, month)
}

/// The data of a results file: its YAML parsed, numbers compared as numbers.
fn data(path: &Path) -> serde_json::Value {
    let v: serde_json::Value =
        yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fn norm(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
            serde_json::Value::Array(a) => a.into_iter().map(norm).collect(),
            serde_json::Value::Object(o) => o.into_iter().map(|(k, v)| (k, norm(v))).collect(),
            other => other,
        }
    }
    norm(v)
}

#[test]
fn export_then_import_gives_back_the_same_data() {
    let (site, month) = site_with_risky_text();
    let root = site.path();
    let results = root.join(format!("content/results/{month}.yaml"));
    let before = data(&results);
    let mut first = None;
    for format in ["xlsx", "csv", "xlsx", "csv"] {
        let file = format!("t.{format}");
        let o = run(
            root,
            &[
                "export", "--month", &month, "--format", format, "--out", &file, "--force",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        if format == "csv" {
            let csv = std::fs::read_to_string(root.join(&file)).unwrap();
            assert!(csv.contains(",'=1+2 协助检查,"), "{csv}");
            assert!(csv.contains(",'-5 分,"), "{csv}");
            assert!(csv.contains(",'引号开头,"), "{csv}");
            assert!(csv.contains(",''=A1 原样,"), "{csv}");
        }
        let o = run(root, &["import", &file, "--month", &month, "--force"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            data(&results),
            before,
            "{format}: same data after the round trip"
        );
        // From the second import on, the file is byte for byte the same (only the comment
        // naming the source sheet differs between formats).
        let text = std::fs::read_to_string(&results).unwrap();
        let body = text.split_once('\n').unwrap().1.to_string();
        match &first {
            None => first = Some(body),
            Some(f) => assert_eq!(&body, f, "{format}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn import_and_export_replace_a_symlink_and_leave_its_target_alone() {
    let site = init_site();
    let root = site.path();
    let month = example_month(root);
    let outside = tempdir();
    let results = root.join(format!("content/results/{month}.yaml"));
    let target = outside.path().join("elsewhere.yaml");
    std::fs::rename(&results, &target).unwrap();
    std::os::unix::fs::symlink(&target, &results).unwrap();
    let original = std::fs::read(&target).unwrap();

    // A symlinked data file is a problem of the existing data (the loader never follows
    // links inside content/): import refuses before writing anything, and says so.
    good_workbook().save(root.join("t.xlsx")).unwrap();
    let o = run(root, &["import", "t.xlsx", "--month", &month, "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("符号链接"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&target).unwrap(),
        original,
        "target untouched"
    );
    assert!(std::fs::symlink_metadata(&results)
        .unwrap()
        .file_type()
        .is_symlink());

    // With the link replaced by the file itself, import replaces the file.
    std::fs::remove_file(&results).unwrap();
    std::fs::copy(&target, &results).unwrap();
    let o = run(root, &["import", "t.xlsx", "--month", &month, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&target).unwrap(), original);
    assert!(std::fs::read_to_string(&results)
        .unwrap()
        .contains("rankpress import"));

    // export --out onto a symlink to a file that is not a sheet of export's: refused, even
    // with --force (issue 18 §7: export never replaces what it did not write), and the link's
    // target is never written through.
    let sheet_target = outside.path().join("sheet.csv");
    std::fs::write(&sheet_target, "keep me").unwrap();
    std::os::unix::fs::symlink(&sheet_target, root.join("s.csv")).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "export", "--month", &month, "--format", "csv", "--out", "s.csv",
        ];
        if force {
            args.push("--force");
        }
        let o = run(root, &args);
        assert!(!o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("s.csv"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&sheet_target).unwrap(), "keep me");
        assert!(std::fs::symlink_metadata(root.join("s.csv"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
    // Even a link to a sheet export wrote is refused: export writes files, never links, so a
    // link at that path is someone else's; its target is never written through.
    let exported = outside.path().join("exported.csv");
    let o = run(
        root,
        &[
            "export",
            "--month",
            &month,
            "--format",
            "csv",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet = std::fs::read(&exported).unwrap();
    std::fs::remove_file(root.join("s.csv")).unwrap();
    std::os::unix::fs::symlink(&exported, root.join("s.csv")).unwrap();
    let o = run(
        root,
        &[
            "export", "--month", &month, "--format", "csv", "--out", "s.csv", "--force",
        ],
    );
    assert!(!o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&exported).unwrap(), sheet, "target untouched");
    assert!(std::fs::symlink_metadata(root.join("s.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn the_sheets_export_writes_are_not_committed_by_git_add_all() {
    let site = init_site();
    let root = site.path();
    let month = example_month(root);
    for format in ["xlsx", "csv"] {
        let o = run(root, &["export", "--month", &month, "--format", format]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(root.join(format!("results-{month}.{format}")).is_file());
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git (apt-get install git)")
    };
    assert!(git(&["init", "-q"]).status.success());
    assert!(git(&["add", "-A"]).status.success());
    let staged = String::from_utf8(git(&["diff", "--cached", "--name-only"]).stdout).unwrap();
    assert!(staged.contains("content/site.yaml"), "{staged}");
    assert!(!staged.contains("results-"), "{staged}");
}

#[test]
fn help_import_prints_the_import_guide() {
    let dir = tempdir();
    let o = run(dir.path(), &["help", "import"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let guide = std::fs::read_to_string(repo().join("docs/import.md")).unwrap();
    for line in guide.lines().filter(|l| l.starts_with("## ")) {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(out.contains("100,000 行"), "the limits are there:\n{out}");
}

#[test]
fn a_name_not_in_the_roster_gets_a_did_you_mean() {
    let site = init_site();
    let root = site.path();
    write(
        &root.join("n.csv"),
        &format!(
            "{}\n{}\n",
            HEADER[1..].join(","),
            "张为,484,460,98.4,96,86,95.7,94.8,0"
        ),
    );
    let o = run(root, &["import", "n.csv", "--month", "2030-01"]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "n.csv:A2: 名册（managers.yaml）中没有名叫“张为”的客户经理（是否应为“张伟”？）"
        ),
        "{err}"
    );
}

// Issue 18 §5 and issue 19: import reads exactly what Excel shows, or refuses.

/// Runs `import FILE --month MONTH` (with `extra` arguments) in `root`.
fn import(root: &Path, file: &str, month: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", file, "--month", month];
    args.extend_from_slice(extra);
    run(root, &args)
}

/// The results file of `month`, or `None`.
fn results_of(root: &Path, month: &str) -> Option<String> {
    std::fs::read_to_string(root.join(format!("content/results/{month}.yaml"))).ok()
}

#[test]
fn a_hidden_sheet_is_never_picked_the_active_visible_one_is_and_is_named() {
    use calamine::Reader;
    let site = init_site();
    let root = site.path();
    // A hidden first sheet with other numbers, a very hidden one, a visible one and the
    // active visible one (the one Excel shows on opening).
    let mut wb = good_workbook();
    let old = wb.worksheet_from_index(0).unwrap();
    old.set_name("旧数据").unwrap();
    old.write_number(1, 2, 1.0).unwrap();
    old.set_hidden(true);
    let very = wb.add_worksheet().set_name("secret").unwrap();
    very.write_string(0, 0, "编号").unwrap();
    very.set_very_hidden(true);
    wb.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "填写说明")
        .unwrap();
    let shown = wb.add_worksheet().set_name("2030-01").unwrap();
    fill(shown);
    shown.set_active(true);
    wb.save(root.join("book.xlsx")).unwrap();
    // calamine, as an independent reader, sees the same visibility.
    let book: calamine::Xlsx<_> = calamine::open_workbook(root.join("book.xlsx")).unwrap();
    let vis: Vec<_> = book.sheets_metadata().iter().map(|s| s.visible).collect();
    assert_eq!(
        vis,
        [
            calamine::SheetVisible::Hidden,
            calamine::SheetVisible::VeryHidden,
            calamine::SheetVisible::Visible,
            calamine::SheetVisible::Visible
        ]
    );

    let o = import(root, "book.xlsx", "2030-01", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("book.xlsx（工作表 2030-01）"), "{out}");
    let y = results_of(root, "2030-01").unwrap();
    assert!(y.contains("sales: {actual: 484, target: 460}"), "{y}");

    // Named with --sheet, a hidden or very hidden sheet is refused too.
    for name in ["旧数据", "secret"] {
        let o = import(root, "book.xlsx", "2030-01", &["--force", "--sheet", name]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.starts_with(&format!("book.xlsx: 工作表“{name}”是隐藏的")),
            "{err}"
        );
        assert!(err.contains("取消隐藏"), "{err}");
    }
}

#[test]
fn hidden_rows_and_columns_holding_data_are_refused_naming_their_cells() {
    let site = init_site();
    let root = site.path();
    // A hidden 加分 column (+30 for 张伟) and a hidden row with a third manager.
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string(0, 10, "加分").unwrap();
    ws.write_number(1, 10, 30.0).unwrap();
    ws.write_string(0, 11, "加分原因").unwrap();
    ws.write_string(1, 11, "隐藏").unwrap();
    ws.set_column_hidden(10).unwrap();
    ws.set_column_hidden(11).unwrap();
    ws.set_column_hidden(12).unwrap();
    for (c, v) in ["wang-qiang", "王强", "1", "1", "1", "1", "1", "1", "1", "0"]
        .iter()
        .enumerate()
    {
        ws.write_string(3, c as u16, *v).unwrap();
    }
    ws.set_row_hidden(3).unwrap();
    ws.set_row_hidden(5).unwrap();
    wb.save(root.join("hidden.xlsx")).unwrap();
    let o = import(root, "hidden.xlsx", "2030-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "hidden.xlsx:Sheet1!K1: K 列是隐藏的，其中有内容（K1、K2）：Excel 中看不到隐藏的行和列，导入不读取它们；请在 Excel 中取消隐藏并核对，或删除这些内容后重新导入",
            "hidden.xlsx:Sheet1!L1: L 列是隐藏的，其中有内容（L1、L2）：Excel 中看不到隐藏的行和列，导入不读取它们；请在 Excel 中取消隐藏并核对，或删除这些内容后重新导入",
            "hidden.xlsx:Sheet1!A4: 第 4 行是隐藏的，其中有内容（A4、B4、C4、D4、E4 等 10 格）：Excel 中看不到隐藏的行和列，导入不读取它们；请在 Excel 中取消隐藏并核对，或删除这些内容后重新导入",
            "发现 3 个问题，未写入任何文件。请在表格中修正后重新导入。",
        ],
        "{err}"
    );
    assert!(results_of(root, "2030-01").is_none());

    // Hidden but empty rows and columns are fine.
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.set_column_hidden(12).unwrap();
    ws.set_row_hidden(5).unwrap();
    wb.save(root.join("empty.xlsx")).unwrap();
    let o = import(root, "empty.xlsx", "2030-01", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Issue 18 §5, red team: data Excel does not show through a number format rather than a
/// hidden row or column. A visible column whose cells are formatted `;;;` shows blank, yet
/// import read its +30 for 张伟. Now refused, naming the cells; `;;` hides numbers only.
#[test]
fn cells_a_number_format_shows_blank_are_refused_naming_them() {
    let site = init_site();
    let root = site.path();
    let blank = rust_xlsxwriter::Format::new().set_num_format(";;;");
    let numbers_only = rust_xlsxwriter::Format::new().set_num_format("[Red];;");
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string_with_format(0, 10, "加分", &blank).unwrap();
    ws.write_number_with_format(1, 10, 30.0, &blank).unwrap();
    ws.write_number_with_format(2, 3, 390.0, &numbers_only)
        .unwrap();
    wb.save(root.join("blank.xlsx")).unwrap();
    let o = import(root, "blank.xlsx", "2030-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("blank.xlsx:Sheet1!K1: ") && err.contains("（K1、K2、D3）"),
        "{err}"
    );
    assert!(err.contains("显示为空白"), "{err}");
    assert!(results_of(root, "2030-01").is_none());
    // Text under `;;` shows (a format's fourth section is for text).
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string_with_format(1, 1, "张伟", &numbers_only)
        .unwrap();
    wb.save(root.join("shown.xlsx")).unwrap();
    let o = import(root, "shown.xlsx", "2030-01", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn formula_cells_are_listed_with_their_formula_or_refused_without_a_saved_result() {
    use calamine::Reader;
    let site = init_site();
    let root = site.path();
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_formula(
        1,
        7,
        rust_xlsxwriter::Formula::new("=90+5.7").set_result("95.7"),
    )
    .unwrap();
    ws.write_formula(
        2,
        3,
        rust_xlsxwriter::Formula::new("=C3-27").set_result("390"),
    )
    .unwrap();
    wb.save(root.join("f.xlsx")).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(root.join("f.xlsx")).unwrap();
    let formulas = book.worksheet_formula("Sheet1").unwrap();
    assert_eq!(
        formulas.get_value((1, 7)).map(String::as_str),
        Some("90+5.7")
    );
    let o = import(root, "f.xlsx", "2030-01", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "以下 2 个单元格是公式，按 Excel 保存的计算结果导入：\n  f.xlsx:Sheet1!H2: =90+5.7 → 95.7\n  f.xlsx:Sheet1!D3: =C3-27 → 390\n"
        ),
        "{err}"
    );
    let y = results_of(root, "2030-01").unwrap();
    assert!(y.contains("    visits: 95.7\n"), "{y}");

    // Without a saved result (a file written by a program, never opened in Excel).
    let mut wb = good_workbook();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.set_formula_result_default("");
    ws.write_formula(1, 7, "=90+5.7").unwrap();
    wb.save(root.join("nocache.xlsx")).unwrap();
    let o = import(root, "nocache.xlsx", "2030-02", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("nocache.xlsx:Sheet1!H2: 公式 =90+5.7 没有保存的计算结果"),
        "{err}"
    );
    assert!(results_of(root, "2030-02").is_none());
}

#[test]
fn a_utf16_csv_is_read_exactly_and_one_without_a_bom_is_refused_naming_the_encoding() {
    let site = init_site();
    let root = site.path();
    let text = format!("{}\r\n{}\r\n", HEADER.join("\t"), ROWS[0].join("\t"));
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (i, bytes) in [le, be].iter().enumerate() {
        std::fs::write(root.join("u16.txt"), bytes).unwrap();
        let month = format!("2030-0{}", i + 1);
        let o = import(root, "u16.txt", &month, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let y = results_of(root, &month).unwrap();
        assert!(
            y.contains("  zhang-wei:\n    sales: {actual: 484, target: 460}\n"),
            "{y}"
        );
    }
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(root.join("bare.csv"), bare).unwrap();
    let o = import(root, "bare.csv", "2030-03", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim_end(),
        "bare.csv: 文件是没有 BOM 标记的 UTF-16 编码，无法可靠读取；请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后导入",
    );
    assert!(results_of(root, "2030-03").is_none());
}

#[test]
fn a_line_separator_or_control_character_in_a_cell_is_refused_at_the_cell() {
    let site = init_site();
    let root = site.path();
    let header = format!("{},加分,加分原因,一票否决", HEADER.join(","));
    write(
        &root.join("ls.csv"),
        &format!(
            "{header}\n{},1,协助\u{2028}检查,\n{},,,违规\u{85}套购\n",
            ROWS[0].join(","),
            ROWS[1].join(",")
        ),
    );
    let o = import(root, "ls.csv", "2030-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("ls.csv:L2: \"加分原因\" 的第 3 个字符是不可见的分行符（U+2028）"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("ls.csv:M3: \"一票否决\" 的第 3 个字符是不可见的控制字符（U+0085）"),
        "{err}"
    );
    assert!(!err.contains("撤销"), "refused before any YAML: {err}");
    assert!(results_of(root, "2030-01").is_none());
}

#[test]
fn a_sheet_of_another_month_is_refused_and_a_far_future_month_is_warned_of() {
    let site = init_site();
    let root = site.path();
    let month = example_month(root);
    // export names the sheet by its month.
    let o = run(root, &["export", "--month", &month, "--out", "m.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = import(root, "m.xlsx", "2030-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().next().unwrap(),
        format!("m.xlsx:{month}: 这张表是 {month} 的（工作表名“{month}”），与 --month 2030-01 不符；请核对 --month，或把工作表名改为 2030-01 后重新导入")
    );
    // So does the title row export writes above the header (a CSV has no sheet name).
    let o = run(
        root,
        &[
            "export", "--month", &month, "--format", "csv", "--out", "m.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = import(root, "m.csv", "2030-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().next().unwrap(),
        format!("m.csv:A1: 这张表是 {month} 的（标题“{month} 月度成绩”），与 --month 2030-01 不符；请核对 --month，或改正标题后重新导入")
    );
    assert!(results_of(root, "2030-01").is_none());
    // A title row typed above the header names the month too.
    write(
        &root.join("t.csv"),
        &format!(
            "2026年12月客户经理考核\n{}\n{}\n",
            HEADER.join(","),
            ROWS[0].join(",")
        ),
    );
    let o = import(root, "t.csv", "2027-01", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("t.csv:A1: 这张表是 2026-12 的（标题“2026年12月客户经理考核”），与 --month 2027-01 不符"),
        "{err}"
    );
    // The month after the latest: no warning; two months after: imported, with a warning.
    let o = import(root, "t.csv", "2026-12", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("注意"), "{}", stderr(&o));
    write(
        &root.join("f.csv"),
        &format!("{}\n{}\n", HEADER.join(","), ROWS[0].join(",")),
    );
    let o = import(root, "f.csv", "2027-02", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("注意：2027-02 比已有成绩的最新月份 2026-12 晚了不止一个月"),
        "{}",
        stderr(&o)
    );
}
