//! Deterministic generator of large, valid rankpress sites, for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example gensite -- --managers 5000 --months 24 --out /tmp/province
//! ```
//!
//! Writes `OUT/content/` following the data contract (`../shared/spec/data-format.md`): a
//! `site.yaml` with eight indicators covering every scoring method, a roster of N managers in
//! ceil(N / 80) teams, M months of results ending at 2026-10, about two training sessions a
//! month, a training plan, one skill competition per year, innovations and suggestions.
//!
//! Uses the standard library only. All randomness comes from one splitmix64 stream seeded by
//! `--seed` and only integer arithmetic feeds the output, so the same arguments give
//! byte-identical files on every platform.

use std::borrow::Cow;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The newest month generated; `--months` counts back from it.
const LAST_MONTH: Month = Month {
    year: 2026,
    month: 10,
};
/// The seed used when `--seed` is not given.
const DEFAULT_SEED: u64 = 20_261_031;
/// Managers per team: the roster has ceil(N / TEAM_SIZE) teams.
const TEAM_SIZE: usize = 80;

const USAGE: &str = "usage: gensite --managers N --months M --out DIR [--seed S] [--force]

Writes a valid rankpress site into DIR/content/ (DIR/content must not exist unless --force,
which deletes it first). Same arguments, same bytes.";

// ---------------------------------------------------------------------------------------------
// Word lists. Some entries deliberately need YAML quoting (ASCII colon, brackets, quotes).

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "欧阳", "司马", "诸葛",
];
const GIVEN_CHARS: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉", "鹏", "宇",
    "晨", "浩", "凯", "婷", "雪", "琳", "欣", "斌", "志", "鑫", "波", "宁", "俊", "峰", "晓", "燕",
    "佳", "亮", "林", "丹", "飞", "海", "东", "梅", "兰", "倩", "颖", "思", "睿", "子", "嘉", "怡",
];
const AREAS: &[&str] = &[
    "城关",
    "东城",
    "西城",
    "南郊",
    "北郊",
    "河口",
    "新区",
    "开发区",
    "高新",
    "临江",
    "山前",
    "湖滨",
    "城北",
    "城南",
    "桥东",
    "桥西",
    "沿河",
    "古镇",
    "新城",
    "花园",
];
/// Grades with their weights out of 100.
const GRADES: &[(&str, u64)] = &[
    ("一级客户经理", 8),
    ("二级客户经理", 22),
    ("三级客户经理", 35),
    ("四级客户经理", 25),
    ("五级客户经理", 10),
];
const BONUS_REASONS: &[&str] = &[
    "协助专卖市场检查",
    "零售户满意度回访表现突出",
    "协助新品上市推广",
    "获评\"服务明星\"",
    "终端建设: 示范户创建",
];
const DEDUCTION_REASONS: &[&str] = &[
    "需求预测上报延迟",
    "拜访记录不完整",
    "例会缺席: 未请假",
    "[督查] 终端陈列不规范",
];
const VETO_REASONS: &[&str] = &["违规套购", "违规调整零售户档位", "泄露零售户信息"];
const EXCUSES: &[&str] = &["病假", "事假", "公休", "出差", "婚假", "产假"];
const TOPICS: &[&str] = &["思想道德", "政策法规", "营销技巧", "服务礼仪", "新品推介"];
const INSTRUCTORS: &[&str] = &["王建国", "陈晓燕", "刘志强", "赵丽华", "孙海波", "周文静"];
const BRANDS: &[&str] = &[
    "中华(硬)",
    "黄鹤楼(软蓝)",
    "利群(新版)",
    "玉溪(软)",
    "云烟(紫)",
    "芙蓉王(硬)",
    "南京(炫赫门)",
    "泰山(红将军)",
];
const INNOVATION_THEMES: &[&str] = &[
    "零售户微信订货提醒",
    "终端陈列标准化",
    "需求预测数据看板",
    "紧俏货源投放模型",
    "零售户经营诊断表",
    "客户拜访线路优化",
];
const PRIZES: &[&str] = &["一等奖", "二等奖", "三等奖"];

