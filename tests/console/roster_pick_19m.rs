//! Issue 19: the roster plan's chooser (`p`, then Enter on a day) finds a person by
//! typing (name, pinyin or initials), so letters set no role; `1` leader, `2` officer,
//! `0` off, as its hint line says, in both languages.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::shiftlog::Form;
use duty_desk::app::{Effect, Model, Screen, WriteCmd};
use duty_desk::i18n::Lang;

fn plan_chooser(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, "冉小东");
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('p'));
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Enter);
    assert!(matches!(m.shiftlog.form, Some(Form::Plan { .. })));
    (db, m)
}

fn typed(m: &mut Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn plan(m: &Model) -> (String, Option<String>, Vec<String>) {
    let Some(Form::Plan {
        sel,
        leader,
        officers,
        ..
    }) = &m.shiftlog.form
    else {
        panic!("the chooser closed: {:?}", m.shiftlog.form)
    };
    (
        m.town.staff[*sel].name.clone(),
        leader.clone(),
        officers.clone(),
    )
}

fn clear(m: &mut Model) {
    common::key(m, KeyCode::Esc);
    assert!(
        matches!(m.shiftlog.form, Some(Form::Plan { .. })),
        "Esc forgot the search only"
    );
}

#[test]
fn typing_finds_the_person_and_digits_set_the_role_in_english() {
    let (_db, mut m) = plan_chooser(Lang::En);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("1 leader  2 officer  0 off  Enter save  Esc cancel"),
        "{screen}"
    );
    // `l`, `o` and `x` are letters of a name now, not roles
    typed(&mut m, "thm");
    let (found, leader, officers) = plan(&m);
    assert_eq!(found, "谭慧敏");
    assert_eq!((leader, officers.len()), (None, 0), "a letter set no role");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Name: thm_"), "{screen}");
    insta::assert_snapshot!("roster_plan_pick_en", screen);
    common::key(&mut m, KeyCode::Char('1'));
    clear(&mut m);
    typed(&mut m, "chensiyuan");
    common::key(&mut m, KeyCode::Char('2'));
    clear(&mut m);
    typed(&mut m, "yxl");
    common::key(&mut m, KeyCode::Char('2'));
    common::key(&mut m, KeyCode::Char('0'));
    common::key(&mut m, KeyCode::Char('2'));
    let (_, leader, officers) = plan(&m);
    assert_eq!(leader.as_deref(), Some("谭慧敏"));
    assert_eq!(officers, ["陈思远", "杨秀兰"]);
    // Enter still saves the day (a newline is not typed into the search)
    let fx = common::key(&mut m, KeyCode::Enter);
    assert!(
        matches!(fx.first(), Some(Effect::Write(WriteCmd::Shiftlog(_), _))),
        "{fx:?}"
    );
    assert!(m.shiftlog.form.is_none());
}

#[test]
fn typing_finds_the_person_by_name_in_chinese() {
    let (_db, mut m) = plan_chooser(Lang::Zh);
    typed(&mut m, "冉小");
    assert_eq!(plan(&m).0, "冉小东");
    common::key(&mut m, KeyCode::Char('1'));
    assert_eq!(plan(&m).1.as_deref(), Some("冉小东"));
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("1 带班领导  2 值班员  0 移出  Enter 保存  Esc 取消"),
        "{screen}"
    );
    assert!(screen.contains("冉小_"), "{screen}");
    insta::assert_snapshot!("roster_plan_pick_zh", screen);
    // Esc twice: the search, then the chooser
    common::key(&mut m, KeyCode::Esc);
    common::key(&mut m, KeyCode::Esc);
    assert!(m.shiftlog.form.is_none());
}
