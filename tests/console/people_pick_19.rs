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

fn login_chooser(lang: Lang) -> (common::DemoDb, duty_desk::app::Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    assert!(duty_desk::app::login::start(&mut m, None).is_empty());
    (db, m)
}

fn login_pick(name: &str) -> Vec<duty_desk::app::Effect> {
    vec![duty_desk::app::Effect::Login {
        name: name.into(),
        pin: None,
    }]
}

#[test]
fn the_login_finds_the_operator_by_initials_in_english() {
    let (_db, mut m) = login_chooser(Lang::En);
    // q and j are letters of a name here, not quit or down
    typed(&mut m, "hxf");
    assert!(!m.quit);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Name: hxf_"), "{screen}");
    assert!(screen.contains("黄晓峰"), "{screen}");
    insta::assert_snapshot!("login_pick_initials_en", screen);
    assert_eq!(common::key(&mut m, KeyCode::Enter), login_pick("黄晓峰"));
}

#[test]
fn the_login_finds_the_operator_by_pinyin_in_chinese_and_esc_still_leaves() {
    let (_db, mut m) = login_chooser(Lang::Zh);
    typed(&mut m, "jwb");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("姓名：jwb_"), "{screen}");
    insta::assert_snapshot!("login_pick_initials_zh", screen);
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "qq");
    assert!(!m.quit, "q types in the chooser");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("值班人员名单中没有匹配的人"), "{screen}");
    assert_eq!(
        common::key(&mut m, KeyCode::Enter),
        vec![duty_desk::app::Effect::Bell]
    );
    common::key(&mut m, KeyCode::Esc);
    assert!(m.quit, "Esc leaves the login at start");
}
