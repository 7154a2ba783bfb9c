//! The alert banner and inbox in the console (issue 14): snapshots at 80×24 and 200×50
//! in both languages, Esc marks one alert seen in the store, Enter opens the subject.
mod common;

use chrono::Duration;
use crossterm::event::KeyCode;
use duty_desk::app::{Effect, Screen, WriteCmd};
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
        assert!(m.esc.alerts.showing());
        for (w, h) in [(80, 24), (200, 50)] {
            insta::assert_snapshot!(
                format!("alerts_banner_{tag}_{w}x{h}"),
                common::render(&m, w, h)
            );
        }
        common::key(&mut m, KeyCode::Char('!'));
        assert!(m.esc.alerts.inbox.is_some());
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
    let before: Vec<i64> = m.esc.alerts.unseen.iter().map(|a| a.row.id).collect();
    assert!(before.len() >= 3, "{before:?}");
    assert!(!before.contains(&1), "alert 1 was seen");
    let fx = common::key(&mut m, KeyCode::Esc);
    let [Effect::Write(cmd, _)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(m.esc.alerts.unseen.len(), before.len() - 1);
    // carried out as the store thread would: recorded with the operator
    let mut s = Store::open(&db.path).unwrap();
    let t = town::load(s.conn()).unwrap();
    let WriteCmd::Escalation(w) = cmd.clone() else {
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
    assert_eq!(m.esc.alerts.unseen.len(), before.len() - 1);
    assert_eq!(m.esc.alerts.unseen[0].row.id, before[1]);
}

#[test]
fn enter_in_the_inbox_opens_the_escalation_or_the_transport() {
    let db = demo_with_alerts();
    let mut m = common::model_at(&db.path, Lang::En, common::DUTY_LEADER, later());
    let recent = m.snapshot.as_ref().unwrap().alerts_recent.clone();
    assert!(recent.windows(2).all(|p| p[0].row.id > p[1].row.id), "newest first");
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
    assert!(m.esc.alerts.inbox.is_none());
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
    assert_eq!(m.esc.detail, Some(want));
    assert!(matches!(fx.as_slice(), [Effect::Reload(v)] if v.escalation == Some(want)));
    // Esc closes the detail, then the inbox without marking anything seen
    common::key(&mut m, KeyCode::Esc);
    assert_eq!(m.esc.detail, None);
    common::key(&mut m, KeyCode::Char('!'));
    assert!(m.esc.alerts.inbox.is_some());
    let n = m.esc.alerts.unseen.len();
    assert!(common::key(&mut m, KeyCode::Esc).is_empty());
    assert!(m.esc.alerts.inbox.is_none());
    assert_eq!(m.esc.alerts.unseen.len(), n);
}
