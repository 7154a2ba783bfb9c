//! The Key populations screen, the last gaps of issue 15: the call list is read only while
//! its screen is shown (the reducer asks for it when the screen opens and stops when it
//! closes).
use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen};
use duty_desk::i18n::Lang;
use duty_desk::store::snapshot::{self, View};
use duty_desk::store::{Store, town};

const OFFICER: &str = "何丽君";

#[test]
fn the_call_list_is_read_only_while_its_screen_is_shown() {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let hidden = snapshot::load(store.conn(), &t, &View::default(), common::now()).unwrap();
    assert!(hidden.call_list.is_empty(), "not shown: not read");
    let shown = View {
        people: true,
        ..View::default()
    };
    let s = snapshot::load(store.conn(), &t, &shown, common::now()).unwrap();
    assert!(!s.call_list.is_empty(), "the demo has people due");

    // a console whose snapshot was read with the screen hidden: opening it says the list
    // is on its way, not that nobody is due
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    duty_desk::app::update(&mut m, duty_desk::app::Action::Loaded(Box::new(hidden)));
    assert_eq!(m.screen, Screen::Overview);
    let digit = Screen::People.digit();
    let fx = common::key(&mut m, KeyCode::Char(digit));
    assert_eq!(m.screen, Screen::People);
    assert!(m.view.people);
    assert!(fx.contains(&Effect::Reload(m.view)), "{fx:?}");
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Reading the call list") && !screen.contains("Nobody is due"),
        "{screen}"
    );
    duty_desk::app::update(&mut m, duty_desk::app::Action::Loaded(Box::new(s)));
    let screen = common::render(&m, 120, 36);
    assert!(!screen.contains("Reading the call list"), "{screen}");
    // a key on the screen asks nothing more
    let fx = common::key(&mut m, KeyCode::Down);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Reload(_))), "{fx:?}");
    let fx = common::key(&mut m, KeyCode::Char('1'));
    assert_eq!(m.screen, Screen::Overview);
    assert!(!m.view.people);
    assert!(fx.contains(&Effect::Reload(m.view)), "{fx:?}");
}

const SHIFT_LEAD: &str = "冉小东";

fn typed(m: &mut duty_desk::app::Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

#[test]
fn the_shift_lead_retires_the_selected_person_with_a_reason_in_both_languages() {
    use duty_desk::app::WriteCmd;
    use duty_desk::app::people::{PeopleWrite, apply, visible};
    for (lang, title, empty, done) in [
        (
            Lang::En,
            "Retire #",
            "Reason: required",
            "leaves the register: moved away",
        ),
        (Lang::Zh, "移出名册：#", "必填", "已移出名册：moved away"),
    ] {
        let db = common::demo_db();
        let mut m = common::model(&db.path, lang, SHIFT_LEAD);
        common::show(&mut m, Screen::People);
        common::key(&mut m, KeyCode::Down);
        let p = visible(&m)[1].listed.clone();
        common::key(&mut m, KeyCode::Char('x'));
        let r = m.people.retire.as_ref().expect("the popup is open");
        assert_eq!(r.person, p.id);
        let screen = common::render(&m, 100, 30);
        assert!(screen.contains(&format!("{title}{}", p.id)), "{screen}");
        assert!(
            screen.contains(&p.name),
            "the popup names them whole: {screen}"
        );
        // Enter without a reason: refused, said, nothing sent
        assert_eq!(common::key(&mut m, KeyCode::Enter), vec![Effect::Bell]);
        let screen = common::render(&m, 100, 30);
        assert!(screen.contains(empty), "{screen}");
        typed(&mut m, "moved away");
        let fx = common::key(&mut m, KeyCode::Enter);
        let Some(Effect::Write(WriteCmd::People(w), _)) = fx.first() else {
            panic!("{fx:?}");
        };
        assert_eq!(
            *w,
            PeopleWrite::Retire {
                person: p.id,
                reason: "moved away".into()
            }
        );
        assert!(m.people.retire.is_none());
        let mut store = Store::open(&db.path).unwrap();
        let ctx = duty_desk::store::Ctx {
            operator: SHIFT_LEAD.into(),
            now: common::now(),
        };
        let msg = apply(&mut store, &m.town, &ctx, w.clone()).unwrap();
        assert!(msg.render(lang).contains(done), "{}", msg.render(lang));
        common::reload(&mut m, &db.path);
        assert!(
            visible(&m).iter().all(|r| r.listed.id != p.id),
            "off the call list"
        );
        // Esc leaves the popup with nothing sent
        common::key(&mut m, KeyCode::Char('x'));
        assert!(m.people.retire.is_some());
        assert!(common::key(&mut m, KeyCode::Esc).is_empty());
        assert!(m.people.retire.is_none());
    }
}

#[test]
fn an_officer_may_not_retire_anyone() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    common::show(&mut m, Screen::People);
    assert_eq!(common::key(&mut m, KeyCode::Char('x')), vec![Effect::Bell]);
    assert!(m.people.retire.is_none());
}

#[test]
fn the_search_and_the_note_are_the_shared_input() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    common::show(&mut m, Screen::People);
    common::key(&mut m, KeyCode::Char('/'));
    // the cursor moves: "wf" then g typed between
    typed(&mut m, "wf");
    common::key(&mut m, KeyCode::Left);
    typed(&mut m, "g");
    assert_eq!(m.people.query.text(), "wgf");
    common::key(&mut m, KeyCode::Home);
    common::key(&mut m, KeyCode::Delete);
    assert_eq!(m.people.query.text(), "gf");
    // what cannot be typed is refused and said beside the search
    typed(&mut m, "\u{202E}");
    assert_eq!(m.people.query.text(), "gf");
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Left out U+202E: it cannot be typed here"),
        "{screen}"
    );
    // the limit
    update_paste(&mut m, &"x".repeat(60));
    assert_eq!(m.people.query.text().chars().count(), 40);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("At most 40 characters here"), "{screen}");
    common::key(&mut m, KeyCode::Esc);
    assert!(m.people.query.is_empty() && !m.people.searching);

    // the note: typed, edited by cursor, limited
    common::key(&mut m, KeyCode::Enter);
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Char('1'));
    common::key(&mut m, KeyCode::Tab);
    typed(&mut m, "气促");
    common::key(&mut m, KeyCode::Left);
    typed(&mut m, "明显");
    common::key(&mut m, KeyCode::End);
    typed(&mut m, "\u{7}");
    let f = m.people.form.as_ref().unwrap();
    assert_eq!(f.note.text(), "气明显促");
    assert!(
        f.note.notice.is_some(),
        "the bell character was refused, said"
    );
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Left out U+0007"), "{screen}");
    update_paste(&mut m, &"很".repeat(300));
    assert_eq!(
        m.people.form.as_ref().unwrap().note.text().chars().count(),
        200
    );
    // Left/Right on the note move its cursor, not the choices
    let f = m.people.form.as_ref().unwrap();
    assert_eq!((f.method, f.outcome), (0, Some(0)));
}

fn update_paste(m: &mut duty_desk::app::Model, text: &str) {
    duty_desk::app::update(m, duty_desk::app::Action::Paste(text.into()));
}
