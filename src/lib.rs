//! rankpress turns YAML data on a team of customer managers into a static site of monthly
//! rankings and training summaries, and into monthly email bulletins.
//!
//! A command opens the site once ([`project::Project`]: `site.yaml`, language, theme, paths),
//! then the pipeline runs one way — [`load`] → [`validate`] → compute ([`score`], [`training`],
//! with the git [`history`] read before) → [`render`] → write ([`output`]); [`site::build`]
//! strings the steps together. The commands live in [`cmd`], one file each.
//!
//! Modules that only the crate uses are `pub(crate)` (`bulletin`, `charts`, `output`, `validate`
//! and `workflow` still export items the crate does not use); the documentation that links to
//! them is read with `cargo doc --document-private-items`.

#![allow(rustdoc::private_intra_doc_links)]

pub mod bulletin;
pub(crate) mod cache;
pub mod charts;
pub mod cmd;
pub mod compute;
pub mod confidential;
pub mod decimal;
pub mod diag;
pub mod error;
pub mod exports;
pub(crate) mod fsutil;
pub mod history;
pub(crate) mod load;
pub(crate) mod markdown;
pub mod model;
pub mod month;
pub mod output;
pub(crate) mod pages;
pub(crate) mod pause;
pub mod pay;
pub(crate) mod payroll;
pub mod present;
pub(crate) mod progress;
pub mod project;
pub(crate) mod render;
pub mod score;
pub(crate) mod send;
pub mod site;
pub mod text;
pub mod theme;
pub mod training;
pub mod validate;
pub mod workflow;
pub(crate) mod yaml;
