//! Issue 19, item 3: the daily report's figures form is on the shared text input. A paste
//! goes into the focused figure whole (before, it was typed key by key: a `q` in it asked
//! to quit the console and the rest was lost), the cursor edits inside a figure, and a
//! character that is not a digit is kept, named beside its own field, and never saved.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Action, Effect, Model, Screen, update};
use duty_desk::i18n::Lang;

/// Opens the form on Fenglin (V04, not reported today in the demo town).
fn open_fenglin(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    common::show(&mut m, Screen::Report);
    common::key(&mut m, KeyCode::Home);
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Down);
    }
    common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        m.report.form.as_ref().map(|f| f.village.as_str()),
        Some("V04")
    );
    (db, m)
}

fn text(m: &Model, field: usize) -> String {
    m.report.form.as_ref().unwrap().inputs[field]
        .text()
        .to_string()
}

/// The rendered line that holds `label` (a field's line of the form).
fn line_of(screen: &str, label: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line with {label}:\n{screen}"))
        .to_string()
}

#[test]
fn a_paste_goes_into_the_focused_figure_whole_and_never_quits_or_saves() {
    for lang in [Lang::En, Lang::Zh] {
        let (_db, mut m) = open_fenglin(lang);
        // a `q` typed key by key asked to quit; a line break pressed nothing but was lost
        let effects = update(&mut m, Action::Paste("-5q\r\n".into()));
        assert!(effects.is_empty(), "{effects:?}");
        assert!(!m.confirm_quit, "a pasted q asked to quit");
        assert_eq!(text(&m, 0), "-5q ");
        assert!(m.dirty, "pasted figures are unsaved work");
        let screen = common::render(&m, 120, 36);
        let (label, said) = if lang == Lang::En {
            ("New infections", "is not a digit")
        } else {
            ("新增感染人数", "不是数字")
        };
        let line = line_of(&screen, label);
        assert!(line.contains("-5q"), "{line}");
        assert!(line.contains(said), "said beside its own field: {line}");
        // full-width digits from a Chinese input method are digits
        common::key(&mut m, KeyCode::Tab);
        update(&mut m, Action::Paste("１０５".into()));
        assert_eq!(text(&m, 1), "105");
        let effects = common::key(&mut m, KeyCode::Enter);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Write(..))),
            "-5 was saved: {effects:?}"
        );
        assert_eq!(text(&m, 0), "-5q ", "the refused save kept what was typed");
        let screen = common::render(&m, 120, 36);
        let not_saved = if lang == Lang::En {
            "Not saved"
        } else {
            "未保存"
        };
        assert!(screen.contains(not_saved), "{screen}");
    }
}

#[test]
fn the_cursor_edits_inside_a_figure_and_is_drawn_where_it_is() {
    let (_db, mut m) = open_fenglin(Lang::En);
    for c in "15".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    common::key(&mut m, KeyCode::Left);
    common::key(&mut m, KeyCode::Char('2'));
    assert_eq!(
        text(&m, 0),
        "125",
        "typed where the cursor is, not at the end"
    );
    assert_eq!(m.report.form.as_ref().unwrap().inputs[0].cursor_column(), 2);
    let screen = common::render(&m, 80, 24);
    assert!(
        line_of(&screen, "New infections").contains("[125"),
        "{screen}"
    );
    // the terminal cursor stands on the 5, after "[12"
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| duty_desk::ui::draw(f, &m)).unwrap();
    let at = term.get_cursor_position().unwrap();
    let row: String = (0..80)
        .map(|x| term.backend().buffer()[(x, at.y)].symbol().to_string())
        .collect();
    assert!(row.contains("New infections"), "{row}");
    assert_eq!(term.backend().buffer()[(at.x, at.y)].symbol(), "5");
    assert_eq!(term.backend().buffer()[(at.x - 1, at.y)].symbol(), "2");
    // Backspace removes the digit before the cursor; Delete at the end empties the field
    common::key(&mut m, KeyCode::Backspace);
    assert_eq!(text(&m, 0), "15");
    common::key(&mut m, KeyCode::End); // the last field
    common::key(&mut m, KeyCode::Home); // back to the first
    common::key(&mut m, KeyCode::Right);
    common::key(&mut m, KeyCode::Delete);
    assert_eq!(text(&m, 0), "", "Delete at the end empties the figure");
}

#[test]
fn refused_characters_are_named_beside_their_field_and_nothing_typed_is_lost() {
    for lang in [Lang::En, Lang::Zh] {
        let (_db, mut m) = open_fenglin(lang);
        // a letter in the first field, a minus in the second, too many digits in the third
        common::key(&mut m, KeyCode::Char('7'));
        common::key(&mut m, KeyCode::Char('x'));
        common::key(&mut m, KeyCode::Tab);
        common::key(&mut m, KeyCode::Char('-'));
        common::key(&mut m, KeyCode::Tab);
        for c in "1234567890".chars() {
            common::key(&mut m, KeyCode::Char(c));
        }
        assert_eq!(text(&m, 0), "7x");
        assert_eq!(text(&m, 1), "-");
        assert_eq!(text(&m, 2), "123456789", "the limit kept the first nine");
        let screen = common::render(&m, 80, 24);
        let (first, second, third, too_long) = if lang == Lang::En {
            (
                "New infections",
                "Cumulative infections",
                "Outpatients",
                "At most 9",
            )
        } else {
            ("新增感染人数", "累计感染人数", "门诊人数", "最多 9")
        };
        // each field says its own problem on its own line, even at 80 columns
        assert!(line_of(&screen, first).contains("7x"), "{screen}");
        let second_line = line_of(&screen, second);
        assert!(second_line.contains("[-"), "{second_line}");
        assert!(
            line_of(&screen, third).contains(too_long),
            "the tenth digit was dropped without a word:\n{screen}"
        );
        // Esc asks before anything is thrown away, and "no" keeps every field
        common::key(&mut m, KeyCode::Esc);
        assert!(m.report.form.as_ref().unwrap().confirm_discard);
        common::key(&mut m, KeyCode::Char('n'));
        assert_eq!(
            (text(&m, 0), text(&m, 1), text(&m, 2)),
            ("7x".into(), "-".into(), "123456789".into())
        );
    }
}

#[test]
fn a_paste_during_the_discard_question_neither_answers_it_nor_changes_a_figure() {
    let (_db, mut m) = open_fenglin(Lang::En);
    common::key(&mut m, KeyCode::Char('7'));
    common::key(&mut m, KeyCode::Esc);
    assert!(m.report.form.as_ref().unwrap().confirm_discard);
    // typed key by key, its `y` answered "discard?" and the form was lost
    let effects = update(&mut m, Action::Paste("yes".into()));
    assert!(effects.is_empty(), "{effects:?}");
    let form = m
        .report
        .form
        .as_ref()
        .expect("the form was discarded by a paste");
    assert!(form.confirm_discard, "the question is still asked");
    assert_eq!(text(&m, 0), "7");
}
