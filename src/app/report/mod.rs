//! Console behaviour of the Daily report: its UI state, its keys and its writes.

pub mod form;

use chrono::{Duration, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};

use self::form::{Form, FormEvent};
use super::input::{Edited, Kind, TextInput};
use super::model::{Model, Status};
use super::screen::Screen;
use super::{Effect, WriteCmd};
use crate::domain::report::{Field, Figures};
use crate::domain::roles::Permission;
use crate::domain::town::Town;
use crate::domain::town::Village;
use crate::i18n::Msg;
use crate::store::reports::{SaveOutcome, reopen_day, save_edit, sign_day};
use crate::store::{Ctx, Store};

/// The column the village table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Village code (the town file's order).
    #[default]
    Village,
    /// One figure.
    Figure(Field),
    /// Entry time (missing villages first).
    Entered,
}

impl SortKey {
    /// The next column in the `o` cycle.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Village => SortKey::Figure(Field::ALL[0]),
            SortKey::Figure(f) => match Field::ALL.get(f.index() + 1) {
                Some(n) => SortKey::Figure(*n),
                None => SortKey::Entered,
            },
            SortKey::Entered => SortKey::Village,
        }
    }
}

/// What the screen remembers between frames (sort, chart span, open form or prompt).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportUi {
    /// Sort column of the village table.
    pub sort: SortKey,
    /// Sort descending.
    pub reverse: bool,
    /// The trend chart shows 30 days instead of 14.
    pub long_trend: bool,
    /// The entry/edit form, while open.
    pub form: Option<Form>,
    /// Asking "sign this day?".
    pub confirm_sign: bool,
    /// The reopen reason being typed, while asked.
    pub reopen: Option<TextInput>,
    /// The reason for signing with villages missing, while asked.
    pub sign_reason: Option<TextInput>,
    /// The shift lead's analysis being typed, while open (Alt+Enter: a new paragraph).
    pub note: Option<TextInput>,
}

impl ReportUi {
    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        self.form.is_some()
            || self.confirm_sign
            || self.reopen.is_some()
            || self.sign_reason.is_some()
            || self.note.is_some()
    }

    /// Days the trend chart covers.
    pub fn trend_days(&self) -> i64 {
        if self.long_trend { 30 } else { 14 }
    }
}

/// The town's villages in the table's current order.
pub fn ordered(m: &Model) -> Vec<&Village> {
    let mut v: Vec<&Village> = m.town.villages.iter().collect();
    let Some(s) = m.snapshot.as_deref() else {
        return v;
    };
    let rev = |o: std::cmp::Ordering| if m.report.reverse { o.reverse() } else { o };
    // ties keep the town file's order whichever way the column is sorted
    match m.report.sort {
        SortKey::Village => {
            if m.report.reverse {
                v.reverse();
            }
        }
        SortKey::Figure(f) => {
            let key = |x: &Village| s.report_rows.get(&x.code).and_then(|r| r.figures.get(f));
            v.sort_by(|a, b| rev(key(a).cmp(&key(b))));
        }
        SortKey::Entered => {
            let key = |x: &Village| s.report_rows.get(&x.code).map(|r| r.entered_at.as_str());
            v.sort_by(|a, b| rev(key(a).cmp(&key(b))));
        }
    }
    v
}

fn status(m: &mut Model, msg: Msg, error: bool) {
    m.status = Some(Status { msg, error });
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    if m.report.form.is_some() {
        return Some(form_key(m, k));
    }
    if m.report.confirm_sign {
        return Some(confirm_sign_key(m, k));
    }
    if m.report.sign_reason.is_some() {
        return Some(sign_reason_key(m, k));
    }
    if m.report.note.is_some() {
        return Some(note_key(m, k));
    }
    if m.report.reopen.is_some() {
        return Some(reopen_key(m, k));
    }
    screen_key(m, k)
}

/// The answer to "sign the report?": `y` signs, any other key does not.
fn confirm_sign_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    m.report.confirm_sign = false;
    match (k.code, m.snapshot.as_deref()) {
        (KeyCode::Char('y' | 'Y'), Some(s)) => write(
            m,
            ReportWrite::Sign {
                date: s.report_date,
                reason: None,
            },
        ),
        _ => Vec::new(),
    }
}

