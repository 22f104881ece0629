//! The rulebook of the data files: every rule of the contract that more than one reader applies,
//! written once. The three readers of monthly results — the full check (`results`), the fast
//! path (`fast`) and sheet import (`workflow/sheet/import`) — and the other per-file checks take
//! from here:
//!
//! - [`MAX_ABS`] and [`usable`]: the finite numbers any data file may hold;
//! - [`Range`]: a number's range, its check and how it is named in messages;
//! - [`value_rules`]: per indicator [`Method`], the numbers its monthly value is made of
//!   ([`Rule`]: nothing for `training`, one for `percent`, `linear` and `deduct`, `actual` and
//!   `target` for `ratio`), each with its range and its wording in a results file and in a sheet;
//! - the ranges of the other numbers (item points, training hours and scores, bonus points);
//! - the allowed keys of each mapping of each data file ([`keys`]).
//!
//! Adding an indicator method: its variant in [`Method`] (the model), its parameters in
//! `site.yaml` (`validate/site.rs`), its [`value_rules`] here, its score (`score/`) and the pages
//! that explain it. The three readers follow from the rules.

use crate::diag::{t, Lang};
use crate::model::Method;

/// Largest magnitude accepted for any number; beyond it a value is certainly a typo.
pub(crate) const MAX_ABS: f64 = 1e12;

/// Whether `x` is a number a data file may hold: finite and at most [`MAX_ABS`] in magnitude.
pub(crate) fn usable(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_ABS
}

/// The problem with the value `shown` of `what` that is not a finite number within
/// [`MAX_ABS`] (also given for an integer too large for the YAML reader).
pub(crate) fn not_finite(lang: Lang, what: &str, shown: &str) -> String {
    t!(
        lang,
        "{} 的值 {} 不是有效的有限数字：应为绝对值不超过 10¹² 的数字（不接受 .nan、.inf）",
        "{}: {} is not a usable finite number: expected a number of at most 10^12 in magnitude (.nan and .inf are not accepted)",
        what,
        shown
    )
}

/// What a number must be to be [`usable`], for a sheet's message.
pub(crate) fn magnitude(lang: Lang) -> String {
    t!(
        lang,
        "绝对值不超过 10¹² 的数字",
        "a number of at most 10^12 in magnitude"
    )
}

/// A numeric range for messages and checks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Range {
    /// Any number.
    Any,
    /// At least the bound.
    AtLeast(f64),
    /// Strictly above the bound.
    Above(f64),
    /// From the first bound to the second, both included.
    Between(f64, f64),
}

impl Range {
    /// Whether `x` is within the range (its being [`usable`] is checked apart).
    pub(crate) fn ok(self, x: f64) -> bool {
        match self {
            Range::Any => true,
            Range::AtLeast(lo) => x >= lo,
            Range::Above(lo) => x > lo,
            Range::Between(lo, hi) => x >= lo && x <= hi,
        }
    }

    /// Whether `x` is [`usable`] and within the range: what every reader accepts.
    pub(crate) fn accepts(self, x: f64) -> bool {
        usable(x) && self.ok(x)
    }

    /// The range as the expected value of a message in a data file: "a number >= 0".
    pub(crate) fn expect(self, lang: Lang) -> String {
        match self {
            Range::Any => t!(lang, "数字", "a number"),
            Range::AtLeast(lo) => t!(lang, "不小于 {} 的数字", "a number >= {}", lo),
            Range::Above(lo) => t!(lang, "大于 {} 的数字", "a number > {}", lo),
            Range::Between(lo, hi) => t!(
                lang,
                "{} 到 {} 之间的数字",
                "a number from {} to {}",
                lo,
                hi
            ),
        }
    }
}

/// The problem with the value `x` of `key` that is outside `range`.
pub(crate) fn out_of_range(lang: Lang, key: &str, x: f64, range: Range) -> String {
    t!(
        lang,
        "\"{}\" 的值 {} 超出范围，应为{}",
        "\"{}\" is {}, out of range: expected {}",
        key,
        x,
        range.expect(lang)
    )
}

