//! Fleet & dispatch screen: snapshots in both languages at 120x36, and the screen's keys
//! driven through the reducer (forms, chooser, steps) down to the writes they ask for.

use crate::common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::fleet::{FleetWrite, Focus, Popup};
use duty_desk::app::{Effect, Screen, WriteCmd};
use duty_desk::domain::transport::TripStatus;
use duty_desk::i18n::Lang;

fn fleet_model(lang: Lang) -> (common::DemoDb, duty_desk::app::Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    common::show(&mut m, Screen::Fleet);
    (db, m)
}

#[test]
fn fleet_screen_english() {
    let (_db, m) = fleet_model(Lang::En);
    insta::assert_snapshot!("fleet_en", common::render(&m, 120, 36));
}

#[test]
fn fleet_screen_chinese() {
    let (_db, m) = fleet_model(Lang::Zh);
    insta::assert_snapshot!("fleet_zh", common::render(&m, 120, 36));
}

fn ctx(m: &duty_desk::app::Model) -> duty_desk::store::Ctx {
    duty_desk::store::Ctx {
        operator: m.operator.clone(),
        now: m.now,
    }
}

/// Runs the effects' writes as the store thread would, then reloads the model.
fn run(m: &mut duty_desk::app::Model, db: &std::path::Path, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::Write(WriteCmd::Fleet(w), _) = e {
            let mut store = duty_desk::store::Store::open(db).unwrap();
            let r = duty_desk::app::fleet::apply(&mut store, &m.town, &ctx(m), w);
            duty_desk::app::update(m, duty_desk::app::Action::WriteDone(r));
        }
    }
    common::reload(m, db);
}

fn typed(m: &mut duty_desk::app::Model, text: &str) {
    for c in text.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn the_write(effects: &[Effect]) -> FleetWrite {
    match effects {
        [Effect::Write(WriteCmd::Fleet(w), _)] => w.clone(),
        other => panic!("expected one fleet write, got {other:?}"),
    }
}

#[test]
fn the_request_form_checks_fields_then_saves_and_selects_the_new_request() {
    let (db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Char('n'));
    assert!(m.modal());
    typed(&mut m, "q1"); // typed into the caller field, not taken as quit
    assert!(!m.quit);
    // Enter with no patient and no village: refused, each problem names its field
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    let screen = common::render(&m, 120, 36);
    // each problem right under its field (issue 19, item 3), and the form says it was not saved
    assert_eq!(screen.matches("required").count(), 4, "{screen}");
    assert!(
        screen.contains("Not saved: correct the fields marked above"),
        "{screen}"
    );
    insta::assert_snapshot!("fleet_form_errors_en", screen);
    // the cursor went to the first bad field (patient)
    typed(&mut m, "王大爷");
    common::key(&mut m, KeyCode::Tab);
    typed(&mut m, "8x"); // age takes digits only, and says so
    assert!(common::render(&m, 120, 36).contains("Only digits here"));
    typed(&mut m, "7");
    common::key(&mut m, KeyCode::Tab);
    // the village by its pinyin (issue 19, item 4): 金竹村 is V11; Tab takes it
    typed(&mut m, "jinzhu");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("> V11 Jinzhu"), "{screen}");
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Right); // none -> critical
    common::key(&mut m, KeyCode::Right); // critical -> severe
    common::key(&mut m, KeyCode::Tab);
    // the destination follows the village (V11: HC2) until chosen; Left twice: HC1, DTCM
    assert!(common::render(&m, 120, 36).contains("< Baihe Health Center >"));
    common::key(&mut m, KeyCode::Left);
    common::key(&mut m, KeyCode::Left);
    common::key(&mut m, KeyCode::Tab);
    typed(&mut m, "chest pain");
    let effects = common::key(&mut m, KeyCode::Enter);
    let FleetWrite::Request(req) = the_write(&effects) else {
        panic!("not a request: {effects:?}")
    };
    assert_eq!(req.caller, "q1");
    assert_eq!(req.patient, "王大爷");
    assert_eq!(req.age, Some(87));
    assert_eq!(req.village, "V11");
    assert_eq!(req.severity, "severe");
    assert_eq!(req.destination, "DTCM");
    assert_eq!(req.note, "chest pain");
    assert!(!m.modal());
    assert!(!m.dirty);
    run(&mut m, &db.path, effects);
    let st = m.status.as_ref().unwrap();
    assert!(!st.error);
    assert_eq!(st.msg.render(Lang::En), "Transport request #5 recorded.");
    // the new request is selected, with its suggestion
    let sel = duty_desk::app::fleet::selected_trip(&m).unwrap();
    assert_eq!(sel.id, 5);
    let screen = common::render(&m, 120, 36);
    // the critical #4, waiting longer, keeps HC2's AMB3: #5 is offered HC1's AMB2
    // (the queue is served most severe first, no vehicle twice: issue 19, item 5)
    assert!(screen.contains("#5 suggested: AMB2"), "{screen}");
    common::key(&mut m, KeyCode::Up);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("#4 suggested: AMB3"), "{screen}");
}

