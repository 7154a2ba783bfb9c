//! The new transport request form: who asked, patient, age, village, severity,
//! destination, note. Checked with the same rules as `transport request` before saving.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::input::{Edited, Kind, TextInput};
use crate::app::picker::{self, Picked, Picker};
use crate::domain::fleet::{NewRequest, check_request};
use crate::domain::town::Town;
use crate::domain::transport::Severity;
use crate::i18n::{Lang, Msg};

/// The form's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormField {
    /// Who asked.
    #[default]
    Caller,
    /// Patient's name.
    Patient,
    /// Patient's age.
    Age,
    /// Village (a picker: code, name, pinyin or initials).
    Village,
    /// Severity (Left/Right cycles).
    Severity,
    /// Destination (Left/Right cycles; or typed: code, name, pinyin, initials).
    Destination,
    /// Free text.
    Note,
}

impl FormField {
    /// Every field in Tab order.
    pub const ALL: [FormField; 7] = [
        FormField::Caller,
        FormField::Patient,
        FormField::Age,
        FormField::Village,
        FormField::Severity,
        FormField::Destination,
        FormField::Note,
    ];

    /// Catalogue key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            FormField::Caller => "fleet.form.caller",
            FormField::Patient => "fleet.form.patient",
            FormField::Age => "fleet.form.age",
            FormField::Village => "fleet.form.village",
            FormField::Severity => "fleet.form.severity",
            FormField::Destination => "fleet.form.destination",
            FormField::Note => "fleet.form.note",
        }
    }

    /// The field a checking message is about (the names `check_request` gives).
    pub fn from_context(c: &str) -> Option<FormField> {
        Some(match c {
            "caller" => FormField::Caller,
            "patient" => FormField::Patient,
            "age" => FormField::Age,
            "village" => FormField::Village,
            "severity" => FormField::Severity,
            "to" => FormField::Destination,
            "note" => FormField::Note,
            _ => return None,
        })
    }

    fn step(self, delta: isize) -> FormField {
        let n = FormField::ALL.len() as isize;
        let i = FormField::ALL.iter().position(|f| *f == self).unwrap_or(0) as isize;
        FormField::ALL[((i + delta).rem_euclid(n)) as usize]
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormOutcome {
    /// Keep editing.
    Editing,
    /// Close without saving.
    Closed,
    /// Save this request.
    Save(NewRequest),
}

/// The longest name, caller or note the form takes (as `transport request`).
pub const TEXT_LIMIT: usize = 200;

/// The form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestForm {
    /// Who asked.
    pub caller: TextInput,
    /// Patient's name.
    pub patient: TextInput,
    /// Age, digits only.
    pub age: TextInput,
    /// The village: typed code, name or pinyin, and the highlighted match.
    pub village: Picker,
    /// Index into [`Severity::ALL`]; none until the dispatcher chooses (no silent default).
    pub severity: Option<usize>,
    /// Index into [`destinations`]; until chosen, the village's health center.
    pub destination: Option<usize>,
    /// A destination being typed (the picker); empty while Left/Right choose.
    pub dest_query: Picker,
    /// Note.
    pub note: TextInput,
    /// The field with the cursor.
    pub field: FormField,
    /// Problems found at the last save attempt, each naming its field.
    pub errors: Vec<Msg>,
    /// Asking whether to throw away what was typed.
    pub confirm_discard: bool,
    /// Something was typed or chosen.
    pub changed: bool,
    /// A request this one likely repeats, shown before saving; Enter again saves anyway.
    pub duplicate_of: Option<(i64, String)>,
}

/// Where a patient can be taken: the health centers, then the referral hospitals.
pub fn destinations(town: &Town) -> Vec<String> {
    town.health_centers
        .iter()
        .map(|h| h.code.clone())
        .chain(town.hospitals.iter().map(|h| h.code.clone()))
        .collect()
}

