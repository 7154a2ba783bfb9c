//! Keys act blind (issue 19): while the "terminal too small" notice is shown, the operator
//! cannot see what a key would act on, so every key but `q` and Ctrl-C is ignored (and the
//! mouse); at 40×12 `4` then Enter used to dispatch AMB3 to a patient.

use crate::common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use duty_desk::app::{Action, Effect, Screen, WriteCmd, update};
use duty_desk::i18n::Lang;

const TINY: [(u16, u16); 5] = [(40, 12), (20, 5), (63, 40), (200, 15), (1, 1)];

fn is_write(e: &Effect) -> bool {
    matches!(e, Effect::Write(..))
}

/// The keys an officer might press "to get out", and the ones that once acted.
fn blind_keys() -> Vec<KeyEvent> {
    let plain = [
        KeyCode::Char('4'),
        KeyCode::Enter,
        KeyCode::Char('?'),
        KeyCode::Char('5'),
        KeyCode::Char('d'),
        KeyCode::Char('n'),
        KeyCode::Char('W'),
        KeyCode::Char('A'),
        KeyCode::Char('y'),
        KeyCode::Tab,
        KeyCode::Down,
        KeyCode::Esc,
        KeyCode::Enter,
    ];
    plain
        .into_iter()
        .map(|c| KeyEvent::new(c, KeyModifiers::NONE))
        .collect()
}

#[test]
fn at_tiny_sizes_four_then_enter_dispatches_nothing() {
    let db = common::demo_db();
    for (w, h) in TINY {
        let mut m = common::model(&db.path, Lang::En, &db.operator);
        assert!(update(&mut m, Action::Resize(w, h)).is_empty());
        for k in blind_keys() {
            let effects = update(&mut m, Action::Key(k));
            assert!(effects.is_empty(), "{w}x{h} {k:?}: {effects:?}");
        }
        assert_eq!(m.screen, Screen::Overview, "{w}x{h}");
        assert!(!m.help, "{w}x{h}: help opened blind");
        assert!(m.login.is_none() && !m.audit.open && !m.modal(), "{w}x{h}");
        assert!(!m.quit);
    }
}

#[test]
fn on_the_fleet_board_enter_dispatches_only_when_the_board_can_be_seen() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Fleet);
    // the notice is drawn (the size is learnt from the frame, no resize event needed)
    let screen = common::render(&m, 40, 12);
    assert!(screen.contains("too small"), "{screen}");
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row: 5,
        modifiers: KeyModifiers::NONE,
    };
    assert!(update(&mut m, Action::Mouse(click)).is_empty());
    // once the window is large enough Enter shows the request whole, and Enter again
    // dispatches the suggestion
    update(&mut m, Action::Resize(120, 36));
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Write(WriteCmd::Fleet(_), _))),
        "{effects:?}"
    );
}

#[test]
fn q_and_ctrl_c_still_quit_at_a_tiny_size() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    update(&mut m, Action::Resize(40, 12));
    assert_eq!(common::key(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    assert!(m.quit);

    let mut m = common::model(&db.path, Lang::En, &db.operator);
    update(&mut m, Action::Resize(30, 8));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(update(&mut m, Action::Key(ctrl_c)), vec![Effect::Quit]);
}

#[test]
fn inside_a_form_q_asks_before_losing_unsaved_work_and_the_notice_shows_the_question() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, &db.operator);
        common::show(&mut m, Screen::Fleet);
        // open the new-request form and type into it at a normal size
        update(&mut m, Action::Resize(120, 36));
        common::key(&mut m, KeyCode::Char('n'));
        assert!(m.modal(), "the request form did not open");
        common::key(&mut m, KeyCode::Char('X'));
        m.dirty = true;
        // the window shrinks: typing is ignored, the form is kept
        update(&mut m, Action::Resize(40, 12));
        for k in blind_keys() {
            let effects = update(&mut m, Action::Key(k));
            assert!(!effects.iter().any(is_write), "{k:?}: {effects:?}");
        }
        assert!(m.modal(), "a blind key closed the form");
        assert!(common::key(&mut m, KeyCode::Char('q')).is_empty());
        assert!(m.confirm_quit && !m.quit);
        let screen = common::render(&m, 40, 12);
        let question = lang.t("ui.confirm_quit");
        let head: String = question.chars().take(8).collect();
        assert!(screen.contains(&head), "{screen}");
        // any key but y keeps the console (and the form) open
        common::key(&mut m, KeyCode::Enter);
        assert!(!m.confirm_quit && !m.quit && m.modal());
        common::key(&mut m, KeyCode::Char('q'));
        assert_eq!(common::key(&mut m, KeyCode::Char('y')), vec![Effect::Quit]);
    }
}

#[test]
fn keys_act_again_once_the_window_is_large_enough() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    update(&mut m, Action::Resize(40, 12));
    common::key(&mut m, KeyCode::Char('4'));
    assert_eq!(m.screen, Screen::Overview);
    update(&mut m, Action::Resize(64, 16));
    common::key(&mut m, KeyCode::Char('4'));
    assert_eq!(m.screen, Screen::Fleet);
}

/// The defect as filed, in a real terminal: at 40×12 `4` then Enter changes no record,
/// and `q` still quits.
#[test]
fn pty_at_40x12_four_then_enter_changes_nothing() {
    use duty_desk::domain::transport::TripStatus;
    let db = common::demo_db();
    let path = db.path.display().to_string();
    let waiting = |m: &duty_desk::app::Model| {
        m.snapshot
            .as_ref()
            .map(|s| {
                s.transports
                    .iter()
                    .filter(|t| t.status == TripStatus::Requested)
                    .count()
            })
            .unwrap_or(0)
    };
    let before = waiting(&common::model(&db.path, Lang::En, &db.operator));
    assert!(before > 0, "the demo has a waiting request to dispatch");
    let mut p = common::pty::Pty::spawn(
        &["--db", &path, "--operator", &db.operator],
        &[("DUTY_DESK_NOW", common::NOW)],
        40,
        12,
    );
    p.expect("too small");
    p.send("4");
    p.send("\r");
    p.send("?");
    p.send("5");
    p.send("\r");
    std::thread::sleep(std::time::Duration::from_millis(400));
    p.expect("too small");
    p.send("q");
    assert_eq!(p.wait_exit(std::time::Duration::from_secs(30)), Some(0));
    let after = waiting(&common::model(&db.path, Lang::En, &db.operator));
    assert_eq!(after, before, "a blind Enter dispatched a vehicle");
}
