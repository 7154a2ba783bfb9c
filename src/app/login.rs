//! Who is at the keyboard: the chooser over the staff list and the PIN prompt, at start
//! and whenever the operator is switched (`W`, the handover between two officers at 3 a.m.).
//! The PIN itself is checked on the store thread (argon2 is slow on purpose).

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::Effect;
use super::hits::Hit;
use super::model::{Model, Status};
use crate::i18n::Msg;
use crate::store::staff::Login;

/// Longest PIN the prompt takes.
pub const MAX_PIN: usize = 32;

/// A PIN on its way to the store thread; never printed, not even in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(pub String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// Where the login is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Choosing a name from the staff list.
    Choose,
    /// Typing the PIN of `name`.
    Pin {
        /// Who.
        name: String,
        /// What has been typed (shown as stars).
        input: String,
    },
    /// Waiting for the store thread's answer about `name`.
    Checking {
        /// Who.
        name: String,
    },
}

/// The login overlay's state.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginUi {
    /// Where it is.
    pub stage: Stage,
    /// Highlighted row of the staff list.
    pub selected: usize,
    /// Switching operators (Esc goes back to the one at the desk) rather than starting.
    pub switching: bool,
    /// What went wrong last (wrong PIN, unknown name).
    pub error: Option<Msg>,
    /// The name typed to find the person (name, pinyin or initials, issue 19).
    pub find: crate::app::picker::Picker,
}

/// A paste while the login chooser is up goes into its name search (the shared input: a
/// line break is a space, so it never presses Enter) and highlights the best match.
/// False when the login is elsewhere (the PIN): the caller types it in instead.
pub fn paste(m: &mut Model, text: &str) -> bool {
    let Some(l) = m.login.as_mut() else {
        return false;
    };
    if l.stage != Stage::Choose {
        return false;
    }
    let entries = m.staff_entries.get(&m.town);
    l.find.paste(text);
    if let Some(i) = l.find.highlighted(&entries) {
        l.selected = i;
    }
    true
}

/// Opens the login at start: the chooser, or straight to checking a named staff member.
pub fn start(m: &mut Model, preset: Option<&str>) -> Vec<Effect> {
    let selected = preset
        .and_then(|n| m.town.staff.iter().position(|s| s.name == n.trim()))
        .unwrap_or(0);
    m.login = Some(LoginUi {
        stage: Stage::Choose,
        selected,
        switching: false,
        error: None,
        find: crate::app::picker::Picker::default(),
    });
    // nobody writes until the login is through
    m.operator.clear();
    match preset {
        Some(name) if m.town.staff_member(name).is_some() => check(m, name.trim(), None),
        _ => Vec::new(),
    }
}

/// Starts the console's login. `known` is what the store already said about the named
/// person (looked up before the first key): without a PIN they are in at once, with one
/// they are asked for it; nobody named gets the chooser.
pub fn begin(m: &mut Model, preset: Option<&str>, known: Option<Login>) -> Vec<Effect> {
    match (preset, known) {
        (Some(name), Some(outcome)) => {
            let fx = start(m, None);
            fx.into_iter()
                .chain(checked(m, name.trim().to_string(), outcome))
                .collect()
        }
        _ => start(m, preset),
    }
}

/// Opens the chooser to switch operators without quitting.
pub fn switch(m: &mut Model) -> Vec<Effect> {
    let selected = m
        .town
        .staff
        .iter()
        .position(|s| s.name == m.operator)
        .unwrap_or(0);
    m.login = Some(LoginUi {
        stage: Stage::Choose,
        selected,
        switching: true,
        error: None,
        find: crate::app::picker::Picker::default(),
    });
    Vec::new()
}

fn check(m: &mut Model, name: &str, pin: Option<Pin>) -> Vec<Effect> {
    if let Some(l) = m.login.as_mut() {
        l.stage = Stage::Checking {
            name: name.to_string(),
        };
    }
    vec![Effect::Login {
        name: name.to_string(),
        pin,
    }]
}

