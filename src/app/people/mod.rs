//! The Key populations screen (重点人群, issue 15): per village, who is due today and who
//! is overdue, searchable by name, pinyin initials or village; a contact is recorded in a
//! few keys (method, outcome, note). *Worse* opens the transport form prefilled with the
//! person's village, name and age; *referred* opens a referral escalation form.

use crossterm::event::{KeyCode, KeyEvent};

use super::escalations::form::{AddForm, Form};
use super::fleet::{Popup, RequestForm};
use super::input::{Edited, Kind, TextInput};
use super::{Effect, Model, Screen, WriteCmd};
use crate::domain::people::search::Query;
use crate::domain::people::{Method, Outcome};
use crate::domain::roles::Permission;
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::people::{self, CallRow, NewContact};
use crate::store::{Ctx, Store};

/// Fields of the contact form, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactField {
    /// phone or visit (Left/Right, `p`/`v`).
    #[default]
    Method,
    /// stable, worse, unreachable, referred (Left/Right, `1`–`4`).
    Outcome,
    /// Free text.
    Note,
}

impl ContactField {
    /// In Tab order.
    pub const ALL: [ContactField; 3] = [
        ContactField::Method,
        ContactField::Outcome,
        ContactField::Note,
    ];

    /// Catalogue key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            ContactField::Method => "people.form.method",
            ContactField::Outcome => "people.form.outcome",
            ContactField::Note => "people.form.note",
        }
    }

    fn step(self, delta: isize) -> ContactField {
        let n = ContactField::ALL.len() as isize;
        let i = ContactField::ALL
            .iter()
            .position(|f| *f == self)
            .unwrap_or(0) as isize;
        ContactField::ALL[(i + delta).rem_euclid(n) as usize]
    }
}

/// The most characters the `/` search holds.
pub const SEARCH_LIMIT: usize = 40;

/// The most characters of a contact's note and of a retirement's reason.
pub const NOTE_LIMIT: usize = 200;

/// A contact being recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactForm {
    /// The person's id.
    pub person: i64,
    /// Index into [`Method::ALL`] (phone first).
    pub method: usize,
    /// Index into [`Outcome::ALL`]; none until chosen (no silent default).
    pub outcome: Option<usize>,
    /// Note (the shared input: cursor, limit, refusals said).
    pub note: TextInput,
    /// The field with the cursor.
    pub field: ContactField,
    /// What is wrong (no outcome chosen).
    pub error: Option<Msg>,
}

impl ContactForm {
    /// A new contact for `person`: phone, no outcome yet, an empty note.
    pub fn new(person: i64) -> ContactForm {
        ContactForm {
            person,
            method: 0,
            outcome: None,
            note: TextInput::new(Kind::Line, NOTE_LIMIT),
            field: ContactField::default(),
            error: None,
        }
    }
}

/// Taking a person off the register: who, and the reason typed (the popup is the
/// confirmation: Enter retires, Esc leaves it).
#[derive(Debug, Clone, PartialEq)]
pub struct RetireForm {
    /// The person's id.
    pub person: i64,
    /// Their name as stored (shown whole: the popup is the person's detail).
    pub name: String,
    /// Why (required).
    pub reason: TextInput,
    /// What is wrong (no reason typed).
    pub error: Option<Msg>,
}

/// What the screen remembers between frames.
#[derive(Debug, Clone, PartialEq)]
pub struct PeopleUi {
    /// The search typed after `/` (name, pinyin initials or village).
    pub query: TextInput,
    /// The search line has the keyboard.
    pub searching: bool,
    /// The open contact form.
    pub form: Option<ContactForm>,
    /// The open retirement popup.
    pub retire: Option<RetireForm>,
}

impl Default for PeopleUi {
    fn default() -> Self {
        PeopleUi {
            query: TextInput::new(Kind::Line, SEARCH_LIMIT),
            searching: false,
            form: None,
            retire: None,
        }
    }
}

