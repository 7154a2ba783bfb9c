//! The one reducer: `update(&mut Model, Action) -> Vec<Effect>`. Pure: no I/O here.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::model::Model;
use super::screen::Screen;
use super::{Action, Effect};

/// Applies one action to the model and says what should happen outside it.
pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    // keys act on nothing the operator cannot see: the too-small notice ignores them
    if let Some(effects) = super::small::intercept(m, &action) {
        return effects;
    }
    // new data or a moving clock can re-sort a list: the selection stays on its record,
    // so an action never lands on a row the operator did not choose
    let keep = matches!(action, Action::Loaded(_) | Action::Tick(_));
    let held = if keep {
        held_records(m)
    } else {
        Held::default()
    };
    let mut effects = reduce(m, action);
    if keep {
        restore_records(m, &held);
        // a page of the Shift log asked for has arrived: its move is made now (issue 18)
        super::shiftlog::pages::settle(m);
    }
    // the call list is read only while its screen is shown (issue 15)
    let people = m.screen == Screen::People;
    if m.view.people != people {
        m.view.people = people;
        effects.push(Effect::Reload(m.view));
    }
    // one policy: a write the operator may not make is refused here, before it is sent
    super::access::guard(m, effects)
}

/// The records selected on the lists whose order can change under the operator.
#[derive(Default)]
struct Held {
    escalation: Option<i64>,
    village: Option<String>,
    entry: Option<i64>,
    /// The newest log entry was selected (or the log was empty): follow the newest.
    entry_newest: bool,
}

fn held_records(m: &Model) -> Held {
    let Some(s) = m.snapshot.as_deref() else {
        return Held::default();
    };
    Held {
        escalation: super::escalations::selected(m).map(|e| e.id),
        village: super::report::ordered(m)
            .get(m.selected[Screen::Report.index()])
            .map(|v| v.code.clone()),
        entry: s
            .log
            .get(m.selected[Screen::Shiftlog.index()])
            .map(|e| e.id),
        entry_newest: m.selected[Screen::Shiftlog.index()] + 1 >= s.log.len() && s.log_newer() == 0,
    }
}

fn restore_records(m: &mut Model, held: &Held) {
    if let Some(id) = held.escalation
        && let Some(i) = super::escalations::visible(m)
            .iter()
            .position(|e| e.id == id)
    {
        m.selected[Screen::Escalations.index()] = i;
    }
    if let Some(code) = &held.village
        && let Some(i) = super::report::ordered(m)
            .iter()
            .position(|v| &v.code == code)
    {
        m.selected[Screen::Report.index()] = i;
    }
    // the Shift log follows the newest entry when it was on it (issue 19)
    if held.entry_newest
        && let Some(n) = m.snapshot.as_deref().map(|s| s.log.len())
        && n > 0
    {
        m.selected[Screen::Shiftlog.index()] = n - 1;
    } else if let Some(id) = held.entry
        && let Some(i) = m
            .snapshot
            .as_deref()
            .and_then(|s| s.log.iter().position(|e| e.id == id))
    {
        m.selected[Screen::Shiftlog.index()] = i;
    }
}

fn reduce(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(k) => on_key(m, k),
        Action::Mouse(ev) => on_mouse(m, ev),
        Action::Paste(text) => paste(m, &text),
        Action::Resize(_, _) => Vec::new(),
        Action::Tick(now) => {
            m.now = now;
            Vec::new()
        }
        Action::Loaded(s) => {
            m.town = s.town.clone();
            m.snapshot = Some(s);
            clamp_selection(m);
            super::alerts::on_loaded(m)
        }
        Action::WriteDone(result) => {
            super::report::write_done(m, &result);
            super::shiftlog::write_done(m, &result);
            match result {
                Ok(msg) => m.say(msg, false),
                Err(msg) => m.say(msg, true),
            }
        }
        Action::LoadFailed(msg) => m.say(msg, true),
        Action::LoginChecked(name, outcome) => super::login::checked(m, name, outcome),
        Action::AuditChecked(broken, rows) => super::audit::on_checked(m, broken, rows),
    }
}

