//! Keys of the Shift log's open forms: the one-line input and the two choosers.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Form, ShiftlogWrite, close, say, write};
use crate::app::Effect;
use crate::app::input::TextInput;
use crate::app::model::Model;
use crate::domain::shift::{Duty, LogCategory};
use crate::i18n::Msg;

/// The open form's text input, if it has one (for a key or a paste).
pub fn text_of(form: &mut Form) -> Option<&mut TextInput> {
    match form {
        Form::Entry { text, .. }
        | Form::Amend { text, .. }
        | Form::Edit { text, .. }
        | Form::Notes { text, .. } => Some(text),
        Form::Roster { .. } | Form::Sign { .. } | Form::Plan { .. } => None,
    }
}

fn cycle(c: LogCategory, back: bool) -> LogCategory {
    let all = LogCategory::ALL;
    let i = all.iter().position(|x| *x == c).unwrap_or(0);
    let n = all.len();
    all[if back { (i + n - 1) % n } else { (i + 1) % n }]
}

pub(super) fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    match m.shiftlog.form {
        Some(Form::Roster { sel, .. }) => return roster_key(m, k, sel),
        Some(Form::Sign { sel, confirm, .. }) => return sign_key(m, k, sel, confirm),
        Some(Form::Plan { .. }) => return super::plan::form_key(m, k),
        Some(_) => {}
        None => return Vec::new(),
    }
    if k.code == KeyCode::Enter {
        return submit(m);
    }
    if k.code == KeyCode::Esc {
        close(m);
        return Vec::new();
    }
    let Some(form) = m.shiftlog.form.as_mut() else {
        return Vec::new();
    };
    match k.code {
        KeyCode::Tab | KeyCode::BackTab => {
            if let Form::Entry { category, .. } = form {
                *category = cycle(*category, k.code == KeyCode::BackTab);
            }
        }
        _ => {
            if let Some(t) = text_of(form) {
                t.key(k);
            }
        }
    }
    Vec::new()
}

fn submit(m: &mut Model) -> Vec<Effect> {
    let Some(form) = m.shiftlog.form.clone() else {
        return Vec::new();
    };
    let shift = m.snapshot.as_deref().map(|s| s.shift_start);
    let w = match form {
        Form::Entry { category, text } => ShiftlogWrite::Add {
            category,
            text: text.text().to_string(),
        },
        Form::Amend { id, text } => ShiftlogWrite::Amend {
            id,
            text: text.text().to_string(),
        },
        Form::Edit { id, text, was } => ShiftlogWrite::Edit {
            id,
            text: text.text().to_string(),
            was,
        },
        // the notes go to the shift they were opened on, even if the clock rolled over
        Form::Notes {
            text,
            was,
            shift: opened_on,
        } => match opened_on.or(shift) {
            Some(shift) => ShiftlogWrite::Notes {
                shift,
                text: text.text().to_string(),
                was,
            },
            None => return Vec::new(),
        },
        Form::Roster { .. } | Form::Sign { .. } | Form::Plan { .. } => return Vec::new(),
    };
    if let ShiftlogWrite::Add { text, .. }
    | ShiftlogWrite::Amend { text, .. }
    | ShiftlogWrite::Edit { text, .. } = &w
        && text.trim().is_empty()
    {
        return say(m, Msg::new("err.empty_text"), true);
    }
    close(m);
    write(m, w)
}

/// The roster chooser (`d`): a name, its pinyin or initials typed finds the person, and
/// the role keys are digits (letters type): `1` leader, `2` officer, `0` off the shift.
fn roster_key(m: &mut Model, k: KeyEvent, sel: usize) -> Vec<Effect> {
    let n = m.town.staff.len();
    let Some(shift) = m.snapshot.as_deref().map(|s| s.shift_start) else {
        return Vec::new();
    };
    let Some(Form::Roster { find, .. }) = m.shiftlog.form.as_ref() else {
        return Vec::new();
    };
    let mut find = find.clone();
    let searching = !find.input.text().trim().is_empty();
    let staff = m.town.staff.get(sel).map(|p| p.name.clone());
    let mut sel = sel;
    match (k.code, staff) {
        // Esc first forgets a search, then leaves
        (KeyCode::Esc, _) if searching => find = crate::app::picker::Picker::default(),
        (KeyCode::Esc | KeyCode::Enter, _) => {
            close(m);
            return Vec::new();
        }
        (KeyCode::Up, _) if !searching => sel = sel.saturating_sub(1),
        (KeyCode::Down, _) if !searching => sel = (sel + 1).min(n.saturating_sub(1)),
        (KeyCode::Char('1'), Some(staff)) => {
            return write(
                m,
                ShiftlogWrite::SetRoster {
                    shift,
                    staff,
                    duty: Duty::Leader,
                },
            );
        }
        (KeyCode::Char('2'), Some(staff)) => {
            return write(
                m,
                ShiftlogWrite::SetRoster {
                    shift,
                    staff,
                    duty: Duty::Officer,
                },
            );
        }
        (KeyCode::Char('0') | KeyCode::Delete, Some(staff)) => {
            return write(m, ShiftlogWrite::RemoveRoster { shift, staff });
        }
        (KeyCode::Tab | KeyCode::BackTab, _) => {}
        _ => {
            let entries = m.people_entries();
            find.key(k, &entries);
            if let Some(i) = find.highlighted(&entries) {
                sel = i;
            }
        }
    }
    m.shiftlog.form = Some(Form::Roster { sel, find });
    Vec::new()
}

