//! The Key populations screen (issue 15): snapshots in both languages at 80×24 and
//! 200×50, search by pinyin initials, the contact form in a few keys, *worse* opening the
//! prefilled transport form and *referred* the referral form, the write it sends.
use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::fleet::Popup;
use duty_desk::app::people::{PeopleWrite, visible};
use duty_desk::app::{Effect, Screen, WriteCmd};
use duty_desk::domain::people::{Method, Outcome};
use duty_desk::i18n::Lang;

const OFFICER: &str = "何丽君";

fn typed(m: &mut duty_desk::app::Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

#[test]
fn screen_snapshots_in_english_and_chinese() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (200, 50)] {
            let mut m = common::model(&db.path, lang, OFFICER);
            common::show(&mut m, Screen::People);
            let name = format!(
                "people_{}_{w}x{h}",
                if lang == Lang::En { "en" } else { "zh" }
            );
            insta::assert_snapshot!(name, common::render(&m, w, h));
        }
    }
}

#[test]
fn the_call_list_puts_the_overdue_first_in_each_village_and_masks_names() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    common::show(&mut m, Screen::People);
    let rows = visible(&m);
    assert!(!rows.is_empty());
    let mut last_village = usize::MAX;
    let mut seen_due_in_village = false;
    for r in &rows {
        let v = m
            .town
            .villages
            .iter()
            .position(|v| v.code == r.listed.village)
            .unwrap();
        if v != last_village {
            last_village = v;
            seen_due_in_village = false;
        }
        assert!(r.listed.next_due <= m.snapshot.as_ref().unwrap().today);
        if r.listed.overdue {
            assert!(
                !seen_due_in_village,
                "overdue before due today in {}",
                r.listed.village
            );
        } else {
            seen_due_in_village = true;
        }
    }
    let screen = common::render(&m, 200, 50);
    let first = &rows[0].listed;
    let masked = duty_desk::domain::privacy::mask_name(&first.name);
    assert!(screen.contains(&masked), "{screen}");
    // the selected person is whole in the detail lines, the others masked in the list
    assert!(screen.contains(&first.name));
    let second = &rows[1].listed.name;
    assert!(
        !screen.contains(second.as_str()),
        "{second} shown whole: {screen}"
    );
}

#[test]
fn search_finds_a_red_level_person_by_pinyin_initials() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    common::show(&mut m, Screen::People);
    let red = visible(&m)
        .into_iter()
        .find(|r| r.listed.level == duty_desk::domain::people::Level::Red && r.listed.overdue)
        .unwrap()
        .clone();
    common::key(&mut m, KeyCode::Char('/'));
    typed(&mut m, &red.spelled.initials);
    common::key(&mut m, KeyCode::Enter);
    let found = visible(&m);
    assert!(found.iter().any(|r| r.listed.id == red.listed.id));
    assert!(found.len() < m.snapshot.as_ref().unwrap().call_list.len());
    // digits typed into the search are not screen switches
    common::key(&mut m, KeyCode::Char('/'));
    typed(&mut m, "1");
    assert_eq!(m.screen, Screen::People);
    common::key(&mut m, KeyCode::Esc);
    assert!(m.people.query.is_empty());
    // by village name
    common::key(&mut m, KeyCode::Char('/'));
    typed(&mut m, "qinglong");
    common::key(&mut m, KeyCode::Enter);
    assert!(visible(&m).iter().all(|r| r.listed.village == "V02"));
}

#[test]
fn worse_records_the_contact_and_opens_the_transport_form_prefilled() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, OFFICER);
    common::show(&mut m, Screen::People);
    let p = visible(&m)[0].listed.clone();
    common::key(&mut m, KeyCode::Enter);
    assert!(m.people.form.is_some());
    // no silent outcome: Enter without one is refused
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Bell]);
    // the cursor went to the outcome
    common::key(&mut m, KeyCode::Char('2')); // worse
    common::key(&mut m, KeyCode::Up);
    common::key(&mut m, KeyCode::Char('v')); // visit
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Tab);
    typed(&mut m, "气促");
    let fx = common::key(&mut m, KeyCode::Enter);
    let Some(Effect::Write(WriteCmd::People(PeopleWrite::Contact(c)), _)) = fx.first() else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (c.person, c.method, c.outcome),
        (p.id, Method::Visit, Outcome::Worse)
    );
    assert_eq!(c.note, "气促");
    assert_eq!(m.screen, Screen::Fleet);
    let Some(Popup::Form(form)) = &m.fleet.popup else {
        panic!("no transport form");
    };
    assert_eq!(
        (
            form.patient.text(),
            form.age.text(),
            form.village.input.text()
        ),
        (
            p.name.as_str(),
            p.age.to_string().as_str(),
            p.village.as_str()
        )
    );
}

#[test]
fn referred_opens_a_referral_escalation_form() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, OFFICER);
    common::show(&mut m, Screen::People);
    let p = visible(&m)[0].listed.clone();
    common::key(&mut m, KeyCode::Enter);
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Char('4')); // referred
    common::key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Escalations);
    let Some(duty_desk::app::escalations::form::Form::Add(f)) = &m.escalations.form else {
        panic!("no referral form");
    };
    assert_eq!(f.kind, 0, "referral");
    assert!(f.title.text().contains(&p.name), "{}", f.title.text());
    assert_eq!(f.village.input.text(), p.village);
    assert_eq!(f.due.text(), "2h");
}

#[test]
fn a_dispatcher_may_not_record_a_contact() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "邓宇航");
    common::show(&mut m, Screen::People);
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Bell]);
    assert!(m.people.form.is_none());
}
