//! Tests of the store on temp-file databases: writes and their audit rows, rules, the
//! shift log, scale shortcuts, honest time, races and crashes between processes, and the
//! parsers under hostile input. One test binary: `cargo test --test store`.
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;

mod concurrency_dispatch;
mod concurrency_race;
mod crash_safety;
mod hostile_input;
mod range_scale;
mod store_alerts;
mod store_audit;
mod store_core;
mod store_fleet;
mod store_import_memory;
mod store_log_lines_19;
mod store_log_pages;
mod store_open_shift_window;
mod store_people;
mod store_people_isp;
mod store_perf_18q;
mod store_report_carry;
mod store_report_honesty;
mod store_rules;
mod store_rules_gate;
mod store_scale;
mod store_shift_boundary;
mod store_shiftlog;
mod time_order;
