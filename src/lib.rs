//! rankpress turns YAML data on a team of customer managers into a static site of monthly
//! rankings and training summaries, and into monthly email bulletins.
//!
//! The pipeline runs one way — [`load`] → [`validate`] → compute ([`score`], [`training`]) →
//! [`render`] → write ([`output`]) — and [`site::build`] strings the phases together.

pub mod bulletin;
pub mod cache;
pub mod charts;
pub mod cli;
pub mod compute;
pub mod decimal;
pub mod diag;
pub mod error;
pub mod exit;
pub mod export;
pub mod fsutil;
pub mod history;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod pay;
pub mod payroll;
pub mod present;
pub mod progress;
pub mod render;
pub mod score;
pub mod send;
pub mod site;
pub mod text;
pub mod theme;
pub mod training;
pub mod validate;
pub mod workflow;
pub mod yaml;
