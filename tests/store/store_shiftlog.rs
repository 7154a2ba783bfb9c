//! Store: the shift log, automatic entries of every kind of action, the handover, and
//! the sign-over after which a shift refuses changes but accepts amendments.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use duty_desk::domain::escalation::Kind;
use duty_desk::domain::fleet::NewRequest;
use duty_desk::domain::handover::ActionItem;
use duty_desk::domain::shift::LogRow;
use duty_desk::domain::shift::{Duty, LogCategory, SHIFT_LENGTH};
use duty_desk::domain::town::Town;
use duty_desk::domain::transport::TripStatus;
use duty_desk::store::escalations::{self, NewEscalation};
use duty_desk::store::fleet;
use duty_desk::store::handover;
use duty_desk::store::shiftlog;
use duty_desk::store::town;
use duty_desk::store::{Ctx, Store, StoreError, reports};

fn ctx(op: &str, at: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: op.into(),
        now: at,
    }
}

fn open(db: &common::DemoDb) -> (Store, Town) {
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    (store, t)
}

fn current(store: &Store, at: DateTime<Utc>) -> DateTime<Utc> {
    shiftlog::current_shift_start(store.conn(), at).unwrap()
}

fn last_entry(store: &Store, at: DateTime<Utc>) -> LogRow {
    shiftlog::entries(store.conn(), current(store, at))
        .unwrap()
        .into_iter()
        .max_by_key(|e| e.id)
        .unwrap()
}

fn key_of(e: &LogRow) -> String {
    e.auto_msg
        .as_ref()
        .map(|m| m.key.to_string())
        .unwrap_or_default()
}

#[test]
fn every_kind_of_action_writes_its_own_log_entry() {
    let db = common::demo_db();
    let (mut store, town) = open(&db);
    let now = common::now();
    let c = ctx("罗承志", now);
    let expect = |store: &Store, key: &str, cat: LogCategory| {
        let e = last_entry(store, now);
        assert_eq!(key_of(&e), key);
        assert_eq!(e.category, cat, "{key}");
        assert_eq!(e.author, "罗承志", "{key}: the operator is the author");
        assert!(!e.text.is_empty());
    };

    let req = NewRequest {
        patient: "王大爷".into(),
        village: "V01".into(),
        severity: "severe".into(),
        destination: "HC1".into(),
        ..Default::default()
    };
    let id = store.write(&c, |w| fleet::request(w, &town, &req)).unwrap();
    expect(
        &mut store,
        "log.auto.transport_requested",
        LogCategory::Dispatch,
    );
    store.write(&c, |w| fleet::dispatch(w, id, "AMB2")).unwrap();
    expect(&store, "log.auto.dispatched", LogCategory::Dispatch);
    store
        .write(&c, |w| fleet::advance(w, id, TripStatus::EnRoute))
        .unwrap();
    expect(&store, "log.auto.trip_step", LogCategory::Dispatch);
    store
        .write(&c, |w| fleet::set_in_service(w, "RC01", false, "flat tyre"))
        .unwrap();
    expect(&store, "log.auto.vehicle_out", LogCategory::Dispatch);
    store
        .write(&c, |w| {
            fleet::set_in_service(w, "RC01", true, "tyre changed")
        })
        .unwrap();
    expect(&store, "log.auto.vehicle_back", LogCategory::Dispatch);

    let new = NewEscalation {
        kind: Kind::Concern,
        title: "no water at the fever clinic".into(),
        village: Some("V02".into()),
        place: None,
        details: String::new(),
        direct: false,
        subject: None,
        due: now + Duration::hours(2),
        grace_minutes: 60,
    };
    let esc = store.write(&c, |w| escalations::raise(w, &new)).unwrap();
    expect(
        &mut store,
        "log.auto.escalation_raised",
        LogCategory::Escalation,
    );
    store
        .write(&c, |w| escalations::acknowledge(w, esc))
        .unwrap();
    expect(
        &mut store,
        "log.auto.escalation_acked",
        LogCategory::Escalation,
    );
    store
        .write(&c, |w| escalations::resolve(w, esc, "tanker sent"))
        .unwrap();
    expect(
        &mut store,
        "log.auto.escalation_resolved",
        LogCategory::Escalation,
    );

    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    store
        .write(&c, |w| reports::sign_day(w, day, Some("drill")))
        .unwrap();
    expect(&store, "log.auto.report_signed", LogCategory::Report);
    let e = last_entry(&store, now);
    assert!(e.text_in(duty_desk::i18n::Lang::Zh).contains("2026-11-25"));
    store
        .write(&c, |w| reports::reopen_day(w, day, "V04 corrected"))
        .unwrap();
    expect(&store, "log.auto.report_reopened", LogCategory::Report);

    let shift = current(&store, now);
    store
        .write(&ctx("谭慧敏", now), |w| handover::sign(w, &town, None))
        .unwrap();
    let signed = shiftlog::entries(store.conn(), shift).unwrap();
    let last = signed.iter().max_by_key(|e| e.id).unwrap();
    assert_eq!(key_of(last), "log.auto.handover_signed");
    assert_eq!(last.author, "谭慧敏", "the incoming person signs");
}

