//! The console's whole state. Rendering reads it; only `update` changes it.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::town::Town;
use crate::i18n::{Lang, Msg};
use crate::store::snapshot::{Snapshot, View};

use super::screen::Screen;

/// A message line at the bottom, until the next key.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// What to say.
    pub msg: Msg,
    /// Shown as an error.
    pub error: bool,
}

/// The console's state.
#[derive(Debug, Clone)]
pub struct Model {
    /// Display language.
    pub lang: Lang,
    /// The town's fixed data.
    pub town: Arc<Town>,
    /// Who is at the keyboard.
    pub operator: String,
    /// The clock's last tick.
    pub now: DateTime<Utc>,
    /// The latest data; `None` until the first read.
    pub snapshot: Option<Box<Snapshot>>,
    /// The screen shown.
    pub screen: Screen,
    /// What the store should read.
    pub view: View,
    /// The help overlay is open.
    pub help: bool,
    /// How far the help overlay is scrolled (Up/Down while it is open).
    pub help_scroll: u16,
    /// The furthest useful help scroll, as last drawn (layout feedback).
    pub help_max: std::cell::Cell<u16>,
    /// Asking "quit?" because something is unsaved.
    pub confirm_quit: bool,
    /// A form has unsaved changes.
    pub dirty: bool,
    /// The bottom message line.
    pub status: Option<Status>,
    /// Selected row per screen, indexed by `Screen::index`.
    pub selected: [usize; Screen::COUNT],
    /// The console should exit.
    pub quit: bool,
    /// Styles.
    pub theme: crate::ui::theme::Theme,
    /// Extra key bindings (vim) beside the arrows.
    pub keys: crate::config::KeySet,
    /// Daily report screen state.
    pub report: super::report::ReportUi,
    /// Fleet screen state.
    pub fleet: super::fleet::FleetUi,
    /// Escalations screen state.
    pub escalations: super::escalations::EscalationsUi,
    /// Shift log screen state.
    pub shiftlog: super::shiftlog::ShiftlogUi,
    /// Key populations screen state.
    pub people: super::people::PeopleUi,
    /// Choosing who is at the keyboard (at start, or switching with `W`); owns the keys.
    pub login: Option<super::login::LoginUi>,
    /// Where clickable things were last drawn.
    pub hits: super::hits::Hits,
    /// The town popup and its edit forms.
    pub town_ui: super::town::TownUi,
    /// The audit chain's state and the duty leaders' audit view.
    pub audit: super::audit::AuditUi,
    /// The terminal's size when last drawn or resized (unknown before the first draw);
    /// below the minimum, keys are ignored (see `app::small`).
    pub area: std::cell::Cell<Option<(u16, u16)>>,
    /// The staff as picker entries, built once per town (`Model::people_entries`).
    pub staff_entries: super::picker::StaffEntries,
}

impl Model {
    /// A model before the first read.
    pub fn new(lang: Lang, town: Arc<Town>, operator: String, now: DateTime<Utc>) -> Model {
        Model {
            lang,
            town,
            operator,
            now,
            snapshot: None,
            screen: Screen::Overview,
            view: View::default(),
            help: false,
            help_scroll: 0,
            help_max: std::cell::Cell::new(0),
            confirm_quit: false,
            dirty: false,
            status: None,
            selected: [0; Screen::COUNT],
            quit: false,
            theme: crate::ui::theme::Theme::default(),
            keys: crate::config::KeySet::default(),
            report: Default::default(),
            fleet: Default::default(),
            escalations: super::escalations::EscalationsUi::new(now),
            shiftlog: Default::default(),
            people: Default::default(),
            login: None,
            hits: Default::default(),
            town_ui: Default::default(),
            audit: Default::default(),
            area: std::cell::Cell::new(None),
            staff_entries: Default::default(),
        }
    }

    /// The town's staff as entries of a people chooser, built once per town.
    pub fn people_entries(&self) -> Arc<[super::picker::Entry]> {
        self.staff_entries.get(&self.town)
    }

    /// The theme in use.
    pub fn theme(&self) -> crate::ui::theme::Theme {
        self.theme
    }

    /// True while the current screen's form or popup owns the keyboard.
    pub fn modal(&self) -> bool {
        self.town_ui.modal() || self.screen.logic().modal(self)
    }

    /// Puts a message on the status line; an error also rings the bell.
    pub fn say(&mut self, msg: Msg, error: bool) -> Vec<super::Effect> {
        self.status = Some(Status { msg, error });
        if error {
            vec![super::Effect::Bell]
        } else {
            Vec::new()
        }
    }

    /// A string from the catalogue in the console's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.lang.t(key)
    }
}
