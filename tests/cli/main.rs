//! Tests of the command line: the real `duty-desk` binary run through `common::cli`
//! (fixed clock, English, the duty leader), its JSON and text contracts, exit codes,
//! permissions and the files it reads and writes. One test binary: `cargo test --test cli`.
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;

mod access_cli;
mod bounds;
mod cli_alerts;
mod cli_capacity;
mod cli_county;
mod cli_daily_honest;
mod cli_dates;
mod cli_escalations;
mod cli_fleet;
mod cli_handover;
mod cli_init;
mod cli_open;
mod cli_operators;
mod cli_people;
mod cli_people_isp;
mod cli_reports;
mod cli_settings;
mod cli_shiftlog;
mod cli_steps_19;
mod cli_streamed_lists;
mod cli_text_19;
mod cli_town;
mod hostile_text;
mod privacy;