fn rows_on(m: &Model, screen: Screen) -> usize {
    if m.snapshot.is_none() {
        return 0;
    }
    screen.logic().rows(m)
}

fn clamp_selection(m: &mut Model) {
    for screen in Screen::ALL {
        let n = rows_on(m, screen);
        let sel = &mut m.selected[screen.index()];
        if n == 0 {
            *sel = 0;
        } else if *sel >= n {
            *sel = n - 1;
        }
    }
}

fn move_selection(m: &mut Model, delta: isize) {
    let n = rows_on(m, m.screen);
    if n == 0 {
        return;
    }
    let i = m.screen.index();
    let cur = m.selected[i] as isize;
    m.selected[i] = (cur + delta).clamp(0, n as isize - 1) as usize;
}

fn switch(m: &mut Model, screen: Screen) -> Vec<Effect> {
    m.screen = screen;
    Vec::new()
}

/// Pasted text goes only into an open form or prompt (nowhere else is typing text): into
/// its focused [`super::input::TextInput`] when it has one, else as typed characters. A
/// line break or tab is a space either way, so a paste never presses Enter or Tab.
fn paste(m: &mut Model, text: &str) -> Vec<Effect> {
    if !(m.modal() || m.login.is_some()) {
        return Vec::new();
    }
    // the people searches (login and sign-over choosers, the key-population screen) and
    // the contact note; the login covers the screen, so nothing behind it takes a paste
    let found = if m.login.is_some() {
        super::login::paste(m, text)
    } else {
        super::shiftlog::form::paste_find(m, text) || super::people::paste(m, text)
    };
    // the report form saving or asking "discard?" takes no paste
    let held = m.login.is_none()
        && !m.town_ui.modal()
        && m.screen == Screen::Report
        && super::report::holds_paste(m);
    if found || held {
        return Vec::new();
    }
    if m.login.is_none()
        && let Some(input) = focused_input(m)
    {
        // text pasted into a form is unsaved work: quitting asks first
        if input.paste(text) == super::input::Edited::Changed {
            m.dirty = true;
        }
        return Vec::new();
    }
    let text = text.replace("\r\n", "\n");
    let mut effects = Vec::new();
    for c in text.chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        effects.extend(on_key(
            m,
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        ));
    }
    effects
}

/// The text input that has the cursor in the open form, if that form uses the shared one.
fn focused_input(m: &mut Model) -> Option<&mut super::input::TextInput> {
    if m.town_ui.form.is_some() {
        return super::town::focused_input(m);
    }
    if m.town_ui.modal() {
        return None;
    }
    match m.screen {
        Screen::Fleet => super::fleet::focused_input(m),
        Screen::Report => super::report::focused_input(m),
        Screen::Shiftlog => m
            .shiftlog
            .form
            .as_mut()
            .and_then(super::shiftlog::form::text_of),
        Screen::Escalations => m
            .escalations
            .form
            .as_mut()
            .and_then(super::escalations::form::focused_input),
        // the People screen's search and note take a paste in `people::paste`
        Screen::Overview | Screen::People => None,
    }
}

fn on_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        m.quit = true;
        return vec![Effect::Quit];
    }
    m.status = None;
    if m.help {
        help_key(m, k);
        return Vec::new();
    }
    if opens_form_help(m, &k) {
        m.help = true;
        return Vec::new();
    }
    if m.login.is_some() {
        return super::login::on_key(m, k);
    }
    if m.confirm_quit {
        return confirm_quit_key(m, k);
    }
    if let Some(effects) = popup_key(m, k) {
        return effects;
    }
    if let Some(effects) = command_key(m, k) {
        return effects;
    }
    // a screen's own letter keys come first (the Shift log's `h`); only keys it leaves
    // alone act as vim movement. A screen's keys are plain (the keymap's rows): Ctrl-d is
    // never the Shift log's `d`
    if !is_global(&k)
        && !k.modifiers.contains(KeyModifiers::CONTROL)
        && let Some(effects) = screen_key(m, k)
    {
        return effects;
    }
    let mapped = vim_to_arrows(m, k);
    if mapped != k
        && let Some(effects) = screen_key(m, mapped)
    {
        return effects;
    }
    global_key(m, mapped)
}