/// Keys while the login is open (it owns the keyboard).
pub fn on_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(l) = m.login.as_mut() else {
        return Vec::new();
    };
    let n = m.town.staff.len();
    match &mut l.stage {
        // the answer may take a moment (argon2, a busy store): leaving is still possible
        Stage::Checking { .. } => match k.code {
            KeyCode::Esc | KeyCode::Char('q') => leave(m),
            _ => Vec::new(),
        },
        // letters find a person (the shared picker): Esc leaves, Ctrl-C still quits
        Stage::Choose => {
            let entries = m.staff_entries.get(&m.town);
            let searching = !l.find.input.text().trim().is_empty();
            match k.code {
                KeyCode::Up if !searching => {
                    l.selected = l.selected.saturating_sub(1);
                    Vec::new()
                }
                KeyCode::Down if !searching => {
                    l.selected = (l.selected + 1).min(n.saturating_sub(1));
                    Vec::new()
                }
                KeyCode::Home if !searching => {
                    l.selected = 0;
                    Vec::new()
                }
                KeyCode::End if !searching => {
                    l.selected = n.saturating_sub(1);
                    Vec::new()
                }
                KeyCode::Enter if searching && l.find.matches(&entries).is_empty() => {
                    vec![Effect::Bell]
                }
                KeyCode::Enter => choose(m),
                KeyCode::Esc => leave(m),
                _ => {
                    l.find.key(k, &entries);
                    if let Some(i) = l.find.highlighted(&entries) {
                        l.selected = i;
                    }
                    Vec::new()
                }
            }
        }
        Stage::Pin { name, input } => match k.code {
            KeyCode::Char(c) if !c.is_control() => {
                if input.chars().count() < MAX_PIN {
                    input.push(c);
                }
                Vec::new()
            }
            KeyCode::Backspace => {
                input.pop();
                Vec::new()
            }
            KeyCode::Enter => {
                let name = name.clone();
                let pin = Pin(std::mem::take(input));
                check(m, &name, Some(pin))
            }
            KeyCode::Esc => {
                l.stage = Stage::Choose;
                l.error = None;
                Vec::new()
            }
            _ => Vec::new(),
        },
    }
}

/// Esc or q outside the PIN: back to the operator at the desk when switching, else quit.
fn leave(m: &mut Model) -> Vec<Effect> {
    if m.login.as_ref().is_some_and(|l| l.switching) {
        m.login = None;
        Vec::new()
    } else {
        m.quit = true;
        vec![Effect::Quit]
    }
}

fn choose(m: &mut Model) -> Vec<Effect> {
    let Some(l) = m.login.as_ref() else {
        return Vec::new();
    };
    let Some(name) = m.town.staff.get(l.selected).map(|s| s.name.clone()) else {
        return Vec::new();
    };
    check(m, &name, None)
}

/// The mouse while the login is open: a click on a name picks it, the wheel moves.
pub fn on_mouse(m: &mut Model, ev: MouseEvent) -> Vec<Effect> {
    let hit = m.hits.at(ev.column, ev.row);
    let n = m.town.staff.len();
    let Some(l) = m.login.as_mut() else {
        return Vec::new();
    };
    if l.stage != Stage::Choose {
        return Vec::new();
    }
    match (ev.kind, hit) {
        (MouseEventKind::Down(MouseButton::Left), Some(Hit::Login(i))) if i < n => {
            l.selected = i;
            choose(m)
        }
        (MouseEventKind::ScrollDown, _) => {
            l.selected = (l.selected + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        (MouseEventKind::ScrollUp, _) => {
            l.selected = l.selected.saturating_sub(1);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The store thread's answer about a login attempt.
pub fn checked(m: &mut Model, name: String, outcome: Login) -> Vec<Effect> {
    let Some(l) = m.login.as_mut() else {
        return Vec::new();
    };
    match outcome {
        Login::Accepted => {
            m.login = None;
            let role = m
                .town
                .staff_member(&name)
                .map(|s| m.lang.t(s.role.label_key()).to_string())
                .unwrap_or_default();
            m.status = Some(Status {
                msg: Msg::new("access.login.welcome")
                    .arg("name", &name)
                    .arg("role", role),
                error: false,
            });
            m.operator = name;
            Vec::new()
        }
        Login::NeedsPin => {
            l.stage = Stage::Pin {
                name,
                input: String::new(),
            };
            Vec::new()
        }
        Login::WrongPin => {
            l.error = Some(Msg::new("access.login.wrong_pin").arg("name", &name));
            l.stage = Stage::Pin {
                name,
                input: String::new(),
            };
            vec![Effect::Bell]
        }
        Login::Locked => {
            // five wrong PINs: nobody can sign in as this person until the lock ends
            l.error = Some(
                Msg::new("operators.locked")
                    .arg("name", &name)
                    .arg("minutes", crate::store::staff::LOCK_MINUTES),
            );
            l.stage = Stage::Choose;
            vec![Effect::Bell]
        }
        Login::Unknown => {
            l.error = Some(Msg::new("err.unknown_staff").arg("name", &name));
            l.stage = Stage::Choose;
            vec![Effect::Bell]
        }
    }
}
