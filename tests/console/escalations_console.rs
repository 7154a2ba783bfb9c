//! The Escalations screen and alerts: life cycle through the keys, deadline marks, the
//! re-alert past the grace period, alert de-duplication across consoles, and snapshots.
use crate::common;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Model, Screen, WriteCmd, escalations as esc_app};
use duty_desk::domain::escalation::Kind;
use duty_desk::i18n::Lang;
use duty_desk::store::escalations::{self, NewEscalation};
use duty_desk::store::rules::{self, Marks, Outcome};
use duty_desk::store::{Ctx, Store, town};

fn at(minutes: i64) -> DateTime<Utc> {
    common::now() + Duration::minutes(minutes)
}

fn rules_at(db: &Path, now: DateTime<Utc>) -> Outcome {
    let mut s = Store::open(db).unwrap();
    let t = town::load(s.conn()).unwrap();
    let ctx = Ctx {
        operator: "test".into(),
        now,
    };
    rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap()
}

fn raise(db: &Path, title: &str, due_in: i64) -> i64 {
    let mut s = Store::open(db).unwrap();
    let ctx = Ctx {
        operator: "何丽君".into(),
        now: common::now(),
    };
    s.write(&ctx, |w| {
        escalations::raise(
            w,
            &NewEscalation {
                kind: Kind::Concern,
                title: title.into(),
                village: Some("V01".into()),
                place: None,
                details: String::new(),
                direct: false,
                subject: None,
                due: common::now() + Duration::minutes(due_in),
                grace_minutes: 60,
            },
        )
    })
    .unwrap()
}

/// Runs the model's write effects on the store (as the store thread would) and reloads.
fn run_writes(m: &mut Model, db: &Path, effects: Vec<Effect>) -> Vec<String> {
    let mut out = Vec::new();
    let mut store = Store::open(db).unwrap();
    for e in effects {
        if let Effect::Write(WriteCmd::Escalations(w), _) = e {
            let ctx = Ctx {
                operator: m.operator.clone(),
                now: m.now,
            };
            match esc_app::apply(&mut store, &m.town.clone(), &ctx, w) {
                Ok(msg) | Err(msg) => out.push(msg.render(Lang::En)),
            }
        }
    }
    drop(store);
    common::reload(m, db);
    out
}

fn typ(m: &mut Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

fn alerts(effects: &[Effect]) -> (bool, Vec<(String, String)>) {
    let bell = effects.contains(&Effect::Bell);
    let notes = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { summary, body } => Some((summary.clone(), body.clone())),
            _ => None,
        })
        .collect();
    (bell, notes)
}

fn loaded(m: &mut Model, db: &Path) -> Vec<Effect> {
    let store = Store::open(db).unwrap();
    let s = duty_desk::store::snapshot::load(store.conn(), &m.town, &m.view, m.now).unwrap();
    duty_desk::app::update(m, duty_desk::app::Action::Loaded(Box::new(s)))
}

#[test]
fn life_cycle_through_the_keys_add_acknowledge_resolve_with_a_note() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::Escalations);
    common::key(&mut m, KeyCode::Char('n'));
    assert!(m.modal(), "the form owns the keyboard");
    common::key(&mut m, KeyCode::Right); // kind: concern
    common::key(&mut m, KeyCode::Tab);
    typ(&mut m, "Water pump broken at the clinic");
    common::key(&mut m, KeyCode::Tab);
    // the village by its pinyin initials (issue 19, item 4): 石桥社区 is V01; Tab takes
    // the highlighted match and moves on
    typ(&mut m, "sqsq");
    assert!(common::render(&m, 120, 36).contains("> V01 Shiqiao"));
    common::key(&mut m, KeyCode::Tab);
    common::key(&mut m, KeyCode::Tab);
    typ(&mut m, "soon");
    let fx = common::key(&mut m, KeyCode::Enter);
    assert!(fx.is_empty(), "a bad deadline is not sent");
    assert!(common::render(&m, 120, 36).contains("not a deadline"));
    for _ in 0..4 {
        common::key(&mut m, KeyCode::Backspace);
    }
    typ(&mut m, "1h");
    let fx = common::key(&mut m, KeyCode::Enter);
    let said = run_writes(&mut m, &db.path, fx);
    assert_eq!(said, ["Escalation #5 raised."]);
    let e = m
        .snapshot
        .as_ref()
        .unwrap()
        .escalations
        .iter()
        .find(|e| e.id == 5)
        .unwrap()
        .clone();
    assert_eq!(e.kind, Kind::Concern);
    assert_eq!(e.village.as_deref(), Some("V01"));
    assert_eq!(e.due, common::now() + Duration::hours(1));

    // select it: the queue is overdue first, then by deadline
    let pos = esc_app::visible(&m).iter().position(|e| e.id == 5).unwrap();
    m.selected[Screen::Escalations.index()] = pos;
    let fx = common::key(&mut m, KeyCode::Char('a'));
    let said = run_writes(&mut m, &db.path, fx);
    assert_eq!(said, ["Escalation #5 is in your hands."]);
    let fx = common::key(&mut m, KeyCode::Char('r'));
    assert!(fx.is_empty());
    assert!(
        common::key(&mut m, KeyCode::Enter).is_empty(),
        "note required"
    );
    assert!(common::render(&m, 120, 36).contains("a resolution note is required"));
    typ(&mut m, "Pump replaced");
    let fx = common::key(&mut m, KeyCode::Enter);
    let said = run_writes(&mut m, &db.path, fx);
    assert_eq!(said, ["Escalation #5 resolved."]);
    assert!(
        !m.snapshot
            .as_ref()
            .unwrap()
            .escalations
            .iter()
            .any(|e| e.id == 5)
    );

    // its history, from the audit log
    let store = Store::open(&db.path).unwrap();
    let h = escalations::history(store.conn(), 5).unwrap();
    let actions: Vec<&str> = h.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["escalation.raise", "escalation.ack", "escalation.resolve"]
    );
    assert!(h.iter().all(|a| a.operator == "何丽君"));
}

