//! The audit log in the console: a warning banner on every screen while the hash chain is
//! broken, and the audit view for duty leaders (a popup opened with `A` on the Shift log
//! screen: who did what, newest first). The chain is checked on the store thread
//! ([`Watch`]): in full at start, incrementally after each change, and again in slices
//! every ten minutes (an edit of an old row).

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};

use super::model::Model;
use super::{Action, Effect};
use crate::domain::audit_chain::AuditRow;
use crate::domain::audit_chain::Walker;
use crate::domain::town::Role;
use crate::i18n::Msg;
use crate::store::Store;
use crate::store::audit::{self, Filter};

/// How many of the newest rows the audit view reads.
pub const VIEW_ROWS: i64 = 500;

/// How often the whole chain is checked again (an edit of an old row is found then).
const FULL_CHECK: Duration = Duration::from_secs(600);

/// The audit view's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditUi {
    /// The view is open (it owns the keys).
    pub open: bool,
    /// The newest rows, newest first (while open).
    pub rows: Vec<AuditRow>,
    /// Selected row.
    pub selected: usize,
    /// What broke the chain, when it is broken (the banner).
    pub broken: Option<Msg>,
}

/// Opens the view: duty leaders only (the supervision view); others are told why.
pub fn open(m: &mut Model) -> Vec<Effect> {
    if crate::app::access::role(m) != Some(Role::DutyLeader) {
        return m.say(Msg::new("operators.console.leaders_only"), true);
    }
    m.audit.open = true;
    m.audit.selected = 0;
    m.view.audit = true;
    vec![Effect::Reload(m.view)]
}

fn close(m: &mut Model) -> Vec<Effect> {
    m.audit.open = false;
    m.audit.rows.clear();
    m.view.audit = false;
    Vec::new()
}

/// Keys while the view is open.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let n = m.audit.rows.len();
    let sel = &mut m.audit.selected;
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('A') => return close(m),
        KeyCode::Up | KeyCode::Char('k') => *sel = sel.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => *sel = (*sel + 1).min(n.saturating_sub(1)),
        KeyCode::PageUp => *sel = sel.saturating_sub(10),
        KeyCode::PageDown => *sel = (*sel + 10).min(n.saturating_sub(1)),
        KeyCode::Home => *sel = 0,
        KeyCode::End => *sel = n.saturating_sub(1),
        _ => {}
    }
    Vec::new()
}

/// The store thread's news: the chain's state, and the rows while the view is open.
pub fn on_checked(m: &mut Model, broken: Option<Msg>, rows: Option<Vec<AuditRow>>) -> Vec<Effect> {
    let newly_broken = broken.is_some() && m.audit.broken.is_none();
    m.audit.broken = broken;
    if let Some(rows) = rows
        && m.audit.open
    {
        m.audit.selected = m.audit.selected.min(rows.len().saturating_sub(1));
        m.audit.rows = rows;
    }
    if newly_broken {
        vec![Effect::Bell]
    } else {
        Vec::new()
    }
}

/// The store thread's side. After each change the rows since the last good one are
/// checked (the whole log the first time); every [`FULL_CHECK`] the whole log is walked
/// again, [`SLICE`] rows per pass, so an edit of an old row is found without holding the
/// store thread for long on a big log.
#[derive(Debug, Default)]
pub struct Watch {
    tip: Walker,
    rescan: Option<Walker>,
    next_rescan: Option<Instant>,
    broken: Option<Msg>,
}

/// Rows per pass of the periodic re-check.
pub const SLICE: i64 = 20_000;

impl Watch {
    /// After a reload: checks the new rows (and the guard triggers), and reads the view's
    /// rows when it is open.
    pub fn after_reload(&mut self, store: &Store, view_open: bool) -> Action {
        if self.next_rescan.is_none() {
            self.next_rescan = Some(Instant::now() + FULL_CHECK);
        }
        match audit::check_from(store.conn(), self.tip.clone()) {
            Ok(check) => {
                // the tip stays at the last good row, so a break keeps being reported
                self.tip = check.walker;
                if let Some(f) = check.fault {
                    self.broken = Some(f.msg());
                }
            }
            Err(e) => tracing::warn!("audit check: {e}"),
        }
        let rows = view_open.then(|| {
            audit::list(
                store.conn(),
                &Filter {
                    limit: Some(VIEW_ROWS),
                    ..Filter::default()
                },
            )
            .map(|mut r| {
                r.reverse();
                r
            })
            .unwrap_or_else(|e| {
                tracing::warn!("audit rows: {e}");
                Vec::new()
            })
        });
        Action::AuditChecked(self.broken.clone(), rows)
    }

    /// Between reloads: one slice of the periodic re-check when it is due; an action only
    /// when it found the chain broken.
    pub fn tick(&mut self, store: &Store) -> Option<Action> {
        if self.broken.is_some() {
            return None;
        }
        if self.rescan.is_none() {
            if self.next_rescan.is_none_or(|t| Instant::now() < t) {
                return None;
            }
            self.rescan = Some(Walker::default());
        }
        let from = self.rescan.take().unwrap_or_default();
        match audit::check_some(store.conn(), from, SLICE) {
            Ok((check, done)) => {
                if let Some(f) = check.fault {
                    self.broken = Some(f.msg());
                    return Some(Action::AuditChecked(self.broken.clone(), None));
                }
                if done {
                    self.next_rescan = Some(Instant::now() + FULL_CHECK);
                } else {
                    self.rescan = Some(check.walker);
                }
            }
            Err(e) => tracing::warn!("audit re-check: {e}"),
        }
        None
    }

    /// Starts the periodic re-check now (tests; a supervisor's "check again").
    pub fn rescan_now(&mut self) {
        self.next_rescan = Some(Instant::now());
        self.rescan = None;
    }
}
