//! Tests of the console without a terminal: the reducer driven with `common::key`, screens
//! drawn to a `TestBackend` with `common::render` and compared with insta snapshots
//! (`tests/console/snapshots/`). One test binary: `cargo test --test console`.
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;

mod access_console;
mod alerts_console;
mod banner_keys_19;
mod blind_keys;
mod columns_19;
mod columns_19r2;
mod console_audit;
mod console_log_pages;
mod console_shift_boundary;
mod console_shiftlog;
mod console_town;
mod escalations_console;
mod hostile_keys;
mod input_19;
mod keymap_19;
mod keymap_forms_19;
mod mouse;
mod paste_19m;
mod people_console;
mod people_isp;
mod people_keys_19;
mod people_pick_19;
mod refused_before_the_work;
mod report_form_input_19;
mod report_screen;
mod roster_find_19r1;
mod roster_pick_19m;
mod selection_stays;
mod shiftlog_19;
mod snapshots_shell;
mod themes;
mod typing_is_kept;
mod ui_fleet;
mod vim_keys;