#[test]
fn a_signed_shift_refuses_changes_and_accepts_amendments() {
    let db = common::demo_db();
    let (mut store, town) = open(&db);
    let now = common::now();
    let c = ctx("何丽君", now);
    let shift = current(&store, now);
    let id = store
        .write(&c, |w| {
            shiftlog::add_entry(w, LogCategory::Call, "V07 clinic called")
        })
        .unwrap();
    // before signing, a manual entry can be corrected; an automatic one never
    store
        .write(&c, |w| {
            shiftlog::edit_entry(w, id, "V07 clinic called twice")
        })
        .unwrap();
    let auto = shiftlog::entries(store.conn(), shift)
        .unwrap()
        .into_iter()
        .find(|e| e.auto_msg.is_some())
        .unwrap();
    let r = store.write(&c, |w| shiftlog::edit_entry(w, auto.id, "x"));
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "err.auto_entry"));
    store
        .write(&c, |w| shiftlog::set_notes(w, shift, "watch V03"))
        .unwrap();
    let before = shiftlog::entries(store.conn(), shift).unwrap();

    store
        .write(&ctx("谭慧敏", now), |w| handover::sign(w, &town, None))
        .unwrap();
    assert!(shiftlog::shift_signed(store.conn(), shift).unwrap());

    let conflict = |r: Result<(), StoreError>| {
        assert!(
            matches!(&r, Err(StoreError::Conflict(m)) if m.key == "err.shift_signed"),
            "{r:?}"
        )
    };
    conflict(store.write(&c, |w| shiftlog::edit_entry(w, id, "changed")));
    conflict(store.write(&c, |w| shiftlog::set_notes(w, shift, "changed")));
    conflict(store.write(&c, |w| {
        shiftlog::set_roster(w, shift, "陈思远", Duty::Officer)
    }));
    conflict(store.write(&c, |w| shiftlog::remove_roster(w, shift, "何丽君")));
    // signing twice: the next shift has not started yet
    let again = store.write(&ctx("陈思远", now), |w| {
        handover::sign(w, &town, None).map(|_| ())
    });
    assert!(matches!(again, Err(StoreError::Conflict(m)) if m.key == "err.shift_not_started"));
    // the triggers hold even against a direct write
    assert!(
        store
            .conn()
            .execute("DELETE FROM log_entry WHERE id = ?1", [id])
            .is_err()
    );
    assert!(
        store
            .conn()
            .execute("UPDATE handover SET notes = 'x'", [])
            .is_err()
    );

    // an amendment is accepted, linked to the original, in the signed shift, right after it
    let a1 = store
        .write(&c, |w| {
            shiftlog::amend_entry(w, id, "the second call was from V08")
        })
        .unwrap();
    let a2 = store
        .write(&c, |w| shiftlog::amend_entry(w, a1, "V08 visited at 11:00"))
        .unwrap();
    let after = shiftlog::entries(store.conn(), shift).unwrap();
    let pos = after.iter().position(|e| e.id == id).unwrap();
    assert_eq!(after[pos].text, "V07 clinic called twice", "unchanged");
    assert_eq!(after[pos + 1].id, a1);
    assert_eq!(after[pos + 1].amends, Some(id));
    assert_eq!(after[pos + 2].id, a2);
    assert_eq!(after[pos + 2].amends, Some(id), "linked to the original");
    assert_eq!(
        after.len(),
        before.len() + 3,
        "sign-over entry and two amendments"
    );

    // new entries go to the next shift, whose roster has the incoming officer
    let next = current(&store, now);
    assert_eq!(next, shift + SHIFT_LENGTH);
    store
        .write(&c, |w| {
            shiftlog::add_entry(w, LogCategory::Note, "took over")
        })
        .unwrap();
    assert_eq!(shiftlog::entries(store.conn(), next).unwrap().len(), 1);
    // nothing planned: the leader before stays, its officers hand over to the incoming
    assert_eq!(
        shiftlog::roster(store.conn(), next).unwrap(),
        vec![
            ("罗承志".to_string(), Duty::Leader),
            ("谭慧敏".to_string(), Duty::Officer),
        ]
    );
    assert_eq!(
        shiftlog::past_shifts(store.conn(), 10).unwrap()[..2],
        [next, shift]
    );
}

