//! The alert banner and inbox in the console (issue 14): snapshots at 80×24 and 200×50
//! in both languages, Esc marks one alert seen in the store, Enter opens the subject.
use crate::common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen, WriteCmd};
use duty_desk::domain::escalation::Kind;
use duty_desk::i18n::Lang;
use duty_desk::store::rules::{self, Marks};
use duty_desk::store::{Ctx, Store, town};

/// The demo two hours on with the rules run at 10:30 and at 12:30: overdue and critical
/// alerts first, then re-alerts and raises, some of them for rule escalations.
fn demo_with_alerts() -> common::DemoDb {
    let db = common::demo_db();
    let mut s = Store::open(&db.path).unwrap();
    let t = town::load(s.conn()).unwrap();
    for now in [common::now(), common::now() + Duration::hours(2)] {
        let ctx = Ctx {
            operator: "test".into(),
            now,
        };
        rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap();
    }
    // one seen already
    s.write(
        &Ctx {
            operator: "何丽君".into(),
            now: common::now(),
        },
        |w| duty_desk::store::alerts::mark_seen(w, 1),
    )
    .unwrap();
    db
}

fn later() -> chrono::DateTime<chrono::Utc> {
    common::now() + Duration::hours(2)
}

#[test]
fn banner_and_inbox_snapshots_in_both_languages_and_sizes() {
    let db = demo_with_alerts();
    for lang in [Lang::En, Lang::Zh] {
        let tag = match lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        };
        let mut m = common::model_at(&db.path, lang, common::DUTY_LEADER, later());
        assert!(m.escalations.alerts.showing());
        for (w, h) in [(80, 24), (200, 50)] {
            insta::assert_snapshot!(
                format!("alerts_banner_{tag}_{w}x{h}"),
                common::render(&m, w, h)
            );
        }
        common::key(&mut m, KeyCode::Char('!'));
        assert!(m.escalations.alerts.inbox.is_some());
        for (w, h) in [(80, 24), (200, 50)] {
            insta::assert_snapshot!(
                format!("alerts_inbox_{tag}_{w}x{h}"),
                common::render(&m, w, h)
            );
        }
    }
}

#[test]
fn esc_marks_only_the_oldest_unseen_alert_seen_by_the_operator() {
    let db = demo_with_alerts();
    let mut m = common::model_at(&db.path, Lang::En, common::DUTY_LEADER, later());
    let before: Vec<i64> = m
        .escalations
        .alerts
        .unseen
        .iter()
        .map(|a| a.row.id)
        .collect();
    assert!(before.len() >= 3, "{before:?}");
    assert!(!before.contains(&1), "alert 1 was seen");
    let fx = common::key(&mut m, KeyCode::Esc);
    let [Effect::Write(cmd, _)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(m.escalations.alerts.unseen.len(), before.len() - 1);
    // carried out as the store thread would: recorded with the operator
    let mut s = Store::open(&db.path).unwrap();
    let t = town::load(s.conn()).unwrap();
    let WriteCmd::Escalations(w) = cmd.clone() else {
        panic!("{cmd:?}")
    };
    let ctx = Ctx {
        operator: m.operator.clone(),
        now: later(),
    };
    duty_desk::app::escalations::apply(&mut s, &t, &ctx, w).unwrap();
    let seen: Vec<(i64, Option<String>)> = duty_desk::store::alerts::list(s.conn(), true)
        .unwrap()
        .into_iter()
        .filter(|a| a.seen_by.is_some())
        .map(|a| (a.id, a.seen_by))
        .collect();
    assert_eq!(
        seen,
        [
            (1, Some("何丽君".to_string())),
            (before[0], Some(common::DUTY_LEADER.to_string()))
        ]
    );
    common::reload(&mut m, &db.path);
    assert_eq!(m.escalations.alerts.unseen.len(), before.len() - 1);
    assert_eq!(m.escalations.alerts.unseen[0].row.id, before[1]);
}

#[test]
fn enter_in_the_inbox_opens_the_escalation_or_the_transport() {
    let db = demo_with_alerts();
    let mut m = common::model_at(&db.path, Lang::En, common::DUTY_LEADER, later());
    let recent = m.snapshot.as_ref().unwrap().alerts_recent.clone();
    assert!(
        recent.windows(2).all(|p| p[0].row.id > p[1].row.id),
        "newest first"
    );
    let pos = |subject: &str| {
        recent
            .iter()
            .position(|a| a.row.subject.as_str() == subject)
            .unwrap()
    };
    // the transport: the Fleet screen with the trip selected
    common::key(&mut m, KeyCode::Char('!'));
    for _ in 0..pos("transport") {
        common::key(&mut m, KeyCode::Down);
    }
    common::key(&mut m, KeyCode::Enter);
    assert!(m.escalations.alerts.inbox.is_none());
    assert_eq!(m.screen, Screen::Fleet);
    assert_eq!(m.fleet.trip, Some(4));
    // an escalation: its detail
    common::key(&mut m, KeyCode::Char('!'));
    common::key(&mut m, KeyCode::Home);
    for _ in 0..pos("escalation") {
        common::key(&mut m, KeyCode::Down);
    }
    let want = recent[pos("escalation")].row.subject_id;
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Escalations);
    assert_eq!(m.escalations.detail, Some(want));
    assert!(matches!(fx.as_slice(), [Effect::Reload(v)] if v.escalation == Some(want)));
    // Esc closes the detail, then the inbox without marking anything seen
    common::key(&mut m, KeyCode::Esc);
    assert_eq!(m.escalations.detail, None);
    common::key(&mut m, KeyCode::Char('!'));
    assert!(m.escalations.alerts.inbox.is_some());
    let n = m.escalations.alerts.unseen.len();
    assert!(common::key(&mut m, KeyCode::Esc).is_empty());
    assert!(m.escalations.alerts.inbox.is_none());
    assert_eq!(m.escalations.alerts.unseen.len(), n);
}