impl PeopleUi {
    /// True while the search line, the form or the retirement popup owns the keyboard.
    pub fn modal(&self) -> bool {
        self.searching || self.form.is_some() || self.retire.is_some()
    }
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum PeopleWrite {
    /// Record a contact.
    Contact(NewContact),
    /// Take a person off the register.
    Retire {
        /// The person's id.
        person: i64,
        /// Why.
        reason: String,
    },
}

/// The call list as shown: filtered by the search (the query and each village's texts are
/// prepared once per call, not per person).
pub fn visible(m: &Model) -> Vec<&CallRow> {
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    let q = Query::new(m.people.query.text());
    if q.is_empty() {
        return s.call_list.iter().collect();
    }
    let villages: std::collections::HashMap<&str, Vec<String>> = m
        .town
        .villages
        .iter()
        .map(|v| {
            (
                v.code.as_str(),
                vec![
                    v.code.to_lowercase(),
                    v.name.to_lowercase(),
                    v.name_en.to_lowercase(),
                ],
            )
        })
        .collect();
    s.call_list
        .iter()
        .filter(|r| {
            let texts = villages
                .get(r.listed.village.as_str())
                .map_or(&[][..], |v| v.as_slice());
            q.finds(&r.spelled, texts)
        })
        .collect()
}

/// The selected person, if any.
pub fn selected(m: &Model) -> Option<&CallRow> {
    selected_in(m, &visible(m))
}

/// The selected person among rows already filtered by [`visible`] (a frame filters once).
pub fn selected_in<'a>(m: &Model, rows: &[&'a CallRow]) -> Option<&'a CallRow> {
    let i = m.selected[Screen::People.index()].min(rows.len().saturating_sub(1));
    rows.get(i).copied()
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    m.snapshot.as_ref()?;
    if m.people.form.is_some() {
        return Some(form_key(m, k));
    }
    if m.people.retire.is_some() {
        return Some(retire_key(m, k));
    }
    if m.people.searching {
        match k.code {
            KeyCode::Esc => {
                m.people.query.clear();
                m.people.searching = false;
            }
            KeyCode::Enter => m.people.searching = false,
            // the shared input: cursor, limit, what cannot be typed said beside it
            _ => {
                m.people.query.key(k);
            }
        }
        m.selected[Screen::People.index()] = 0;
        return Some(Vec::new());
    }
    match k.code {
        KeyCode::Char('/') => {
            m.people.searching = true;
            Some(Vec::new())
        }
        KeyCode::Esc if !m.people.query.is_empty() => {
            m.people.query.clear();
            Some(Vec::new())
        }
        KeyCode::Enter => Some(
            super::access::refuse(m, Permission::RecordContact).unwrap_or_else(|| {
                if let Some(id) = selected(m).map(|r| r.listed.id) {
                    m.people.form = Some(ContactForm::new(id));
                    m.dirty = true;
                }
                Vec::new()
            }),
        ),
        KeyCode::Char('x') => Some(open_retire(m)),
        _ => None,
    }
}

/// `x`: the retirement popup for the selected person (the shift lead's, as `people
/// level` is).
fn open_retire(m: &mut Model) -> Vec<Effect> {
    if let Some(refused) = super::access::refuse(m, Permission::ManageRegister) {
        return refused;
    }
    if let Some(p) = selected(m).map(|r| (r.listed.id, r.listed.name.clone())) {
        m.people.retire = Some(RetireForm {
            person: p.0,
            name: p.1,
            reason: TextInput::new(Kind::Line, NOTE_LIMIT),
            error: None,
        });
        m.dirty = true;
    }
    Vec::new()
}

/// The retirement popup's keys: the reason's input, Enter to retire, Esc to leave.
fn retire_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(r) = m.people.retire.as_mut() else {
        return Vec::new();
    };
    match k.code {
        KeyCode::Esc => {
            m.people.retire = None;
            m.dirty = false;
        }
        KeyCode::Enter if r.reason.text().trim().is_empty() => {
            r.error = Some(Msg::new("err.required").context(m.lang.t("people_isp.retire_reason")));
            return vec![Effect::Bell];
        }
        KeyCode::Enter => {
            let w = PeopleWrite::Retire {
                person: r.person,
                reason: r.reason.text().trim().to_string(),
            };
            m.people.retire = None;
            m.dirty = false;
            return vec![Effect::Write(WriteCmd::People(w), m.view)];
        }
        _ => {
            if r.reason.key(k) == Edited::Changed {
                r.error = None;
            }
        }
    }
    Vec::new()
}

/// A paste on this screen: into the `/` search or the contact form's note, a line break
/// or tab a space and other control characters left out (so it never presses Enter);
/// on the form's choice fields it changes nothing (a pasted `1` or `p` is not a choice).
/// False when neither the search nor the form has the keyboard.
pub fn paste(m: &mut Model, text: &str) -> bool {
    if let Some(form) = m.people.form.as_mut() {
        if form.field == ContactField::Note {
            form.note.paste(text);
        }
        return true;
    }
    if let Some(r) = m.people.retire.as_mut() {
        r.reason.paste(text);
        return true;
    }
    if m.people.searching {
        m.people.query.paste(text);
        m.selected[Screen::People.index()] = 0;
        return true;
    }
    false
}

fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(form) = m.people.form.as_mut() else {
        return Vec::new();
    };
    form.error = None;
    // the note is the shared input: it takes its editing keys first
    if form.field == ContactField::Note && form.note.key(k) != Edited::NotMine {
        return Vec::new();
    }
    let outcomes = Outcome::ALL.len();
    match (k.code, form.field) {
        (KeyCode::Esc, _) => {
            m.people.form = None;
            m.dirty = false;
        }
        (KeyCode::Tab | KeyCode::Down, _) => form.field = form.field.step(1),
        (KeyCode::BackTab | KeyCode::Up, _) => form.field = form.field.step(-1),
        (KeyCode::Enter, _) => return save(m),
        (KeyCode::Left | KeyCode::Right, ContactField::Method) => {
            form.method = (form.method + 1) % Method::ALL.len();
        }
        (KeyCode::Char('p'), ContactField::Method) => form.method = 0,
        (KeyCode::Char('v'), ContactField::Method) => form.method = 1,
        (KeyCode::Right, ContactField::Outcome) => {
            form.outcome = Some(form.outcome.map_or(0, |o| (o + 1) % outcomes));
        }
        (KeyCode::Left, ContactField::Outcome) => {
            form.outcome = Some(
                form.outcome
                    .map_or(outcomes - 1, |o| (o + outcomes - 1) % outcomes),
            );
        }
        (KeyCode::Char(c @ '1'..='4'), ContactField::Outcome) => {
            form.outcome = c.to_digit(10).map(|d| d as usize - 1);
        }
        _ => {}
    }
    Vec::new()
}

