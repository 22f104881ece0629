//! Rating levels (考核等次) with quotas and minimums, escalation of repeated watch-list places,
//! and the annual promotion and demotion candidates (contract §10). Pure functions of scored
//! data; no I/O.

use super::{AnnualRow, MonthScore};
use crate::model::{Rating, Site};

/// One pool member for [`assign_levels`]: the month's total in hundredths, its total as a
/// double (compared with a level's `min`), and whether it has a veto.
#[derive(Clone, Copy, Debug)]
pub struct Ranked {
    /// Total in whole hundredths.
    pub cents: i64,
    /// Total (round2).
    pub total: f64,
    /// Has a veto (一票否决).
    pub veto: bool,
}

/// The level (index into `ratings`) of each ranked manager of a month, given in ranking order
/// (rank, then id), exactly as §10 assigns them; empty when there are no levels.
pub fn assign_levels(ratings: &[Rating], ranked: &[Ranked]) -> Vec<usize> {
    let Some(last) = ratings.len().checked_sub(1) else {
        return Vec::new();
    };
    let n = ranked.len() as i128;
    let mut level = vec![last; ranked.len()];
    // The pool: members without a veto, in ranking order.
    let mut pool: Vec<usize> = (0..ranked.len()).filter(|&i| !ranked[i].veto).collect();
    for (li, r) in ratings[..last].iter().enumerate() {
        let cands: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| r.min.is_none_or(|m| ranked[i].total >= m))
            .collect();
        let got: Vec<usize> = match r.quota {
            None => cands,
            Some(q) => {
                // k = ⌊n × q / 100⌋ with q = units / 10^scale, exactly.
                let k = (n * q.units / (100 * 10i128.pow(q.scale))) as usize;
                if k == 0 {
                    Vec::new()
                } else if cands.len() <= k {
                    cands
                } else {
                    let threshold = ranked[cands[k - 1]].cents;
                    cands
                        .into_iter()
                        .filter(|&i| ranked[i].cents >= threshold)
                        .collect()
                }
            }
        };
        let mut taken = vec![false; ranked.len()];
        for &i in &got {
            level[i] = li;
            taken[i] = true;
        }
        pool.retain(|&i| !taken[i]);
    }
    level
}

/// Sets each month's escalated managers: those on the watch list for at least `after`
/// consecutive results months up to it (0: off), ordered like the watch list.
pub fn escalate(months: &mut [MonthScore], managers: usize, after: usize) {
    let mut streak = vec![0u32; managers];
    for ms in months {
        let mut next = vec![0u32; managers];
        for &m in &ms.watch {
            next[m] = streak[m] + 1;
        }
        streak = next;
        ms.escalated = if after == 0 {
            Vec::new()
        } else {
            ms.watch
                .iter()
                .filter(|&&m| streak[m] as usize >= after)
                .map(|&m| (m, streak[m]))
                .collect()
        };
    }
}

/// A promotion or demotion candidate with the grade step proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the manager.
    pub manager: usize,
    /// The manager's grade (with a ladder and a grade).
    pub from: Option<String>,
    /// The next grade up (promotion) or down (demotion); `None` past the ladder's end.
    pub to: Option<String>,
}

/// The promotion and demotion candidates of a year, from its rows (in annual rank, id order).
pub fn candidates(site: &Site, rows: &[AnnualRow]) -> (Vec<Candidate>, Vec<Candidate>) {
    let pol = &site.config.policy;
    let (p, d) = (pol.promotion_months, pol.demotion_months);
    if pol.ratings.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let last = pol.ratings.len() - 1;
    let step = |manager: usize, up: bool| {
        let grade = site.managers[manager].grade.as_ref();
        let at = grade.and_then(|g| pol.grades.iter().position(|x| x == g));
        match at {
            Some(i) => Candidate {
                manager,
                from: Some(pol.grades[i].clone()),
                to: if up {
                    pol.grades.get(i + 1).cloned()
                } else {
                    i.checked_sub(1).map(|j| pol.grades[j].clone())
                },
            },
            None => Candidate {
                manager,
                from: None,
                to: None,
            },
        }
    };
    let promotion = if p == 0 {
        Vec::new()
    } else {
        rows.iter()
            .filter(|r| r.ratings[0] >= p && r.vetoes == 0 && (d == 0 || r.ratings[last] < d))
            .map(|r| step(r.manager, true))
            .collect()
    };
    let demotion = if d == 0 {
        Vec::new()
    } else {
        rows.iter()
            .filter(|r| r.ratings[last] >= d)
            .map(|r| step(r.manager, false))
            .collect()
    };
    (promotion, demotion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::Decimal;

    fn level(id: &str, quota: Option<&str>, min: Option<f64>) -> Rating {
        Rating {
            id: id.into(),
            name: id.into(),
            quota: quota.map(|q| Decimal::parse(q).unwrap()),
            min,
            coefficient: Decimal::int(1),
        }
    }

    fn ranked(totals: &[f64]) -> Vec<Ranked> {
        totals
            .iter()
            .map(|&t| Ranked {
                cents: (t * 100.0).round() as i64,
                total: t,
                veto: false,
            })
            .collect()
    }

    #[test]
    fn quotas_ties_minimums_and_vetoes() {
        let levels = [
            level("a", Some("20"), None),
            level("b", Some("30"), Some(90.0)),
            level("c", None, Some(75.0)),
            level("d", None, None),
        ];
        // n = 10: k(a) = 2, k(b) = 3; a tie at a's boundary takes three.
        let mut r = ranked(&[99.0, 98.0, 98.0, 95.0, 91.0, 90.0, 89.0, 80.0, 74.0, 0.0]);
        r[9].veto = true;
        assert_eq!(
            assign_levels(&levels, &r),
            vec![0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
        );
        // k = ⌊5 × 12.5 / 100⌋ = 0: nobody gets the level.
        let few = [level("a", Some("12.5"), None), level("z", None, None)];
        assert_eq!(
            assign_levels(&few, &ranked(&[9.0, 8.0, 7.0, 6.0, 5.0])),
            vec![1; 5]
        );
        // k = ⌊8 × 12.5 / 100⌋ = 1, exactly (no float rounding).
        assert_eq!(assign_levels(&few, &ranked(&[9.0; 8])), vec![0; 8]);
        assert_eq!(
            assign_levels(&few, &ranked(&[9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0]))[..2],
            [0, 1]
        );
    }
}
