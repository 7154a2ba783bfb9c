//! Console behaviour of the Shift log: its UI state, its keys and its writes.
//!
//! Its keys are rows of `app::keymap`: `Enter` reads the selected entry in full (Up/Down
//! step through the entries, Esc closes), `n` adds an entry (Tab cycles the category), `m`
//! amends the selected one, `e` edits it (refused once the shift is signed), `H` sets the
//! handover notes, `d` edits who is on duty, `s` signs the shift over (the incoming person picks their name and types their PIN),
//! `h` shows the handover full size (arrows, PgUp/PgDn, Home/End scroll it), `p` shows
//! the roster a week ahead (Enter plans the highlighted day), `[` `]` browse past shifts
//! read-only and `t` comes back to the open one.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

pub mod form;
pub mod pages;
mod plan;
mod signing;

use super::model::Model;
use super::screen::Screen;
use super::{Effect, WriteCmd};
use crate::app::input::{Kind, TextInput};
use crate::domain::shift::{Duty, LogCategory};
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::{Ctx, Store, shiftlog};

/// The longest log entry or amendment typed in the console.
pub const LOG_LIMIT: usize = 2000;
/// The longest handover notes typed in the console.
pub const NOTES_LIMIT: usize = 4000;

/// An open form or chooser on the Shift log screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// A new manual entry.
    Entry {
        /// Its category (Tab cycles).
        category: LogCategory,
        /// Its text so far.
        text: TextInput,
    },
    /// An amendment to entry `id`.
    Amend {
        /// The entry amended.
        id: i64,
        /// Text so far.
        text: TextInput,
    },
    /// A correction of entry `id` (unsigned shifts only).
    Edit {
        /// The entry.
        id: i64,
        /// Text so far.
        text: TextInput,
        /// The entry's text when the form opened (a change meanwhile is a conflict).
        was: String,
    },
    /// The outgoing team's handover notes.
    Notes {
        /// Text so far.
        text: TextInput,
        /// The notes when the form opened (a change meanwhile is a conflict).
        was: String,
        /// The shift the notes belong to, fixed when the form opened.
        shift: Option<DateTime<Utc>>,
    },
    /// Choosing who is on the shift.
    Roster {
        /// Highlighted staff member (index in the town's staff list).
        sel: usize,
        /// The name typed to find a person (name, pinyin or initials).
        find: crate::app::picker::Picker,
    },
    /// Planning one day of the roster (shift leads and duty leaders).
    Plan {
        /// The day planned.
        date: chrono::NaiveDate,
        /// Highlighted staff member.
        sel: usize,
        /// The duty leader chosen so far.
        leader: Option<String>,
        /// The duty officers chosen so far.
        officers: Vec<String>,
        /// The name typed to find a person (name, pinyin or initials).
        find: crate::app::picker::Picker,
    },
    /// The incoming person picks their name, then signs with their PIN.
    Sign {
        /// Highlighted staff member.
        sel: usize,
        /// The name is picked: asking for the PIN (Enter alone for someone without one).
        confirm: bool,
        /// The PIN typed so far (shown as stars, never printed).
        pin: crate::app::login::Pin,
        /// The name typed to find the person (name, pinyin or initials, issue 19).
        find: crate::app::picker::Picker,
    },
}

/// What the screen remembers between frames (selection, open form, filters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShiftlogUi {
    /// The open form or chooser.
    pub form: Option<Form>,
    /// The handover fills the screen (otherwise it shares it with the log when wide).
    pub handover_full: bool,
    /// Scroll offset of the full-size handover.
    pub scroll: u16,
    /// The furthest useful scroll, as last drawn (layout feedback, like a table's state).
    pub max_scroll: std::cell::Cell<u16>,
    /// Lines of the full-size handover on screen, as last drawn (PgUp/PgDn move by it).
    pub page: std::cell::Cell<u16>,
    /// The roster a week ahead fills the screen (`p`).
    pub roster_panel: bool,
    /// The highlighted day of the roster panel (0 = the open shift's day).
    pub plan_sel: usize,
    /// The incoming person whose sign-over is on its way to the store.
    pub signer: Option<String>,
    /// The selected entry is shown in full (`Enter`), over the log.
    pub detail: bool,
    /// A page of the log asked for, and where the selection goes when it arrives.
    pub pending: Option<(shiftlog::LogPage, pages::Goto)>,
}

impl ShiftlogUi {
    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        self.form.is_some() || self.detail
    }
}

