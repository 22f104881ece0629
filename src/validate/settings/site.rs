//! The root of `site.yaml` and its plain blocks (`watch`, `training`, `suggestions`,
//! `annual`): one line per setting, with its key, type, rule and default.
use super::{bulletin, indicators, policy, Block, Choice};
use crate::diag::{t, Lang};
use crate::model::Config;
use crate::validate::check::{Range, P, V};
use crate::yaml::Value;

/// Reads `site.yaml` (`v`, its text `text`) into its [`Config`]; `None` when the file cannot
/// give one (not a mapping, no title, a wrong theme), every problem reported.
///
/// The keys of a block are allowed in the order they are read here, which is the order the
/// messages list them in: a new setting goes where it should be listed.
pub(in crate::validate) fn site_config(c: &mut V, v: &Value, text: Option<&str>) -> Option<Config> {
    let lang = c.lang;
    let what = t!(lang, "site.yaml 的内容", "site.yaml");
    if v.as_mapping().is_none() {
        c.map(P::ROOT, v, &[], &what);
        return None;
    }
    let root = Block::new(P::ROOT, Some(v), text, &what);
    let title = root.required_text(c, "title");
    let organization = root.text(c, "organization");
    let language = match root.choice(
        c,
        "language",
        &[("zh-CN", Lang::Zh), ("en", Lang::En)],
        |c, v| {
            t!(
                c.lang,
                "\"language\" 应为 zh-CN 或 en，实际是 {}",
                "\"language\" must be zh-CN or en, found {}",
                c.describe(v)
            )
        },
    ) {
        Choice::Is(language) => language,
        Choice::Absent | Choice::Wrong => Lang::Zh,
    };
    let theme = match root.value("theme") {
        None => Some("default".to_string()),
        Some(v) => c.id_value(root.at("theme"), v, "theme"),
    };
    let base_url = root.text(c, "base_url");
    if let Some(u) = &base_url {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            c.err(
                root.at("base_url"),
                t!(
                    lang,
                    "\"base_url\" 应为网站的完整地址，以 http:// 或 https:// 开头，实际是 \"{}\"",
                    "\"base_url\" must be the site's absolute URL starting with http:// or https://, found \"{}\"",
                    u
                ),
            );
        }
    }
    let indicators = indicators::indicators(c, &root);
    let awards = indicators::awards(c, &root, &indicators);

    let watch = root.block("watch");
    let training = root.block("training");
    let suggestions = root.block("suggestions");
    let annual = root.block("annual");
    let bulletin = root.block("bulletin");
    let complete = title.is_some() && theme.is_some();
    let config = Config {
        title: title.unwrap_or_default(),
        organization,
        language,
        theme: theme.unwrap_or_default(),
        base_url,
        indicators,
        awards,
        watch_bottom: watch.int(c, "bottom", 0).unwrap_or(3) as usize,
        pass_mark: (training.num(c, "pass_mark", Range::Between(0.0, 100.0))).unwrap_or(60.0),
        bonus_per_adopted: (suggestions.num(c, "bonus_per_adopted", Range::AtLeast(0.0)))
            .unwrap_or(0.0),
        excellence_top: annual.int(c, "excellence_top", 0).unwrap_or(3) as usize,
        min_months: annual.int(c, "min_months", 1).unwrap_or(1) as usize,
        bulletin: bulletin::bulletin(c, &bulletin),
        font: bulletin.text(c, "font"),
        policy: policy::policy(c, &root, &watch, &annual),
    };
    for block in [watch, training, suggestions, annual, bulletin] {
        block.finish(c);
    }
    root.finish(c);
    complete.then_some(config)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{check, expect, SITE};
    use super::*;

    #[test]
    fn a_small_site_is_clean() {
        let (c, p) = check(Lang::En, SITE, |c, v| site_config(c, v, None));
        assert_eq!(p, []);
        let c = c.unwrap();
        assert_eq!(c.indicators.len(), 4);
        assert_eq!(
            (c.watch_bottom, c.pass_mark, c.language),
            (3, 60.0, Lang::En)
        );
    }

    /// Every plain setting's default, and each read when written.
    #[test]
    fn plain_settings_and_their_defaults() {
        let (c, p) = check(Lang::En, SITE, |c, v| site_config(c, v, None));
        assert_eq!(p, []);
        let c = c.unwrap();
        assert_eq!(c.theme, "default");
        assert_eq!((c.watch_bottom, c.excellence_top, c.min_months), (3, 3, 1));
        assert_eq!((c.pass_mark, c.bonus_per_adopted), (60.0, 0.0));
        assert_eq!(c.policy.escalate_after, 0);
        assert!(c.bulletin.is_none() && c.font.is_none());
        let yaml = format!(
            "{SITE}theme: dark\nwatch: {{bottom: 5, escalate_after: 2}}\ntraining: {{pass_mark: 70}}\nsuggestions: {{bonus_per_adopted: 0.5}}\nannual: {{excellence_top: 4, min_months: 6}}\nbulletin: {{font: f.ttf}}\n"
        );
        let (c, p) = check(Lang::En, &yaml, |c, v| site_config(c, v, None));
        assert_eq!(
            p,
            expect(&[(
                "bulletin.from",
                "missing required key \"from\" (expected text)"
            )])
        );
        let c = c.unwrap();
        assert_eq!(c.theme, "dark");
        assert_eq!((c.watch_bottom, c.excellence_top, c.min_months), (5, 4, 6));
        assert_eq!((c.pass_mark, c.bonus_per_adopted), (70.0, 0.5));
        assert_eq!(c.policy.escalate_after, 2);
        assert_eq!(c.font.as_deref(), Some("f.ttf"));
    }

    /// The allowed keys are listed in the order the reader reads them, which is the order of
    /// the contract; an unknown key is reported at the key with a suggestion.
    #[test]
    fn unknown_keys_list_the_allowed_ones_in_order() {
        let yaml = format!("{SITE}watch: {{bottm: 1}}\nannual: {{min_month: 2}}\nrating: []\n");
        let (_, p) = check(Lang::En, &yaml, |c, v| site_config(c, v, None));
        assert_eq!(
            p,
            expect(&[
                ("watch.bottm (key)", "unknown key \"bottm\" (did you mean \"bottom\"?); allowed here: bottom, escalate_after"),
                ("annual.min_month (key)", "unknown key \"min_month\" (did you mean \"min_months\"?); allowed here: excellence_top, min_months, promotion_months, demotion_months"),
                ("rating (key)", "unknown key \"rating\" (did you mean \"ratings\"?); allowed here: title, organization, language, theme, base_url, indicators, awards, watch, training, suggestions, annual, bulletin, ratings, pay, grades"),
            ])
        );
    }

    /// A `site.yaml` that is not a mapping (or is empty) gives no configuration.
    #[test]
    fn not_a_mapping() {
        let (c, p) = check(Lang::En, "~\n", |c, v| site_config(c, v, None));
        assert!(c.is_none());
        assert_eq!(
            p,
            expect(&[(
                "",
                "site.yaml must be a mapping (key: value), found null (an empty value)"
            )])
        );
    }
}
