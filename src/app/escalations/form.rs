//! The Escalations screen's small forms: a new escalation, a resolution note, a stock count.
//! Each checks its input before anything is sent to the store.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::EscalationsWrite;
use crate::app::input::{Edited, Kind as InputKind, TextInput};
use crate::app::picker::{self, Picked, Picker};
use crate::domain::escalation::{Kind, StockItem};
use crate::domain::time::parse_due;
use crate::domain::town::Town;
use crate::i18n::Msg;

/// The manual kinds, in the order the form cycles through them.
pub const MANUAL_KINDS: [Kind; 3] = [Kind::Referral, Kind::Concern, Kind::Other];

/// Fields of the new-escalation form, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddField {
    /// Kind (choice).
    #[default]
    Kind,
    /// Title (text).
    Title,
    /// Village (a picker: code, name, pinyin or initials; may be left empty).
    Village,
    /// Details (text).
    Details,
    /// Deadline (text).
    Due,
    /// Direct referral (yes/no).
    Direct,
}

impl AddField {
    /// In Tab order.
    pub const ALL: [AddField; 6] = [
        AddField::Kind,
        AddField::Title,
        AddField::Village,
        AddField::Details,
        AddField::Due,
        AddField::Direct,
    ];

    /// Catalogue key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            AddField::Kind => "esc.form.kind",
            AddField::Title => "esc.form.title",
            AddField::Village => "esc.form.village",
            AddField::Details => "esc.form.details",
            AddField::Due => "esc.form.due",
            AddField::Direct => "esc.form.direct",
        }
    }
}

/// The longest title, details or note the forms take.
pub const TEXT_LIMIT: usize = 200;

/// A new escalation being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct AddForm {
    /// Index into [`MANUAL_KINDS`].
    pub kind: usize,
    /// Title.
    pub title: TextInput,
    /// The village, if any: what was typed and the highlighted match.
    pub village: Picker,
    /// Details.
    pub details: TextInput,
    /// Deadline as typed.
    pub due: TextInput,
    /// Direct referral.
    pub direct: bool,
    /// Field with the cursor.
    pub field: AddField,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            kind: 0,
            title: TextInput::new(InputKind::Line, TEXT_LIMIT),
            village: Picker::default(),
            details: TextInput::new(InputKind::Line, TEXT_LIMIT),
            due: TextInput::new(InputKind::Line, 40),
            direct: false,
            field: AddField::default(),
            error: None,
        }
    }
}

impl AddForm {
    /// The village code the form names, `None` when the field is empty, or `Err` with the
    /// query when it names no village (or several).
    pub fn village_code(&self, town: &Town) -> Result<Option<String>, String> {
        let q = self.village.input.text().trim();
        if q.is_empty() {
            return Ok(None);
        }
        picker::village_code(town, q)
            .map(Some)
            .ok_or_else(|| q.to_string())
    }

    /// The text input with the cursor, if the field is text.
    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.field {
            AddField::Title => Some(&mut self.title),
            AddField::Village => Some(&mut self.village.input),
            AddField::Details => Some(&mut self.details),
            AddField::Due => Some(&mut self.due),
            AddField::Kind | AddField::Direct => None,
        }
    }
}

/// A resolution note being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveForm {
    /// Escalation id.
    pub id: i64,
    /// Its title, for the form's heading.
    pub title: String,
    /// The note.
    pub note: TextInput,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

impl ResolveForm {
    /// An empty note for escalation `id`.
    pub fn new(id: i64, title: String) -> ResolveForm {
        ResolveForm {
            id,
            title,
            note: TextInput::new(InputKind::Line, TEXT_LIMIT),
            error: None,
        }
    }
}

/// A stock count being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct StockForm {
    /// The place: a health center or a village clinic, by code, name or pinyin.
    pub place: Picker,
    /// Drug packs (false) or antigen kits (true).
    pub kits: bool,
    /// Quantity as typed (digits only).
    pub quantity: TextInput,
    /// Field with the cursor: 0 place, 1 item, 2 quantity.
    pub field: usize,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