#[test]
fn overdue_alerts_once_then_again_past_the_grace_period() {
    let db = common::demo_db();
    let id = raise(&db.path, "Call back the hotline", 1);
    // the demo's own overdue concern was alerted before this console started
    rules_at(&db.path, common::now());
    // a console started two minutes later
    let mut m = common::model_at(&db.path, Lang::En, "何丽君", at(2));
    let out = rules_at(&db.path, at(2));
    assert!(out.overdue.contains(&id));
    assert!(out.to_leader.is_empty());
    let fx = loaded(&mut m, &db.path);
    let (bell, notes) = alerts(&fx);
    assert!(bell);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].0, "Escalation overdue");
    assert!(notes[0].1.contains("Call back the hotline"), "{notes:?}");
    assert!(m.escalations.alerts.showing());

    // the next pass and the next read: nothing new
    assert!(!rules_at(&db.path, at(3)).overdue.contains(&id));
    assert!(loaded(&mut m, &db.path).is_empty());

    // the banner stays until Esc; each Esc marks only the oldest unseen alert seen
    common::key(&mut m, KeyCode::Down);
    assert!(m.escalations.alerts.showing());
    let n = m.escalations.alerts.unseen.len();
    assert!(n >= 2, "the demo's own alerts and ours");
    for left in (0..n).rev() {
        common::key(&mut m, KeyCode::Esc);
        assert_eq!(m.escalations.alerts.unseen.len(), left);
    }
    assert!(!m.escalations.alerts.showing());

    // acknowledging does not make it disappear, and past the grace it goes to the leader
    let mut s = Store::open(&db.path).unwrap();
    let ctx = Ctx {
        operator: "何丽君".into(),
        now: at(5),
    };
    s.write(&ctx, |w| escalations::acknowledge(w, id)).unwrap();
    drop(s);
    m.now = at(62);
    let out = rules_at(&db.path, at(62));
    // the demo's own overdue concern goes to the leader in the same pass
    assert_eq!(out.to_leader, [2, id]);
    let fx = loaded(&mut m, &db.path);
    let (bell, notes) = alerts(&fx);
    assert!(bell);
    // (by now the missing reports and the demo's critical request are overdue too)
    assert!(notes[0].0.ends_with("new alerts"), "{notes:?}");
    assert!(
        notes[0].1.contains(&format!(
            "Escalation #{id} raised to the duty leader: Call back"
        )),
        "{notes:?}"
    );
    let e = m
        .snapshot
        .as_ref()
        .unwrap()
        .escalations
        .iter()
        .find(|e| e.id == id)
        .unwrap()
        .clone();
    assert!(e.escalated_at.is_some());
    let store = Store::open(&db.path).unwrap();
    let h = escalations::history(store.conn(), id).unwrap();
    let leader = h
        .iter()
        .find(|a| a.action == "escalation.to_leader")
        .unwrap();
    assert!(
        leader.detail.contains("罗承志"),
        "the demo's duty leader: {}",
        leader.detail
    );
    assert!(rules_at(&db.path, at(63)).is_empty(), "marked once");
}

