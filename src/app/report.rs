//! Console behaviour of the Daily report (screen 2): its UI state, its keys and its writes.

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use super::model::{Model, Status};
use crate::i18n::Msg;
use crate::store::town::Town;
use crate::store::{Ctx, Store};

/// What the screen remembers between frames (selection, open form, filters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportUi {}

impl ReportUi {
    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        false
    }
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    match k.code {
        KeyCode::Left | KeyCode::Char('[') => Some(change_day(m, -1)),
        KeyCode::Right | KeyCode::Char(']') => Some(change_day(m, 1)),
        KeyCode::Char('t') => {
            m.view.report_date = None;
            Some(vec![Effect::Reload(m.view)])
        }
        _ => None,
    }
}

/// Moves the report screen by `days`, never past today.
pub fn change_day(m: &mut Model, days: i64) -> Vec<Effect> {
    let Some(s) = &m.snapshot else {
        return Vec::new();
    };
    let target = s.report_date + Duration::days(days);
    if target > s.today {
        m.status = Some(Status {
            msg: crate::i18n::Msg::new("status.no_future_day"),
            error: true,
        });
        return Vec::new();
    }
    m.view.report_date = if target == s.today {
        None
    } else {
        Some(target)
    };
    vec![Effect::Reload(m.view)]
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportWrite {}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(_store: &mut Store, _town: &Town, _ctx: &Ctx, w: ReportWrite) -> Result<Msg, Msg> {
    match w {}
}