impl Default for StockForm {
    fn default() -> Self {
        StockForm {
            place: Picker::default(),
            kits: false,
            quantity: TextInput::new(InputKind::Digits, 7),
            field: 0,
            error: None,
        }
    }
}

impl StockForm {
    /// The text input with the cursor, if the field is text.
    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.field {
            0 => Some(&mut self.place.input),
            2 => Some(&mut self.quantity),
            _ => None,
        }
    }

    /// The chosen item.
    pub fn item(&self) -> StockItem {
        if self.kits {
            StockItem::AntigenKits
        } else {
            StockItem::DrugPacks
        }
    }
}

/// The open form.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// New escalation (boxed: its inputs make it the largest form by far).
    Add(Box<AddForm>),
    /// Resolve with a note.
    Resolve(ResolveForm),
    /// Stock count.
    Stock(StockForm),
}

/// What a key did to a form.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Still editing.
    Editing,
    /// Closed without saving.
    Cancelled,
    /// Ready: send this write.
    Submit(EscalationsWrite),
}

/// Places that keep stock: health centers first, then village clinics.
pub fn stock_places(town: &Town) -> Vec<String> {
    town.health_centers
        .iter()
        .map(|h| h.code.clone())
        .chain(town.villages.iter().map(|v| v.code.clone()))
        .collect()
}

/// The stock places as picker entries, in [`stock_places`] order.
pub fn stock_entries(town: &Town, lang: crate::i18n::Lang) -> Vec<picker::Entry> {
    let hc = town.health_centers.iter().map(|h| {
        picker::Entry::new(
            &h.code,
            &town.place_name(&h.code, lang),
            &[&h.name, &h.name_en],
        )
    });
    hc.chain(picker::villages(town, lang)).collect()
}

/// The text input with the cursor in the open form, for a paste.
pub fn focused_input(form: &mut Form) -> Option<&mut TextInput> {
    match form {
        Form::Add(f) => f.input_mut(),
        Form::Resolve(f) => Some(&mut f.note),
        Form::Stock(f) => f.input_mut(),
    }
}

fn cycle(i: usize, n: usize, forward: bool) -> usize {
    if n == 0 {
        0
    } else if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }
}

/// Handles a key in the open form.
pub fn on_key(form: &mut Form, k: KeyEvent, town: &Town, now: DateTime<Utc>) -> Outcome {
    if k.code == KeyCode::Esc {
        return Outcome::Cancelled;
    }
    match form {
        Form::Add(f) => add_key(f, k, town, now),
        Form::Resolve(f) => match k.code {
            KeyCode::Enter if f.note.text().trim().is_empty() => {
                f.error = Some(Msg::new("err.note_required"));
                Outcome::Editing
            }
            KeyCode::Enter => Outcome::Submit(EscalationsWrite::Resolve(
                f.id,
                f.note.text().trim().to_string(),
            )),
            _ => {
                if f.note.key(k) == Edited::Changed {
                    f.error = None;
                }
                Outcome::Editing
            }
        },
        Form::Stock(f) => stock_key(f, k, town),
    }
}