/// Plan / session kinds with a title for each, and their weights out of 100.
const KINDS: &[((&str, &str), u64)] = &[
    (("routine", "卷烟营销技巧培训"), 70),
    (("pre_job", "新入职客户经理岗前培训"), 10),
    (("promotion", "晋升能力提升培训"), 10),
    (("vocational", "卷烟商品营销员职业技能鉴定辅导"), 10),
];

// ---------------------------------------------------------------------------------------------
// Calendar.

/// A calendar month, `YYYY-MM`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Month {
    year: i32,
    month: u32,
}

impl Month {
    fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    fn days(self) -> u32 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    fn day(self, day: u32) -> Date {
        Date { month: self, day }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar date, `YYYY-MM-DD`; ordered chronologically.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date {
    month: Month,
    day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.month, self.day)
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness and formatting helpers.

/// splitmix64: tiny, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An item of an `(item, weight)` table, chosen by weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total);
        for &(item, w) in items {
            if x < w {
                return item;
            }
            x -= w;
        }
        unreachable!("weights sum to total")
    }

    /// A bell-shaped integer with mean 0 and standard deviation `sd` (sum of three uniforms,
    /// so it stays within ±3·sd).
    fn bell(&mut self, sd: i64) -> i64 {
        (0..3).map(|_| self.range(-sd, sd)).sum()
    }

    /// `k` distinct items of `pool` in random order (partial Fisher–Yates on a copy).
    fn sample(&mut self, pool: &[u32], k: usize) -> Vec<u32> {
        let mut v = pool.to_vec();
        let k = k.min(v.len());
        for i in 0..k {
            let j = i + self.below((v.len() - i) as u64) as usize;
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }
}

/// A value in tenths, written with one decimal (`925` → `92.5`).
struct Tenths(i64);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }
}

/// A value in halves, written as `1`, `1.5`, ... (bonus and deduction points, hours).
struct Halves(u64);

impl fmt::Display for Halves {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 % 2 {
            0 => write!(f, "{}", self.0 / 2),
            _ => write!(f, "{}.5", self.0 / 2),
        }
    }
}

/// A string as a YAML scalar that is safe in block and flow context: plain when unambiguous,
/// otherwise double-quoted with escapes.
fn q(s: &str) -> Cow<'_, str> {
    if !needs_quotes(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// Whether a plain scalar could be misread: empty, starting like a number or an indicator,
/// holding a flow or comment character, trailing space, control characters, or a YAML 1.1
/// boolean / null word.
fn needs_quotes(s: &str) -> bool {
    const SPECIAL: &[char] = &[
        ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '\\',
    ];
    let Some(first) = s.chars().next() else {
        return true;
    };
    first.is_ascii_digit()
        || "-+.?~ ".contains(first)
        || s.ends_with(' ')
        || s.contains(SPECIAL)
        || s.chars().any(char::is_control)
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
        )
}

// ---------------------------------------------------------------------------------------------
// Output.

/// Writes files under the content folder and counts them.
struct Sink {
    root: PathBuf,
    files: usize,
    bytes: u64,
}

