//! The validated data of a site: configuration, roster, monthly results, training and
//! incentives. Everything here has passed validation; managers, teams and indicators are
//! referred to by index for fast lookups.

use std::fmt;

use crate::decimal::Decimal;
use crate::diag::Lang;

/// A calendar month, `YYYY-MM`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Month {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month of the year, 1..=12.
    pub month: u32,
}

impl Month {
    /// The first month rankpress accepts for results and `--month` (earlier is surely a typo).
    pub const FIRST: Month = Month {
        year: 2000,
        month: 1,
    };
    /// The last month rankpress accepts for results and `--month`.
    pub const LAST: Month = Month {
        year: 2099,
        month: 12,
    };

    /// Whether the month is within [`Month::FIRST`]..=[`Month::LAST`].
    pub fn in_range(self) -> bool {
        (Month::FIRST..=Month::LAST).contains(&self)
    }

    /// The message for a month outside [`Month::FIRST`]..=[`Month::LAST`], naming the range.
    pub fn range_message(self, lang: Lang) -> String {
        crate::diag::t!(
            lang,
            "月份 {} 超出范围：应在 {} 到 {} 之间",
            "month {} is out of range: expected {} to {}",
            self,
            Month::FIRST,
            Month::LAST
        )
    }

    /// Parses `YYYY-MM` strictly.
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !s[..4].bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if !s[5..].bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let month: u32 = s[5..].parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(d: Date) -> Month {
        Month {
            year: d.year,
            month: d.month,
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }

    /// The month before this one.
    pub fn prev(self) -> Month {
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
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar date, `YYYY-MM-DD` (validated with chrono).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of month.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` strictly, rejecting impossible dates such as 2026-02-30.
    pub fn parse(s: &str) -> Option<Date> {
        if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
            return None;
        }
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        let m = Month::parse(&s[..7])?;
        let day: u32 = s[8..].parse().ok()?;
        let _ = d;
        Some(Date {
            year: m.year,
            month: m.month,
            day,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// How an indicator's value becomes points (contract §5).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Method {
    /// `actual / target`, capped, with a floor below which it scores 0.
    Ratio {
        /// Highest completion ratio credited.
        cap: f64,
        /// A ratio below it scores 0.
        floor: f64,
    },
    /// A percentage in [0, 100].
    Percent,
    /// Points lost or gained per unit away from a target, clamped.
    Linear {
        /// The value that earns exactly `weight`.
        target: f64,
        /// Points lost per unit below target.
        per_unit_below: f64,
        /// Points gained per unit above target.
        per_unit_above: f64,
        /// Lowest score.
        min: f64,
        /// Highest score.
        max: f64,
    },
    /// A count of events, each deducting points, optionally limited.
    Deduct {
        /// Points deducted per unit.
        per_unit: f64,
        /// Most points deducted.
        limit: Option<f64>,
    },
    /// The month's training mark.
    Training,
}

impl Method {
    /// The method's name as written in `site.yaml`.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Ratio { .. } => "ratio",
            Method::Percent => "percent",
            Method::Linear { .. } => "linear",
            Method::Deduct { .. } => "deduct",
            Method::Training => "training",
        }
    }
}

/// One indicator of the scoring model.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Indicator {
    /// Key used in results files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Function it belongs to (需求预测, 品牌培育, 服务客户…).
    pub group: Option<String>,
    /// Full points (0 for `deduct`).
    pub weight: f64,
    /// Scoring method and its parameters.
    pub method: Method,
}

/// What an award ranks by.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum AwardBasis {
    /// The month's total.
    Total,
    /// An indicator's performance value (index into the indicators).
    Indicator(usize),
}

/// A monthly award such as 品牌培育之星.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Award {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it ranks by.
    pub basis: AwardBasis,
    /// Number of winners (ties at the boundary all win).
    pub top: usize,
    /// Minimum performance value of a candidate.
    pub min: Option<f64>,
}

/// Settings and scoring model from `site.yaml`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Config {
    /// Site and bulletin title.
    pub title: String,
    /// Organisation shown in footers.
    pub organization: Option<String>,
    /// Language of generated labels.
    pub language: Lang,
    /// Theme name.
    pub theme: String,
    /// Absolute URL of the published site.
    pub base_url: Option<String>,
    /// Scoring model, in display order.
    pub indicators: Vec<Indicator>,
    /// Monthly awards.
    pub awards: Vec<Award>,
    /// Size of the monthly watch list (0 disables it).
    pub watch_bottom: usize,
    /// Training pass mark.
    pub pass_mark: f64,
    /// Bonus per adopted suggestion.
    pub bonus_per_adopted: f64,
    /// Number of annual excellence candidates.
    pub excellence_top: usize,
    /// Months ranked in the year to be an excellence candidate.
    pub min_months: usize,
    /// Email bulletin settings, if configured.
    pub bulletin: Option<BulletinConfig>,
    /// Font file for PNG charts, if configured.
    pub font: Option<String>,
    /// Rating levels, pay, escalation and promotion (contract §10; all off by default).
    pub policy: Policy,
}

/// One rating level (考核等次), contract §10.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Rating {
    /// Id, unique among the levels.
    pub id: String,
    /// Display name, e.g. 优秀.
    pub name: String,
    /// Percent of the month's ranked managers the level holds, as written (in (0, 100]).
    pub quota: Option<Decimal>,
    /// Lowest total for the level.
    pub min: Option<f64>,
    /// Pay coefficient (绩效系数), as written (default 1).
    pub coefficient: Decimal,
}

/// How the monthly performance pay is worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum PayMethod {
    /// base × the level's coefficient.
    Rating,
    /// A pool shared in proportion to max(total, 0) × coefficient.
    Pool,
}

impl PayMethod {
    /// The key used in `site.yaml` and the payroll.
    pub fn key(self) -> &'static str {
        match self {
            PayMethod::Rating => "rating",
            PayMethod::Pool => "pool",
        }
    }
}

/// `pay:` of `site.yaml`; amounts in whole cents (分).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Pay {
    /// The method.
    pub method: PayMethod,
    /// `rating`: pay of a coefficient of 1, in cents.
    pub base_cents: Option<i128>,
    /// `pool`: the amount shared each month, in cents.
    pub pool_cents: Option<i128>,
}

/// The 奖优罚劣 settings of contract §10; `Default` is "all off" (a version 1 site).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Policy {
    /// Rating levels, best first (empty: no ratings).
    pub ratings: Vec<Rating>,
    /// Performance pay, if configured.
    pub pay: Option<Pay>,
    /// Consecutive watch-list months that escalate a manager (0: off).
    pub escalate_after: usize,
    /// Months in the first level that make a promotion candidate (0: off).
    pub promotion_months: usize,
    /// Months in the last level that make a demotion candidate (0: off).
    pub demotion_months: usize,
    /// The grade ladder, lowest first (empty: none).
    pub grades: Vec<String>,
}

/// SMTP security mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS.
    StartTls,
    /// TLS from the first byte.
    Tls,
    /// No encryption (for local relays only).
    None,
}

/// SMTP server settings; credentials come only from the environment.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SmtpConfig {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security mode.
    pub security: Security,
    /// Environment variable holding the user name.
    pub username_env: Option<String>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
}

/// `bulletin:` key of `site.yaml`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BulletinConfig {
    /// Sender, e.g. `绩效通报 <kpi@example.com>`.
    pub from: String,
    /// Recipients of the team bulletin.
    pub to: Vec<String>,
    /// Also send one bulletin per manager with an email.
    pub personal: bool,
    /// Personal bulletins show the person's own pay (never the team bulletin).
    pub personal_pay: bool,
    /// SMTP server.
    pub smtp: Option<SmtpConfig>,
}

/// A team (片区).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Team {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A customer manager.
#[derive(Clone, Debug, Hash, serde::Serialize)]
pub struct Manager {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Index of the team.
    pub team: usize,
    /// Grade, e.g. 三级客户经理.
    pub grade: Option<String>,
    /// Date joined.
    pub joined: Option<Date>,
    /// Date left.
    pub left: Option<Date>,
    /// Email address.
    pub email: Option<String>,
}

/// One indicator value in a results entry.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    /// `{actual, target}` for ratio indicators.
    Ratio {
        /// Actual.
        actual: f64,
        /// Target (> 0).
        target: f64,
    },
    /// A number for percent, linear and deduct indicators.
    Number(f64),
    /// No value (training indicators).
    None,
}

/// A bonus or deduction item with its reason.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// Points (>= 0).
    pub points: f64,
    /// Reason.
    pub reason: String,
}

/// One manager's results in a month.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Index of the manager.
    pub manager: usize,
    /// One value per indicator, in indicator order.
    pub values: Vec<Value>,
    /// Bonus items.
    pub bonus: Vec<Item>,
    /// Deduction items.
    pub deductions: Vec<Item>,
    /// Veto (一票否决) reason.
    pub veto: Option<String>,
}

/// One results file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct MonthResults {
    /// The month.
    pub month: Month,
    /// Markdown note.
    pub note: Option<String>,
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Path of the file, relative to the site root.
    pub file: String,
}

/// Kind of training session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum TrainingKind {
    /// 岗前培训.
    PreJob,
    /// 日常培训.
    Routine,
    /// 晋升培训.
    Promotion,
    /// 职业技能培训与鉴定.
    Vocational,
}

impl TrainingKind {
    /// All kinds, in display order.
    pub const ALL: [TrainingKind; 4] = [
        TrainingKind::PreJob,
        TrainingKind::Routine,
        TrainingKind::Promotion,
        TrainingKind::Vocational,
    ];

    /// Parses the key used in data files.
    pub fn parse(s: &str) -> Option<TrainingKind> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }

    /// The key used in data files and exports.
    pub fn key(self) -> &'static str {
        match self {
            TrainingKind::PreJob => "pre_job",
            TrainingKind::Routine => "routine",
            TrainingKind::Promotion => "promotion",
            TrainingKind::Vocational => "vocational",
        }
    }
}

/// One attendee entry of a session.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Attendance {
    /// Index of the manager.
    pub manager: usize,
    /// Was present.
    pub present: bool,
    /// Absence excused.
    pub excused: bool,
    /// Assessment score, only when present.
    pub score: Option<f64>,
    /// Reason for absence.
    pub reason: Option<String>,
}

/// One training session.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Training {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date held.
    pub date: Date,
    /// Kind.
    pub kind: TrainingKind,
    /// Topic (free text).
    pub topic: Option<String>,
    /// Hours (> 0).
    pub hours: f64,
    /// Instructor.
    pub instructor: Option<String>,
    /// Plan entry carried out (index into plans).
    pub plan: Option<usize>,
    /// Expected attendees, in file order.
    pub attendees: Vec<Attendance>,
    /// File, relative to the site root.
    pub file: String,
}

/// A training plan entry.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Id.
    pub id: String,
    /// Month it is due.
    pub month: Month,
    /// Title.
    pub title: String,
    /// Kind, if given.
    pub kind: Option<TrainingKind>,
}

/// One result of a skill competition.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Placing {
    /// Index of the manager.
    pub manager: usize,
    /// Place.
    pub place: Option<u32>,
    /// Prize, e.g. 一等奖.
    pub prize: Option<String>,
    /// Bonus points.
    pub bonus: f64,
}

/// A skill competition.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Competition {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Date.
    pub date: Date,
    /// Results.
    pub results: Vec<Placing>,
}

/// An innovation achievement.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Innovation {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Month.
    pub month: Month,
    /// Managers credited (indices).
    pub managers: Vec<usize>,
    /// Grade, e.g. 二等奖.
    pub grade: Option<String>,
    /// Bonus points for each manager.
    pub bonus: f64,
}

/// Kind of suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SuggestionKind {
    /// 货源需求建议.
    Supply,
    /// 紧俏货源区域投放意见.
    Allocation,
}

/// A supply or allocation suggestion.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Suggestion {
    /// Index of the manager.
    pub manager: usize,
    /// Month.
    pub month: Month,
    /// Kind.
    pub kind: SuggestionKind,
    /// Text.
    pub text: String,
    /// Adopted.
    pub adopted: bool,
}

/// A free page from `content/pages/SLUG.md`.
#[derive(Clone, Debug)]
pub struct Page {
    /// Slug (file stem).
    pub slug: String,
    /// Title from the front matter.
    pub title: String,
    /// Order in menus.
    pub order: i64,
    /// Markdown body.
    pub body: String,
}

/// Everything a site's `content/` holds, validated.
#[derive(Clone, Debug)]
pub struct Site {
    /// `site.yaml`.
    pub config: Config,
    /// Teams.
    pub teams: Vec<Team>,
    /// Managers.
    pub managers: Vec<Manager>,
    /// Results months, sorted by month.
    pub months: Vec<MonthResults>,
    /// Training sessions, sorted by date then id.
    pub trainings: Vec<Training>,
    /// Plan entries, in file order.
    pub plans: Vec<Plan>,
    /// Competitions, sorted by date then id.
    pub competitions: Vec<Competition>,
    /// Innovations, in file order.
    pub innovations: Vec<Innovation>,
    /// Suggestions, in file order.
    pub suggestions: Vec<Suggestion>,
    /// Free pages, sorted by order then slug.
    pub pages: Vec<Page>,
}
