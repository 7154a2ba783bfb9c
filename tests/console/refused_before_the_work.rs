//! Refused after the work (issue 19): a viewer filled in a whole critical transport request
//! and was told on save that the role lacks `request_transport`. Now every action the
//! operator may not take is refused before its form or question opens, and the refusal
//! names the role and the action by the catalogue's labels in both languages.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen};
use duty_desk::i18n::Lang;

/// Every key that opens a form or a question, per screen.
const OPENERS: [(Screen, &[char]); 4] = [
    (Screen::Report, &['\n', 'e', 's', 'R', 'n']),
    (Screen::Fleet, &['n', 'v', 'a', 'c', 'x']),
    (Screen::Escalations, &['n', 'i', 'a', 'r']),
    (Screen::Shiftlog, &['n', 'm', 'e', 'H', 'd', 's']),
];

fn press(m: &mut duty_desk::app::Model, c: char) -> Vec<Effect> {
    let code = if c == '\n' {
        KeyCode::Enter
    } else {
        KeyCode::Char(c)
    };
    common::key(m, code)
}

#[test]
fn a_viewer_is_refused_before_any_form_opens_in_both_languages() {
    let db = common::demo_db();
    for (lang, role) in [(Lang::En, "viewer"), (Lang::Zh, "查看员")] {
        let role_label = lang.t("role.viewer");
        assert_eq!(role_label, role, "the catalogue's viewer label changed");
        for (screen, keys) in OPENERS {
            for &c in keys {
                let mut m = common::model(&db.path, lang, "蒋文斌");
                common::show(&mut m, screen);
                let effects = press(&mut m, c);
                assert_eq!(effects, vec![Effect::Bell], "{screen:?} {c:?}");
                assert!(!m.modal(), "{screen:?} {c:?}: a form opened for a viewer");
                assert!(!m.dirty, "{screen:?} {c:?}");
                let st = m.status.clone().expect("a reason");
                assert!(st.error);
                let said = st.msg.render(lang);
                assert!(said.contains(role_label), "{screen:?} {c:?}: {said}");
                assert!(!said.contains('_'), "{screen:?} {c:?}: {said}");
                let screen_text = common::render(&m, 120, 36);
                let head: String = said.chars().take(20).collect();
                assert!(screen_text.contains(&head), "{screen_text}");
            }
        }
    }
}

#[test]
fn the_transport_request_form_is_refused_up_front_and_opens_for_a_dispatcher() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "蒋文斌");
    common::show(&mut m, Screen::Fleet);
    press(&mut m, 'n');
    assert!(!m.modal());
    let said = m.status.clone().unwrap().msg.render(Lang::En);
    assert_eq!(
        said,
        "Not allowed: not permitted: a viewer may not record a transport request"
    );
    let mut m = common::model(&db.path, Lang::Zh, "蒋文斌");
    common::show(&mut m, Screen::Fleet);
    press(&mut m, 'n');
    let zh = m.status.clone().unwrap().msg.render(Lang::Zh);
    assert!(zh.contains("查看员不能登记转运申请"), "{zh}");
    // a dispatcher gets the form
    let mut m = common::model(&db.path, Lang::En, "邓宇航");
    common::show(&mut m, Screen::Fleet);
    assert!(press(&mut m, 'n').is_empty());
    assert!(m.modal() && m.status.is_none());
}

#[test]
fn someone_not_on_the_staff_list_is_told_so_by_name_before_the_form() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "路人甲");
    common::show(&mut m, Screen::Shiftlog);
    press(&mut m, 'n');
    assert!(!m.modal());
    let said = m.status.clone().unwrap().msg.render(Lang::En);
    assert!(
        said.contains("路人甲 is not on the staff list, so may not write the shift log"),
        "{said}"
    );
}
