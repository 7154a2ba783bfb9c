//! Typing is lossy (issue 19): in the daily report form `-5` was stored as 5 and letters
//! vanished silently. Now nothing typed vanishes: a character that is not a digit stays in
//! the field, marked, the form says why at once, and saving says "not saved".

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen};
use duty_desk::i18n::Lang;

#[test]
fn minus_five_in_the_report_form_is_kept_marked_and_not_saved_in_both_languages() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, &db.operator);
        common::show(&mut m, Screen::Report);
        common::key(&mut m, KeyCode::Enter);
        assert!(m.report.form.is_some(), "the form did not open");
        common::key(&mut m, KeyCode::Delete);
        common::key(&mut m, KeyCode::Char('-'));
        // said at once, not dropped
        let screen = common::render(&m, 120, 36);
        let said = if lang == Lang::En {
            "is not a digit"
        } else {
            "不是数字"
        };
        assert!(screen.contains(said), "{screen}");
        common::key(&mut m, KeyCode::Char('5'));
        assert_eq!(m.report.form.as_ref().unwrap().inputs[0].text(), "-5");
        let effects = common::key(&mut m, KeyCode::Enter);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Write(..))),
            "-5 was saved: {effects:?}"
        );
        let status = m.status.as_ref().unwrap().msg.render(lang);
        let not_saved = if lang == Lang::En {
            "Not saved"
        } else {
            "未保存"
        };
        assert!(status.starts_with(not_saved), "{status}");
        let screen = common::render(&m, 120, 36);
        assert!(screen.contains("-5"), "{screen}");
        assert!(screen.contains(not_saved), "{screen}");
    }
}

#[test]
fn a_letter_in_the_report_form_is_kept_and_blocks_the_save() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Report);
    common::key(&mut m, KeyCode::Enter);
    common::key(&mut m, KeyCode::Delete);
    for c in "1l".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    assert_eq!(m.report.form.as_ref().unwrap().inputs[0].text(), "1l");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("is not a digit"), "{screen}");
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Write(..))));
    // fixed, it saves
    common::key(&mut m, KeyCode::Backspace);
    common::key(&mut m, KeyCode::Char('1'));
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Write(..))),
        "{:?} {effects:?}",
        m.status
    );
}