/// Points of a bonus or deduction item in a results file (a deduction is written positive).
pub(crate) const ITEM_POINTS: Range = Range::AtLeast(0.0);
/// Hours of a training session.
pub(crate) const HOURS: Range = Range::Above(0.0);
/// An attendee's assessment score.
pub(crate) const SCORE: Range = Range::Between(0.0, 100.0);
/// Bonus points of a competition placing or an innovation.
pub(crate) const BONUS: Range = Range::AtLeast(0.0);

/// Which number of an indicator's value a [`Rule`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    /// The value itself (`percent`, `linear`, `deduct`).
    Value,
    /// A ratio's `actual`.
    Actual,
    /// A ratio's `target`.
    Target,
}

impl Part {
    /// The key of the part in a results file's mapping (`None`: the value is written alone).
    pub(crate) fn key(self) -> Option<&'static str> {
        match self {
            Part::Value => None,
            Part::Actual => Some("actual"),
            Part::Target => Some("target"),
        }
    }

    /// The part of the indicator named `name`, as a sheet's messages name it: `销量（实际）`.
    pub(crate) fn named(self, lang: Lang, name: &str) -> String {
        match self {
            Part::Value => name.to_string(),
            Part::Actual => t!(lang, "{}（实际）", "{} (actual)", name),
            Part::Target => t!(lang, "{}（目标）", "{} (target)", name),
        }
    }
}

/// How a number of an indicator's value is worded in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Percentage,
    Count,
    Number,
    Actual,
    Target,
}

/// One number of an indicator's monthly value: which [`Part`] it is, its [`Range`] and its
/// messages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rule {
    /// Which number.
    pub(crate) part: Part,
    /// Its range.
    pub(crate) range: Range,
    word: Word,
}

const PERCENTAGE: Rule = Rule {
    part: Part::Value,
    range: Range::Between(0.0, 100.0),
    word: Word::Percentage,
};
const COUNT: Rule = Rule {
    part: Part::Value,
    range: Range::AtLeast(0.0),
    word: Word::Count,
};
const NUMBER: Rule = Rule {
    part: Part::Value,
    range: Range::Any,
    word: Word::Number,
};
const ACTUAL: Rule = Rule {
    part: Part::Actual,
    range: Range::AtLeast(0.0),
    word: Word::Actual,
};
const TARGET: Rule = Rule {
    part: Part::Target,
    range: Range::Above(0.0),
    word: Word::Target,
};

/// The numbers a monthly value of an indicator scored by `method` is made of, in the order
/// they are written: none for `training` (computed from the sessions, never written), one
/// number alone, or a mapping of several (`ratio`: `{actual, target}`).
pub(crate) fn value_rules(method: &Method) -> &'static [Rule] {
    match method {
        Method::Ratio { .. } => &[ACTUAL, TARGET],
        Method::Percent => &[PERCENTAGE],
        Method::Linear { .. } => &[NUMBER],
        Method::Deduct { .. } => &[COUNT],
        Method::Training => &[],
    }
}

/// The keys of a value made of several numbers (`{actual, target}`), in rule order.
pub(crate) fn part_keys(rules: &[Rule]) -> Vec<&'static str> {
    rules.iter().filter_map(|r| r.part.key()).collect()
}

impl Rule {
    /// The problem with the value `x` (usable, out of range) of indicator `id` in a results
    /// file.
    pub(crate) fn refused(self, lang: Lang, id: &str, x: f64) -> String {
        match self.word {
            Word::Percentage => t!(
                lang,
                "指标 \"{}\" 是百分数，应在 0 到 100 之间，实际是 {}",
                "indicator \"{}\" is a percentage: expected 0 to 100, found {}",
                id,
                x
            ),
            Word::Count => t!(
                lang,
                "扣分指标 \"{}\" 是次数，不能为负数，实际是 {}",
                "deduct indicator \"{}\" is a count and must be >= 0, found {}",
                id,
                x
            ),
            Word::Number | Word::Actual | Word::Target => {
                out_of_range(lang, self.part.key().unwrap_or(id), x, self.range)
            }
        }
    }

