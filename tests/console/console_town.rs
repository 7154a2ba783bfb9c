//! The town in the console (issue 16), driven through the reducer and drawn on a
//! `TestBackend`: a duty leader edits a vehicle from the fleet board, a village and a
//! person from the town popup, sees the change history, switches surge (the header says
//! SURGE); anyone else is refused before anything is written.

use crate::common;

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use duty_desk::app::town::TownWrite;
use duty_desk::app::{Action, Effect, Model, Screen, WriteCmd, update};
use duty_desk::i18n::Lang;
use duty_desk::store::{Ctx, Store};

fn ctx(m: &Model) -> Ctx {
    Ctx {
        operator: m.operator.clone(),
        now: m.now,
    }
}

/// Runs the effects' town writes as the store thread would, then reloads the model.
fn run(m: &mut Model, db: &std::path::Path, effects: Vec<Effect>) -> usize {
    let mut n = 0;
    for e in effects {
        if let Effect::Write(WriteCmd::Town(w), _) = e {
            let mut store = Store::open(db).unwrap();
            let r = duty_desk::app::town::apply(&mut store, &ctx(m), w);
            update(m, Action::WriteDone(r));
            n += 1;
        }
    }
    common::reload(m, db);
    n
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn clear_field(m: &mut Model) {
    for _ in 0..40 {
        common::key(m, KeyCode::Backspace);
    }
}

fn audits(db: &std::path::Path, action: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT subject FROM audit WHERE action = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([action], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
}

/// Opens the town popup, edits the first village and types "lots" as its population:
/// refused before anything is written, the form stays open.
fn refuse_a_population_of_lots(m: &mut Model) {
    common::key(m, KeyCode::Char('T'));
    common::key(m, KeyCode::Char('e'));
    common::key(m, KeyCode::Tab);
    clear_field(m);
    typed(m, "lots");
    let effects = common::key(m, KeyCode::Enter);
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::Write(..))),
        "refused: not a number"
    );
}

#[test]
fn a_duty_leader_edits_a_vehicle_from_the_fleet_board() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    common::show(&mut m, Screen::Fleet);
    common::key(&mut m, KeyCode::Right);
    let code = duty_desk::app::fleet::selected_vehicle(&m)
        .unwrap()
        .code
        .clone();
    common::key(&mut m, KeyCode::Char('e'));
    assert!(m.modal(), "the form is open");
    let screen = common::render(&m, 120, 40);
    assert!(screen.contains(&format!("Edit vehicle {code}")), "{screen}");
    clear_field(&mut m);
    typed(&mut m, "王新");
    common::key(&mut m, KeyCode::Tab);
    clear_field(&mut m);
    typed(&mut m, "139-1111-2222");
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(!m.modal(), "the form closed on save");
    assert_eq!(run(&mut m, &db.path, effects), 1);
    let v = m.town.vehicles.iter().find(|v| v.code == code).unwrap();
    assert_eq!(
        (v.driver.as_str(), v.phone.as_str()),
        ("王新", "139-1111-2222")
    );
    assert_eq!(audits(&db.path, "town.change"), [format!("vehicle:{code}")]);
    // the board shows the new driver
    let screen = common::render(&m, 160, 50);
    assert!(screen.contains("王新"), "{screen}");
    // the town popup's history lists the change (read once the popup asks for it)
    common::key(&mut m, KeyCode::Char('T'));
    common::reload(&mut m, &db.path);
    for _ in 0..3 {
        common::key(&mut m, KeyCode::Right);
    }
    let screen = common::render(&m, 160, 40);
    assert!(screen.contains(&format!("vehicle:{code}")), "{screen}");
    assert!(screen.contains("139-1111-2222"), "{screen}");
    common::key(&mut m, KeyCode::Esc);
    assert!(!m.modal());
}

#[test]
fn the_town_popup_edits_a_village_and_a_person() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    // the first village: clinic phone and population
    refuse_a_population_of_lots(&mut m);
    let screen = common::render(&m, 120, 40);
    assert!(screen.contains("a whole number"), "{screen}");
    clear_field(&mut m);
    typed(&mut m, "4800");
    let effects = common::key(&mut m, KeyCode::Enter);
    run(&mut m, &db.path, effects);
    assert_eq!(m.town.villages[0].population, 4800);
    // a population out of range is refused by the store, nothing written
    common::key(&mut m, KeyCode::Char('e'));
    common::key(&mut m, KeyCode::Tab);
    clear_field(&mut m);
    typed(&mut m, "0");
    let effects = common::key(&mut m, KeyCode::Enter);
    run(&mut m, &db.path, effects);
    assert!(m.status.as_ref().is_some_and(|s| s.error), "{:?}", m.status);
    assert_eq!(m.town.villages[0].population, 4800);
    // staff: the third person's role and phone
    common::key(&mut m, KeyCode::Right);
    common::key(&mut m, KeyCode::Right);
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Down);
    let name = m.town.staff[2].name.clone();
    common::key(&mut m, KeyCode::Enter);
    typed(&mut m, "9");
    common::key(&mut m, KeyCode::Tab);
    clear_field(&mut m);
    typed(&mut m, "duty_officer");
    let effects = common::key(&mut m, KeyCode::Enter);
    run(&mut m, &db.path, effects);
    let s = m.town.staff_member(&name).unwrap();
    assert_eq!(s.role, duty_desk::domain::town::Role::DutyOfficer);
    assert!(s.phone.ends_with('9'));
    assert_eq!(
        audits(&db.path, "town.change"),
        ["village:V01".to_string(), format!("staff:{name}")]
    );
}