/// The answer to "quit with unsaved changes?": `y` quits, any other key stays.
fn confirm_quit_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => {
            m.quit = true;
            vec![Effect::Quit]
        }
        _ => {
            m.confirm_quit = false;
            Vec::new()
        }
    }
}

/// Inside a form or popup (`keymap::forms::context`), F1 opens the help of its keys, and so
/// does `?` where nothing is typed (elsewhere `?` is text).
fn opens_form_help(m: &Model, k: &KeyEvent) -> bool {
    let Some(c) = super::keymap::forms::context(m) else {
        return false;
    };
    let plain = !k
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    plain && (k.code == KeyCode::F(1) || (k.code == KeyCode::Char('?') && !c.types()))
}

/// The help overlay owns the keys: it scrolls, and Esc, `?`, F1 or `q` close it.
fn help_key(m: &mut Model, k: KeyEvent) {
    let max = m.help_max.get();
    match k.code {
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::F(1) => {
            m.help = false;
            m.help_scroll = 0;
        }
        KeyCode::Up | KeyCode::Char('k') => m.help_scroll = m.help_scroll.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => m.help_scroll = (m.help_scroll + 1).min(max),
        KeyCode::PageUp => m.help_scroll = m.help_scroll.saturating_sub(10),
        KeyCode::PageDown => m.help_scroll = m.help_scroll.saturating_add(10).min(max),
        KeyCode::Home => m.help_scroll = 0,
        KeyCode::End => m.help_scroll = max,
        _ => {}
    }
}

/// Keys owned by whatever is open over the screen (the audit view, the alert inbox and
/// banner, the town popup, a screen's form); `None` when nothing is.
fn popup_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    // the audit view is a popup: it owns the keys, Esc included
    if m.audit.open {
        return Some(super::audit::on_key(m, k));
    }
    // the alert inbox is a popup: it owns the keys
    if m.escalations.alerts.inbox.is_some() {
        return Some(super::alerts::inbox_key(m, k));
    }
    // the alert banner stays until seen: Esc (outside forms) marks its alert seen
    if k.code == KeyCode::Esc && !m.modal() && m.escalations.alerts.showing() {
        return Some(super::alerts::mark_seen(m));
    }
    if k.code == KeyCode::Char('!') && !m.modal() {
        return Some(super::alerts::open_inbox(m));
    }
    // the town popup and its forms own the keys while open (over any screen)
    if m.town_ui.modal() {
        return Some(super::town::on_key(m, k));
    }
    if m.modal() {
        return Some(screen_key(m, k).unwrap_or_default());
    }
    None
}

/// Keys that open something over any screen (audit, operator switch, town, vehicle edit),
/// after the keymap's permission check; `None` for the others.
fn command_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    // an action the operator may not take is refused by its keymap row before any form
    // opens (the keymap is the one table of keys and the permissions they need)
    if let Some(effects) = super::keymap::refuse(m, &k) {
        return Some(effects);
    }
    // the audit view, from the Shift log screen (duty leaders)
    if k.code == KeyCode::Char('A') && m.screen == Screen::Shiftlog {
        return Some(super::audit::open(m));
    }
    if k.code == KeyCode::Char('W') && !m.town.staff.is_empty() {
        return Some(super::login::switch(m));
    }
    if k.code == KeyCode::Char('T') {
        return Some(super::town::open(m));
    }
    if super::town::fleet_edit_key(m, &k) {
        return Some(super::town::edit_selected_vehicle(m));
    }
    None
}

/// The keys every screen shares: the screen digits, Tab, quit, help and movement.
fn global_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    if let KeyCode::Char(c) = k.code
        && let Some(screen) = Screen::from_digit(c)
    {
        return switch(m, screen);
    }
    match k.code {
        KeyCode::Char('q') => {
            if m.dirty {
                m.confirm_quit = true;
                Vec::new()
            } else {
                m.quit = true;
                vec![Effect::Quit]
            }
        }
        KeyCode::Char('?') | KeyCode::F(1) => {
            m.help = true;
            Vec::new()
        }
        KeyCode::Tab => switch(m, m.screen.next()),
        KeyCode::BackTab => switch(m, m.screen.prev()),
        _ => {
            move_by_key(m, k.code);
            Vec::new()
        }
    }
}