#[test]
fn most_urgent_merged_snapshots_in_both_languages_and_sizes() {
    let db = common::demo_db();
    for lang in [Lang::En, Lang::Zh] {
        let tag = match lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        };
        let m = common::model(&db.path, lang, common::DUTY_LEADER);
        for (w, h) in [(80, 24), (200, 50)] {
            insta::assert_snapshot!(
                format!("alerts_most_urgent_{tag}_{w}x{h}"),
                common::render(&m, w, h)
            );
        }
    }
}

#[test]
fn most_urgent_is_ordered_selectable_and_opens_its_record() {
    use duty_desk::domain::urgent::{Rank, Target};
    let db = common::demo_db();
    // the rules raise missing-report escalations: listed once, as the villages
    {
        let mut s = Store::open(&db.path).unwrap();
        let t = town::load(s.conn()).unwrap();
        let ctx = Ctx {
            operator: "test".into(),
            now: common::now(),
        };
        assert!(
            !rules::run(&mut s, &t, &ctx, Marks::Yes)
                .unwrap()
                .raised
                .is_empty()
        );
    }
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    let rows = duty_desk::app::overview::rows(&m);
    let ranks: Vec<Rank> = rows.iter().map(|u| u.rank).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "most urgent first");
    // the demo at 10:30: the critical request first, the overdue concern, then the four
    // villages missing after the 10:00 cutoff, then the escalations not yet due
    assert_eq!(rows[0].target, Target::Transport(4));
    assert_eq!(rows[1].target, Target::Escalation(2));
    assert_eq!(
        rows.iter()
            .filter(|u| u.rank == Rank::MissingReport)
            .count(),
        4
    );
    // no rule escalation listed twice beside its request or village
    let esc = &m.snapshot.as_ref().unwrap().escalations;
    assert!(esc.iter().any(|e| e.kind == Kind::MissingReport));
    assert!(rows.iter().all(|u| {
        match u.target {
            Target::Escalation(id) => esc.iter().any(|e| {
                e.id == id && !matches!(e.kind, Kind::MissingReport | Kind::TransportWaiting)
            }),
            _ => true,
        }
    }));
    // Enter on the first row: the request in the Fleet queue
    common::key(&mut m, KeyCode::Enter);
    assert_eq!((m.screen, m.fleet.trip), (Screen::Fleet, Some(4)));
    // down to a missing report: the Daily report with that village selected
    common::show(&mut m, Screen::Overview);
    common::key(&mut m, KeyCode::Down);
    common::key(&mut m, KeyCode::Down);
    let Target::Report(code) = rows[2].target.clone() else {
        panic!("{:?}", rows[2])
    };
    common::key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Report);
    let sel = m.selected[Screen::Report.index()];
    assert_eq!(duty_desk::app::report::ordered(&m)[sel].code, code);
    // and an escalation: its detail
    common::show(&mut m, Screen::Overview);
    common::key(&mut m, KeyCode::Up);
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        (m.screen, m.escalations.detail),
        (Screen::Escalations, Some(2))
    );
    assert!(matches!(fx.as_slice(), [Effect::Reload(_)]));
}

/// The next morning with the 11-26 shift never signed over: the late handover (issue 11's
/// rule escalation) is in the merged list beside the rest.
#[test]
fn most_urgent_lists_a_late_handover() {
    let db = common::demo_db();
    let next_day = common::now() + Duration::hours(22) + Duration::minutes(30);
    {
        let mut s = Store::open(&db.path).unwrap();
        let t = town::load(s.conn()).unwrap();
        let ctx = Ctx {
            operator: "test".into(),
            now: next_day,
        };
        rules::run(&mut s, &t, &ctx, Marks::Yes).unwrap();
    }
    let m = common::model_at(&db.path, Lang::En, common::DUTY_LEADER, next_day);
    let esc = &m.snapshot.as_ref().unwrap().escalations;
    let handover = esc
        .iter()
        .find(|e| e.kind == Kind::HandoverOverdue)
        .expect("the rule raised it");
    let rows = duty_desk::app::overview::rows(&m);
    assert!(
        rows.iter()
            .any(|u| u.target == duty_desk::domain::urgent::Target::Escalation(handover.id)),
        "{rows:?}"
    );
    assert!(common::render(&m, 200, 50).contains("still not handed over"));
}