#[test]
fn chinese_form_with_errors() {
    let (_db, mut m) = fleet_model(Lang::Zh);
    common::key(&mut m, KeyCode::Char('n'));
    typed(&mut m, "村医");
    common::key(&mut m, KeyCode::Enter);
    insta::assert_snapshot!("fleet_form_errors_zh", common::render(&m, 120, 36));
}

#[test]
fn esc_asks_before_throwing_away_a_changed_form() {
    let (_db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Char('n'));
    common::key(&mut m, KeyCode::Esc); // nothing typed: closes at once
    assert!(!m.modal());
    common::key(&mut m, KeyCode::Char('n'));
    typed(&mut m, "x");
    assert!(m.dirty);
    common::key(&mut m, KeyCode::Esc);
    assert!(common::render(&m, 120, 36).contains("Discard this request?"));
    common::key(&mut m, KeyCode::Char('n')); // keep editing
    assert!(m.modal());
    common::key(&mut m, KeyCode::Esc);
    common::key(&mut m, KeyCode::Char('y'));
    assert!(!m.modal());
    assert!(!m.dirty);
}

#[test]
fn enter_accepts_the_suggestion_and_a_lost_race_says_so() {
    let (db, mut m) = fleet_model(Lang::En);
    // #4 (critical, Longtan, served by HC2) is selected first: Enter shows it whole
    // (issue 19, item 5), with AMB3 suggested; Enter again dispatches it
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    assert!(matches!(
        m.fleet.popup,
        Some(Popup::Detail { transport: 4 })
    ));
    let effects = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        the_write(&effects),
        FleetWrite::Dispatch {
            transport: 4,
            vehicle: "AMB3".into()
        }
    );
    // another dispatcher takes AMB3 first (a second console on the same database)
    let (_db2, mut other) = (0, common::model(&db.path, Lang::En, "黄晓峰"));
    common::show(&mut other, Screen::Fleet);
    run(&mut other, &db.path, effects.clone());
    // ours arrives second: refused with a clear message, and the screen refreshes
    run(&mut m, &db.path, effects);
    let st = m.status.clone().unwrap();
    assert!(st.error);
    let text = st.msg.render(Lang::En);
    assert!(text.contains("transport #4 is not waiting"), "{text}");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("transport #4 is not waiting"), "{screen}");
    let t4 = m
        .snapshot
        .as_ref()
        .unwrap()
        .transports
        .iter()
        .find(|t| t.id == 4)
        .unwrap()
        .clone();
    assert_eq!(t4.status, TripStatus::Dispatched);
    assert_eq!(t4.vehicle.as_deref(), Some("AMB3"));
}

