//! The vim key set: h j k l g G move where a screen leaves those letters alone, and a
//! screen's own letter (the Shift log's `h`) still works.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::Screen;
use duty_desk::config::KeySet;
use duty_desk::i18n::Lang;

#[test]
fn vim_keys_move_and_screen_letters_still_work() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    m.keys = KeySet::Vim;
    common::show(&mut m, Screen::Escalations);
    common::key(&mut m, KeyCode::Char('j'));
    assert_eq!(m.selected[Screen::Escalations.index()], 1);
    common::key(&mut m, KeyCode::Char('G'));
    let last = m.selected[Screen::Escalations.index()];
    assert!(last > 1);
    common::key(&mut m, KeyCode::Char('g'));
    assert_eq!(m.selected[Screen::Escalations.index()], 0);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('h'));
    assert!(
        m.shiftlog.handover_full,
        "the Shift log's own `h` must win over vim's left"
    );
    // without the vim set, j is just a letter
    let mut plain = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut plain, Screen::Escalations);
    common::key(&mut plain, KeyCode::Char('j'));
    assert_eq!(plain.selected[Screen::Escalations.index()], 0);
}

/// `d` is the Shift log's "on duty" key (issue 19's keymap): Ctrl-d must still page down
/// under the vim set, not open the roster chooser.
#[test]
fn ctrl_d_pages_on_the_shift_log_and_plain_d_opens_the_roster() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    use duty_desk::app::{Action, update};
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    m.keys = KeySet::Vim;
    common::show(&mut m, Screen::Shiftlog);
    m.selected[Screen::Shiftlog.index()] = 0;
    let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
    update(&mut m, Action::Key(ctrl_d));
    assert!(m.shiftlog.form.is_none(), "Ctrl-d opened a form");
    assert_eq!(m.selected[Screen::Shiftlog.index()], 10);
    common::key(&mut m, KeyCode::Char('d'));
    assert!(m.shiftlog.form.is_some(), "d opens the roster chooser");
}
