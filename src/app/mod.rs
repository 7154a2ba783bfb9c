//! The console's state machine: the [`Model`], one [`Action`] enum, one `update`
//! reducer returning [`Effect`]s, and the event loop that feeds it.
//!
//! ```text
//! keys/mouse/resize ─┐                      ┌─> ui::draw(&Model)
//! clock tick ────────┼─> Action ─> update ──┤
//! store changed ─────┘                      └─> Effect ─> store thread ─> Action
//! ```

pub mod access;
pub mod actor;
pub mod alerts;
pub mod audit;
pub mod escalations;
pub mod fleet;
pub mod hits;
pub mod input;
pub mod keymap;
pub mod login;
pub mod model;
pub mod overview;
pub mod people;
pub mod picker;
pub mod report;
pub mod runtime;
pub mod screen;
pub mod shiftlog;
pub mod small;
pub mod town;
pub mod update;

pub use model::Model;
pub use screen::Screen;
pub use update::update;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::i18n::Msg;
use crate::store::snapshot::{Snapshot, View};

/// Everything that can happen to the console.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse was used.
    Mouse(MouseEvent),
    /// Text was pasted (bracketed paste): it goes into the open form's field, a line
    /// break never pressing Enter.
    Paste(String),
    /// The terminal changed size.
    Resize(u16, u16),
    /// The clock ticked (once a second).
    Tick(DateTime<Utc>),
    /// The store read a fresh snapshot (after a write, a view change, or another process's write).
    Loaded(Box<Snapshot>),
    /// A write finished: what to tell the operator.
    WriteDone(std::result::Result<Msg, Msg>),
    /// The store failed to read.
    LoadFailed(Msg),
    /// The store thread checked a login attempt for `name`.
    LoginChecked(String, crate::store::staff::Login),
    /// The store thread checked the audit chain: what broke it (if it is broken), and the
    /// audit view's rows when it is open.
    AuditChecked(
        Option<Msg>,
        Option<Vec<crate::domain::audit_chain::AuditRow>>,
    ),
}

/// A write the console asks the store thread to make; each screen owns its variants.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteCmd {
    /// Daily report writes.
    Report(report::ReportWrite),
    /// Fleet and dispatch writes.
    Fleet(fleet::FleetWrite),
    /// Escalation and stock writes.
    Escalations(escalations::EscalationsWrite),
    /// Shift log and handover writes.
    Shiftlog(shiftlog::ShiftlogWrite),
    /// The town after init: surge, in-place edits.
    Town(town::TownWrite),
    /// Key-population contacts.
    People(people::PeopleWrite),
}

/// Something `update` wants done outside the pure model.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read a fresh snapshot for this view.
    Reload(View),
    /// Make a write, then reload.
    Write(WriteCmd, View),
    /// Ring the terminal bell.
    Bell,
    /// Send a desktop notification (best effort).
    Notify {
        /// Summary line.
        summary: String,
        /// Body.
        body: String,
    },
    /// Check a login on the store thread (the PIN, when the person has one).
    Login {
        /// Who.
        name: String,
        /// The PIN typed, once asked for.
        pin: Option<login::Pin>,
    },
    /// Leave the console.
    Quit,
}
