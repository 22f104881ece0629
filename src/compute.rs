//! The compute phase: everything derived from a validated site, by pure functions of
//! [`Site`] (scores and rating levels, training summaries), ready for pages, exports and
//! bulletins. No I/O here; the corrections read from git are added by the build.

use crate::model::Site;
use crate::score::{self, Scores};
use crate::training::{self, Summary};

/// Everything computed from a site, ready to render.
pub struct Computed {
    /// Rankings and annual evaluations.
    pub scores: Scores,
    /// Training summaries of every month and year with sessions or plan entries.
    pub training: Vec<Summary>,
    /// Corrections of each results month from the data's git history (empty without git);
    /// filled in by [`crate::site::build`], not by [`compute`], which reads no files.
    pub corrections: std::collections::BTreeMap<String, Vec<crate::history::Correction>>,
}

/// Runs the pure computations.
pub fn compute(site: &Site) -> Computed {
    let (scores, training) = rayon::join(|| score::compute(site), || training::summaries(site));
    Computed {
        scores,
        training,
        corrections: Default::default(),
    }
}