#[test]
fn surge_from_the_overview_shows_in_the_header() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    assert!(
        !common::render(&m, 140, 40)
            .lines()
            .next()
            .unwrap()
            .contains("SURGE")
    );
    let effects = common::key(&mut m, KeyCode::Char('S'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Write(WriteCmd::Town(TownWrite::Surge(true)), _)]
    ));
    run(&mut m, &db.path, effects);
    assert!(m.town.info.surge.on);
    let header = common::render(&m, 140, 40)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header.contains("SURGE"), "{header}");
    let zh = {
        let mut z = common::model(&db.path, Lang::Zh, common::DUTY_LEADER);
        common::reload(&mut z, &db.path);
        common::render(&z, 140, 40)
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert!(zh.contains("高峰"), "{zh}");
    // and off again
    let effects = common::key(&mut m, KeyCode::Char('S'));
    run(&mut m, &db.path, effects);
    assert!(!m.town.info.surge.on);
    assert_eq!(audits(&db.path, "town.surge").len(), 2);
}

#[test]
fn others_cannot_change_the_town() {
    let db = common::demo_db();
    // a dispatcher
    let mut m = common::model(&db.path, Lang::En, "邓宇航");
    common::show(&mut m, Screen::Fleet);
    common::key(&mut m, KeyCode::Right);
    common::key(&mut m, KeyCode::Char('e'));
    assert!(!m.modal(), "no form for a dispatcher");
    assert!(m.status.as_ref().is_some_and(|s| s.error));
    common::show(&mut m, Screen::Overview);
    let effects = common::key(&mut m, KeyCode::Char('S'));
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::Write(..))),
        "{effects:?}"
    );
    assert!(audits(&db.path, "town.surge").is_empty());
}

#[test]
fn a_town_applied_elsewhere_reaches_the_console() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    let mut store = Store::open(&db.path).unwrap();
    let now: DateTime<Utc> = common::now();
    let ctx = Ctx {
        operator: common::DUTY_LEADER.into(),
        now,
    };
    let mut file = m.town.to_file();
    file.vehicles.retain(|v| v.code != "RC12");
    store
        .write(&ctx, |w| {
            duty_desk::store::town::apply(w, &file, false).map(|_| ())
        })
        .unwrap();
    common::reload(&mut m, &db.path);
    assert!(m.town.vehicles.iter().all(|v| v.code != "RC12"));
    let board = m.snapshot.as_ref().unwrap();
    assert!(board.vehicles.iter().all(|v| v.code != "RC12"));
    assert_eq!(m.town.retired.vehicles.len(), 1);
}

/// Issue 19, item 3: the town edit form was the one form without the guard every other
/// form had: a bidirectional override or a control character went into the field (and
/// was only cleaned on save). Now it is refused there, and the form says so.
#[test]
fn the_edit_form_refuses_what_cannot_be_typed_and_says_so() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    common::show(&mut m, Screen::Fleet);
    common::key(&mut m, KeyCode::Right);
    common::key(&mut m, KeyCode::Char('e'));
    assert!(m.modal(), "the form is open");
    clear_field(&mut m);
    typed(&mut m, "王\u{202E}新\u{7}");
    // (read through Debug: the field's type is the shared input now, a String before)
    let held = format!("{:?}", m.town_ui.form.as_ref().unwrap().fields[0].value);
    assert!(held.contains("\"王新\""), "{held}");
    let screen = common::render(&m, 120, 40);
    assert!(
        screen.contains("Left out U+0007: it cannot be typed here"),
        "{screen}"
    );
    // a pasted line break does not save the form
    update(&mut m, Action::Paste("x\ny".into()));
    assert!(m.modal(), "still open after the paste");
    let held = format!("{:?}", m.town_ui.form.as_ref().unwrap().fields[0].value);
    assert!(held.contains("\"王新x y\""), "{held}");
}

/// A refused number names its field in the operator's language (it said "population" to a
/// Chinese desk).
#[test]
fn a_refused_population_names_the_field_in_chinese() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::Zh, common::DUTY_LEADER);
    refuse_a_population_of_lots(&mut m);
    let screen = common::render(&m, 120, 40);
    assert!(screen.contains("人口：请填整数"), "{screen}");
    assert!(!screen.contains("population"), "{screen}");
}

/// The town's change history is a LIKE scan of the audit log: read while the popup is
/// open, not on every refresh of every screen.
#[test]
fn the_town_history_is_read_only_while_the_popup_is_open() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    assert!(!m.view.town);
    assert!(m.snapshot.as_ref().unwrap().town_history.is_empty());
    let effects = common::key(&mut m, KeyCode::Char('T'));
    assert!(
        matches!(effects.as_slice(), [Effect::Reload(v)] if v.town),
        "{effects:?}"
    );
    common::reload(&mut m, &db.path);
    assert!(!m.snapshot.as_ref().unwrap().town_history.is_empty());
    common::key(&mut m, KeyCode::Esc);
    assert!(!m.view.town);
    common::reload(&mut m, &db.path);
    assert!(m.snapshot.as_ref().unwrap().town_history.is_empty());
}