/// The arrows, paging keys, Home and End move the selection; other keys do nothing.
fn move_by_key(m: &mut Model, code: KeyCode) {
    let delta = match code {
        KeyCode::Up => -1,
        KeyCode::Down => 1,
        KeyCode::PageUp => -10,
        KeyCode::PageDown => 10,
        KeyCode::Home => isize::MIN / 2,
        KeyCode::End => isize::MAX / 2,
        _ => return,
    };
    move_selection(m, delta);
}

/// With the vim key set, h j k l g G Ctrl-d Ctrl-u act as the arrows and paging keys.
fn vim_to_arrows(m: &Model, k: KeyEvent) -> KeyEvent {
    if m.keys != crate::config::KeySet::Vim {
        return k;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let code = match k.code {
        KeyCode::Char('j') => KeyCode::Down,
        KeyCode::Char('k') => KeyCode::Up,
        KeyCode::Char('h') => KeyCode::Left,
        KeyCode::Char('l') => KeyCode::Right,
        KeyCode::Char('g') => KeyCode::Home,
        KeyCode::Char('G') => KeyCode::End,
        KeyCode::Char('d') if ctrl => KeyCode::PageDown,
        KeyCode::Char('u') if ctrl => KeyCode::PageUp,
        _ => return k,
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Keys that mean the same on every screen (unless a form is open).
fn is_global(k: &KeyEvent) -> bool {
    match k.code {
        KeyCode::Char(c) => matches!(c, 'q' | '?') || Screen::from_digit(c).is_some(),
        KeyCode::Tab | KeyCode::BackTab => true,
        _ => false,
    }
}

/// Gives a key to the current screen's own handler.
fn screen_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    m.screen.logic().on_key(m, k)
}

/// Where the tab bar is, so a click can pick a tab: row 1, tabs laid out by `ui::tab_spans`.
fn on_mouse(m: &mut Model, ev: crossterm::event::MouseEvent) -> Vec<Effect> {
    if m.login.is_some() {
        return super::login::on_mouse(m, ev);
    }
    if let Some(effects) = on_click(m, ev) {
        return effects;
    }
    match ev.kind {
        MouseEventKind::Down(MouseButton::Left) if ev.row == 1 => {
            if let Some(screen) = crate::ui::tab_at(m, ev.column) {
                return switch(m, screen);
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if m.screen == Screen::Fleet => {
            let delta = if ev.kind == MouseEventKind::ScrollDown {
                1
            } else {
                -1
            };
            super::fleet::scroll(m, delta);
            Vec::new()
        }
        MouseEventKind::ScrollDown => {
            move_selection(m, 1);
            Vec::new()
        }
        MouseEventKind::ScrollUp => {
            move_selection(m, -1);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A left click on a list row selects it; on a footer key hint presses that key.
fn on_click(m: &mut Model, ev: crossterm::event::MouseEvent) -> Option<Vec<Effect>> {
    if ev.kind != MouseEventKind::Down(MouseButton::Left) || m.help || m.confirm_quit {
        return None;
    }
    match m.hits.at(ev.column, ev.row)? {
        super::hits::Hit::Row(i) if !m.modal() => {
            let n = rows_on(m, m.screen);
            if i < n {
                m.selected[m.screen.index()] = i;
            }
            Some(Vec::new())
        }
        super::hits::Hit::Key(code) => Some(update(
            m,
            Action::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        )),
        super::hits::Hit::Trip(id) if !m.modal() => {
            m.fleet.trip = Some(id);
            m.fleet.focus = super::fleet::Focus::Queue;
            Some(Vec::new())
        }
        super::hits::Hit::Vehicle(i) if !m.modal() => {
            m.selected[Screen::Fleet.index()] = i;
            m.fleet.focus = super::fleet::Focus::Board;
            Some(Vec::new())
        }
        _ => None,
    }
}
