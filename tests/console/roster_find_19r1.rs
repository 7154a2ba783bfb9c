//! Issue 19: the Shift log's roster choosers (`d` for the open shift; `p`, Enter for a day
//! ahead) list only the people a search finds, as the other choosers do, and say who
//! already has a role on the shift or day when the search hides them; the `d` chooser in
//! Chinese at 80×24 and 120×36.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Model, Screen};
use duty_desk::i18n::Lang;

fn typed(m: &mut Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

/// A duty leader's Shift log with the open shift's roster chooser (`d`) open.
fn roster(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('d'));
    assert!(m.modal(), "the roster chooser opened");
    (db, m)
}

/// A duty leader's Shift log with tomorrow's plan chooser open.
fn plan(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('p'));
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Enter);
    assert!(m.modal(), "the plan chooser opened");
    (db, m)
}

/// The chooser's rows of people: " name   role ..." as `staff_line` draws them.
fn listed(screen: &str, m: &Model) -> Vec<String> {
    m.town
        .staff
        .iter()
        .filter(|p| {
            screen
                .lines()
                .any(|l| l.contains(&format!("│ {}   ", p.name)))
        })
        .map(|p| p.name.clone())
        .collect()
}

#[test]
fn the_plan_chooser_lists_only_the_people_found() {
    let (_db, mut m) = plan(Lang::En);
    let all = listed(&common::render(&m, 120, 36), &m);
    assert_eq!(all.len(), m.town.staff.len(), "everyone before a search");
    typed(&mut m, "thm");
    let screen = common::render(&m, 120, 36);
    assert_eq!(listed(&screen, &m), ["谭慧敏"], "{screen}");
    // once given a role, a person hidden by the next search is still named
    common::key(&mut m, KeyCode::Char('1'));
    common::key(&mut m, KeyCode::Esc);
    typed(&mut m, "chensiyuan");
    let screen = common::render(&m, 120, 36);
    assert_eq!(listed(&screen, &m), ["陈思远"], "{screen}");
    let also = Lang::En
        .t("roster_find.also")
        .split('{')
        .next()
        .unwrap_or_default();
    let line = screen
        .lines()
        .find(|l| l.contains(also))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains("谭慧敏"), "{line}");
}

#[test]
fn the_roster_chooser_lists_the_people_found_and_names_those_already_on_the_shift() {
    for lang in [Lang::En, Lang::Zh] {
        let (_db, mut m) = roster(lang);
        let on: Vec<String> = m
            .snapshot
            .as_deref()
            .unwrap()
            .roster
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        assert!(!on.is_empty() && !on.contains(&"谭慧敏".to_string()));
        typed(&mut m, "thm");
        let screen = common::render(&m, 120, 36);
        assert_eq!(listed(&screen, &m), ["谭慧敏"], "{screen}");
        let also = lang
            .t("roster_find.also")
            .split('{')
            .next()
            .unwrap_or_default();
        let text: String = screen
            .lines()
            .skip_while(|l| !l.contains(also))
            .take(3)
            .collect();
        for n in &on {
            assert!(text.contains(n.as_str()), "{n}: {screen}");
        }
        // nobody is named twice: a person found is not in the "already" line
        common::key(&mut m, KeyCode::Esc);
        typed(&mut m, "lcz");
        let screen = common::render(&m, 120, 36);
        assert_eq!(listed(&screen, &m), ["罗承志"], "{screen}");
        let line = screen
            .lines()
            .find(|l| l.contains(also))
            .unwrap_or_default();
        assert!(!line.contains("罗承志"), "{line}");
    }
}

#[test]
fn the_roster_chooser_in_chinese_at_80x24_and_120x36() {
    let (_db, mut m) = roster(Lang::Zh);
    insta::assert_snapshot!("roster_d_zh_80x24", common::render(&m, 80, 24));
    insta::assert_snapshot!("roster_d_zh_120x36", common::render(&m, 120, 36));
    typed(&mut m, "thm");
    insta::assert_snapshot!("roster_d_zh_found_80x24", common::render(&m, 80, 24));
    insta::assert_snapshot!("roster_d_zh_found_120x36", common::render(&m, 120, 36));
}

#[test]
fn the_people_of_the_choosers_are_built_once_per_town() {
    use std::sync::Arc;
    let (_db, mut m) = roster(Lang::En);
    let first = m.people_entries();
    typed(&mut m, "thm");
    common::render(&m, 120, 36);
    common::key(&mut m, KeyCode::Esc);
    common::key(&mut m, KeyCode::Char('s'));
    typed(&mut m, "lcz");
    common::render(&m, 120, 36);
    assert!(Arc::ptr_eq(&first, &m.people_entries()), "built again");
    assert_eq!(first.len(), m.town.staff.len());
    // a town read again (a new Arc) gets its own
    m.town = Arc::new((*m.town).clone());
    let again = m.people_entries();
    assert!(!Arc::ptr_eq(&first, &again));
    assert_eq!(first[..], again[..]);
}
