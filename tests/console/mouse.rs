//! The mouse: a click on a list row selects it, a click on a footer key hint presses that
//! key, a click on a name in the login picks that person; the wheel scrolls.
use crate::common;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use duty_desk::app::{Action, Effect, Screen, login, update};
use duty_desk::i18n::Lang;

fn at(kind: MouseEventKind, column: u16, row: u16) -> Action {
    Action::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(column: u16, row: u16) -> Action {
    at(MouseEventKind::Down(MouseButton::Left), column, row)
}

/// The (column, row) where `text` is drawn, from the rendered screen.
fn find(screen: &str, text: &str) -> (u16, u16) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(i) = line.find(text) {
            let col = unicode_width::UnicodeWidthStr::width(&line[..i]);
            return (col as u16, y as u16);
        }
    }
    panic!("{text} not on screen\n{screen}");
}

#[test]
fn clicking_a_report_row_selects_that_village() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Report);
    let screen = common::render(&m, 120, 36);
    let (x, y) = find(&screen, "V05 ");
    update(&mut m, click(x + 2, y));
    assert_eq!(m.selected[Screen::Report.index()], 4);
    update(&mut m, at(MouseEventKind::ScrollDown, x, y));
    assert_eq!(m.selected[Screen::Report.index()], 5);
}

#[test]
fn clicking_an_escalation_and_a_log_entry_selects_them() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    for screen in [Screen::Escalations, Screen::Shiftlog] {
        common::show(&mut m, screen);
        let text = common::render(&m, 120, 36);
        let (_, header) = find(
            &text,
            if screen == Screen::Shiftlog {
                "Time"
            } else {
                "Due"
            },
        );
        // the third row under the header
        update(&mut m, click(10, header + 3));
        assert_eq!(m.selected[screen.index()], 2, "{screen:?}");
    }
}

#[test]
fn a_footer_hint_is_a_button() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    let screen = common::render(&m, 120, 36);
    let (x, y) = find(&screen, "? more");
    update(&mut m, click(x, y));
    assert!(m.help, "the ? hint opens the help");
    common::key(&mut m, crossterm::event::KeyCode::Esc);
    // the switch is the footer's last priority: wide enough to show it
    let screen = common::render(&m, 160, 36);
    let (x, y) = find(&screen, "W switch operator");
    update(&mut m, click(x + 3, y));
    assert!(m.login.is_some(), "the W hint opens the operator chooser");
}

#[test]
fn clicking_a_name_in_the_login_picks_that_person() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    assert!(login::start(&mut m, None).is_empty());
    assert_eq!(m.operator, "", "nobody writes before the login");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Who is on duty?"), "{screen}");
    let (x, y) = find(&screen, "冉小东");
    let fx = update(&mut m, click(x, y));
    assert_eq!(
        fx,
        vec![Effect::Login {
            name: "冉小东".into(),
            pin: None
        }]
    );
    // the store thread answers: no PIN, so in
    update(
        &mut m,
        Action::LoginChecked("冉小东".into(), duty_desk::store::staff::Login::Accepted),
    );
    assert_eq!(m.operator, "冉小东");
    assert!(m.login.is_none());
}

#[test]
fn clicking_a_request_and_a_vehicle_on_the_fleet_screen_selects_them() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Fleet);
    let screen = common::render(&m, 120, 36);
    // the queue: #3 is the severe trip with AMB1; the board: RC04 Fenglin's reserve car
    let (x, y) = find(&screen, "#3 ");
    update(&mut m, click(x + 1, y));
    assert_eq!(m.fleet.trip, Some(3));
    assert_eq!(m.fleet.focus, duty_desk::app::fleet::Focus::Queue);
    let screen = common::render(&m, 120, 36);
    let (x, y) = find(&screen, " RC04 ");
    update(&mut m, click(x + 2, y));
    assert_eq!(m.fleet.focus, duty_desk::app::fleet::Focus::Board);
    let after = common::render(&m, 120, 36);
    let (_, y2) = find(&after, ">RC04 ");
    assert_eq!(y2, y, "the clicked vehicle is the selected one:\n{after}");
}