#[test]
fn an_acknowledged_escalation_that_passes_its_deadline_alerts() {
    let db = common::demo_db();
    let id = raise(&db.path, "Reply to the resident", 10);
    let mut s = Store::open(&db.path).unwrap();
    let ctx = Ctx {
        operator: "何丽君".into(),
        now: at(1),
    };
    s.write(&ctx, |w| escalations::acknowledge(w, id)).unwrap();
    drop(s);
    rules_at(&db.path, common::now());
    let mut m = common::model_at(&db.path, Lang::En, "何丽君", at(1));
    rules_at(&db.path, at(5));
    assert!(
        alerts(&loaded(&mut m, &db.path)).1.is_empty(),
        "not due yet"
    );
    m.now = at(11);
    // (the demo's critical request has now waited too long as well)
    assert!(rules_at(&db.path, at(11)).overdue.contains(&id));
    let (bell, notes) = alerts(&loaded(&mut m, &db.path));
    assert!(bell);
    assert!(notes[0].1.contains("Reply to the resident"), "{notes:?}");
}

#[test]
fn two_consoles_both_alert_once_and_a_restarted_one_does_not_repeat() {
    let db = common::demo_db();
    let id = raise(&db.path, "Check on the lone elderly", 1);
    rules_at(&db.path, common::now());
    let mut a = common::model_at(&db.path, Lang::En, "何丽君", at(1));
    let mut b = common::model_at(&db.path, Lang::Zh, "黄晓峰", at(1));
    // console A's store thread gets there first; B's pass finds nothing left to mark
    assert_eq!(rules_at(&db.path, at(2)).overdue, [id]);
    assert!(rules_at(&db.path, at(2)).is_empty());
    a.now = at(2);
    b.now = at(2);
    assert_eq!(alerts(&loaded(&mut a, &db.path)).1.len(), 1);
    let (_, zh) = alerts(&loaded(&mut b, &db.path));
    assert_eq!(zh.len(), 1);
    assert_eq!(zh[0].0, "督办事项超时");
    assert!(zh[0].1.contains("已超时"), "{zh:?}");
    assert!(loaded(&mut a, &db.path).is_empty());
    assert!(loaded(&mut b, &db.path).is_empty());
    let mut c = common::model_at(&db.path, Lang::En, "何丽君", at(3));
    assert!(
        loaded(&mut c, &db.path).is_empty(),
        "alerted before it started"
    );
}

#[test]
fn a_new_critical_request_alerts_and_the_town_file_can_turn_notifications_off() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    assert!(
        loaded(&mut m, &db.path).is_empty(),
        "the demo's request is older"
    );
    common::cli(&db.path)
        .args([
            "transport",
            "request",
            "--village",
            "V03",
            "--patient",
            "Test Patient",
            "--severity",
            "critical",
            "--to",
            "DH",
        ])
        .assert()
        .success();
    let (bell, notes) = alerts(&loaded(&mut m, &db.path));
    assert!(bell);
    assert_eq!(notes[0].0, "Critical transport request");
    assert!(notes[0].1.contains("Liuwan"), "{notes:?}");

    // the town file turns notifications off (applied to the live town, issue 16): the
    // console reads the town again with its next snapshot
    let town = common::cli(&db.path)
        .args(["town", "show"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let town = String::from_utf8(town)
        .unwrap()
        .replace("notifications = true", "notifications = false");
    common::cli(&db.path)
        .args(["town", "apply", "-"])
        .write_stdin(town)
        .assert()
        .success();
    let mut quiet = common::model(&db.path, Lang::En, "何丽君");
    assert!(!quiet.town.info.notifications);
    common::cli(&db.path)
        .args([
            "transport",
            "request",
            "--village",
            "V03",
            "--patient",
            "Second Patient",
            "--severity",
            "critical",
            "--to",
            "DH",
        ])
        .assert()
        .success();
    let fx = loaded(&mut quiet, &db.path);
    let (bell, notes) = alerts(&fx);
    assert!(bell, "the bell still rings");
    assert!(notes.is_empty(), "no desktop notification: {fx:?}");
}

#[test]
fn filters_and_detail_view() {
    let db = common::demo_db();
    rules_at(&db.path, common::now());
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::Escalations);
    let all = esc_app::visible(&m).len();
    // the demo's 10, and 2 villages with key-population contacts overdue (issue 15)
    assert_eq!(all, 12);
    // overdue first
    assert!(esc_app::visible(&m)[0].overdue(m.now));
    common::key(&mut m, KeyCode::Char('f'));
    assert!(
        esc_app::visible(&m)
            .iter()
            .all(|e| e.kind == Kind::Referral)
    );
    for _ in 0..4 {
        common::key(&mut m, KeyCode::Char('f'));
    }
    assert_eq!(m.escalations.kind_filter, Some(Kind::LowStock));
    assert_eq!(esc_app::visible(&m).len(), 2);
    common::key(&mut m, KeyCode::Char('f'));
    common::key(&mut m, KeyCode::Char('f'));
    // issue 17's low_equipment, then issue 11's handover_overdue, end the cycle
    assert_eq!(m.escalations.kind_filter, Some(Kind::LowEquipment));
    assert!(esc_app::visible(&m).is_empty());
    common::key(&mut m, KeyCode::Char('f'));
    assert_eq!(m.escalations.kind_filter, Some(Kind::HandoverOverdue));
    // issue 15's overdue key-population contacts: the demo's two villages
    common::key(&mut m, KeyCode::Char('f'));
    assert_eq!(m.escalations.kind_filter, Some(Kind::OverdueContact));
    assert_eq!(esc_app::visible(&m).len(), 2);
    common::key(&mut m, KeyCode::Char('f'));
    assert_eq!(m.escalations.kind_filter, None);
    common::key(&mut m, KeyCode::Char('F'));
    assert!(
        esc_app::visible(&m)
            .iter()
            .all(|e| e.village.as_deref() == Some("V01"))
    );

    common::key(&mut m, KeyCode::Char('F'));
    for _ in 0..10 {
        common::key(&mut m, KeyCode::Char('F'));
    }
    assert_eq!(m.escalations.village_filter.as_deref(), Some("V12"));
    let fx = common::key(&mut m, KeyCode::Enter);
    assert!(matches!(fx[..], [Effect::Reload(v)] if v.escalation.is_some()));
    common::reload(&mut m, &db.path);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("History"), "{screen}");
    assert!(screen.contains("raised"), "{screen}");
}

