//! The entry/edit form of one village's figures for one day: a shared text input per
//! field (`TextInput` of kind `Figure`: cursor, paste, limit, and a character that is not
//! a digit kept and named, never dropped), the same checks as the store (run live, so
//! findings appear beside the field before saving).

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use crate::app::input::{Kind, TextInput};
use crate::domain::report::{
    CheckContext, Checked, Field, Figures, Finding, N_FIELDS, check, parse_cell,
};
use crate::i18n::Msg;

/// Longest figure the form accepts (keeps every value far inside `i64`).
pub const MAX_DIGITS: usize = 9;

/// An open form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Village code.
    pub village: String,
    /// The day the figures are for.
    pub date: NaiveDate,
    /// The stored figures when the form was opened (`None`: a new row).
    pub original: Option<Figures>,
    /// What the operator typed, per field in [`Field::ALL`] order; empty = not reported.
    pub inputs: [TextInput; N_FIELDS],
    /// The field with the cursor.
    pub focus: usize,
    /// Asking "discard changes?" after Esc.
    pub confirm_discard: bool,
    /// Sent to the store; waiting for its answer.
    pub saving: bool,
    /// The store's refusal of the last save, if it refused.
    pub refused: Option<Msg>,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEvent {
    /// Nothing beyond editing.
    None,
    /// Close without saving.
    Close,
    /// Save these figures.
    Save(Figures),
    /// Saving refused before it reached the store: the field concerned and why.
    Refused(Option<Field>, Msg),
    /// Nothing changed: close and say so.
    Unchanged,
    /// The operator pressed `q`: the console's quit question.
    Quit,
}