#[test]
fn a_vehicle_taken_meanwhile_is_refused_and_the_board_refreshes() {
    let (db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Enter); // #4 whole
    let effects = common::key(&mut m, KeyCode::Enter); // AMB3 for #4
    // meanwhile the command line sends AMB3 elsewhere
    let id: String = String::from_utf8(
        common::cli(&db.path)
            .args(["transport", "request", "--village", "V10", "--patient", "X"])
            .args(["--severity", "critical", "--to", "DH"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    common::cli(&db.path)
        .args(["transport", "dispatch", id.trim(), "--vehicle", "AMB3"])
        .assert()
        .success();
    run(&mut m, &db.path, effects);
    let text = m.status.clone().unwrap().msg.render(Lang::En);
    assert!(text.contains("AMB3 is not free"), "{text}");
    // the refreshed screen now suggests something else for #4
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("#4 suggested: AMB2"), "{screen}");
}

#[test]
fn v_picks_any_free_vehicle_with_the_suggestion_first() {
    let (_db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Char('v'));
    let Some(Popup::Vehicles { options, .. }) = &m.fleet.popup else {
        panic!("no chooser")
    };
    assert_eq!(options[0], "AMB3");
    assert_eq!(options.len(), 12);
    assert!(
        !options.contains(&"RC09".to_string()),
        "out of service is not free"
    );
    insta::assert_snapshot!("fleet_chooser_en", common::render(&m, 120, 36));
    common::key(&mut m, KeyCode::Down);
    let effects = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        the_write(&effects),
        FleetWrite::Dispatch {
            transport: 4,
            vehicle: "AMB2".into()
        }
    );
}

#[test]
fn a_offers_only_the_allowed_steps_and_c_cancels_after_asking() {
    let (db, mut m) = fleet_model(Lang::En);
    // #4 is waiting: no step but cancel
    assert_eq!(common::key(&mut m, KeyCode::Char('a')), vec![Effect::Bell]);
    let text = m.status.clone().unwrap().msg.render(Lang::En);
    assert!(text.contains("dispatch it first"), "{text}");
    common::key(&mut m, KeyCode::Down); // #3, en route
    common::key(&mut m, KeyCode::Char('a'));
    let Some(Popup::Steps { options, .. }) = &m.fleet.popup else {
        panic!("no steps")
    };
    assert_eq!(options, &vec![TripStatus::OnScene]);
    let effects = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        the_write(&effects),
        FleetWrite::Advance {
            transport: 3,
            to: TripStatus::OnScene
        }
    );
    run(&mut m, &db.path, effects);
    assert_eq!(
        m.status.clone().unwrap().msg.render(Lang::En),
        "Transport #3: on scene."
    );
    common::key(&mut m, KeyCode::Char('a'));
    let Some(Popup::Steps { options, .. }) = &m.fleet.popup else {
        panic!("no steps")
    };
    assert_eq!(
        options,
        &vec![TripStatus::Transporting, TripStatus::BackInService]
    );
    common::key(&mut m, KeyCode::Esc);
    // cancelling asks why (issue 19, item 5): Esc keeps the trip, an empty reason is refused
    common::key(&mut m, KeyCode::Char('c'));
    assert!(common::render(&m, 120, 36).contains("Cancel transport #3: why?"));
    assert!(common::key(&mut m, KeyCode::Esc).is_empty());
    assert!(m.fleet.popup.is_none());
    common::key(&mut m, KeyCode::Char('c'));
    assert_eq!(common::key(&mut m, KeyCode::Enter), vec![Effect::Bell]);
    assert!(common::render(&m, 120, 36).contains("a reason is required"));
    typed(&mut m, "family drove him");
    let effects = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        the_write(&effects),
        FleetWrite::Step {
            transport: 3,
            to: TripStatus::Cancelled,
            step: duty_desk::store::fleet::Step {
                at: None,
                reason: Some("family drove him".into())
            }
        }
    );
    run(&mut m, &db.path, effects);
    let t3 = m
        .snapshot
        .as_ref()
        .unwrap()
        .transports_today
        .iter()
        .find(|t| t.id == 3)
        .unwrap()
        .clone();
    assert_eq!(t3.status, TripStatus::Cancelled);
    assert_eq!(t3.cancel_reason.as_deref(), Some("family drove him"));
    let amb1 = m
        .snapshot
        .as_ref()
        .unwrap()
        .vehicles
        .iter()
        .find(|v| v.code == "AMB1")
        .unwrap()
        .clone();
    assert_eq!(
        amb1.status,
        duty_desk::domain::transport::VehicleStatus::Available
    );
}

#[test]
fn x_takes_the_selected_vehicle_out_of_service_with_a_reason() {
    let (db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Char('x'));
    assert!(m.status.as_ref().unwrap().error, "x needs the board");
    common::key(&mut m, KeyCode::Right);
    assert_eq!(m.fleet.focus, Focus::Board);
    // board order: AMB1, AMB2, RC01…
    common::key(&mut m, KeyCode::Char('x'));
    assert!(m.status.as_ref().unwrap().error, "AMB1 is on a trip");
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Char('x'));
    assert!(
        matches!(&m.fleet.popup, Some(Popup::Reason { vehicle, in_service: false, .. }) if vehicle == "RC01")
    );
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    assert!(common::render(&m, 120, 36).contains("a reason is required"));
    typed(&mut m, "flat tyre");
    let effects = common::key(&mut m, KeyCode::Enter);
    run(&mut m, &db.path, effects);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("RC01 is out of service."), "{screen}");
    assert!(screen.contains("flat tyre"), "{screen}");
    common::key(&mut m, KeyCode::Char('x'));
    typed(&mut m, "fixed");
    let effects = common::key(&mut m, KeyCode::Enter);
    run(&mut m, &db.path, effects);
    assert!(common::render(&m, 120, 36).contains("RC01 is back in service."));
}