/// The full entry's keys: Up/Down step to the previous or next entry, Esc, Enter or `q`
/// close it; every other key is ignored while it is open.
fn detail_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    // the entries before and after the window are stepped to as in the list
    match k.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => m.shiftlog.detail = false,
        KeyCode::Up | KeyCode::Char('k') => return pages::nav(m, KeyCode::Up).unwrap_or_default(),
        KeyCode::Down | KeyCode::Char('j') => {
            return pages::nav(m, KeyCode::Down).unwrap_or_default();
        }
        KeyCode::Home | KeyCode::End => return pages::nav(m, k.code).unwrap_or_default(),
        _ => {}
    }
    Vec::new()
}

/// After a write: once the incoming person's sign-over went through, the desk is theirs
/// (they proved who they are with their PIN), so what is written next is in their name.
pub fn write_done(m: &mut Model, result: &Result<Msg, Msg>) {
    let Some(signer) = m.shiftlog.signer.take() else {
        return;
    };
    if let Ok(msg) = result
        && msg.key == "status.handed_over"
    {
        m.operator = signer;
    }
}

fn say(m: &mut Model, msg: Msg, error: bool) -> Vec<Effect> {
    m.say(msg, error)
}

fn write(m: &Model, w: ShiftlogWrite) -> Vec<Effect> {
    vec![Effect::Write(WriteCmd::Shiftlog(w), m.view)]
}

/// The shown shift, whether it is signed, and whether it is the current one.
fn shown(m: &Model) -> Option<(DateTime<Utc>, bool, bool)> {
    let s = m.snapshot.as_deref()?;
    let signed = s.handover.as_ref().is_some_and(|h| h.signed_at.is_some());
    Some((s.shift_start, signed, s.shift_start == s.current_shift))
}

fn selected_entry(m: &Model) -> Option<&crate::domain::shift::LogRow> {
    let s = m.snapshot.as_deref()?;
    s.log.get(m.selected[Screen::Shiftlog.index()])
}

/// Refuses a change to the shown shift when it is signed or in the past.
fn refuse_change(m: &mut Model) -> Option<Vec<Effect>> {
    let (_, signed, current) = shown(m)?;
    if signed {
        return Some(say(m, Msg::new("err.shift_signed"), true));
    }
    if !current {
        return Some(say(m, Msg::new("log.history_read_only"), true));
    }
    None
}

fn open(m: &mut Model, form: Form) -> Vec<Effect> {
    m.dirty = matches!(
        form,
        Form::Entry { .. } | Form::Amend { .. } | Form::Edit { .. } | Form::Notes { .. }
    );
    m.shiftlog.form = Some(form);
    Vec::new()
}

fn close(m: &mut Model) {
    m.shiftlog.form = None;
    m.dirty = false;
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    m.snapshot.as_ref()?;
    if m.shiftlog.form.is_some() {
        return Some(form::form_key(m, k));
    }
    if m.shiftlog.detail {
        return Some(detail_key(m, k));
    }
    // an action the operator may not take was refused by its keymap row (`app::keymap`)
    match k.code {
        KeyCode::Enter if !m.shiftlog.roster_panel && !m.shiftlog.handover_full => {
            if selected_entry(m).is_some() {
                m.shiftlog.detail = true;
            }
            Some(Vec::new())
        }
        KeyCode::Char('n') => Some(unless_refused(m, open_entry)),
        KeyCode::Char('m') => Some(match selected_entry(m).map(|e| e.id) {
            Some(id) => open(
                m,
                Form::Amend {
                    id,
                    text: TextInput::new(Kind::Line, LOG_LIMIT),
                },
            ),
            None => Vec::new(),
        }),
        KeyCode::Char('e') => Some(edit(m)),
        KeyCode::Char('H') => Some(unless_refused(m, open_notes)),
        KeyCode::Char('d') => Some(unless_refused(m, |m| {
            open(
                m,
                Form::Roster {
                    sel: 0,
                    find: crate::app::picker::Picker::default(),
                },
            )
        })),
        KeyCode::Char('s') => Some(unless_refused(m, open_sign)),
        KeyCode::Char('h') => {
            m.shiftlog.handover_full = !m.shiftlog.handover_full;
            m.shiftlog.roster_panel = false;
            m.shiftlog.scroll = 0;
            m.shiftlog.max_scroll.set(0);
            Some(Vec::new())
        }
        KeyCode::Char('p') => {
            m.shiftlog.roster_panel = !m.shiftlog.roster_panel;
            m.shiftlog.handover_full = false;
            Some(Vec::new())
        }
        KeyCode::Char('[') => Some(browse(m, -1)),
        KeyCode::Char(']') => Some(browse(m, 1)),
        KeyCode::Char('t') => {
            m.view.shift = None;
            newest_page(m);
            Some(vec![Effect::Reload(m.view)])
        }
        _ if m.shiftlog.roster_panel => plan::panel_key(m, k),
        _ if m.shiftlog.handover_full => scroll(m, k.code),
        // the list's moves, paging through a log longer than the window (issue 18)
        _ => pages::nav(m, k.code),
    }
}