fn text_of(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Form {
    /// Opens the form on a village's day, filled with its stored figures if any.
    pub fn open(village: &str, date: NaiveDate, stored: Option<Figures>) -> Form {
        let mut inputs: [TextInput; N_FIELDS] =
            std::array::from_fn(|_| TextInput::new(Kind::Figure, MAX_DIGITS));
        if let Some(f) = &stored {
            for fl in Field::ALL {
                inputs[fl.index()].set(&text_of(f.get(fl)));
            }
        }
        Form {
            village: village.to_string(),
            date,
            original: stored,
            inputs,
            focus: 0,
            confirm_discard: false,
            saving: false,
            refused: None,
        }
    }

    /// The field with the cursor.
    pub fn focused(&self) -> Field {
        Field::ALL[self.focus % N_FIELDS]
    }

    /// True when what is typed differs from what the form opened with.
    pub fn changed(&self) -> bool {
        let orig = self.original.unwrap_or_default();
        Field::ALL
            .iter()
            .any(|f| self.inputs[f.index()].text().trim() != text_of(orig.get(*f)))
    }

    /// The typed figures, with a finding for each cell that is not a whole number.
    pub fn parsed(&self) -> (Figures, Vec<Finding>) {
        let mut fig = Figures::default();
        let mut bad = Vec::new();
        for f in Field::ALL {
            match parse_cell(self.inputs[f.index()].text()) {
                Ok(v) => fig.set(f, v),
                Err(msg) => bad.push(Finding {
                    field: Some(f),
                    msg,
                }),
            }
        }
        (fig, bad)
    }

    /// Every hard and soft finding for what is typed now, by the store's own rules.
    pub fn findings(&self, cx: Option<&CheckContext>) -> Checked {
        let (fig, bad) = self.parsed();
        let mut out = cx.map(|cx| check(&fig, cx)).unwrap_or_default();
        out.errors.splice(0..0, bad);
        out
    }

    /// The focused field's input (a paste goes there).
    pub fn focused_input(&mut self) -> &mut TextInput {
        &mut self.inputs[self.focus % N_FIELDS]
    }

    /// Handles one key; `cx` is the village's check context for the day.
    pub fn on_key(&mut self, k: KeyEvent, cx: Option<&CheckContext>) -> FormEvent {
        if self.saving {
            return FormEvent::None;
        }
        if self.confirm_discard {
            self.confirm_discard = false;
            return match k.code {
                KeyCode::Char('y' | 'Y') => FormEvent::Close,
                _ => FormEvent::None,
            };
        }
        self.refused = None;
        let input = &mut self.inputs[self.focus % N_FIELDS];
        match k.code {
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % N_FIELDS,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + N_FIELDS - 1) % N_FIELDS,
            // figures are short (←/→ move the cursor): Home and End go to the first and
            // last field, as they always have in this form
            KeyCode::Home => self.focus = 0,
            KeyCode::End => self.focus = N_FIELDS - 1,
            // Delete with nothing after the cursor empties the field in one key, as before
            KeyCode::Delete if input.cursor() == input.text().len() => input.clear(),
            KeyCode::Char('q') => return FormEvent::Quit,
            KeyCode::Esc => {
                if self.changed() {
                    self.confirm_discard = true;
                } else {
                    return FormEvent::Close;
                }
            }
            KeyCode::Enter => return self.submit(cx),
            // everything else edits the field: the input keeps what is typed and says what
            // it did not take
            _ => {
                input.key(k);
            }
        }
        FormEvent::None
    }

    fn submit(&mut self, cx: Option<&CheckContext>) -> FormEvent {
        if !self.changed() && self.original.is_some() {
            return FormEvent::Unchanged;
        }
        let found = self.findings(cx);
        if !found.errors.is_empty() {
            // every error stays beside its field; the form says plainly it was not saved
            let n = found.errors.len();
            if let Some(f) = found.errors[0].field {
                self.focus = f.index();
            }
            let msg = match found.errors.iter().find_map(|e| e.field) {
                Some(f) => Msg::new("rform.not_saved")
                    .arg("n", n)
                    .label("field", f.label_key()),
                None => Msg::new("rform.not_saved_row").arg("n", n),
            };
            self.refused = Some(msg);
            let first = &found.errors[0];
            return FormEvent::Refused(first.field, first.msg.clone());
        }
        let (fig, _) = self.parsed();
        if fig.is_empty() {
            return FormEvent::Refused(None, Msg::new("report.form.empty"));
        }
        self.saving = true;
        FormEvent::Save(fig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(f: &mut Form, code: KeyCode, cx: &CheckContext) -> FormEvent {
        f.on_key(KeyEvent::new(code, KeyModifiers::NONE), Some(cx))
    }

    fn type_str(f: &mut Form, s: &str, cx: &CheckContext) {
        for c in s.chars() {
            key(f, KeyCode::Char(c), cx);
        }
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn cx() -> CheckContext {
        CheckContext {
            population: 1000,
            previous_cumulative: Some(100),
            ..Default::default()
        }
    }

    #[test]
    fn empty_fields_stay_not_reported() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "5", &c);
        key(&mut f, KeyCode::Tab, &c);
        type_str(&mut f, "105", &c);
        match key(&mut f, KeyCode::Enter, &c) {
            FormEvent::Save(fig) => {
                assert_eq!(fig.get(Field::NewInfections), Some(5));
                assert_eq!(fig.get(Field::CumulativeInfections), Some(105));
                assert_eq!(fig.get(Field::Deaths), None);
            }
            other => panic!("{other:?}"),
        }
        assert!(f.saving);
    }

    #[test]
    fn a_hard_finding_refuses_and_moves_to_the_field() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        key(&mut f, KeyCode::Tab, &c);
        type_str(&mut f, "90", &c); // below the previous day's 100
        key(&mut f, KeyCode::Tab, &c);
        key(&mut f, KeyCode::Tab, &c);
        assert!(matches!(
            key(&mut f, KeyCode::Enter, &c),
            FormEvent::Refused(Some(Field::CumulativeInfections), _)
        ));
        assert_eq!(f.focused(), Field::CumulativeInfections);
        assert!(!f.saving);
        let found = f.findings(Some(&c));
        assert_eq!(found.errors[0].field, Some(Field::CumulativeInfections));
    }

    /// Issue 19: `-5` was stored as 5 and letters vanished silently.
    #[test]
    fn minus_five_is_never_saved_as_five() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "-", &c);
        assert_eq!(f.inputs[0].text(), "-");
        let said = f.inputs[0]
            .notice
            .clone()
            .unwrap()
            .render(crate::i18n::Lang::En);
        assert!(said.contains("is not a digit"), "{said}");
        type_str(&mut f, "5", &c);
        assert_eq!(f.inputs[0].text(), "-5");
        let found = f.findings(Some(&c));
        assert_eq!(found.errors[0].field, Some(Field::NewInfections));
        match key(&mut f, KeyCode::Enter, &c) {
            FormEvent::Refused(Some(Field::NewInfections), msg) => {
                let en = msg.render(crate::i18n::Lang::En);
                assert!(en.contains("-5"), "{en}");
            }
            other => panic!("-5 was not refused: {other:?}"),
        }
        assert!(!f.saving);
        // the form itself says not saved, in both languages
        let msg = f.refused.clone().unwrap();
        let en = msg.render(crate::i18n::Lang::En);
        assert!(en.starts_with("Not saved"), "{en}");
        assert!(msg.render(crate::i18n::Lang::Zh).starts_with("未保存"));
    }

    #[test]
    fn letters_stay_marked_full_width_digits_accepted_and_length_capped() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "1a", &c);
        assert!(
            f.inputs[0].notice.is_some(),
            "a letter was refused without a word"
        );
        type_str(&mut f, "２", &c);
        assert_eq!(f.inputs[0].text(), "1a2");
        assert!(!f.findings(Some(&c)).errors.is_empty());
        key(&mut f, KeyCode::Backspace, &c);
        key(&mut f, KeyCode::Backspace, &c);
        type_str(&mut f, "23456789999", &c);
        assert_eq!(f.inputs[0].text().len(), MAX_DIGITS);
        assert!(
            f.inputs[0].notice.is_some(),
            "the tenth digit was dropped silently"
        );
        key(&mut f, KeyCode::Backspace, &c);
        assert_eq!(f.inputs[0].text().len(), MAX_DIGITS - 1);
    }

    #[test]
    fn every_error_is_counted_and_not_saved_is_said() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "x", &c);
        key(&mut f, KeyCode::Tab, &c);
        type_str(&mut f, "y", &c);
        let FormEvent::Refused(..) = key(&mut f, KeyCode::Enter, &c) else {
            panic!("not refused");
        };
        let en = f.refused.clone().unwrap().render(crate::i18n::Lang::En);
        assert!(en.starts_with("Not saved: 2 problem"), "{en}");
        assert_eq!(f.focused(), Field::NewInfections);
    }

    #[test]
    fn esc_asks_only_when_something_changed() {
        let c = cx();
        let mut stored = Figures::default();
        stored.set(Field::Deaths, Some(0));
        let mut f = Form::open("V01", date(), Some(stored));
        assert_eq!(f.inputs[Field::Deaths.index()].text(), "0");
        assert_eq!(key(&mut f, KeyCode::Esc, &c), FormEvent::Close);
        type_str(&mut f, "7", &c);
        assert!(f.changed());
        assert_eq!(key(&mut f, KeyCode::Esc, &c), FormEvent::None);
        assert!(f.confirm_discard);
        assert_eq!(key(&mut f, KeyCode::Char('n'), &c), FormEvent::None);
        assert!(!f.confirm_discard);
        key(&mut f, KeyCode::Esc, &c);
        assert_eq!(key(&mut f, KeyCode::Char('y'), &c), FormEvent::Close);
    }

    #[test]
    fn unchanged_and_empty_rows_are_not_saved() {
        let c = cx();
        let mut stored = Figures::default();
        stored.set(Field::Deaths, Some(0));
        let mut f = Form::open("V01", date(), Some(stored));
        assert_eq!(key(&mut f, KeyCode::Enter, &c), FormEvent::Unchanged);
        let mut f = Form::open("V01", date(), None);
        assert_eq!(
            key(&mut f, KeyCode::Enter, &c),
            FormEvent::Refused(None, Msg::new("report.form.empty"))
        );
    }

    #[test]
    fn soft_findings_do_not_block() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "9", &c); // 105 - 100 = 5, not 9
        key(&mut f, KeyCode::Tab, &c);
        type_str(&mut f, "105", &c);
        assert_eq!(f.findings(Some(&c)).warnings.len(), 1);
        assert!(matches!(
            key(&mut f, KeyCode::Enter, &c),
            FormEvent::Save(_)
        ));
    }

    /// Issue 19: the form had no cursor; a figure is now edited where the cursor is.
    #[test]
    fn the_cursor_edits_inside_a_figure_and_delete_at_the_end_empties_it() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        type_str(&mut f, "15", &c);
        key(&mut f, KeyCode::Left, &c);
        type_str(&mut f, "2", &c);
        assert_eq!(f.inputs[0].text(), "125");
        assert_eq!(f.inputs[0].cursor_column(), 2);
        key(&mut f, KeyCode::Delete, &c);
        assert_eq!(
            f.inputs[0].text(),
            "12",
            "Delete inside removes the next digit"
        );
        key(&mut f, KeyCode::Delete, &c);
        assert_eq!(
            f.inputs[0].text(),
            "",
            "Delete at the end empties the field"
        );
    }

    /// Issue 19: a paste goes into the focused figure whole: a minus sign is kept and
    /// named, full-width digits become digits, and a pasted line break presses nothing.
    #[test]
    fn a_paste_keeps_the_minus_and_never_saves() {
        let c = cx();
        let mut f = Form::open("V01", date(), None);
        f.focused_input().paste("-5\n");
        assert_eq!(f.inputs[0].text(), "-5 ");
        let said = f.inputs[0]
            .notice
            .clone()
            .unwrap()
            .render(crate::i18n::Lang::En);
        assert!(said.contains("is not a digit"), "{said}");
        assert!(matches!(
            key(&mut f, KeyCode::Enter, &c),
            FormEvent::Refused(Some(Field::NewInfections), _)
        ));
        key(&mut f, KeyCode::Tab, &c);
        f.focused_input().paste("１０５");
        assert_eq!(f.inputs[1].text(), "105");
        assert_eq!(f.inputs[1].notice, None);
    }
}
