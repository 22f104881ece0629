//! Helpers for the unit tests of validation: feed a small YAML document to a check and read
//! back the problems as `(YAML path, message)`; a small site and roster.

use super::check::V;
use crate::diag::{At, Lang, Problems};
use crate::yaml::{Seg, Value};

/// Parses `yaml`, runs `f` with a checker of it, and returns what `f` returned and the
/// problems found.
pub(super) fn check<T>(
    lang: Lang,
    yaml: &str,
    f: impl FnOnce(&mut V, &Value) -> T,
) -> (T, Vec<(String, String)>) {
    let v = crate::yaml::parse(yaml).expect("the test's YAML parses");
    let mut probs = Problems::default();
    let out = f(&mut V::new(lang, 0, &mut probs), &v);
    (out, problems(&probs))
}

/// The pending problems as `(path, message)`; the path is written `a.b[0].c`, followed by
/// ` (key)` when the problem points at the key.
pub(super) fn problems(p: &Problems) -> Vec<(String, String)> {
    p.pending
        .iter()
        .map(|p| {
            let mut path = String::new();
            for s in &p.path {
                match s {
                    Seg::Key(k) if path.is_empty() => path.push_str(k),
                    Seg::Key(k) => path.push_str(&format!(".{k}")),
                    Seg::Index(i) => path.push_str(&format!("[{i}]")),
                }
            }
            if p.at == At::Key {
                path.push_str(" (key)");
            }
            (path, p.message.clone())
        })
        .collect()
}

/// A small `site.yaml`: a ratio, a percent, a deduct and a training indicator.
pub(super) const SITE: &str = "title: T\nlanguage: en\nindicators:\n  - {id: sales, name: Sales, method: ratio, weight: 60}\n  - {id: sat, name: Satisfaction, method: percent, weight: 30}\n  - {id: complaints, name: Complaints, method: deduct, per_unit: 2}\n  - {id: training, name: Training, method: training, weight: 10}\n";

/// A small `managers.yaml`: two teams, three managers, one of whom left in February 2026.
pub(super) const MANAGERS: &str = "teams:\n  - {id: north, name: North}\n  - {id: south, name: South}\nmanagers:\n  - {id: zhang-wei, name: Zhang Wei, team: north}\n  - {id: li-na, name: Li Na, team: south}\n  - {id: chen-jing, name: Chen Jing, team: south, left: 2026-02-15}\n";

/// [`SITE`] and [`MANAGERS`], checked (they have no problem).
pub(super) fn site() -> (crate::model::Config, Vec<crate::model::Manager>) {
    let (config, p) = check(Lang::En, SITE, |c, v| {
        super::settings::site_config(c, v, None)
    });
    assert_eq!(p, []);
    let (roster, p) = check(Lang::En, MANAGERS, super::roster::roster);
    assert_eq!(p, []);
    (config.unwrap(), roster.unwrap().1)
}

/// Manager ids to their index in `managers`.
pub(super) fn manager_index(
    managers: &[crate::model::Manager],
) -> std::collections::HashMap<String, usize> {
    managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect()
}

/// `[(path, message)]` from string slices, to compare with [`problems`].
pub(super) fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect()
}
