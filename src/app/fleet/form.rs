//! The new transport request form: who asked, patient, age, village, severity,
//! destination, note. Checked with the same rules as `transport request` before saving.

use crossterm::event::{KeyCode, KeyEvent};

use crate::domain::fleet::{NewRequest, check_request};
use crate::domain::town::Town;
use crate::domain::transport::Severity;
use crate::i18n::Msg;

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
    /// Village (typed code or name; Left/Right cycles).
    Village,
    /// Severity (Left/Right cycles).
    Severity,
    /// Destination (Left/Right cycles).
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

/// The form's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestForm {
    /// Who asked.
    pub caller: String,
    /// Patient's name.
    pub patient: String,
    /// Age, digits only.
    pub age: String,
    /// Village code or name as typed.
    pub village: String,
    /// Index into [`Severity::ALL`]; none until the dispatcher chooses (no silent default).
    pub severity: Option<usize>,
    /// Index into [`destinations`]; until chosen, the village's health center.
    pub destination: Option<usize>,
    /// Note.
    pub note: String,
    /// The field with the cursor.
    pub field: FormField,
    /// Problems found at the last save attempt, each naming its field.
    pub errors: Vec<Msg>,
    /// Asking whether to throw away what was typed.
    pub confirm_discard: bool,
    /// Something was typed or chosen.
    pub changed: bool,
}

/// Where a patient can be taken: the health centers, then the referral hospitals.
pub fn destinations(town: &Town) -> Vec<String> {
    town.health_centers
        .iter()
        .map(|h| h.code.clone())
        .chain(town.hospitals.iter().map(|h| h.code.clone()))
        .collect()
}

impl RequestForm {
    /// The request as entered so far.
    pub fn request(&self, town: &Town) -> NewRequest {
        NewRequest {
            caller: self.caller.trim().to_string(),
            patient: self.patient.trim().to_string(),
            age: self.age.trim().parse().ok(),
            village: self.village.trim().to_string(),
            severity: self
                .severity
                .and_then(|i| Severity::ALL.get(i))
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            destination: self
                .destination_index(town)
                .and_then(|i| destinations(town).get(i).cloned())
                .unwrap_or_default(),
            note: self.note.trim().to_string(),
        }
    }

    /// The destination as chosen, else the health center serving the village typed so far.
    pub fn destination_index(&self, town: &Town) -> Option<usize> {
        self.destination.or_else(|| {
            let hc = &town.village(&self.village)?.health_center;
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

    /// Applies one key.
    pub fn on_key(&mut self, town: &Town, k: KeyEvent) -> FormOutcome {
        if self.confirm_discard {
            return match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => FormOutcome::Closed,
                _ => {
                    self.confirm_discard = false;
                    FormOutcome::Editing
                }
            };
        }
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
            KeyCode::Backspace => {
                if let Some(text) = self.text_mut() {
                    text.pop();
                    self.changed = true;
                }
                FormOutcome::Editing
            }
            KeyCode::Char(c) if crate::domain::text::is_clean(c.encode_utf8(&mut [0; 4])) => {
                self.type_char(c);
                FormOutcome::Editing
            }
            _ => FormOutcome::Editing,
        }
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.field {
            FormField::Caller => Some(&mut self.caller),
            FormField::Patient => Some(&mut self.patient),
            FormField::Age => Some(&mut self.age),
            FormField::Village => Some(&mut self.village),
            FormField::Note => Some(&mut self.note),
            FormField::Severity | FormField::Destination => None,
        }
    }

    fn type_char(&mut self, c: char) {
        let age = self.field == FormField::Age;
        if age && (!c.is_ascii_digit() || self.age.len() >= 3) {
            return;
        }
        if let Some(text) = self.text_mut()
            && text.chars().count() < 200
        {
            text.push(c);
            self.changed = true;
        }
    }

    /// Left/Right on a choice: severity, destination, or the next village in the town file.
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
                self.destination = step(from, destinations(town).len())
            }
            FormField::Village => {
                let current = town
                    .village(&self.village)
                    .and_then(|v| town.villages.iter().position(|x| x.code == v.code));
                let next = step(current, town.villages.len()).unwrap_or(0);
                if let Some(v) = town.villages.get(next) {
                    self.village = v.code.clone();
                }
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
