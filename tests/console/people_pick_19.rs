//! The sign-over chooser finds the incoming person by typing (issue 19, item 4): name,
//! pinyin or initials through the shared picker, in both languages.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::Screen;
use duty_desk::app::shiftlog::Form;
use duty_desk::i18n::Lang;

fn sign_chooser(lang: Lang) -> (common::DemoDb, duty_desk::app::Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('s'));
    assert!(matches!(m.shiftlog.form, Some(Form::Sign { .. })));
    (db, m)
}

fn typed(m: &mut duty_desk::app::Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn chosen(m: &duty_desk::app::Model) -> String {
    let Some(Form::Sign { sel, .. }) = m.shiftlog.form else {
        panic!("sign chooser closed")
    };
    m.town.staff[sel].name.clone()
}

#[test]
fn the_incoming_person_is_found_by_initials_in_english() {
    let (_db, mut m) = sign_chooser(Lang::En);
    typed(&mut m, "rxd");
    assert_eq!(chosen(&m), "冉小东");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Name: rxd_"), "{screen}");
    assert!(
        !screen.contains("谭慧敏"),
        "only the people found are listed: {screen}"
    );
    insta::assert_snapshot!("sign_pick_initials_en", screen);
    common::key(&mut m, KeyCode::Enter);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("PIN of 冉小东"), "{screen}");
}

#[test]
fn the_incoming_person_is_found_by_pinyin_and_name_in_chinese() {
    let (_db, mut m) = sign_chooser(Lang::Zh);
    typed(&mut m, "thm");
    assert_eq!(chosen(&m), "谭慧敏");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("姓名：thm"), "{screen}");
    insta::assert_snapshot!("sign_pick_initials_zh", screen);
    // a new query: full pinyin, then the name itself
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "ranxiaodong");
    assert_eq!(chosen(&m), "冉小东");
    for _ in 0.."ranxiaodong".len() {
        common::key(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "谭慧");
    assert_eq!(chosen(&m), "谭慧敏");
    common::key(&mut m, KeyCode::Enter);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("谭慧敏 的 PIN"), "{screen}");
}

#[test]
fn nobody_found_is_said_and_enter_takes_nobody() {
    let (_db, mut m) = sign_chooser(Lang::En);
    typed(&mut m, "zzzz");
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("nobody on the staff list matches"),
        "{screen}"
    );
    let fx = common::key(&mut m, KeyCode::Enter);
    assert!(fx.contains(&duty_desk::app::Effect::Bell), "{fx:?}");
    assert!(
        matches!(m.shiftlog.form, Some(Form::Sign { confirm: false, .. })),
        "still choosing"
    );
}