#[test]
fn the_signed_handover_is_frozen_and_open_items_come_back_next_shift() {
    let db = common::demo_db();
    let (mut store, town) = open(&db);
    let now = common::now();
    let c = ctx("罗承志", now);
    let shift = current(&store, now);
    store
        .write(&c, |w| shiftlog::set_notes(w, shift, "RC09 back tomorrow"))
        .unwrap();
    let live = handover::filed(store.conn(), &town, shift, now).unwrap();
    assert!(live.signed.is_none());
    assert_eq!(live.handover.notes, "RC09 back tomorrow");
    let (_, compiled) = store
        .write(&ctx("谭慧敏", now), |w| handover::sign(w, &town, None))
        .unwrap();
    assert_eq!(compiled.status.open_escalations, 4);

    // later: escalation #2 is resolved, #1 still open
    let later = now + Duration::hours(25);
    store
        .write(&ctx("谭慧敏", later), |w| {
            escalations::resolve(w, 2, "drugs delivered")
        })
        .unwrap();
    let frozen = handover::filed(store.conn(), &town, shift, later).unwrap();
    assert_eq!(
        frozen.handover, compiled,
        "what was handed over does not change"
    );
    assert_eq!(frozen.signed.as_ref().unwrap().by, "谭慧敏");
    assert_eq!(frozen.outgoing.as_deref(), Some("罗承志"));

    let next = handover::filed(store.conn(), &town, shift + SHIFT_LENGTH, later).unwrap();
    let esc_ids: Vec<(i64, bool)> = next
        .handover
        .actions
        .iter()
        .filter_map(|a| match a {
            ActionItem::Escalation { id, carried, .. } => Some((*id, *carried)),
            ActionItem::Transport { .. } => None,
        })
        .collect();
    assert!(!esc_ids.iter().any(|(id, _)| *id == 2), "resolved: gone");
    assert!(
        esc_ids.contains(&(1, true)),
        "still open: back, carried over"
    );
    assert_eq!(next.handover.notes, "", "notes belong to their shift");
}

#[test]
fn signing_needs_a_known_incoming_officer_allowed_to_sign() {
    let db = common::demo_db();
    let (mut store, town) = open(&db);
    let r = store.write(&ctx("Nobody", common::now()), |w| {
        handover::sign(w, &town, None)
    });
    assert!(matches!(r, Err(StoreError::NotPermitted(m)) if m.key == "shift.err.incoming_unknown"));
    // 蒋文斌 is a viewer: not someone who can take over the desk
    let r = store.write(&ctx("蒋文斌", common::now()), |w| {
        handover::sign(w, &town, None)
    });
    assert!(matches!(r, Err(StoreError::NotPermitted(m)) if m.key == "deny.not_permitted"));
    assert!(!shiftlog::shift_signed(store.conn(), current(&store, common::now())).unwrap());
}

#[test]
fn two_operators_editing_notes_or_an_entry_never_overwrite_each_other_silently() {
    let db = common::demo_db();
    let (mut store, _t) = open(&db);
    let now = common::now();
    let shift = current(&store, now);
    let a = ctx("何丽君", now);
    let b = ctx("黄晓峰", now);
    // both open the notes empty; the first save wins, the second is told
    store
        .write(&a, |w| {
            shiftlog::set_notes_if(w, shift, "", "V04 chased twice")
        })
        .unwrap();
    let r = store.write(&b, |w| shiftlog::set_notes_if(w, shift, "", "quiet night"));
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    let notes = shiftlog::handover_row(store.conn(), shift)
        .unwrap()
        .unwrap()
        .notes;
    assert_eq!(notes, "V04 chased twice");
    // the same for a log entry corrected by two people
    let id = store
        .write(&a, |w| {
            shiftlog::add_entry(w, LogCategory::Call, "V07 called")
        })
        .unwrap();
    store
        .write(&a, |w| {
            shiftlog::edit_entry_if(w, id, "V07 called", "V07 clinic called")
        })
        .unwrap();
    let r = store.write(&b, |w| {
        shiftlog::edit_entry_if(w, id, "V07 called", "V07 rang")
    });
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
}