impl Default for RequestForm {
    fn default() -> Self {
        RequestForm {
            caller: TextInput::new(Kind::Line, TEXT_LIMIT),
            patient: TextInput::new(Kind::Line, TEXT_LIMIT),
            age: TextInput::new(Kind::Digits, 3),
            village: Picker::default(),
            severity: None,
            destination: None,
            dest_query: Picker::default(),
            note: TextInput::new(Kind::Line, TEXT_LIMIT),
            field: FormField::default(),
            errors: Vec::new(),
            confirm_discard: false,
            changed: false,
            duplicate_of: None,
        }
    }
}

impl RequestForm {
    /// The village the form names: the code taken from the picker, or the one entry its
    /// query names without doubt; else the query as typed (checking then says it is unknown).
    pub fn village_code(&self, town: &Town) -> String {
        let q = self.village.input.text().trim();
        picker::village_code(town, q).unwrap_or_else(|| q.to_string())
    }

    /// The request as entered so far.
    pub fn request(&self, town: &Town) -> NewRequest {
        NewRequest {
            caller: self.caller.text().trim().to_string(),
            patient: self.patient.text().trim().to_string(),
            age: self.age.text().trim().parse().ok(),
            village: self.village_code(town),
            severity: self
                .severity
                .and_then(|i| Severity::ALL.get(i))
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            destination: self
                .destination_index(town)
                .and_then(|i| destinations(town).get(i).cloned())
                .unwrap_or_default(),
            note: self.note.text().trim().to_string(),
        }
    }

    /// The destination as chosen, else the health center serving the village typed so far.
    pub fn destination_index(&self, town: &Town) -> Option<usize> {
        self.destination.or_else(|| {
            let hc = &town.village(&self.village_code(town))?.health_center;
            destinations(town).iter().position(|d| d == hc)
        })
    }

    /// The problem about one field, if any (without its field name, shown beside it).
    pub fn error_for(&self, f: FormField) -> Option<Msg> {
        self.errors
            .iter()
            .find(|m| m.context.as_deref().and_then(FormField::from_context) == Some(f))
            .map(|m| Msg {
                context: None,
                ..m.clone()
            })
    }

    /// Applies one key. A field changed loses the problem the last save found in it.
    pub fn on_key(&mut self, town: &Town, k: KeyEvent) -> FormOutcome {
        let was = (self.field, self.request(town));
        let out = self.key(town, k);
        if was.1 != self.request(town) {
            self.errors
                .retain(|e| e.context.as_deref().and_then(FormField::from_context) != Some(was.0));
        }
        out
    }