    /// What a sheet's cell holds, for the message of an empty or non-numeric cell.
    pub(crate) fn sheet_expected(self, lang: Lang) -> String {
        match self.word {
            Word::Percentage => t!(lang, "0 到 100 的百分数", "a percentage from 0 to 100"),
            Word::Count => t!(lang, "次数，不小于 0", "a count, 0 or more"),
            Word::Number => t!(lang, "数字", "a number"),
            Word::Actual => t!(lang, "实际完成数，不小于 0", "the actual figure, 0 or more"),
            Word::Target => t!(lang, "目标（任务）数，大于 0", "the target, more than 0"),
        }
    }

    /// The range, for the message of a sheet's cell out of it.
    pub(crate) fn sheet_range(self, lang: Lang) -> String {
        match self.word {
            Word::Actual => t!(lang, "不小于 0", "0 or more"),
            Word::Target => t!(lang, "大于 0", "more than 0"),
            _ => self.sheet_expected(lang),
        }
    }
}

/// The problem of a value given for an indicator that takes none (`training`).
pub(crate) fn computed(lang: Lang, id: &str) -> String {
    t!(
        lang,
        "培训指标 \"{}\" 不在成绩文件中填写：它由当月培训记录自动计算，请删除此行",
        "training indicator \"{}\" takes no value here: it is computed from the month's training sessions; remove this line",
        id
    )
}

/// How a value made of `rules` is written, for the message of a missing value.
pub(crate) fn written_as(lang: Lang, rules: &[Rule]) -> String {
    if rules.len() > 1 {
        format!("{{{}}}", part_keys(rules).join(": …, ") + ": …")
    } else {
        t!(lang, "数字", "a number")
    }
}

/// The problem of a value of several numbers (indicator `id`) not written as a mapping.
pub(crate) fn not_a_mapping(lang: Lang, id: &str, found: &str) -> String {
    t!(
        lang,
        "指标 \"{}\" 是完成率指标，应写成 {{actual: 实际值, target: 目标值}}，实际是 {}",
        "indicator \"{}\" is a ratio: write {{actual: …, target: …}}, found {}",
        id,
        found
    )
}

/// The allowed keys of each mapping of the data files, in the order they are checked.
pub(crate) mod keys {
    /// A results file.
    pub(crate) const RESULTS_FILE: [&str; 3] = ["month", "note", "results"];
    /// A manager's entry in a results file, besides indicator ids.
    pub(crate) const ENTRY: [&str; 3] = ["bonus", "deductions", "veto"];
    /// A bonus or deduction item.
    pub(crate) const ITEM: [&str; 2] = ["points", "reason"];
    /// A training session.
    pub(crate) const SESSION: [&str; 9] = [
        "id",
        "title",
        "date",
        "kind",
        "topic",
        "hours",
        "instructor",
        "plan",
        "attendees",
    ];
    /// An attendee of a session.
    pub(crate) const ATTENDANCE: [&str; 4] = ["present", "score", "excused", "reason"];
    /// `training-plan.yaml`.
    pub(crate) const PLAN_FILE: [&str; 1] = ["plans"];
    /// An entry of the training plan.
    pub(crate) const PLAN: [&str; 4] = ["id", "month", "title", "kind"];
    /// `managers.yaml`.
    pub(crate) const MANAGERS_FILE: [&str; 2] = ["teams", "managers"];
    /// A team.
    pub(crate) const TEAM: [&str; 2] = ["id", "name"];
    /// A manager.
    pub(crate) const MANAGER: [&str; 7] =
        ["id", "name", "team", "grade", "joined", "left", "email"];
    /// A competition file.
    pub(crate) const COMPETITION: [&str; 4] = ["id", "name", "date", "results"];
    /// A placing of a competition.
    pub(crate) const PLACING: [&str; 4] = ["manager", "place", "prize", "bonus"];
    /// `innovations.yaml`.
    pub(crate) const INNOVATIONS_FILE: [&str; 1] = ["innovations"];
    /// An innovation.
    pub(crate) const INNOVATION: [&str; 6] = ["id", "title", "month", "managers", "grade", "bonus"];
    /// `suggestions.yaml`.
    pub(crate) const SUGGESTIONS_FILE: [&str; 1] = ["suggestions"];
    /// A suggestion.
    pub(crate) const SUGGESTION: [&str; 5] = ["manager", "month", "kind", "text", "adopted"];
    /// A free page's front matter.
    pub(crate) const PAGE: [&str; 2] = ["title", "order"];
}

#[cfg(test)]
mod tests;