fn snapshot_model(db: &Path, lang: Lang) -> Model {
    rules_at(db, common::now());
    let mut m = common::model(db, lang, "何丽君");
    common::show(&mut m, Screen::Escalations);
    m
}

#[test]
fn screen_snapshots_in_english_and_chinese() {
    let db = common::demo_db();
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let m = snapshot_model(&db.path, lang);
        insta::assert_snapshot!(
            format!("escalations_queue_{name}"),
            common::render(&m, 120, 36)
        );
        let mut m = snapshot_model(&db.path, lang);
        common::key(&mut m, KeyCode::Enter);
        common::reload(&mut m, &db.path);
        insta::assert_snapshot!(
            format!("escalations_detail_{name}"),
            common::render(&m, 120, 36)
        );
        let mut m = snapshot_model(&db.path, lang);
        common::key(&mut m, KeyCode::Char('n'));
        common::key(&mut m, KeyCode::Tab);
        typ(&mut m, "Water pump");
        insta::assert_snapshot!(
            format!("escalations_form_{name}"),
            common::render(&m, 120, 36)
        );
    }
}

#[test]
fn the_banner_shows_on_every_screen_in_both_languages() {
    let db = common::demo_db();
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut m = common::model_at(&db.path, lang, "何丽君", common::now());
        rules_at(&db.path, common::now());
        loaded(&mut m, &db.path);
        assert!(
            m.escalations.alerts.showing(),
            "{name}: the demo's overdue concern alerts"
        );
        insta::assert_snapshot!(
            format!("escalations_banner_{name}"),
            common::render(&m, 120, 20)
        );
    }
}

#[test]
fn the_stock_form_records_a_count_and_the_rule_clears() {
    let db = common::demo_db();
    assert!(rules_at(&db.path, common::now()).raised.len() >= 2);
    let mut m = common::model(&db.path, Lang::En, "何丽君");
    common::show(&mut m, Screen::Escalations);
    let low_hc2 = |m: &Model| {
        m.snapshot
            .as_ref()
            .unwrap()
            .escalations
            .iter()
            .any(|e| e.kind == Kind::LowStock && e.place.as_deref() == Some("HC2"))
    };
    assert!(low_hc2(&m));
    common::key(&mut m, KeyCode::Char('i'));
    typ(&mut m, "hc2"); // the place by code, in any case
    common::key(&mut m, KeyCode::Tab); // takes HC2; item: drug packs
    common::key(&mut m, KeyCode::Tab);
    typ(&mut m, "x");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Quantity: _"), "digits only");
    assert!(screen.contains("Only digits here"), "and says so: {screen}");
    typ(&mut m, "1600");
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        run_writes(&mut m, &db.path, fx),
        ["HC2: drug_packs set to 1600."]
    );
    let out = rules_at(&db.path, common::now());
    assert_eq!(out.cleared.len(), 1);
    common::reload(&mut m, &db.path);
    assert!(!low_hc2(&m));
}
