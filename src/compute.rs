//! The compute phase: everything derived from a validated site, by pure functions of
//! [`Site`] and the data's git history (scores and rating levels, training summaries,
//! corrections), ready for pages, exports and bulletins. No I/O here: the history is read
//! before, by [`crate::project::Project::history`], and passed in.

use crate::history::Corrections;
use crate::model::Site;
use crate::score::{self, Scores};
use crate::training::{self, Summary};

/// Everything computed from a site, ready to render.
pub struct Computed {
    /// Rankings and annual evaluations.
    pub scores: Scores,
    /// Training summaries of every month and year with sessions or plan entries.
    pub training: Vec<Summary>,
    /// Corrections of each results month from the data's git history (empty without git),
    /// as passed to [`compute`].
    pub corrections: Corrections,
}

/// Runs the pure computations on `site`, with the `corrections` read from its history (none
/// where they are not shown: bulletins, `diff`).
pub fn compute(site: &Site, corrections: Corrections) -> Computed {
    let (scores, training) = rayon::join(|| score::compute(site), || training::summaries(site));
    Computed {
        scores,
        training,
        corrections,
    }
}

/// As [`compute`], taking from `earlier` (computed for an earlier version of the site) what
/// the change did not touch: the score of month `i` when `same_month[i]` (its results file and
/// index, and every other input but the other results files, are the same; see
/// [`score::compute_reusing`]), and the training summaries when `same_training` (the training
/// sessions, the plan, the roster and `site.yaml` are the same).
pub fn compute_reusing(
    site: &Site,
    corrections: Corrections,
    earlier: &Computed,
    same_month: &[bool],
    same_training: bool,
) -> Computed {
    let (scores, training) = rayon::join(
        || {
            score::compute_reusing(site, |i| {
                same_month
                    .get(i)
                    .copied()
                    .unwrap_or(false)
                    .then(|| earlier.scores.months.get(i).cloned())
                    .flatten()
            })
        },
        || match same_training {
            true => earlier.training.clone(),
            false => training::summaries(site),
        },
    );
    Computed {
        scores,
        training,
        corrections,
    }
}
