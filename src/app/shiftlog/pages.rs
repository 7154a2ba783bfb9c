//! Moving through a shift's log longer than the window the console reads (issue 18).
//!
//! The snapshot holds one window of at most `LOG_WINDOW` entries (`View::log_page`: the
//! newest unless paged). When the selection would leave the window at its oldest entry
//! (Up, PgUp) or at its newest while newer ones exist (Down, PgDn), the next page is asked
//! for, half a window further, keyed on an entry (no OFFSET); Home asks for the oldest
//! page and End for the newest. The move is made once that page has arrived. Only one
//! window is ever held, so memory stays bounded however long the shift.

use crossterm::event::KeyCode;

use super::super::Effect;
use super::super::model::Model;
use super::super::screen::Screen;
use crate::store::shiftlog::LogPage;
use crate::store::snapshot::{LOG_WINDOW, Snapshot};

/// Where the selection goes once a requested page has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goto {
    /// The first entry of the page.
    First,
    /// The last entry of the page.
    Last,
    /// This entry, moved by this many rows.
    From(i64, isize),
}

/// How far a page moves: half a window, so the rows around the selection stay in view.
const HALF: usize = LOG_WINDOW / 2;

/// Moves the log's selection by `code` (arrows, PgUp/PgDn, Home/End), asking for another
/// page when the move leaves the window; `None` for other keys.
pub fn nav(m: &mut Model, code: KeyCode) -> Option<Vec<Effect>> {
    let step: isize = match code {
        KeyCode::Up => -1,
        KeyCode::Down => 1,
        KeyCode::PageUp => -10,
        KeyCode::PageDown => 10,
        KeyCode::Home | KeyCode::End => 0,
        _ => return None,
    };
    let Some(s) = m.snapshot.as_deref() else {
        return Some(Vec::new());
    };
    let n = s.log.len();
    let i = Screen::Shiftlog.index();
    let sel = m.selected[i].min(n.saturating_sub(1));
    let request = match code {
        KeyCode::Home if s.log_older > 0 => Some((LogPage::Oldest, Goto::First)),
        KeyCode::End if s.log_newer() > 0 => Some((LogPage::Newest, Goto::Last)),
        KeyCode::Home | KeyCode::End => None,
        _ if step < 0 && sel < step.unsigned_abs() && s.log_older > 0 => {
            older(s).map(|p| (p, Goto::From(s.log[sel].id, step)))
        }
        _ if step > 0 && sel + step.unsigned_abs() >= n && s.log_newer() > 0 => {
            newer(s).map(|p| (p, Goto::From(s.log[sel].id, step)))
        }
        _ => None,
    };
    if let Some((page, goto)) = request {
        m.shiftlog.pending = Some((page, goto));
        m.view.log_page = page;
        return Some(vec![Effect::Reload(m.view)]);
    }
    m.selected[i] = match code {
        KeyCode::Home => 0,
        KeyCode::End => n.saturating_sub(1),
        _ => moved(sel, step, n),
    };
    Some(Vec::new())
}

fn moved(sel: usize, step: isize, n: usize) -> usize {
    let to = sel.saturating_add_signed(step);
    to.min(n.saturating_sub(1))
}

/// The window's entry ids in the log's (at, id) order (pages are keyed on it).
fn by_key(s: &Snapshot) -> Vec<i64> {
    let mut k: Vec<(&str, i64)> = s.log.iter().map(|e| (e.at.as_str(), e.id)).collect();
    k.sort_unstable();
    k.into_iter().map(|(_, id)| id).collect()
}

/// The page half a window older: it ends HALF entries after this window's oldest.
fn older(s: &Snapshot) -> Option<LogPage> {
    let keys = by_key(s);
    keys.get(HALF.min(keys.len().saturating_sub(1)))
        .map(|id| LogPage::Until(*id))
}

/// The page half a window newer: it starts HALF entries before this window's newest.
fn newer(s: &Snapshot) -> Option<LogPage> {
    let keys = by_key(s);
    keys.get(keys.len().saturating_sub(HALF + 1))
        .map(|id| LogPage::From(*id))
}

/// After a snapshot arrived: makes the move a page was asked for, once it is that page;
/// a page that reaches the newest entry becomes the newest page (new entries show again).
pub fn settle(m: &mut Model) {
    let Some(s) = m.snapshot.as_deref() else {
        return;
    };
    let n = s.log.len();
    let i = Screen::Shiftlog.index();
    if let Some((page, goto)) = m.shiftlog.pending
        && s.log_page == page
    {
        m.selected[i] = match goto {
            Goto::First => 0,
            Goto::Last => n.saturating_sub(1),
            Goto::From(id, step) => match s.log.iter().position(|e| e.id == id) {
                Some(at) => moved(at, step, n),
                None => m.selected[i].min(n.saturating_sub(1)),
            },
        };
        m.shiftlog.pending = None;
    }
    if matches!(s.log_page, LogPage::From(_)) && s.log_newer() == 0 && m.view.log_page == s.log_page
    {
        m.view.log_page = LogPage::Newest;
    }
}
