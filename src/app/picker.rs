//! The one searchable picker (issue 19, item 4): a [`TextInput`] whose text is matched
//! against a list of villages, vehicles, people or destinations by code, Chinese or
//! English name, full pinyin or pinyin initials (`domain::search`), with the best match
//! highlighted. ↑/↓ move the highlight while there is a query; Tab or Enter takes it.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};

use super::input::{Edited, Kind, TextInput};
use crate::domain::search::{self, Keys};
use crate::domain::town::Town;
use crate::i18n::Lang;

/// One thing that can be picked.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What is stored (a code, or a person's name).
    pub code: String,
    /// What is shown beside the code.
    pub label: String,
    keys: Keys,
}

impl search::Searchable for Entry {
    fn search_keys(&self) -> &Keys {
        &self.keys
    }
}

impl Entry {
    /// An entry with this code, shown with `label`, found by `code` and `names`.
    pub fn new(code: &str, label: &str, names: &[&str]) -> Entry {
        Entry {
            code: code.to_string(),
            label: label.to_string(),
            keys: Keys::new(code, names),
        }
    }
}

/// The town's villages, in file order.
pub fn villages(town: &Town, lang: Lang) -> Vec<Entry> {
    town.villages
        .iter()
        .map(|v| {
            Entry::new(
                &v.code,
                &town.place_name(&v.code, lang),
                &[&v.name, &v.name_en],
            )
        })
        .collect()
}

/// Where a patient can be taken: the health centers, then the referral hospitals.
pub fn destinations(town: &Town, lang: Lang) -> Vec<Entry> {
    let hc = town
        .health_centers
        .iter()
        .map(|h| (&h.code, &h.name, &h.name_en));
    let hosp = town
        .hospitals
        .iter()
        .map(|h| (&h.code, &h.name, &h.name_en));
    hc.chain(hosp)
        .map(|(code, zh, en)| Entry::new(code, &town.place_name(code, lang), &[zh, en]))
        .collect()
}

/// The town's vehicles (code, plate and driver are searchable).
pub fn vehicles(town: &Town) -> Vec<Entry> {
    town.vehicles
        .iter()
        .map(|v| Entry::new(&v.code, &v.driver, &[&v.plate, &v.driver]))
        .collect()
}

/// The people on the staff list, by name.
pub fn people(town: &Town) -> Vec<Entry> {
    town.staff
        .iter()
        .map(|s| Entry::new(&s.name, "", &[&s.name]))
        .collect()
}

/// The town's staff as picker entries, built once per town: the choosers of people (the
/// login, the sign-over, the roster and the plan) ask on every key and every frame, and
/// each entry computes its pinyin keys. A town read again (a new `Arc`) builds them anew.
#[derive(Debug, Clone, Default)]
pub struct StaffEntries(std::cell::RefCell<Option<Built>>);

/// The town the entries were built for (kept, so it is the same town while it lives),
/// and the entries.
type Built = (Arc<Town>, Arc<[Entry]>);

impl StaffEntries {
    /// The entries of `town`'s staff (built on the first call for this town).
    pub fn get(&self, town: &Arc<Town>) -> Arc<[Entry]> {
        if let Some((t, e)) = self.0.borrow().as_ref()
            && Arc::ptr_eq(t, town)
        {
            return e.clone();
        }
        let e: Arc<[Entry]> = people(town).into();
        *self.0.borrow_mut() = Some((town.clone(), e.clone()));
        e
    }
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// The query or the highlight changed.
    Editing,
    /// Tab or Enter took this entry's code (the query now shows it).
    Took(String),
    /// Not the picker's key (or Tab/Enter with nothing to take): the form decides.
    NotMine,
}

/// A picker's state: the query and which match is highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// The query as typed.
    pub input: TextInput,
    /// Index of the highlighted entry among the matches.
    pub sel: usize,
}

impl Default for Picker {
    fn default() -> Self {
        Picker {
            input: TextInput::new(Kind::Line, 40),
            sel: 0,
        }
    }
}

impl Picker {
    /// The matching entries' indices, best first (none for an empty query).
    pub fn matches(&self, entries: &[Entry]) -> Vec<usize> {
        if self.input.text().trim().is_empty() {
            return Vec::new();
        }
        search::search(entries, self.input.text())
    }

