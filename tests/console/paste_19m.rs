//! Issue 19: a paste reaches the people searches (the login and sign-over choosers, the
//! key-population screen's `/` search) and the contact form's note, and a line break in
//! it never presses Enter.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::login::{self, Stage};
use duty_desk::app::people::visible;
use duty_desk::app::shiftlog::Form;
use duty_desk::app::{Action, Screen, update};
use duty_desk::i18n::Lang;

#[test]
fn a_paste_finds_the_person_in_the_login_chooser_without_choosing() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "");
    login::start(&mut m, None);
    assert!(update(&mut m, Action::Paste("rxd\n".into())).is_empty());
    let l = m.login.as_ref().unwrap();
    assert_eq!(l.find.input.text(), "rxd ");
    assert_eq!(m.town.staff[l.selected].name, "冉小东");
    assert!(l.stage == Stage::Choose, "the newline did not choose");
}

#[test]
fn a_paste_finds_the_incoming_person_in_the_sign_over_chooser() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, common::DUTY_LEADER);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('s'));
    assert!(update(&mut m, Action::Paste("谭慧\r\n".into())).is_empty());
    let Some(Form::Sign {
        sel, confirm, find, ..
    }) = &m.shiftlog.form
    else {
        panic!("sign chooser closed: {:?}", m.shiftlog.form)
    };
    assert_eq!(find.input.text(), "谭慧 ");
    assert_eq!(m.town.staff[*sel].name, "谭慧敏");
    assert!(!confirm, "the newline did not press Enter");
}

#[test]
fn a_paste_reaches_the_people_search_and_the_contact_note_but_not_a_choice() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::People);
    common::key(&mut m, KeyCode::Char('/'));
    update(&mut m, Action::Paste("qinglong\n".into()));
    assert_eq!(m.people.query.text(), "qinglong ");
    assert!(m.people.searching, "the newline did not end the search");
    common::key(&mut m, KeyCode::Backspace);
    common::key(&mut m, KeyCode::Enter);
    assert!(visible(&m).iter().all(|r| r.listed.village == "V02"));
    common::key(&mut m, KeyCode::Enter);
    assert!(m.people.form.is_some());
    // the cursor is on the method: a pasted `v` or `2` chooses nothing
    update(&mut m, Action::Paste("v2".into()));
    let f = m.people.form.as_ref().unwrap();
    assert_eq!((f.method, f.outcome), (0, None));
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Tab);
    assert!(update(&mut m, Action::Paste("气促\n加重".into())).is_empty());
    let f = m.people.form.as_ref().expect("the newline did not save");
    assert_eq!(f.note.text(), "气促 加重");
}