/// Opens a form with `open` unless the shift shown may not be changed (then the refusal).
fn unless_refused(m: &mut Model, open: impl FnOnce(&mut Model) -> Vec<Effect>) -> Vec<Effect> {
    match refuse_change(m) {
        Some(e) => e,
        None => open(m),
    }
}

/// Opens the form for a new log entry (a note).
fn open_entry(m: &mut Model) -> Vec<Effect> {
    open(
        m,
        Form::Entry {
            category: LogCategory::Note,
            text: TextInput::new(Kind::Line, LOG_LIMIT),
        },
    )
}

/// Opens the handover notes form, with the notes as they stand.
fn open_notes(m: &mut Model) -> Vec<Effect> {
    let text = m
        .snapshot
        .as_deref()
        .and_then(|s| s.handover.as_ref())
        .map(|h| h.notes.clone())
        .unwrap_or_default();
    let shift = m.snapshot.as_deref().map(|s| s.shift_start);
    open(
        m,
        Form::Notes {
            text: TextInput::with_text(Kind::Line, NOTES_LIMIT.max(text.chars().count()), &text),
            was: text,
            shift,
        },
    )
}

/// Opens the sign-over form, the first incoming person selected.
fn open_sign(m: &mut Model) -> Vec<Effect> {
    let sel = first_incoming(m);
    open(
        m,
        Form::Sign {
            sel,
            confirm: false,
            pin: crate::app::login::Pin(String::new()),
            find: crate::app::picker::Picker::default(),
        },
    )
}

/// Scrolls the full-size handover: a line, a page (as last drawn), or to either end.
fn scroll(m: &mut Model, code: KeyCode) -> Option<Vec<Effect>> {
    let max = m.shiftlog.max_scroll.get();
    let page = m.shiftlog.page.get().saturating_sub(1).max(1);
    let at = m.shiftlog.scroll;
    m.shiftlog.scroll = match code {
        KeyCode::Up | KeyCode::Char('k') => at.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => at.saturating_add(1).min(max),
        KeyCode::PageUp => at.saturating_sub(page),
        KeyCode::PageDown => at.saturating_add(page).min(max),
        KeyCode::Home => 0,
        KeyCode::End => max,
        _ => return None,
    };
    Some(Vec::new())
}

fn edit(m: &mut Model) -> Vec<Effect> {
    if let Some(e) = refuse_change(m) {
        return e;
    }
    let Some(entry) = selected_entry(m) else {
        return Vec::new();
    };
    if entry.auto_msg.is_some() {
        return say(m, Msg::new("err.auto_entry"), true);
    }
    let (id, text) = (entry.id, entry.text.clone());
    open(
        m,
        Form::Edit {
            id,
            text: TextInput::with_text(Kind::Line, LOG_LIMIT.max(text.chars().count()), &text),
            was: text,
        },
    )
}

/// The first staff member not on the shown shift: the likely incoming officer.
fn first_incoming(m: &Model) -> usize {
    let Some(s) = m.snapshot.as_deref() else {
        return 0;
    };
    m.town
        .staff
        .iter()
        .position(|p| !s.roster.iter().any(|(n, _)| *n == p.name))
        .unwrap_or(0)
}

/// Moves to the previous (`-1`) or next (`1`) shift that has a log or handover.
fn browse(m: &mut Model, dir: i32) -> Vec<Effect> {
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    // the current shift counts as a neighbour even before anything is written in it
    let current = Some(s.current_shift);
    let target = if dir < 0 {
        s.prev_shift.filter(|t| *t < s.shift_start)
    } else {
        [s.next_shift, current]
            .into_iter()
            .flatten()
            .filter(|t| *t > s.shift_start)
            .min()
    };
    let Some(target) = target else {
        let key = if dir < 0 {
            "log.no_older_shift"
        } else {
            "log.no_newer_shift"
        };
        return say(m, Msg::new(key), false);
    };
    m.view.shift = (target != s.current_shift).then_some(target);
    newest_page(m);
    m.selected[Screen::Shiftlog.index()] = 0;
    vec![Effect::Reload(m.view)]
}