    /// The entry the query names: an exact code first, else the highlighted match.
    pub fn chosen<'a>(&self, entries: &'a [Entry]) -> Option<&'a Entry> {
        let q = self.input.text().trim();
        if let Some(e) = entries.iter().find(|e| e.code.eq_ignore_ascii_case(q)) {
            return Some(e);
        }
        self.highlighted(entries).and_then(|i| entries.get(i))
    }

    /// The index into `entries` of the highlighted match, if any.
    pub fn highlighted(&self, entries: &[Entry]) -> Option<usize> {
        let m = self.matches(entries);
        m.get(self.sel.min(m.len().saturating_sub(1))).copied()
    }

    /// Pastes `text` into the query; a changed query highlights its first match again.
    pub fn paste(&mut self, text: &str) {
        if self.input.paste(text) == crate::app::input::Edited::Changed {
            self.sel = 0;
        }
    }

    /// Applies one key.
    pub fn key(&mut self, k: KeyEvent, entries: &[Entry]) -> Picked {
        let n = self.matches(entries).len();
        match k.code {
            KeyCode::Down if n > 1 => {
                self.sel = (self.sel + 1).min(n - 1);
                Picked::Editing
            }
            KeyCode::Up if n > 1 && self.sel > 0 => {
                self.sel -= 1;
                Picked::Editing
            }
            KeyCode::Tab | KeyCode::Enter => match self.chosen(entries) {
                Some(e) if e.code != self.input.text() => {
                    let code = e.code.clone();
                    self.input.set(&code);
                    self.sel = 0;
                    Picked::Took(code)
                }
                _ => Picked::NotMine,
            },
            _ => match self.input.key(k) {
                Edited::Changed => {
                    self.sel = 0;
                    Picked::Editing
                }
                Edited::Kept => Picked::Editing,
                Edited::NotMine => Picked::NotMine,
            },
        }
    }
}

/// The village `query` names: a code or exact name, else the one village its pinyin,
/// initials or part of a name names without doubt (the request and escalation forms).
pub fn village_code(town: &Town, query: &str) -> Option<String> {
    if let Some(v) = town.village(query) {
        return Some(v.code.clone());
    }
    let entries = villages(town, Lang::Zh);
    search::unique(&entries, query).and_then(|i| entries.get(i).map(|e| e.code.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn list() -> Vec<Entry> {
        vec![
            Entry::new("V01", "石门村", &["石门村", "Shimen"]),
            Entry::new("V10", "杉木村", &["杉木村", "Shanmu"]),
            Entry::new("V11", "杉木坪村", &["杉木坪村", "Shanmuping"]),
        ]
    }

    fn typed(p: &mut Picker, s: &str, e: &[Entry]) {
        for c in s.chars() {
            p.key(k(KeyCode::Char(c)), e);
        }
    }

    #[test]
    fn typing_pinyin_then_tab_takes_the_code() {
        let e = list();
        let mut p = Picker::default();
        typed(&mut p, "shanmu", &e);
        assert_eq!(p.chosen(&e).map(|x| x.code.as_str()), Some("V10"));
        assert_eq!(p.key(k(KeyCode::Tab), &e), Picked::Took("V10".into()));
        assert_eq!(p.input.text(), "V10");
        // taken already: Tab is the form's again
        assert_eq!(p.key(k(KeyCode::Tab), &e), Picked::NotMine);
    }

    #[test]
    fn down_moves_the_highlight_among_matches() {
        let e = list();
        let mut p = Picker::default();
        typed(&mut p, "杉木", &e);
        assert_eq!(p.matches(&e), vec![1, 2]);
        p.key(k(KeyCode::Down), &e);
        assert_eq!(p.chosen(&e).map(|x| x.code.as_str()), Some("V11"));
        p.key(k(KeyCode::Down), &e);
        assert_eq!(p.sel, 1, "stays on the last match");
        p.key(k(KeyCode::Up), &e);
        assert_eq!(p.chosen(&e).map(|x| x.code.as_str()), Some("V10"));
        // a new query starts from the best match again
        p.key(k(KeyCode::Backspace), &e);
        p.key(k(KeyCode::Backspace), &e);
        typed(&mut p, "smp", &e);
        assert_eq!(p.sel, 0);
        assert_eq!(p.chosen(&e).map(|x| x.code.as_str()), Some("V11"));
    }

    #[test]
    fn nothing_matches_nothing_is_taken() {
        let e = list();
        let mut p = Picker::default();
        typed(&mut p, "zzz", &e);
        assert_eq!(p.chosen(&e), None);
        assert_eq!(p.key(k(KeyCode::Enter), &e), Picked::NotMine);
        assert_eq!(p.key(k(KeyCode::Down), &e), Picked::NotMine);
    }

    #[test]
    fn a_code_in_any_case_is_that_entry() {
        let e = list();
        let mut p = Picker::default();
        typed(&mut p, "v01", &e);
        assert_eq!(p.chosen(&e).map(|x| x.code.as_str()), Some("V01"));
    }
}