    fn key(&mut self, town: &Town, k: KeyEvent) -> FormOutcome {
        if self.confirm_discard {
            return match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => FormOutcome::Closed,
                _ => {
                    self.confirm_discard = false;
                    FormOutcome::Editing
                }
            };
        }
        if let Some(out) = self.field_key(town, k) {
            return out;
        }
        self.form_key(town, k)
    }

    /// A key for the field with the cursor (the village and destination pickers, the text
    /// inputs); `None` when the field does not take it.
    fn field_key(&mut self, town: &Town, k: KeyEvent) -> Option<FormOutcome> {
        if self.field == FormField::Village {
            let entries = picker::villages(town, Lang::Zh);
            match self.village.key(k, &entries) {
                Picked::Editing => {
                    self.changed = true;
                    return Some(FormOutcome::Editing);
                }
                // Tab takes the highlighted village and moves on; Enter only takes it
                Picked::Took(_) => {
                    self.changed = true;
                    if k.code == KeyCode::Tab {
                        self.field = self.field.step(1);
                    }
                    return Some(FormOutcome::Editing);
                }
                Picked::NotMine => {}
            }
        } else if self.field == FormField::Destination
            && !matches!(k.code, KeyCode::Left | KeyCode::Right)
        {
            let entries = picker::destinations(town, Lang::Zh);
            match self.dest_query.key(k, &entries) {
                Picked::Editing => {
                    self.changed = true;
                    return Some(FormOutcome::Editing);
                }
                Picked::Took(code) => {
                    self.destination = destinations(town).iter().position(|d| *d == code);
                    self.dest_query.input.clear();
                    self.changed = true;
                    if k.code == KeyCode::Tab {
                        self.field = self.field.step(1);
                    }
                    return Some(FormOutcome::Editing);
                }
                Picked::NotMine => {}
            }
        } else if self.field != FormField::Destination
            && let Some(input) = self.input_mut()
        {
            match input.key(k) {
                Edited::Changed => {
                    self.changed = true;
                    return Some(FormOutcome::Editing);
                }
                Edited::Kept => return Some(FormOutcome::Editing),
                Edited::NotMine => {}
            }
        }
        None
    }

    /// A key for the form as a whole: leave (asking first when changed), move between
    /// fields, save, or cycle a choice.
    fn form_key(&mut self, town: &Town, k: KeyEvent) -> FormOutcome {
        match k.code {
            KeyCode::Esc => {
                if self.changed {
                    self.confirm_discard = true;
                    FormOutcome::Editing
                } else {
                    FormOutcome::Closed
                }
            }
            KeyCode::Tab | KeyCode::Down => {
                self.field = self.field.step(1);
                FormOutcome::Editing
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.field = self.field.step(-1);
                FormOutcome::Editing
            }
            KeyCode::Enter => self.save(town),
            KeyCode::Left => {
                self.cycle(town, -1);
                FormOutcome::Editing
            }
            KeyCode::Right => {
                self.cycle(town, 1);
                FormOutcome::Editing
            }
            _ => FormOutcome::Editing,
        }
    }

    /// The text input with the cursor (the village's query included), if the field is text.
    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.field {
            FormField::Caller => Some(&mut self.caller),
            FormField::Patient => Some(&mut self.patient),
            FormField::Age => Some(&mut self.age),
            FormField::Village => Some(&mut self.village.input),
            FormField::Destination => Some(&mut self.dest_query.input),
            FormField::Note => Some(&mut self.note),
            FormField::Severity => None,
        }
    }

    /// What the field's input last refused (too long, a character it does not take).
    pub fn notice_for(&self, f: FormField) -> Option<&Msg> {
        match f {
            FormField::Caller => self.caller.notice.as_ref(),
            FormField::Patient => self.patient.notice.as_ref(),
            FormField::Age => self.age.notice.as_ref(),
            FormField::Village => self.village.input.notice.as_ref(),
            FormField::Destination => self.dest_query.input.notice.as_ref(),
            FormField::Note => self.note.notice.as_ref(),
            FormField::Severity => None,
        }
    }

    /// Left/Right on a choice: severity or destination.
    fn cycle(&mut self, town: &Town, delta: isize) {
        // from nothing chosen, Right takes the first option and Left the last
        let step = |i: Option<usize>, n: usize| -> Option<usize> {
            if n == 0 {
                return None;
            }
            Some(match i {
                Some(i) => (i as isize + delta).rem_euclid(n as isize) as usize,
                None if delta < 0 => n - 1,
                None => 0,
            })
        };
        match self.field {
            FormField::Severity => self.severity = step(self.severity, Severity::ALL.len()),
            FormField::Destination => {
                let from = self.destination_index(town);
                self.destination = step(from, destinations(town).len());
                self.dest_query.input.clear();
            }
            _ => return,
        }
        self.changed = true;
    }

    fn save(&mut self, town: &Town) -> FormOutcome {
        let req = self.request(town);
        match check_request(town, &req) {
            Ok(_) => FormOutcome::Save(req),
            Err(problems) => {
                if let Some(f) = problems
                    .first()
                    .and_then(|p| p.context.as_deref())
                    .and_then(FormField::from_context)
                {
                    self.field = f;
                }
                self.errors = problems;
                FormOutcome::Editing
            }
        }
    }
}