/// Another shift is shown from its newest entries.
fn newest_page(m: &mut Model) {
    m.view.log_page = shiftlog::LogPage::Newest;
    m.shiftlog.pending = None;
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum ShiftlogWrite {
    /// Add a manual shift-log entry.
    Add {
        /// Category.
        category: LogCategory,
        /// Text.
        text: String,
    },
    /// Add an amendment linked to an entry.
    Amend {
        /// The entry amended.
        id: i64,
        /// Text.
        text: String,
    },
    /// Correct an entry of an unsigned shift.
    Edit {
        /// The entry.
        id: i64,
        /// New text.
        text: String,
        /// The text it replaces, as the operator saw it.
        was: String,
    },
    /// Set the handover notes of a shift.
    Notes {
        /// The shift.
        shift: DateTime<Utc>,
        /// Notes.
        text: String,
        /// The notes it replaces, as the operator saw them.
        was: String,
    },
    /// Put someone on a shift.
    SetRoster {
        /// The shift.
        shift: DateTime<Utc>,
        /// Staff name.
        staff: String,
        /// Leader or officer.
        duty: Duty,
    },
    /// Take someone off a shift.
    RemoveRoster {
        /// The shift.
        shift: DateTime<Utc>,
        /// Staff name.
        staff: String,
    },
    /// Plan one day of the roster.
    Plan {
        /// The day, its leader and officers.
        day: crate::domain::roster::PlanDay,
    },
    /// The incoming person signs the open shift over to themselves, proven by their PIN.
    Sign {
        /// The incoming person.
        incoming: String,
        /// Their PIN, when they typed one.
        pin: Option<crate::app::login::Pin>,
    },
}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(store: &mut Store, town: &Town, ctx: &Ctx, w: ShiftlogWrite) -> Result<Msg, Msg> {
    let r = match w {
        ShiftlogWrite::Add { category, text } => store
            .write(ctx, |w| shiftlog::add_entry(w, category, &text))
            .map(|id| Msg::new("status.log_added").arg("id", id)),
        ShiftlogWrite::Amend { id, text } => store
            .write(ctx, |w| shiftlog::amend_entry(w, id, &text))
            .map(|id| Msg::new("status.log_amended").arg("id", id)),
        ShiftlogWrite::Edit { id, text, was } => store
            .write(ctx, |w| shiftlog::edit_entry_if(w, id, &was, &text))
            .map(|()| Msg::new("status.log_edited").arg("id", id)),
        ShiftlogWrite::Notes { shift, text, was } => store
            .write(ctx, |w| shiftlog::set_notes_if(w, shift, &was, text.trim()))
            .map(|()| Msg::new("status.notes_saved")),
        ShiftlogWrite::SetRoster { shift, staff, duty } => store
            .write(ctx, |w| shiftlog::set_roster(w, shift, &staff, duty))
            .map(|()| Msg::new("status.roster_saved").arg("name", staff)),
        ShiftlogWrite::RemoveRoster { shift, staff } => store
            .write(ctx, |w| shiftlog::remove_roster(w, shift, &staff))
            .map(|()| Msg::new("status.roster_removed").arg("name", staff)),
        ShiftlogWrite::Plan { day } => store
            .write(ctx, |w| crate::store::roster::set_plan(w, town, &day))
            .map(|()| Msg::new("roster.saved").arg("date", day.date)),
        ShiftlogWrite::Sign { incoming, pin } => signing::sign(store, town, ctx, &incoming, pin)
            .map(|(shift, _)| {
                Msg::new("status.handed_over")
                    .arg(
                        "start",
                        crate::ui::widgets::day_time_db(
                            &crate::domain::time::to_db(shift),
                            town.info.offset,
                        ),
                    )
                    .arg("name", incoming)
            }),
    };
    r.map_err(Msg::from)
}

/// The Shift log screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, m: &Model) -> bool {
        m.shiftlog.modal()
    }

    fn rows(&self, m: &Model) -> usize {
        m.snapshot.as_deref().map_or(0, |s| s.log.len())
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        on_key(m, k)
    }
}
