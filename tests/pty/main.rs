//! End-to-end journeys: the real binary in a pseudo-terminal (`common::pty::Pty`), alone or
//! beside command-line writers and watchers, and desktop notifications with and without a
//! D-Bus session. One test binary: `cargo test --test pty`.
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;

mod console_shell;
mod e2e_alerts;
mod e2e_fleet;
mod e2e_form_keys_19r1;
mod e2e_handover;
mod e2e_keys_19;
mod e2e_login;
mod e2e_operators;
mod e2e_people;
mod e2e_report;
mod e2e_shift;
mod e2e_town;
mod escalations_journey;
mod notify_dbus;
mod notify_no_bus;