fn save(m: &mut Model) -> Vec<Effect> {
    let Some(form) = m.people.form.clone() else {
        return Vec::new();
    };
    let Some(outcome) = form.outcome.and_then(|i| Outcome::ALL.get(i).copied()) else {
        if let Some(f) = m.people.form.as_mut() {
            f.error = Some(Msg::new("people.form.choose_outcome"));
            f.field = ContactField::Outcome;
        }
        return vec![Effect::Bell];
    };
    let person = m
        .snapshot
        .as_deref()
        .and_then(|s| s.call_list.iter().find(|r| r.listed.id == form.person))
        .map(|r| r.listed.clone());
    m.people.form = None;
    m.dirty = false;
    let w = PeopleWrite::Contact(NewContact {
        person: form.person,
        method: Method::ALL
            .get(form.method)
            .copied()
            .unwrap_or(Method::Phone),
        outcome,
        note: form.note.text().trim().to_string(),
        at: None,
        lang: m.lang,
    });
    let mut effects = vec![Effect::Write(WriteCmd::People(w), m.view)];
    if let Some(p) = person {
        match outcome {
            Outcome::Worse => effects.extend(open_transport(m, &p)),
            Outcome::Referred => effects.extend(open_referral(m, &p)),
            _ => {}
        }
    }
    effects
}

/// Outcome *worse*: the transport request form, prefilled with the person's village,
/// name and age, on the Fleet screen (the dispatcher chooses severity and destination).
fn open_transport(m: &mut Model, p: &people::Listed) -> Vec<Effect> {
    if let Some(refused) = super::access::refuse(m, Permission::RequestTransport) {
        return refused;
    }
    let mut form = RequestForm::default();
    form.caller.set(&p.cadre);
    form.patient.set(&p.name);
    form.age.set(&p.age.to_string());
    form.village.input.set(&p.village);
    form.note.set(
        &m.lang
            .fmt("people.transport_note", &[("id", &p.id.to_string())]),
    );
    form.changed = true;
    m.fleet.popup = Some(Popup::Form(Box::new(form)));
    m.screen = Screen::Fleet;
    m.dirty = true;
    Vec::new()
}

/// Outcome *referred*: the new-escalation form as a referral for the person's village,
/// due in 2 hours, on the Escalations screen.
fn open_referral(m: &mut Model, p: &people::Listed) -> Vec<Effect> {
    if let Some(refused) = super::access::refuse(m, Permission::HandleEscalation) {
        return refused;
    }
    let kind = super::escalations::form::MANUAL_KINDS
        .iter()
        .position(|k| *k == crate::domain::escalation::Kind::Referral)
        .unwrap_or(0);
    let mut form = AddForm {
        kind,
        ..Default::default()
    };
    form.title.set(&m.lang.fmt(
        "people.referral_title",
        &[
            ("id", &p.id.to_string()),
            ("name", &p.name),
            ("age", &p.age.to_string()),
        ],
    ));
    form.village.input.set(&p.village);
    form.due.set("2h");
    m.escalations.form = Some(Form::Add(Box::new(form)));
    m.screen = Screen::Escalations;
    m.dirty = true;
    Vec::new()
}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(store: &mut Store, town: &Town, ctx: &Ctx, w: PeopleWrite) -> Result<Msg, Msg> {
    match w {
        PeopleWrite::Contact(c) => {
            let done = store.write(ctx, |w| people::record_contact(w, town, &c))?;
            let name = crate::domain::privacy::mask_name(&done.person.details.name);
            let msg = Msg::new("people.contact_recorded")
                .arg("contact", done.id)
                .arg("id", done.person.id)
                .arg("name", name)
                .label("outcome", c.outcome.label_key());
            Ok(match done.concern {
                Some(e) => Msg::new("people.recorded_with_concern")
                    .arg("recorded", msg.render(c.lang))
                    .arg("id", e),
                None => msg,
            })
        }
        PeopleWrite::Retire { person, reason } => {
            let p = store.write(ctx, |w| people::retire(w, town, person, &reason))?;
            Ok(Msg::new("people_isp.retired")
                .arg("id", p.id)
                .arg("name", crate::domain::privacy::mask_name(&p.details.name))
                .arg("reason", crate::domain::text::entry(&reason)))
        }
    }
}

/// The Key populations screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, m: &Model) -> bool {
        m.people.modal()
    }

    fn rows(&self, m: &Model) -> usize {
        visible(m).len()
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        on_key(m, k)
    }
}
