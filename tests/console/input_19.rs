//! Issue 19, items 3 and 4, through the reducer: the shared text input and the village
//! picker in the forms, in both languages; a paste never presses Enter.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::fleet::Popup;
use duty_desk::app::{Action, Effect, Model, Screen, update};
use duty_desk::i18n::Lang;
use proptest::prelude::*;

fn new_request(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    common::show(&mut m, Screen::Fleet);
    common::key(&mut m, KeyCode::Char('n'));
    assert!(matches!(m.fleet.popup, Some(Popup::Form(_))));
    (db, m)
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn form(m: &Model) -> &duty_desk::app::fleet::RequestForm {
    match &m.fleet.popup {
        Some(Popup::Form(f)) => f,
        other => panic!("the form is closed: {other:?}"),
    }
}

#[test]
fn refusals_are_said_in_both_languages() {
    for (lang, digits, refused) in [
        (
            Lang::En,
            "Only digits here",
            "Left out U+202E: it cannot be typed here",
        ),
        (
            Lang::Zh,
            "此处只能输入数字",
            "未录入 U+202E：此处不能输入该字符",
        ),
    ] {
        let (_db, mut m) = new_request(lang);
        typed(&mut m, "村医\u{202E}");
        assert_eq!(form(&m).caller.text(), "村医");
        let screen = common::render(&m, 120, 36);
        assert!(screen.contains(refused), "{screen}");
        common::key(&mut m, KeyCode::Tab);
        common::key(&mut m, KeyCode::Tab);
        typed(&mut m, "-5");
        assert_eq!(form(&m).age.text(), "5", "the 5 is kept, the - refused");
        typed(&mut m, "x");
        let screen = common::render(&m, 120, 36);
        assert!(screen.contains(digits), "{screen}");
    }
}

#[test]
fn the_cursor_edits_in_the_middle_of_a_chinese_name() {
    let (_db, mut m) = new_request(Lang::Zh);
    common::key(&mut m, KeyCode::Tab);
    typed(&mut m, "王红");
    common::key(&mut m, KeyCode::Left);
    typed(&mut m, "小");
    assert_eq!(form(&m).patient.text(), "王小红");
    common::key(&mut m, KeyCode::Home);
    common::key(&mut m, KeyCode::Delete);
    assert_eq!(form(&m).patient.text(), "小红");
    assert_eq!(form(&m).patient.cursor(), 0);
}

#[test]
fn the_village_by_pinyin_code_or_chinese_in_both_languages() {
    for (lang, query, shown) in [
        (Lang::En, "shanmu", "> V10 Shanmu Village"),
        (Lang::En, "v10", "Shanmu Village (V10)"),
        (Lang::Zh, "杉木", "> V10 杉木村"),
        (Lang::Zh, "smc", "> V10 杉木村"),
    ] {
        let (_db, mut m) = new_request(lang);
        for _ in 0..3 {
            common::key(&mut m, KeyCode::Tab);
        }
        typed(&mut m, query);
        let screen = common::render(&m, 120, 36);
        assert!(screen.contains(shown), "{query}: {screen}");
        common::key(&mut m, KeyCode::Tab);
        assert_eq!(form(&m).village.input.text(), "V10", "{query}");
    }
    // nothing matches: said under the field, in Chinese too
    let (_db, mut m) = new_request(Lang::Zh);
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Tab);
    }
    typed(&mut m, "zzz");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("没有匹配项"), "{screen}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever is pasted, newlines and escapes included, into whichever field: the form
    /// stays open and nothing is written.
    #[test]
    fn a_paste_never_submits_the_form(
        pastes in prop::collection::vec("[a-z杉木\n\r\t\u{1b}\u{202e} 0-9:]{0,30}", 1..4),
        tabs in 0usize..7,
    ) {
        let (_db, mut m) = new_request(Lang::En);
        for _ in 0..tabs {
            common::key(&mut m, KeyCode::Tab);
        }
        for p in pastes {
            let effects = update(&mut m, Action::Paste(p));
            prop_assert!(
                !effects.iter().any(|e| matches!(e, Effect::Write(..))),
                "{effects:?}"
            );
            prop_assert!(matches!(m.fleet.popup, Some(Popup::Form(_))));
        }
        let f = form(&m);
        for t in [f.caller.text(), f.patient.text(), f.village.input.text(), f.note.text()] {
            let clean = !t.contains('\n') && !t.contains('\u{1b}') && !t.contains('\u{202e}');
            prop_assert!(clean, "one line, no escape, no override: {:?}", t);
        }
        prop_assert!(f.age.text().chars().all(|c| c.is_ascii_digit()));
    }
}

/// A paste on a screen with no form open types nothing and presses nothing.
#[test]
fn a_paste_outside_a_form_does_nothing() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Fleet);
    let before = m.fleet.popup.clone();
    assert!(update(&mut m, Action::Paste("n\r".into())).is_empty());
    assert_eq!(m.fleet.popup, before);
    assert_eq!(m.screen, Screen::Fleet);
}

/// The destination is picked the same way (Left/Right still step through the list).
#[test]
fn the_destination_by_pinyin_or_left_right() {
    let (_db, mut m) = new_request(Lang::Zh);
    for _ in 0..5 {
        common::key(&mut m, KeyCode::Tab);
    }
    typed(&mut m, "zhongyi");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("> DTCM 江岭区中医院"), "{screen}");
    common::key(&mut m, KeyCode::Tab);
    let town = m.town.clone();
    assert_eq!(form(&m).request(&town).destination, "DTCM");
    // back on the field, Left steps to the one before
    common::key(&mut m, KeyCode::BackTab);
    common::key(&mut m, KeyCode::Left);
    assert_eq!(form(&m).request(&town).destination, "DH");
}

/// The vehicle chooser (`v`) narrows to what is typed: a code, a plate, or the driver's
/// name, pinyin or initials.
#[test]
fn the_vehicle_chooser_finds_a_driver_by_initials() {
    use duty_desk::app::WriteCmd;
    use duty_desk::app::fleet::FleetWrite;
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, &db.operator);
    common::show(&mut m, Screen::Fleet);
    common::key(&mut m, KeyCode::Char('v')); // for #4, waiting
    assert!(matches!(m.fleet.popup, Some(Popup::Vehicles { .. })));
    typed(&mut m, "zhj"); // 张红军, RC01's driver
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("> RC01"), "{screen}");
    let effects = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Write(
            WriteCmd::Fleet(FleetWrite::Dispatch {
                transport: 4,
                vehicle: "RC01".into()
            }),
            m.view
        )]
    );
}