fn sign_key(m: &mut Model, k: KeyEvent, sel: usize, confirm: bool) -> Vec<Effect> {
    if confirm {
        let Some(Form::Sign { pin, .. }) = m.shiftlog.form.as_mut() else {
            return Vec::new();
        };
        match k.code {
            KeyCode::Char(c)
                if !c.is_control() && pin.0.chars().count() < crate::app::login::MAX_PIN =>
            {
                pin.0.push(c);
            }
            KeyCode::Backspace => {
                pin.0.pop();
            }
            KeyCode::Enter => {
                let typed = std::mem::take(&mut pin.0);
                let Some(incoming) = m.town.staff.get(sel).map(|p| p.name.clone()) else {
                    return Vec::new();
                };
                close(m);
                m.shiftlog.signer = Some(incoming.clone());
                let pin = (!typed.is_empty()).then_some(crate::app::login::Pin(typed));
                return write(m, ShiftlogWrite::Sign { incoming, pin });
            }
            KeyCode::Esc => {
                m.shiftlog.form = Some(Form::Sign {
                    sel,
                    confirm: false,
                    pin: crate::app::login::Pin(String::new()),
                    find: crate::app::picker::Picker::default(),
                });
            }
            _ => {}
        }
        return Vec::new();
    }
    sign_pick(m, k, sel)
}

/// The sign-over chooser before the PIN: typing finds the person by name, pinyin or
/// initials (the shared picker, issue 19), ↑/↓ move among the matches (or the whole list
/// with nothing typed), Enter takes the highlighted person.
/// A paste while the sign-over chooser asks for a name goes into its search (a line break
/// is a space, so it never presses Enter) and highlights the best match; false when no
/// such chooser is open.
pub fn paste_find(m: &mut Model, text: &str) -> bool {
    let entries = m.people_entries();
    let Some(Form::Sign {
        sel,
        confirm: false,
        find,
        ..
    }) = m.shiftlog.form.as_mut()
    else {
        return false;
    };
    find.paste(text);
    if let Some(i) = find.highlighted(&entries) {
        *sel = i;
    }
    true
}

fn sign_pick(m: &mut Model, k: KeyEvent, sel: usize) -> Vec<Effect> {
    let Some(Form::Sign { find, .. }) = m.shiftlog.form.as_ref() else {
        return Vec::new();
    };
    let mut find = find.clone();
    let n = m.town.staff.len();
    let entries = m.people_entries();
    let searching = !find.input.text().trim().is_empty();
    let next = match k.code {
        KeyCode::Esc => {
            close(m);
            return Vec::new();
        }
        KeyCode::Enter if searching && find.matches(&entries).is_empty() => {
            return vec![Effect::Bell];
        }
        KeyCode::Enter => {
            m.shiftlog.form = Some(Form::Sign {
                sel,
                confirm: true,
                pin: crate::app::login::Pin(String::new()),
                find,
            });
            return Vec::new();
        }
        KeyCode::Up if !searching => sel.saturating_sub(1),
        KeyCode::Down if !searching => (sel + 1).min(n.saturating_sub(1)),
        _ => {
            find.key(k, &entries);
            find.highlighted(&entries).unwrap_or(sel)
        }
    };
    m.shiftlog.form = Some(Form::Sign {
        sel: next,
        confirm: false,
        pin: crate::app::login::Pin(String::new()),
        find,
    });
    Vec::new()
}
