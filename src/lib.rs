//! duty-desk: a terminal console for a rural township's 24-hour epidemic duty desk.
//!
//! `ARCHITECTURE.md` at the repository root explains the layers, the event loop, the
//! store's write rule and where each kind of change goes; `CONTRIBUTING.md` how to build,
//! test and benchmark. The map of the crate:
//!
//! - [`domain`]: plain types and rules, no I/O.
//! - [`store`]: the only place with SQL; every write one audited `BEGIN IMMEDIATE` transaction.
//! - [`app`]: the Model, one `Action` enum, one `update` reducer, the event loop.
//! - [`ui`]: pure rendering of the Model, one module per screen.
//! - [`cli`]: the non-interactive commands.
//! - [`i18n`]: the string catalogue (`en`, `zh-CN`).
//!
//! Who may do what is one policy, `domain::roles::check_operator`, applied three times:
//! `cli::access` before a command runs, `app::access::guard` before the console sends a
//! write, and `Writer::permit` inside every write transaction.
// no panics on the duty desk (unit tests may unwrap); `unsafe` and the pedantic lints are
// set for every target in Cargo.toml `[lints]`
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod logging;
pub mod notify;
pub mod store;
pub mod ui;

#[cfg(test)]
mod layer_rules;
pub mod watch;
