//! While the terminal is too small to show the screens, the operator cannot see what a key
//! would act on: every key but `q` and Ctrl-C is ignored, and the mouse too, until the
//! window is large enough again. Someone on a phone's SSH window who presses Enter "to get
//! out" changes nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{Action, Effect, Model};
use crate::ui::{MIN_HEIGHT, MIN_WIDTH};

/// True while the terminal (last drawn or last resized) is below the console's minimum.
/// Before the first draw the size is unknown and the screens are assumed visible.
pub fn too_small(m: &Model) -> bool {
    match m.area.get() {
        Some((w, h)) => w < MIN_WIDTH || h < MIN_HEIGHT,
        None => false,
    }
}

/// Takes the action when the terminal is too small to show what it would act on:
/// `Some(effects)` when it was handled (or ignored) here, `None` to let the reducer have it.
/// A resize is always recorded and passed on.
pub fn intercept(m: &mut Model, action: &Action) -> Option<Vec<Effect>> {
    match action {
        Action::Resize(w, h) => {
            m.area.set(Some((*w, *h)));
            None
        }
        _ if !too_small(m) => None,
        Action::Mouse(_) | Action::Paste(_) => Some(Vec::new()),
        Action::Key(k) => on_key(m, k),
        _ => None,
    }
}

fn on_key(m: &mut Model, k: &KeyEvent) -> Option<Vec<Effect>> {
    if k.kind == KeyEventKind::Release {
        return Some(Vec::new());
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && k.code == KeyCode::Char('c') {
        // the reducer's own Ctrl-C: quit at once
        return None;
    }
    if m.confirm_quit {
        // the notice shows the question (see `ui::too_small`): y quits, any other key keeps
        // the console open
        if !ctrl && matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
            m.quit = true;
            return Some(vec![Effect::Quit]);
        }
        m.confirm_quit = false;
        return Some(Vec::new());
    }
    if !ctrl && k.code == KeyCode::Char('q') {
        // `q` means quit here even inside a form (the form cannot be seen to type into);
        // unsaved work is asked about first
        if m.dirty {
            m.confirm_quit = true;
            return Some(Vec::new());
        }
        m.quit = true;
        return Some(vec![Effect::Quit]);
    }
    Some(Vec::new())
}