fn add_key(f: &mut AddForm, k: KeyEvent, town: &Town, now: DateTime<Utc>) -> Outcome {
    let code = k.code;
    if f.field == AddField::Village {
        let entries = picker::villages(town, crate::i18n::Lang::Zh);
        match f.village.key(k, &entries) {
            Picked::Editing => {
                f.error = None;
                return Outcome::Editing;
            }
            Picked::Took(_) => {
                f.error = None;
                if code == KeyCode::Tab {
                    f.field = AddField::Details;
                }
                return Outcome::Editing;
            }
            Picked::NotMine => {}
        }
    } else if let Some(input) = f.input_mut() {
        match input.key(k) {
            Edited::Changed => {
                f.error = None;
                return Outcome::Editing;
            }
            Edited::Kept => return Outcome::Editing,
            Edited::NotMine => {}
        }
    }
    let pos = AddField::ALL
        .iter()
        .position(|x| *x == f.field)
        .unwrap_or(0);
    let n = AddField::ALL.len();
    match code {
        KeyCode::Tab | KeyCode::Down => f.field = AddField::ALL[(pos + 1) % n],
        KeyCode::BackTab | KeyCode::Up => f.field = AddField::ALL[(pos + n - 1) % n],
        KeyCode::Enter => return submit_add(f, town, now),
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
            if matches!(f.field, AddField::Kind | AddField::Direct) =>
        {
            let fwd = code != KeyCode::Left;
            match f.field {
                AddField::Kind => f.kind = cycle(f.kind, MANUAL_KINDS.len(), fwd),
                _ => f.direct = !f.direct,
            }
        }
        _ => return Outcome::Editing,
    }
    f.error = None;
    Outcome::Editing
}

fn submit_add(f: &mut AddForm, town: &Town, now: DateTime<Utc>) -> Outcome {
    if f.title.text().trim().is_empty() {
        f.field = AddField::Title;
        f.error = Some(Msg::new("err.required"));
        return Outcome::Editing;
    }
    let village = match f.village_code(town) {
        Ok(v) => v,
        Err(q) => {
            f.field = AddField::Village;
            f.error = Some(Msg::new("err.unknown_village").quoted("value", &q));
            return Outcome::Editing;
        }
    };
    let Some(due) = parse_due(f.due.text(), now, town.info.offset) else {
        f.field = AddField::Due;
        f.error = Some(Msg::new("err.esc.bad_due").quoted("value", f.due.text().trim()));
        return Outcome::Editing;
    };
    Outcome::Submit(EscalationsWrite::Raise {
        kind: MANUAL_KINDS[f.kind.min(MANUAL_KINDS.len() - 1)],
        title: f.title.text().trim().to_string(),
        village,
        details: f.details.text().trim().to_string(),
        direct: f.direct,
        due,
    })
}

fn stock_key(f: &mut StockForm, k: KeyEvent, town: &Town) -> Outcome {
    let code = k.code;
    let entries = stock_entries(town, crate::i18n::Lang::Zh);
    if f.field == 0 {
        match f.place.key(k, &entries) {
            Picked::Editing => {
                f.error = None;
                return Outcome::Editing;
            }
            Picked::Took(_) => {
                f.error = None;
                if code == KeyCode::Tab {
                    f.field = 1;
                }
                return Outcome::Editing;
            }
            Picked::NotMine => {}
        }
    } else if f.field == 2 {
        match f.quantity.key(k) {
            Edited::Changed => {
                f.error = None;
                return Outcome::Editing;
            }
            Edited::Kept => return Outcome::Editing,
            Edited::NotMine => {}
        }
    }
    match code {
        KeyCode::Tab | KeyCode::Down => f.field = (f.field + 1) % 3,
        KeyCode::BackTab | KeyCode::Up => f.field = (f.field + 2) % 3,
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if f.field == 1 => f.kits = !f.kits,
        KeyCode::Enter => {
            let Some(place) = f.place.chosen(&entries).map(|e| e.code.clone()) else {
                f.field = 0;
                f.error = Some(
                    Msg::new("err.unknown_village").quoted("value", f.place.input.text().trim()),
                );
                return Outcome::Editing;
            };
            // only digits can be typed, so a parsed quantity is never negative
            let Ok(quantity) = f.quantity.text().trim().parse::<i64>() else {
                f.field = 2;
                f.error = Some(
                    Msg::new("err.esc.bad_quantity").quoted("value", f.quantity.text().trim()),
                );
                return Outcome::Editing;
            };
            return Outcome::Submit(EscalationsWrite::SetStock {
                place,
                item: f.item(),
                quantity,
            });
        }
        _ => return Outcome::Editing,
    }
    f.error = None;
    Outcome::Editing
}