/// A key in the late-signing reason prompt; Enter signs with the reason.
fn sign_reason_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(buf) = &mut m.report.sign_reason else {
        return Vec::new();
    };
    let Some(done) = prompt_key(buf, k) else {
        return Vec::new();
    };
    m.report.sign_reason = None;
    let date = m.snapshot.as_deref().map(|s| s.report_date);
    match (done, date) {
        (Some(reason), Some(date)) if !reason.is_empty() => write(
            m,
            ReportWrite::Sign {
                date,
                reason: Some(reason),
            },
        ),
        (Some(_), Some(_)) => {
            status(m, Msg::new("err.reason_required"), true);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A key in the day's note prompt; Enter saves the note.
fn note_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(buf) = &mut m.report.note else {
        return Vec::new();
    };
    let Some(done) = prompt_key(buf, k) else {
        return Vec::new();
    };
    m.report.note = None;
    let date = m.snapshot.as_deref().map(|s| s.report_date);
    match (done, date) {
        (Some(text), Some(date)) if !text.is_empty() => write(m, ReportWrite::Note { date, text }),
        (Some(_), Some(_)) => {
            status(m, Msg::new("daily.err.note_empty"), true);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A key in the reopening reason prompt; Enter reopens the signed report.
fn reopen_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(buf) = &mut m.report.reopen else {
        return Vec::new();
    };
    let Some(done) = prompt_key(buf, k) else {
        return Vec::new();
    };
    // an empty reason is refused and the question stays open
    if done.as_deref() == Some("") {
        status(m, Msg::new("err.reason_required"), true);
        return Vec::new();
    }
    m.report.reopen = None;
    let date = m.snapshot.as_deref().map(|s| s.report_date);
    match (done, date) {
        (Some(reason), Some(date)) if !reason.is_empty() => {
            write(m, ReportWrite::Reopen { date, reason })
        }
        (Some(_), Some(_)) => {
            status(m, Msg::new("err.reason_required"), true);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The screen's own keys when no form or prompt is open.
fn screen_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    match k.code {
        KeyCode::Left | KeyCode::Char('[') => Some(change_day(m, -1)),
        KeyCode::Right | KeyCode::Char(']') => Some(change_day(m, 1)),
        KeyCode::Char('t') => {
            m.view.report_date = None;
            Some(vec![Effect::Reload(m.view)])
        }
        KeyCode::Char('o') => {
            m.report.sort = m.report.sort.next();
            Some(Vec::new())
        }
        KeyCode::Char('O') => {
            m.report.reverse = !m.report.reverse;
            Some(Vec::new())
        }
        KeyCode::Char('L') => {
            m.report.long_trend = !m.report.long_trend;
            Some(Vec::new())
        }
        // an action the operator may not take is refused before its form opens
        KeyCode::Enter | KeyCode::Char('e') => {
            Some(refuse_or(m, Permission::EnterReport, open_form))
        }
        KeyCode::Char('s') => Some(refuse_or(m, Permission::SignReport, ask_sign)),
        KeyCode::Char('R') => Some(refuse_or(m, Permission::ReopenReport, ask_reopen)),
        KeyCode::Char('n') => Some(refuse_or(m, Permission::SignReport, ask_note)),
        _ => None,
    }
}

/// Opens a form or question with `open` unless the operator may not do `p`.
fn refuse_or(m: &mut Model, p: Permission, open: fn(&mut Model)) -> Vec<Effect> {
    super::access::refuse(m, p).unwrap_or_else(|| {
        open(m);
        Vec::new()
    })
}

fn signed(m: &Model) -> Option<(NaiveDate, bool)> {
    let s = m.snapshot.as_deref()?;
    Some((
        s.report_date,
        s.report_sign.as_ref().is_some_and(|x| x.signed),
    ))
}

fn open_form(m: &mut Model) {
    let Some((date, is_signed)) = signed(m) else {
        return;
    };
    if is_signed {
        status(m, Msg::new("report.form.signed").arg("date", date), true);
        return;
    }
    let sel = m.selected[Screen::Report.index()];
    let Some(code) = ordered(m).get(sel).map(|v| v.code.clone()) else {
        return;
    };
    let stored = m
        .snapshot
        .as_deref()
        .and_then(|s| s.report_rows.get(&code))
        .map(|r| r.figures);
    m.report.form = Some(Form::open(&code, date, stored));
}

/// A one-line text prompt's key: `Some(Some(text))` on Enter (trimmed), `Some(None)` on
/// Esc, `None` while typing. Alt+Enter keeps a line break (the analysis has paragraphs).
fn prompt_key(buf: &mut TextInput, k: KeyEvent) -> Option<Option<String>> {
    // the shared input takes the editing keys (Alt+Enter a line break where it may)
    if buf.key(k) != Edited::NotMine {
        return None;
    }
    match k.code {
        KeyCode::Esc => Some(None),
        KeyCode::Enter => Some(Some(buf.text().trim().to_string())),
        _ => None,
    }
}

/// The longest reason or analysis typed in the report screen's prompts.
pub const PROMPT_LIMIT: usize = 2000;

/// True while the figures form is saving or asking "discard changes?": a paste then goes
/// nowhere (typed key by key, a pasted `y` would answer the question and lose the form).
pub fn holds_paste(m: &Model) -> bool {
    m.report
        .form
        .as_ref()
        .is_some_and(|f| f.saving || f.confirm_discard)
}

/// The open form's focused figure or prompt's input (reopen or sign reason, analysis),
/// for a paste.
pub fn focused_input(m: &mut Model) -> Option<&mut TextInput> {
    let r = &mut m.report;
    if let Some(form) = r.form.as_mut() {
        return Some(form.focused_input());
    }
    r.reopen
        .as_mut()
        .or(r.sign_reason.as_mut())
        .or(r.note.as_mut())
}

fn ask_sign(m: &mut Model) {
    let missing = m.snapshot.as_deref().map_or(0, |s| {
        m.town
            .villages
            .iter()
            .filter(|v| !s.report_rows.contains_key(&v.code))
            .count()
    });
    match signed(m) {
        Some((date, true)) => status(m, Msg::new("err.already_signed").arg("date", date), true),
        // villages missing: the signature needs a reason (asked here, kept with it)
        Some((_, false)) if missing > 0 => {
            m.report.sign_reason = Some(TextInput::new(Kind::Line, PROMPT_LIMIT))
        }
        Some((_, false)) => m.report.confirm_sign = true,
        None => {}
    }
}

fn ask_note(m: &mut Model) {
    match signed(m) {
        Some((date, true)) => status(m, Msg::new("daily.note.signed").arg("date", date), true),
        Some((_, false)) => {
            let old = m
                .snapshot
                .as_deref()
                .and_then(|s| s.report_note.as_ref())
                .map(|n| n.text.clone());
            let old = old.unwrap_or_default();
            m.report.note = Some(TextInput::with_text(
                Kind::Lines,
                PROMPT_LIMIT.max(old.chars().count()),
                &old,
            ));
        }
        None => {}
    }
}

fn ask_reopen(m: &mut Model) {
    match signed(m) {
        Some((_, true)) => m.report.reopen = Some(TextInput::new(Kind::Line, PROMPT_LIMIT)),
        Some((date, false)) => status(m, Msg::new("err.not_signed").arg("date", date), true),
        None => {}
    }
}

fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(form) = m.report.form.as_mut() else {
        return Vec::new();
    };
    let cx = m
        .snapshot
        .as_deref()
        .and_then(|s| s.report_checks.get(&form.village));
    let event = form.on_key(k, cx);
    let (village, date, original) = (form.village.clone(), form.date, form.original);
    m.dirty = form.changed();
    match event {
        FormEvent::None => Vec::new(),
        FormEvent::Close => {
            close_form(m);
            Vec::new()
        }
        FormEvent::Unchanged => {
            close_form(m);
            status(m, Msg::new("report.form.unchanged"), false);
            Vec::new()
        }
        FormEvent::Refused(field, msg) => {
            let msg = match field {
                Some(f) => msg.context(m.t(f.label_key())),
                None => msg,
            };
            // the status line says it plainly too: not saved, and the first reason
            let msg = Msg::new("rform.not_saved_first").arg("first", msg.render(m.lang));
            status(m, msg, true);
            vec![Effect::Bell]
        }
        FormEvent::Save(figures) => write(
            m,
            ReportWrite::Save(Box::new(SaveRow {
                village,
                date,
                figures,
                expected: original,
            })),
        ),
        FormEvent::Quit => {
            if m.dirty {
                m.confirm_quit = true;
                Vec::new()
            } else {
                m.quit = true;
                vec![Effect::Quit]
            }
        }
    }
}

fn close_form(m: &mut Model) {
    m.report.form = None;
    m.dirty = false;
}

/// Called with every finished write: closes the form its save succeeded, keeps it open
/// with the store's refusal otherwise.
pub fn write_done(m: &mut Model, result: &Result<Msg, Msg>) {
    let Some(form) = m.report.form.as_mut() else {
        return;
    };
    if !form.saving {
        return;
    }
    form.saving = false;
    match result {
        Ok(_) => close_form(m),
        Err(e) => form.refused = Some(e.clone()),
    }
}

fn write(m: &Model, w: ReportWrite) -> Vec<Effect> {
    vec![Effect::Write(WriteCmd::Report(w), m.view)]
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

/// One village's figures for a day, as the form saves them.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRow {
    /// Village code.
    pub village: String,
    /// The day.
    pub date: NaiveDate,
    /// What the operator entered.
    pub figures: Figures,
    /// The stored figures the form was opened on (a changed row is a conflict).
    pub expected: Option<Figures>,
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportWrite {
    /// Save one village's figures for a day (the form); boxed, it is the largest write.
    Save(Box<SaveRow>),
    /// Sign a day: it becomes read-only.
    Sign {
        /// The day.
        date: NaiveDate,
        /// Why it is signed with villages missing.
        reason: Option<String>,
    },
    /// Write the day's analysis (研判).
    Note {
        /// The day.
        date: NaiveDate,
        /// The text.
        text: String,
    },
    /// Reopen a signed day.
    Reopen {
        /// The day.
        date: NaiveDate,
        /// Why.
        reason: String,
    },
}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(store: &mut Store, town: &Town, ctx: &Ctx, w: ReportWrite) -> Result<Msg, Msg> {
    match w {
        ReportWrite::Save(row) => {
            let SaveRow {
                village,
                date,
                figures,
                expected,
            } = *row;
            let v = town
                .village(&village)
                .ok_or_else(|| Msg::new("err.unknown_village").quoted("value", &village))?;
            let (outcome, checked) = store
                .write_or_rollback(ctx, |w| {
                    let r = save_edit(w, town, v, date, &figures, expected.as_ref())?;
                    let commit = r.0 != SaveOutcome::Unchanged;
                    Ok((r, commit))
                })
                .map_err(Msg::from)?;
            let msg = match (outcome, checked.warnings.first()) {
                (SaveOutcome::Unchanged, _) => Msg::new("report.form.unchanged"),
                (_, None) => Msg::new("report.form.saved"),
                (_, Some(_)) => Msg::new("report.form.saved_warn").arg("n", checked.warnings.len()),
            };
            Ok(msg.arg("village", &v.code).arg("date", date))
        }
        ReportWrite::Note { date, text } => {
            store
                .write(ctx, |w| crate::store::reports::set_note(w, date, &text))
                .map_err(Msg::from)?;
            Ok(Msg::new("daily.note_ok").arg("date", date))
        }
        ReportWrite::Sign { date, reason } => {
            store
                .write(ctx, |w| sign_day(w, date, reason.as_deref()))
                .map_err(Msg::from)?;
            Ok(Msg::new("report.signed_ok").arg("date", date))
        }
        ReportWrite::Reopen { date, reason } => {
            store
                .write(ctx, |w| reopen_day(w, date, &reason))
                .map_err(Msg::from)?;
            Ok(Msg::new("report.reopened_ok").arg("date", date))
        }
    }
}

/// The Daily report screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, m: &Model) -> bool {
        m.report.modal()
    }

    fn rows(&self, m: &Model) -> usize {
        m.town.villages.len()
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        on_key(m, k)
    }
}
