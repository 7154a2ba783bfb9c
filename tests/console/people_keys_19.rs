//! The Key populations screen's search line, contact form and retirement popup are keymap
//! contexts (issue 19): their hint lines are generated from their rows in both languages,
//! F1 opens their help (`?` stays text), and the screen's own keys are not offered there.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::keymap::forms::{self, Context};
use duty_desk::app::{Model, Screen};
use duty_desk::i18n::Lang;

/// A duty leader's console on the People screen with `c` opened by its key.
fn opened(db: &common::DemoDb, lang: Lang, c: Context) -> Model {
    let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
    common::show(&mut m, Screen::People);
    let key = match c {
        Context::PeopleSearch => KeyCode::Char('/'),
        Context::PeopleContact => KeyCode::Enter,
        Context::PeopleRetire => KeyCode::Char('x'),
        other => panic!("not a People context: {other:?}"),
    };
    common::key(&mut m, key);
    assert_eq!(forms::context(&m), Some(c));
    m
}

/// The hint line of `c` as `forms::hints` writes it, `width` columns wide.
fn hint_text(m: &Model, c: Context, width: usize) -> String {
    forms::hints(m, c, width, false)
        .iter()
        .map(|(k, l)| format!("{k} {l}"))
        .collect::<Vec<_>>()
        .join("  ")
}

#[test]
fn the_people_forms_hint_lines_are_their_keymap_rows_in_both_languages() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let tag = if lang == Lang::En { "en" } else { "zh" };
        // the search line's keys are the footer's, ending with F1 more
        let m = opened(&db, lang, Context::PeopleSearch);
        let screen = common::render(&m, 100, 30);
        let footer = screen.lines().last().unwrap_or_default().trim_end();
        let done = lang.t("keymap.label.people_search.done");
        let clear = lang.t("keymap.label.people_search.clear");
        let more = lang.t("keymap.label.more");
        assert_eq!(
            footer,
            format!("Enter {done}  Esc {clear}  F1 {more}"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("people_search_keys_{tag}"), screen);
        // the contact form and the retirement popup draw their rows inside themselves
        for (c, name) in [
            (Context::PeopleContact, "people_contact_keys"),
            (Context::PeopleRetire, "people_retire_keys"),
        ] {
            let m = opened(&db, lang, c);
            let screen = common::render(&m, 100, 30);
            let line = hint_text(&m, c, 68);
            assert!(screen.contains(&line), "{c:?}: {line}\n{screen}");
            let first = lang.t(if c == Context::PeopleContact {
                "keymap.label.people_contact.save"
            } else {
                "keymap.label.people_retire.confirm"
            });
            assert!(line.starts_with(&format!("Enter {first}")), "{line}");
            insta::assert_snapshot!(format!("{name}_{tag}"), screen);
        }
    }
}

#[test]
fn the_contact_forms_hint_line_keeps_save_field_change_and_cancel_and_ends_with_f1_more() {
    // the popup is 68 columns inside: the choice keys p/v and 1-4 are in the F1 help
    let db = common::demo_db();
    let m = opened(&db, Lang::En, Context::PeopleContact);
    assert_eq!(
        hint_text(&m, Context::PeopleContact, 68),
        "Enter save  Tab/Up/Down field  <- -> change  Esc cancel  F1 more"
    );
    let mut m = m;
    common::key(&mut m, KeyCode::F(1));
    assert!(m.help);
    let help: Vec<String> = duty_desk::ui::help::lines(&m)
        .iter()
        .map(|l| l.to_string())
        .collect();
    for id in ["people_contact.method", "people_contact.outcome"] {
        // the sentence wraps at 50 columns: its start is on the row's line
        let start: String = Lang::En
            .t_static(&format!("keymap.help.{id}"))
            .chars()
            .take(30)
            .collect();
        assert!(help.iter().any(|l| l.contains(&start)), "{id}: {help:?}");
    }
}

#[test]
fn f1_opens_the_help_in_the_people_search_and_question_mark_is_searched_for() {
    // before issue 19 the search line took F1 as a key it ignored, and the help of the
    // screen was out of reach until the search was left
    let db = common::demo_db();
    let mut m = opened(&db, Lang::En, Context::PeopleSearch);
    common::key(&mut m, KeyCode::Char('?'));
    assert!(!m.help);
    assert_eq!(m.people.query.text(), "?");
    common::key(&mut m, KeyCode::F(1));
    assert!(m.help, "F1 opens the help inside the search");
    let help: Vec<String> = duty_desk::ui::help::lines(&m)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert_eq!(help[0], Lang::En.t("keymap.form.title"));
    let find: String = Lang::En
        .t("keymap.help.people_search.find")
        .chars()
        .take(30)
        .collect();
    assert!(help.iter().any(|l| l.contains(&find)), "{help:?}");
    common::key(&mut m, KeyCode::F(1));
    assert!(!m.help);
    assert!(m.people.searching, "the search is still open");
    assert_eq!(m.people.query.text(), "?");
}
