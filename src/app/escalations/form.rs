//! The Escalations screen's small forms: a new escalation, a resolution note, a stock count.
//! Each checks its input before anything is sent to the store.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::EscalationsWrite;
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
    /// Village (choice, may be none).
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

/// A new escalation being typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AddForm {
    /// Index into [`MANUAL_KINDS`].
    pub kind: usize,
    /// Title.
    pub title: String,
    /// Index into the town's villages plus one (0 = no village).
    pub village: usize,
    /// Details.
    pub details: String,
    /// Deadline as typed.
    pub due: String,
    /// Direct referral.
    pub direct: bool,
    /// Field with the cursor.
    pub field: AddField,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

/// A resolution note being typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResolveForm {
    /// Escalation id.
    pub id: i64,
    /// Its title, for the form's heading.
    pub title: String,
    /// The note.
    pub note: String,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

/// A stock count being typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StockForm {
    /// Index into [`stock_places`].
    pub place: usize,
    /// Drug packs (false) or antigen kits (true).
    pub kits: bool,
    /// Quantity as typed.
    pub quantity: String,
    /// Field with the cursor: 0 place, 1 item, 2 quantity.
    pub field: usize,
    /// What is wrong with the input.
    pub error: Option<Msg>,
}

impl StockForm {
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
    /// New escalation.
    Add(AddForm),
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

fn cycle(i: usize, n: usize, forward: bool) -> usize {
    if n == 0 {
        0
    } else if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }
}

fn edit_text(s: &mut String, code: KeyCode) {
    match code {
        // a control character or bidi override is never typed into a form
        KeyCode::Char(c) if crate::domain::text::is_clean(c.encode_utf8(&mut [0; 4])) => s.push(c),
        KeyCode::Backspace => {
            s.pop();
        }
        _ => {}
    }
}

/// Handles a key in the open form.
pub fn on_key(form: &mut Form, k: KeyEvent, town: &Town, now: DateTime<Utc>) -> Outcome {
    if k.code == KeyCode::Esc {
        return Outcome::Cancelled;
    }
    match form {
        Form::Add(f) => add_key(f, k.code, town, now),
        Form::Resolve(f) => match k.code {
            KeyCode::Enter if f.note.trim().is_empty() => {
                f.error = Some(Msg::new("err.note_required"));
                Outcome::Editing
            }
            KeyCode::Enter => {
                Outcome::Submit(EscalationsWrite::Resolve(f.id, f.note.trim().to_string()))
            }
            code => {
                edit_text(&mut f.note, code);
                f.error = None;
                Outcome::Editing
            }
        },
        Form::Stock(f) => stock_key(f, k.code, town),
    }
}

fn add_key(f: &mut AddForm, code: KeyCode, town: &Town, now: DateTime<Utc>) -> Outcome {
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
            if matches!(
                f.field,
                AddField::Kind | AddField::Village | AddField::Direct
            ) =>
        {
            let fwd = code != KeyCode::Left;
            match f.field {
                AddField::Kind => f.kind = cycle(f.kind, MANUAL_KINDS.len(), fwd),
                AddField::Village => f.village = cycle(f.village, town.villages.len() + 1, fwd),
                _ => f.direct = !f.direct,
            }
        }
        code => match f.field {
            AddField::Title => edit_text(&mut f.title, code),
            AddField::Details => edit_text(&mut f.details, code),
            AddField::Due => edit_text(&mut f.due, code),
            _ => {}
        },
    }
    f.error = None;
    Outcome::Editing
}

fn submit_add(f: &mut AddForm, town: &Town, now: DateTime<Utc>) -> Outcome {
    if f.title.trim().is_empty() {
        f.field = AddField::Title;
        f.error = Some(Msg::new("err.required"));
        return Outcome::Editing;
    }
    let Some(due) = parse_due(&f.due, now, town.info.offset) else {
        f.field = AddField::Due;
        f.error = Some(Msg::new("err.esc.bad_due").quoted("value", f.due.trim()));
        return Outcome::Editing;
    };
    Outcome::Submit(EscalationsWrite::Raise {
        kind: MANUAL_KINDS[f.kind.min(MANUAL_KINDS.len() - 1)],
        title: f.title.trim().to_string(),
        village: f
            .village
            .checked_sub(1)
            .and_then(|i| town.villages.get(i))
            .map(|v| v.code.clone()),
        details: f.details.trim().to_string(),
        direct: f.direct,
        due,
    })
}

fn stock_key(f: &mut StockForm, code: KeyCode, town: &Town) -> Outcome {
    let places = stock_places(town);
    match code {
        KeyCode::Tab | KeyCode::Down => f.field = (f.field + 1) % 3,
        KeyCode::BackTab | KeyCode::Up => f.field = (f.field + 2) % 3,
        KeyCode::Left | KeyCode::Right if f.field == 0 => {
            f.place = cycle(f.place, places.len(), code == KeyCode::Right)
        }
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if f.field == 1 => f.kits = !f.kits,
        KeyCode::Enter => {
            // only digits can be typed, so a parsed quantity is never negative
            let Ok(quantity) = f.quantity.trim().parse::<i64>() else {
                f.field = 2;
                f.error = Some(Msg::new("err.esc.bad_quantity").quoted("value", f.quantity.trim()));
                return Outcome::Editing;
            };
            let Some(place) = places.get(f.place) else {
                return Outcome::Cancelled;
            };
            return Outcome::Submit(EscalationsWrite::SetStock {
                place: place.clone(),
                item: f.item(),
                quantity,
            });
        }
        KeyCode::Char(c) if f.field == 2 && c.is_ascii_digit() => f.quantity.push(c),
        KeyCode::Backspace if f.field == 2 => {
            f.quantity.pop();
        }
        _ => {}
    }
    f.error = None;
    Outcome::Editing
}