impl Sink {
    /// Creates `root/rel` (and its folders) and lets `body` fill it through a buffered writer.
    fn file(
        &mut self,
        rel: &str,
        body: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
    ) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut w = BufWriter::with_capacity(1 << 16, File::create(&path)?);
        body(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        self.bytes += file.metadata()?.len();
        self.files += 1;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The generated world.

/// One customer manager of the roster.
struct Manager {
    name: String,
    team: usize,
    grade: &'static str,
    joined: Date,
    left: Option<Date>,
    /// Index of the first and last month (into `World::months`) the manager is ranked in; empty
    /// when `first > last`.
    first: usize,
    last: usize,
    /// A persistent performance offset, in thousandths of a completion ratio.
    skill: i64,
}

impl Manager {
    fn on_staff(&self, d: Date) -> bool {
        self.joined <= d && self.left.is_none_or(|l| d <= l)
    }
}

/// `m000001`, the id of manager index 0.
fn manager_id(i: usize) -> String {
    format!("m{:06}", i + 1)
}

/// `team-001`, the id of team index 0.
fn team_id(t: usize) -> String {
    format!("team-{:03}", t + 1)
}

/// A training plan entry.
struct Plan {
    id: String,
    month: Month,
    kind: &'static str,
    title: &'static str,
}

/// Everything generated, plus the random stream still to be drawn from.
struct World {
    rng: Rng,
    months: Vec<Month>,
    managers: Vec<Manager>,
    teams: usize,
    /// For each month, the indices of the managers ranked in it.
    ranked: Vec<Vec<u32>>,
}

impl World {
    fn new(managers: usize, months: usize, seed: u64) -> World {
        let mut rng = Rng(seed);
        let mut ms = vec![LAST_MONTH];
        while ms.len() < months {
            let prev = ms[ms.len() - 1].prev();
            ms.push(prev);
        }
        ms.reverse();
        let teams = managers.div_ceil(TEAM_SIZE);
        let roster: Vec<Manager> = (0..managers)
            .map(|i| new_manager(&mut rng, &ms, i * teams / managers))
            .collect();
        let ranked = (0..ms.len())
            .map(|k| {
                (0..roster.len())
                    .filter(|&i| roster[i].first <= k && k <= roster[i].last)
                    .map(|i| i as u32)
                    .collect()
            })
            .collect();
        World {
            rng,
            months: ms,
            managers: roster,
            teams,
            ranked,
        }
    }

    fn manager_months(&self) -> usize {
        self.ranked.iter().map(Vec::len).sum()
    }

    /// A random manager ranked in month `k`, or any manager of the roster if none is.
    fn ranked_manager(&mut self, k: usize) -> u32 {
        let pool = &self.ranked[k];
        if pool.is_empty() {
            self.rng.below(self.managers.len() as u64) as u32
        } else {
            self.rng.pick(pool)
        }
    }

    fn write_site(&self, sink: &mut Sink) -> io::Result<()> {
        let big = self.managers.len() >= 100;
        let excellence_top = if big { 10 } else { 3 };
        let min_months = self.months.len().clamp(1, 6);
        sink.file("site.yaml", |w| {
            write!(
                w,
                "\
# Generated by examples/gensite.rs: synthetic benchmark data, not real people.
title: 全省客户经理绩效通报（基准测试数据）
organization: 省烟草专卖局（公司）营销处
language: zh-CN
indicators:
  - {{id: sales, name: 卷烟销量完成率, group: 营销业绩, method: ratio, weight: 25, cap: 1.2, floor: 0.8}}
  - {{id: price, name: 条均价完成率, group: 营销业绩, method: ratio, weight: 10, cap: 1.1}}
  - {{id: forecast, name: 需求预测准确率, group: 需求预测, method: linear, weight: 15, target: 95, per_unit_below: 0.5, per_unit_above: 1, min: 0, max: 18}}
  - {{id: brand, name: 重点品牌培育完成率, group: 品牌培育, method: ratio, weight: 20, cap: 1.2, floor: 0.5}}
  - {{id: visits, name: 拜访到位率, group: 服务客户, method: percent, weight: 10}}
  - {{id: satisfaction, name: 客户满意度, group: 服务客户, method: linear, weight: 10, target: 90, per_unit_below: 1, min: 0}}
  - {{id: complaints, name: 有效投诉, group: 服务客户, method: deduct, per_unit: 2, limit: 6}}
  - {{id: training, name: 培训考核, group: 学习培训, method: training, weight: 10}}
awards:
  - {{id: brand-star, name: 品牌培育之星, indicator: brand, top: 3, min: 1.0}}
  - {{id: sales-star, name: 营销业绩之星, indicator: sales, top: 3}}
  - {{id: forecast-star, name: 需求预测之星, indicator: forecast, top: 5}}
  - {{id: overall, name: 综合之星, indicator: total, top: 10}}
watch:
  bottom: 3
training:
  pass_mark: 60
suggestions:
  bonus_per_adopted: 0.5
annual:
  excellence_top: {excellence_top}
  min_months: {min_months}
"
            )
        })
    }

    fn write_managers(&self, sink: &mut Sink) -> io::Result<()> {
        let (teams, managers) = (self.teams, &self.managers);
        sink.file("managers.yaml", |w| {
            writeln!(w, "teams:")?;
            for t in 0..teams {
                let name = format!("{}{}片区", AREAS[t % AREAS.len()], t / AREAS.len() + 1);
                writeln!(w, "  - {{id: {}, name: {}}}", team_id(t), q(&name))?;
            }
            writeln!(w, "managers:")?;
            for (i, m) in managers.iter().enumerate() {
                let id = manager_id(i);
                writeln!(w, "  - id: {id}")?;
                writeln!(w, "    name: {}", q(&m.name))?;
                writeln!(w, "    team: {}", team_id(m.team))?;
                writeln!(w, "    grade: {}", m.grade)?;
                writeln!(w, "    joined: {}", m.joined)?;
                if let Some(left) = m.left {
                    writeln!(w, "    left: {left}")?;
                }
                writeln!(w, "    email: {id}@example.com")?;
            }
            Ok(())
        })
    }

    /// `results/YYYY-MM.yaml` for month index `k`.
    fn write_results(&mut self, sink: &mut Sink, k: usize) -> io::Result<()> {
        let month = self.months[k];
        let (rng, ranked, managers) = (&mut self.rng, &self.ranked[k], &self.managers);
        sink.file(&format!("results/{month}.yaml"), |w| {
            writeln!(w, "month: {month}")?;
            writeln!(w, "note: |")?;
            writeln!(
                w,
                "  {month} 月度考核通报：本月参评客户经理 {} 人，全省卷烟销售平稳，重点品牌培育工作有序推进。",
                ranked.len()
            )?;
            writeln!(w, "  - **表扬**：营销业绩突出的客户经理")?;
            writeln!(w, "  - **提醒**：请各片区按时上报需求预测")?;
            writeln!(w, "results:")?;
            for &i in ranked {
                write_entry(w, rng, &manager_id(i as usize), managers[i as usize].skill)?;
            }
            Ok(())
        })
    }

    /// The plan entries, and one file per training session; returns the plan.
    fn write_trainings(&mut self, sink: &mut Sink) -> io::Result<Vec<Plan>> {
        let mut plans = Vec::new();
        // Plan entries of the previous month that no session carried out yet.
        let mut pending: Vec<usize> = Vec::new();
        for k in 0..self.months.len() {
            let month = self.months[k];
            let first_plan = plans.len();
            for n in 1..=(2 + self.rng.below(2) as usize) {
                let (kind, title) = self.rng.weighted(KINDS);
                plans.push(Plan {
                    id: format!("p-{month}-{n}"),
                    month,
                    kind,
                    title,
                });
            }
            let sessions = match self.rng.below(10) {
                0 => 1,
                9 => 3,
                _ => 2,
            };
            let mut days: Vec<u32> = (0..sessions)
                .map(|_| self.rng.range(3, 26) as u32)
                .collect();
            days.sort_unstable();
            let mut held = Vec::new();
            for (s, &day) in days.iter().enumerate() {
                let date = month.day(day);
                let plan = if first_plan + s < plans.len() && self.rng.chance(850) {
                    Some(first_plan + s)
                } else if !pending.is_empty() && self.rng.chance(500) {
                    Some(pending.remove(0))
                } else {
                    None
                };
                held.extend(plan);
                let id = format!("t-{date}-{}", s + 1);
                self.write_session(sink, &id, date, plan.map(|p| &plans[p]))?;
            }
            pending = (first_plan..plans.len())
                .filter(|p| !held.contains(p))
                .collect();
        }
        sink.file("training-plan.yaml", |w| {
            writeln!(w, "plans:")?;
            for p in &plans {
                writeln!(
                    w,
                    "  - {{id: {}, month: {}, title: {}, kind: {}}}",
                    p.id,
                    p.month,
                    q(p.title),
                    p.kind
                )?;
            }
            Ok(())
        })?;
        Ok(plans)
    }

    /// `trainings/YYYY/ID.yaml`: about three quarters of the managers on staff that day.
    fn write_session(
        &mut self,
        sink: &mut Sink,
        id: &str,
        date: Date,
        plan: Option<&Plan>,
    ) -> io::Result<()> {
        let (kind, title) = match plan {
            Some(p) => (p.kind, p.title),
            None => ("routine", "临时专题学习"),
        };
        let (rng, managers) = (&mut self.rng, &self.managers);
        sink.file(&format!("trainings/{}/{id}.yaml", date.month.year), |w| {
            writeln!(w, "id: {id}")?;
            writeln!(w, "title: {}", q(title))?;
            writeln!(w, "date: {date}")?;
            writeln!(w, "kind: {kind}")?;
            writeln!(w, "topic: {}", q(rng.pick(TOPICS)))?;
            writeln!(w, "hours: {}", Halves(rng.pick(&[2, 3, 4, 6, 8])))?;
            if rng.chance(800) {
                writeln!(w, "instructor: {}", q(rng.pick(INSTRUCTORS)))?;
            }
            if let Some(p) = plan {
                writeln!(w, "plan: {}", p.id)?;
            }
            writeln!(w, "attendees:")?;
            for (i, m) in managers.iter().enumerate() {
                if !m.on_staff(date) || !rng.chance(750) {
                    continue;
                }
                let id = manager_id(i);
                if rng.chance(900) {
                    if rng.chance(850) {
                        let score = (80 + m.skill / 20 + rng.bell(9)).clamp(0, 100);
                        writeln!(w, "  {id}: {{present: true, score: {score}}}")?;
                    } else {
                        writeln!(w, "  {id}: {{present: true}}")?;
                    }
                } else if rng.chance(550) {
                    let reason = q(rng.pick(EXCUSES));
                    writeln!(
                        w,
                        "  {id}: {{present: false, excused: true, reason: {reason}}}"
                    )?;
                } else {
                    writeln!(w, "  {id}: {{present: false}}")?;
                }
            }
            Ok(())
        })
    }

    /// `competitions/skills-YYYY.yaml`, one per calendar year of the period.
    fn write_competitions(&mut self, sink: &mut Sink) -> io::Result<()> {
        let mut years: Vec<i32> = self.months.iter().map(|m| m.year).collect();
        years.dedup();
        for year in years {
            let of_year: Vec<usize> = (0..self.months.len())
                .filter(|&k| self.months[k].year == year)
                .collect();
            let k = of_year
                .iter()
                .copied()
                .find(|&k| self.months[k].month == 9)
                .unwrap_or(of_year[of_year.len() / 2]);
            let date = self.months[k].day(20);
            let entrants = (self.managers.len() / 25).clamp(3, 60);
            let winners = if self.ranked[k].is_empty() {
                let everyone: Vec<u32> = (0..self.managers.len() as u32).collect();
                self.rng.sample(&everyone, entrants)
            } else {
                self.rng.sample(&self.ranked[k], entrants)
            };
            sink.file(&format!("competitions/skills-{year}.yaml"), |w| {
                writeln!(w, "id: skills-{year}")?;
                writeln!(w, "name: {year}年卷烟营销职业技能竞赛")?;
                writeln!(w, "date: {date}")?;
                writeln!(w, "results:")?;
                // About a tenth first prizes, a fifth second, three tenths third (at least one
                // each), the rest 优秀奖.
                let n = winners.len();
                let first = (n / 10).max(1);
                let second = first + (n / 5).max(1);
                let third = second + (n * 3 / 10).max(1);
                for (place, &i) in winners.iter().enumerate() {
                    let tier = [first, second, third].iter().position(|&end| place < end);
                    let (prize, bonus) = match tier {
                        Some(t) => (PRIZES[t], Halves(6 - 2 * t as u64)),
                        None => ("优秀奖", Halves(1)),
                    };
                    writeln!(
                        w,
                        "  - {{manager: {}, place: {}, prize: {prize}, bonus: {bonus}}}",
                        manager_id(i as usize),
                        place + 1
                    )?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// `innovations.yaml`: about one per 20 managers (2..=400), each with 1–3 managers.
    fn write_innovations(&mut self, sink: &mut Sink) -> io::Result<()> {
        let count = (self.managers.len() / 20).clamp(2, 400);
        let mut items: Vec<(usize, Vec<u32>, u64, u64)> = (0..count)
            .map(|_| {
                let k = self.rng.below(self.months.len() as u64) as usize;
                let mut team = Vec::new();
                for _ in 0..self.rng.range(1, 3) {
                    // Now and then a manager not ranked that month: shown, no bonus.
                    let i = if self.rng.chance(50) {
                        self.rng.below(self.managers.len() as u64) as u32
                    } else {
                        self.ranked_manager(k)
                    };
                    if !team.contains(&i) {
                        team.push(i);
                    }
                }
                let theme = self.rng.below(INNOVATION_THEMES.len() as u64);
                let grade = self.rng.below(PRIZES.len() as u64);
                (k, team, theme, grade)
            })
            .collect();
        items.sort_by_key(|it| it.0);
        let months = &self.months;
        sink.file("innovations.yaml", |w| {
            writeln!(w, "innovations:")?;
            for (n, (k, team, theme, grade)) in items.iter().enumerate() {
                let ids: Vec<String> = team.iter().map(|&i| manager_id(i as usize)).collect();
                writeln!(
                    w,
                    "  - {{id: inno-{:04}, title: {}, month: {}, managers: [{}], grade: {}, bonus: {}}}",
                    n + 1,
                    q(&format!("{}（第{}项）", INNOVATION_THEMES[*theme as usize], n + 1)),
                    months[*k],
                    ids.join(", "),
                    PRIZES[*grade as usize],
                    Halves(4 - *grade),
                )?;
            }
            Ok(())
        })
    }

    /// `suggestions.yaml`: about one per 12 managers (2..=600), a third adopted.
    fn write_suggestions(&mut self, sink: &mut Sink) -> io::Result<()> {
        let count = (self.managers.len() / 12).clamp(2, 600);
        let mut items: Vec<(usize, u32, bool, String, bool)> = (0..count)
            .map(|_| {
                let k = self.rng.below(self.months.len() as u64) as usize;
                let i = if self.rng.chance(50) {
                    self.rng.below(self.managers.len() as u64) as u32
                } else {
                    self.ranked_manager(k)
                };
                let supply = self.rng.chance(600);
                let (brand, area) = (self.rng.pick(BRANDS), self.rng.pick(AREAS));
                let text = match (supply, self.rng.below(2)) {
                    (true, 0) => format!("建议增加{brand}在{area}片区的投放"),
                    (true, _) => format!("{area}片区{brand}需求上升，建议调增货源"),
                    (false, 0) => format!("紧俏货源投放: {brand}按零售户档位在{area}片区分配"),
                    (false, _) => format!("{area}片区{brand}建议按\"诚信等级\"投放"),
                };
                (k, i, supply, text, self.rng.chance(330))
            })
            .collect();
        items.sort_by_key(|it| (it.0, it.1));
        let months = &self.months;
        sink.file("suggestions.yaml", |w| {
            writeln!(w, "suggestions:")?;
            for (k, i, supply, text, adopted) in &items {
                writeln!(
                    w,
                    "  - {{manager: {}, month: {}, kind: {}, text: {}, adopted: {adopted}}}",
                    manager_id(*i as usize),
                    months[*k],
                    if *supply { "supply" } else { "allocation" },
                    q(text),
                )?;
            }
            Ok(())
        })
    }
}

/// A roster entry: most on staff all along, ~3% joining and ~3% leaving during the period.
fn new_manager(rng: &mut Rng, months: &[Month], team: usize) -> Manager {
    let n = months.len();
    let given: String = (0..rng.range(1, 2))
        .map(|_| rng.pick(GIVEN_CHARS))
        .collect();
    let name = format!("{}{given}", rng.pick(SURNAMES));
    let grade = rng.weighted(GRADES);
    let skill = rng.bell(40);
    let fate = if n >= 3 { rng.below(1000) } else { 1000 };
    let random_day = |rng: &mut Rng, m: Month| m.day(rng.range(1, i64::from(m.days())) as u32);
    let before_period = |rng: &mut Rng| {
        let start = i64::from(months[0].year);
        let year = rng.range(start - 22, start - 1) as i32;
        let month = rng.range(1, 12) as u32;
        random_day(rng, Month { year, month })
    };
    let (joined, left, first, last) = if fate < 30 {
        // Joins in month j (not the first): ranked from the first month starting on or after
        // the day they joined.
        let j = rng.range(1, n as i64 - 1) as usize;
        let joined = random_day(rng, months[j]);
        let first = if joined.day == 1 { j } else { j + 1 };
        (joined, None, first, n - 1)
    } else if fate < 60 {
        // Leaves in month l (not the last): still ranked in l, which began before they left.
        let l = rng.range(0, n as i64 - 2) as usize;
        let left = random_day(rng, months[l]);
        (before_period(rng), Some(left), 0, l)
    } else {
        (before_period(rng), None, 0, n - 1)
    };
    Manager {
        name,
        team,
        grade,
        joined,
        left,
        first,
        last,
        skill,
    }
}

/// One manager's results entry: plausible values around the manager's `skill`.
fn write_entry(w: &mut impl Write, rng: &mut Rng, id: &str, skill: i64) -> io::Result<()> {
    // A completion ratio in thousandths, and an actual/target pair realising it.
    let mut ratio = |lo: i64, hi: i64, centre: i64, sd: i64| {
        let target = rng.range(lo, hi);
        let r = (centre + rng.bell(sd)).clamp(300, 1600);
        ((target * r + 500) / 1000, target)
    };
    let (sales_a, sales_t) = ratio(60, 480, 1000 + skill, 70);
    let (price_a, price_t) = ratio(120, 300, 1000 + skill / 3, 30);
    let (brand_a, brand_t) = ratio(20, 160, 1000 + skill, 90);
    let forecast = (930 + skill / 4 + rng.bell(25)).clamp(700, 1000);
    let visits = (935 + skill / 8 + rng.bell(20)).clamp(850, 1000);
    let satisfaction = (915 + skill / 6 + rng.bell(25)).clamp(750, 1000);
    let complaints = match rng.below(1000) {
        0..=879 => 0,
        880..=969 => 1,
        970..=994 => 2,
        _ => rng.range(3, 4),
    };
    writeln!(w, "  {id}:")?;
    writeln!(w, "    sales: {{actual: {sales_a}, target: {sales_t}}}")?;
    writeln!(w, "    price: {{actual: {price_a}, target: {price_t}}}")?;
    writeln!(w, "    forecast: {}", Tenths(forecast))?;
    writeln!(w, "    brand: {{actual: {brand_a}, target: {brand_t}}}")?;
    writeln!(w, "    visits: {}", Tenths(visits))?;
    writeln!(w, "    satisfaction: {}", Tenths(satisfaction))?;
    writeln!(w, "    complaints: {complaints}")?;
    for (key, per_mille, reasons) in [
        ("bonus", 50, BONUS_REASONS),
        ("deductions", 40, DEDUCTION_REASONS),
    ] {
        if rng.chance(per_mille) {
            let items: Vec<String> = (0..if rng.chance(100) { 2 } else { 1 })
                .map(|_| {
                    let points = Halves(rng.range(1, 4) as u64);
                    format!("{{points: {points}, reason: {}}}", q(rng.pick(reasons)))
                })
                .collect();
            writeln!(w, "    {key}: [{}]", items.join(", "))?;
        }
    }
    if rng.below(2000) == 0 {
        writeln!(w, "    veto: {}", q(rng.pick(VETO_REASONS)))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Command line.

struct Args {
    managers: usize,
    months: usize,
    out: PathBuf,
    seed: u64,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let (mut managers, mut months, mut out, mut seed, mut force) =
        (None, None, None, DEFAULT_SEED, false);
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let number = |name: &str, v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{name}: not a non-negative integer: {v}"))
        };
        match arg.as_str() {
            "--managers" => managers = Some(number("--managers", value("--managers")?)?),
            "--months" => months = Some(number("--months", value("--months")?)?),
            "--seed" => seed = number("--seed", value("--seed")?)?,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--force" => force = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let managers = managers.ok_or("--managers is required")? as usize;
    let months = months.ok_or("--months is required")? as usize;
    if !(1..=999_999).contains(&managers) {
        return Err("--managers must be in 1..=999999".into());
    }
    if !(1..=600).contains(&months) {
        return Err("--months must be in 1..=600".into());
    }
    let out = out.ok_or("--out is required")?;
    Ok(Args {
        managers,
        months,
        out,
        seed,
        force,
    })
}

fn generate(args: &Args, content: &Path) -> io::Result<(Sink, World)> {
    if content.exists() {
        if !args.force {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists (use --force to replace it)", content.display()),
            ));
        }
        fs::remove_dir_all(content)?;
    }
    fs::create_dir_all(content)?;
    let mut sink = Sink {
        root: content.to_path_buf(),
        files: 0,
        bytes: 0,
    };
    let mut world = World::new(args.managers, args.months, args.seed);
    world.write_site(&mut sink)?;
    world.write_managers(&mut sink)?;
    for k in 0..world.months.len() {
        world.write_results(&mut sink, k)?;
    }
    world.write_trainings(&mut sink)?;
    world.write_competitions(&mut sink)?;
    world.write_innovations(&mut sink)?;
    world.write_suggestions(&mut sink)?;
    Ok((sink, world))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gensite: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let content = args.out.join("content");
    match generate(&args, &content) {
        Ok((sink, world)) => {
            println!(
                "gensite: {} managers, {} months ({}..{}), {} manager-months, {} files, {} bytes ({:.1} MB) in {:.2} s -> {}",
                args.managers,
                world.months.len(),
                world.months[0],
                LAST_MONTH,
                world.manager_months(),
                sink.files,
                sink.bytes,
                sink.bytes as f64 / 1e6,
                start.elapsed().as_secs_f64(),
                content.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gensite: {}: {e}", content.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(q("张伟"), "张伟");
        assert_eq!(q("中华(硬)"), "中华(硬)");
        assert_eq!(q("例会缺席: 未请假"), "\"例会缺席: 未请假\"");
        assert_eq!(q("获评\"服务明星\""), r#""获评\"服务明星\"""#);
        assert_eq!(q("[督查] 陈列"), "\"[督查] 陈列\"");
        assert_eq!(q("No"), "\"No\"");
        assert_eq!(q("2026"), "\"2026\"");
        assert_eq!(q(""), "\"\"");
    }

    #[test]
    fn formats_numbers_exactly() {
        let s = |v: &dyn fmt::Display| v.to_string();
        assert_eq!(s(&Tenths(925)), "92.5");
        assert_eq!(s(&Tenths(1000)), "100.0");
        assert_eq!(s(&Tenths(-5)), "-0.5");
        assert_eq!(s(&Halves(3)), "1.5");
        assert_eq!(s(&Halves(4)), "2");
    }

    #[test]
    fn calendar() {
        let ym = |year, month| Month { year, month };
        assert_eq!(ym(2026, 1).prev(), ym(2025, 12));
        assert_eq!(ym(2024, 2).days(), 29);
        assert_eq!(ym(2100, 2).days(), 28);
        assert_eq!(ym(2026, 10).day(3).to_string(), "2026-10-03");
    }

    #[test]
    fn ranks_only_managers_on_staff_when_the_month_begins() {
        let w = World::new(2000, 24, DEFAULT_SEED);
        assert_eq!(
            w.months.first().map(ToString::to_string).as_deref(),
            Some("2024-11")
        );
        let (mut joiners, mut leavers) = (0, 0);
        for (k, ranked) in w.ranked.iter().enumerate() {
            let begins = w.months[k].day(1);
            for &i in ranked {
                let (m, id) = (&w.managers[i as usize], manager_id(i as usize));
                assert!(m.joined <= begins, "{id} ranked before joining");
                assert!(
                    m.left.is_none_or(|l| l >= begins),
                    "{id} ranked after leaving"
                );
            }
        }
        for m in &w.managers {
            joiners += usize::from(m.joined > w.months[0].day(1));
            leavers += usize::from(m.left.is_some());
        }
        assert!(
            joiners > 20 && leavers > 20,
            "joiners {joiners}, leavers {leavers}"
        );
    }

    #[test]
    fn same_seed_same_world() {
        let names = |seed| {
            World::new(500, 6, seed)
                .managers
                .into_iter()
                .map(|m| m.name)
        };
        assert!(names(7).eq(names(7)));
        assert!(!names(7).eq(names(8)));
    }
}
