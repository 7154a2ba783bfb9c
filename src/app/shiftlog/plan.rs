//! The roster a week ahead on the Shift log (`p`): moving over the days and planning one
//! (a chooser over the staff list: a name, its pinyin or initials typed finds the person,
//! `1` leader, `2` officer, `0` off, Enter saves; letters type, so they set no role).

use crossterm::event::{KeyCode, KeyEvent};

use super::{Form, ShiftlogWrite, close, say, write};
use crate::app::Effect;
use crate::app::model::Model;
use crate::domain::roster::PlanDay;
use crate::i18n::Msg;

/// Days the panel shows.
pub const DAYS: usize = 7;

/// Keys of the roster panel; `None` for keys it leaves to the screen.
pub(super) fn panel_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    match k.code {
        KeyCode::Up | KeyCode::Char('k') => {
            m.shiftlog.plan_sel = m.shiftlog.plan_sel.saturating_sub(1)
        }
        KeyCode::Down | KeyCode::Char('j') => {
            m.shiftlog.plan_sel = (m.shiftlog.plan_sel + 1).min(DAYS - 1);
        }
        KeyCode::Home => m.shiftlog.plan_sel = 0,
        KeyCode::End => m.shiftlog.plan_sel = DAYS - 1,
        KeyCode::Enter => return Some(open_day(m)),
        KeyCode::Esc => m.shiftlog.roster_panel = false,
        _ => return None,
    }
    Some(Vec::new())
}

fn open_day(m: &mut Model) -> Vec<Effect> {
    let Some(day) = m
        .snapshot
        .as_deref()
        .and_then(|s| s.roster_week.get(m.shiftlog.plan_sel))
        .cloned()
    else {
        return Vec::new();
    };
    if day.signed_by.is_some() {
        return say(m, Msg::new("err.shift_signed"), true);
    }
    // told before choosing anyone, not after
    if let Some(refused) =
        crate::app::access::refuse(m, crate::domain::roles::Permission::PlanRoster)
    {
        return refused;
    }
    m.shiftlog.form = Some(Form::Plan {
        date: day.date,
        sel: 0,
        leader: day.leader,
        officers: day.officers,
        find: crate::app::picker::Picker::default(),
    });
    m.dirty = true;
    Vec::new()
}

/// Keys of the open day's chooser.
pub(super) fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let n = m.town.staff.len();
    let name = |m: &Model, sel: usize| m.town.staff.get(sel).map(|p| p.name.clone());
    let Some(Form::Plan {
        date,
        sel,
        leader,
        officers,
        find,
    }) = m.shiftlog.form.clone()
    else {
        return Vec::new();
    };
    let (mut sel, mut leader, mut officers, mut find) = (sel, leader, officers, find);
    let searching = !find.input.text().trim().is_empty();
    match k.code {
        // Esc first forgets a search, then leaves
        KeyCode::Esc if searching => find = crate::app::picker::Picker::default(),
        KeyCode::Esc => {
            close(m);
            return Vec::new();
        }
        KeyCode::Enter => {
            close(m);
            let day = PlanDay {
                date,
                leader: leader.unwrap_or_default(),
                officers,
            };
            return write(m, ShiftlogWrite::Plan { day });
        }
        KeyCode::Up if !searching => sel = sel.saturating_sub(1),
        KeyCode::Down if !searching => sel = (sel + 1).min(n.saturating_sub(1)),
        KeyCode::Char('1') => {
            if let Some(p) = name(m, sel) {
                officers.retain(|o| *o != p);
                leader = Some(p);
            }
        }
        KeyCode::Char('2') => {
            if let Some(p) = name(m, sel) {
                if leader.as_deref() == Some(p.as_str()) {
                    leader = None;
                }
                if !officers.contains(&p) {
                    officers.push(p);
                }
            }
        }
        KeyCode::Char('0') | KeyCode::Delete => {
            if let Some(p) = name(m, sel) {
                officers.retain(|o| *o != p);
                if leader.as_deref() == Some(p.as_str()) {
                    leader = None;
                }
            }
        }
        // Tab would put the found name into the search: nothing to complete here
        KeyCode::Tab | KeyCode::BackTab => {}
        _ => {
            let entries = m.people_entries();
            find.key(k, &entries);
            if let Some(i) = find.highlighted(&entries) {
                sel = i;
            }
        }
    }
    m.shiftlog.form = Some(Form::Plan {
        date,
        sel,
        leader,
        officers,
        find,
    });
    Vec::new()
}