#[test]
fn a_quiet_trip_is_flagged_after_an_hour() {
    let db = common::demo_db();
    let later = common::now() + Duration::minutes(70);
    let mut m = common::model_at(&db.path, Lang::En, &db.operator, later);
    common::show(&mut m, Screen::Fleet);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("call the driver of AMB1, RC05"), "{screen}");
    assert!(screen.contains("#3 call!"), "{screen}");
    insta::assert_snapshot!("fleet_call_en", screen);
}

#[test]
fn small_terminal_keeps_queue_suggestion_and_board() {
    let (_db, mut m) = fleet_model(Lang::En);
    let screen = common::render(&m, 80, 24);
    assert!(screen.contains("#4 suggested: AMB3"), "{screen}");
    assert!(screen.contains("AMB1"), "{screen}");
    insta::assert_snapshot!("fleet_en_80x24", screen);
    common::key(&mut m, KeyCode::Char('n'));
    let screen = common::render(&m, 80, 24);
    assert!(screen.contains("New transport request"), "{screen}");
}

#[test]
fn help_lists_the_fleet_keys_on_the_fleet_screen() {
    let (_db, mut m) = fleet_model(Lang::Zh);
    common::key(&mut m, KeyCode::Char('?'));
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("查看选中需求的全部内容"), "{screen}");
    assert!(screen.contains("选中车辆停用"), "{screen}");
}

#[test]
fn the_wheel_moves_in_the_focused_list() {
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let (_db, mut m) = fleet_model(Lang::En);
    let wheel = |m: &mut duty_desk::app::Model| {
        duty_desk::app::update(
            m,
            duty_desk::app::Action::Mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: 10,
                row: 10,
                modifiers: KeyModifiers::NONE,
            }),
        )
    };
    wheel(&mut m);
    assert_eq!(duty_desk::app::fleet::selected_trip(&m).unwrap().id, 3);
    assert_eq!(m.selected[Screen::Fleet.index()], 0);
    common::key(&mut m, KeyCode::Right);
    wheel(&mut m);
    assert_eq!(
        duty_desk::app::fleet::selected_vehicle(&m).unwrap().code,
        "AMB2"
    );
    assert_eq!(duty_desk::app::fleet::selected_trip(&m).unwrap().id, 3);
}

/// Issue 19, item 5: Enter on a request shows it whole (the full note, the steps with their
/// times, the vehicle and its driver's phone whole for a dispatcher), in both languages.
#[test]
fn the_detail_view_in_both_languages() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let (_db, mut m) = fleet_model(lang);
        // #4 waits: its suggestion and the keys to act on it
        common::key(&mut m, KeyCode::Enter);
        let screen = common::render(&m, 120, 36);
        assert!(
            screen.contains("发热三天，血氧88%，气促，意识欠清"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("fleet_detail_waiting_{name}"), screen);
        common::key(&mut m, KeyCode::Esc);
        assert!(m.fleet.popup.is_none());
        // #3 is under way with AMB1: its steps, and the driver's phone whole
        common::key(&mut m, KeyCode::Down);
        common::key(&mut m, KeyCode::Enter);
        let screen = common::render(&m, 120, 36);
        assert!(screen.contains("13983625140"), "whole phone: {screen}");
        insta::assert_snapshot!(format!("fleet_detail_under_way_{name}"), screen);
    }
}

/// A step given the time it really happened ("at HH:MM"): refused in the future or before
/// the previous step, saved at that time otherwise.
#[test]
fn a_step_takes_the_time_it_happened() {
    let (db, mut m) = fleet_model(Lang::En);
    common::key(&mut m, KeyCode::Down); // #3, en route since 10:22
    common::key(&mut m, KeyCode::Char('a'));
    typed(&mut m, "10:45");
    assert_eq!(common::key(&mut m, KeyCode::Enter), vec![Effect::Bell]);
    assert!(common::render(&m, 120, 36).contains("10:45 is in the future: not saved"));
    for _ in 0..5 {
        common::key(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "10:01");
    assert_eq!(common::key(&mut m, KeyCode::Enter), vec![Effect::Bell]);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("before the trip's previous step"),
        "{screen}"
    );
    for _ in 0..5 {
        common::key(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "10:28");
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(matches!(
        the_write(&effects),
        FleetWrite::Step { transport: 3, .. }
    ));
    run(&mut m, &db.path, effects);
    let t3 = duty_desk::app::fleet::selected_trip(&m).unwrap().clone();
    assert_eq!(t3.status, TripStatus::OnScene);
    assert_eq!(
        t3.time_of(TripStatus::OnScene),
        Some("2026-11-26T02:28:00Z"),
        "10:28 in the +08:00 town"
    );
}
