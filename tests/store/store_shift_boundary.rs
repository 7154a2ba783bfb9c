//! Store: the open shift at its boundaries (signed early, on time, late by minutes, late by
//! more than a whole shift, two shifts never signed), who may sign, the next shift's people,
//! and the handover_overdue rule raised and cleared.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use duty_desk::domain::escalation::Kind;
use duty_desk::domain::roster::PlanDay;
use duty_desk::domain::shift::{Duty, LogCategory, handover_late_by};
use duty_desk::domain::town::Town;
use duty_desk::store::escalations::open_escalations;
use duty_desk::store::rules::{self, Marks};
use duty_desk::store::shiftlog::{self, current_shift_start};
use duty_desk::store::town;
use duty_desk::store::{Ctx, Store, StoreError, handover, roster};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ctx(op: &str, at: &str) -> Ctx {
    Ctx {
        operator: op.into(),
        now: t(at),
    }
}

/// A desk made by `init` at `at` (+08:00, shifts at 08:30).
struct Desk {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn init(at: &str) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duty.db");
    let file =
        duty_desk::domain::town::parse_town(include_str!("../../data/demo/town.toml")).unwrap();
    let mut store = town::create(&path, &file, &ctx("罗承志", at)).unwrap();
    store
        .write(&ctx("罗承志", at), shiftlog::open_first_shift)
        .unwrap();
    Desk { _dir: dir, path }
}

fn open(p: &Path) -> (Store, Town) {
    let s = Store::open(p).unwrap();
    let town = town::load(s.conn()).unwrap();
    (s, town)
}

fn open_shift(p: &Path, at: &str) -> DateTime<Utc> {
    current_shift_start(open(p).0.conn(), t(at)).unwrap()
}

fn sign(p: &Path, who: &str, at: &str) -> Result<DateTime<Utc>, StoreError> {
    let (mut s, town) = open(p);
    s.write(&ctx(who, at), |w| handover::sign(w, &town, None))
        .map(|(shift, _)| shift)
}

fn add(p: &Path, who: &str, at: &str, text: &str) -> i64 {
    let (mut s, _) = open(p);
    s.write(&ctx(who, at), |w| {
        shiftlog::add_entry(w, LogCategory::Note, text)
    })
    .unwrap()
}

fn shift_of(p: &Path, id: i64) -> DateTime<Utc> {
    let s = Store::open(p).unwrap();
    let v: String = s
        .conn()
        .query_row(
            "SELECT shift_start FROM log_entry WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    t(&v)
}

fn audit_rows(p: &Path) -> i64 {
    Store::open(p)
        .unwrap()
        .conn()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

const S26: &str = "2026-11-26T08:30:00+08:00";
const S27: &str = "2026-11-27T08:30:00+08:00";
const S28: &str = "2026-11-28T08:30:00+08:00";

#[test]
fn signed_early_the_next_shift_is_open_at_once_with_its_nominal_start() {
    let d = init("2026-11-26T22:00:00+08:00");
    assert_eq!(open_shift(&d.path, "2026-11-26T22:00:00+08:00"), t(S26));
    // 08:00, half an hour before the nominal change
    assert_eq!(
        sign(&d.path, "谭慧敏", "2026-11-27T08:00:00+08:00").unwrap(),
        t(S26)
    );
    // the choice for an early sign-over: the desk is the incoming team's there and then, so
    // entries go to the next shift, whose start stays 08:30 (no day is skipped)
    assert_eq!(open_shift(&d.path, "2026-11-27T08:00:00+08:00"), t(S27));
    let id = add(
        &d.path,
        "谭慧敏",
        "2026-11-27T08:10:00+08:00",
        "took over early",
    );
    assert_eq!(shift_of(&d.path, id), t(S27));
    // it cannot itself be signed before it has started
    let r = sign(&d.path, "陈思远", "2026-11-27T08:20:00+08:00");
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "err.shift_not_started"));
    assert_eq!(open_shift(&d.path, "2026-11-27T20:00:00+08:00"), t(S27));
}

#[test]
fn signed_on_time_the_shift_that_ends_is_signed() {
    let d = init("2026-11-26T09:00:00+08:00");
    assert_eq!(sign(&d.path, "谭慧敏", S27).unwrap(), t(S26));
    assert_eq!(open_shift(&d.path, S27), t(S27));
    let id = add(
        &d.path,
        "谭慧敏",
        "2026-11-27T08:31:00+08:00",
        "first entry",
    );
    assert_eq!(shift_of(&d.path, id), t(S27));
}

#[test]
fn signed_late_by_minutes_the_ended_shift_is_signed_and_new_entries_follow() {
    let d = init("2026-11-26T22:00:00+08:00");
    // 08:40: the old shift is still open, ten minutes late
    let late = add(&d.path, "何丽君", "2026-11-27T08:40:00+08:00", "still here");
    assert_eq!(shift_of(&d.path, late), t(S26));
    assert_eq!(
        handover_late_by(t(S26), t("2026-11-27T08:40:00+08:00")).map(|d| d.num_minutes()),
        Some(10)
    );
    assert_eq!(
        sign(&d.path, "谭慧敏", "2026-11-27T08:45:00+08:00").unwrap(),
        t(S26),
        "a late sign-over signs the shift that just ended, never the one begun"
    );
    let id = add(
        &d.path,
        "谭慧敏",
        "2026-11-27T09:00:00+08:00",
        "first of the day",
    );
    assert_eq!(shift_of(&d.path, id), t(S27));
    // the old one refuses edits, takes amendments
    let (mut s, _) = open(&d.path);
    let r = s.write(&ctx("何丽君", "2026-11-27T09:05:00+08:00"), |w| {
        shiftlog::edit_entry(w, late, "changed")
    });
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "err.shift_signed"));
}

#[test]
fn late_by_more_than_a_whole_shift_each_shift_is_signed_in_turn() {
    let d = init("2026-11-26T09:00:00+08:00");
    // 11-28 09:00: two nominal changes have passed; the 11-26 shift is still the open one
    let at = "2026-11-28T09:00:00+08:00";
    assert_eq!(open_shift(&d.path, at), t(S26));
    let id = add(&d.path, "何丽君", at, "nobody came");
    assert_eq!(shift_of(&d.path, id), t(S26));
    assert_eq!(sign(&d.path, "谭慧敏", at).unwrap(), t(S26));
    // the next day's shift opens (started, past its end too), never skipped
    assert_eq!(open_shift(&d.path, at), t(S27));
    assert_eq!(
        sign(&d.path, "陈思远", "2026-11-28T09:05:00+08:00").unwrap(),
        t(S27)
    );
    assert_eq!(open_shift(&d.path, at), t(S28));
}

#[test]
fn two_shifts_never_signed_the_earliest_stays_open_for_everything() {
    let d = init("2026-11-26T09:00:00+08:00");
    let at = "2026-11-28T10:00:00+08:00";
    assert_eq!(open_shift(&d.path, at), t(S26));
    assert_eq!(
        handover_late_by(t(S26), t(at)).map(|d| d.num_minutes()),
        Some(25 * 60 + 30)
    );
    let (mut s, town) = open(&d.path);
    // roster edits and notes work on the open shift, not the one the clock names
    s.write(&ctx("罗承志", at), |w| {
        shiftlog::set_roster(w, t(S26), "何丽君", Duty::Officer)
    })
    .unwrap();
    let r = s.write(&ctx("罗承志", at), |w| {
        shiftlog::set_roster(w, t(S28), "何丽君", Duty::Officer)
    });
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "shift.err.not_open"));
    s.write(&ctx("罗承志", at), |w| {
        shiftlog::set_notes(w, t(S26), "late")
    })
    .unwrap();
    // the handover shown is the open shift's
    let f = handover::filed(s.conn(), &town, open_shift(&d.path, at), t(at)).unwrap();
    assert_eq!(f.handover.notes, "late");
}

#[test]
fn nobody_signs_a_shift_over_to_themselves_and_a_refusal_changes_nothing() {
    let d = init("2026-11-26T09:00:00+08:00");
    let (mut s, town) = open(&d.path);
    let day = PlanDay {
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        leader: "罗承志".into(),
        officers: vec!["何丽君".into(), "黄晓峰".into()],
    };
    s.write(&ctx("冉小东", "2026-11-26T09:00:00+08:00"), |w| {
        roster::set_plan(w, &town, &day)
    })
    .unwrap();
    drop(s);
    let before = audit_rows(&d.path);
    let at = "2026-11-27T08:45:00+08:00";
    let r = sign(&d.path, "何丽君", at);
    assert!(
        matches!(&r, Err(StoreError::NotPermitted(m)) if m.key == "shift.err.incoming_on_shift"),
        "{r:?}"
    );
    let r = sign(&d.path, "蒋文斌", at);
    assert!(matches!(&r, Err(StoreError::NotPermitted(m)) if m.key == "deny.not_permitted"));
    let r = sign(&d.path, "路人甲", at);
    assert!(
        matches!(&r, Err(StoreError::NotPermitted(m)) if m.key == "shift.err.incoming_unknown")
    );
    assert_eq!(audit_rows(&d.path), before, "nothing changed");
    assert!(!shiftlog::shift_signed(open(&d.path).0.conn(), t(S26)).unwrap());
    // the outgoing duty leader may take over (a leader often covers consecutive days)
    assert_eq!(sign(&d.path, "罗承志", at).unwrap(), t(S26));
    let row = shiftlog::handover_row(open(&d.path).0.conn(), t(S26))
        .unwrap()
        .unwrap();
    assert_eq!(row.signed_by.as_deref(), Some("罗承志"));
}

#[test]
fn the_next_shift_takes_the_plan_else_the_team_before_with_its_leader() {
    let d = init("2026-11-26T09:00:00+08:00");
    let (mut s, town) = open(&d.path);
    let plan = |date: (i32, u32, u32), leader: &str, officers: &[&str]| PlanDay {
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
        leader: leader.into(),
        officers: officers.iter().map(|o| o.to_string()).collect(),
    };
    let lead = ctx("冉小东", "2026-11-26T09:00:00+08:00");
    s.write(&lead, |w| {
        roster::set_plan(w, &town, &plan((2026, 11, 26), "罗承志", &["何丽君"]))
    })
    .unwrap();
    s.write(&lead, |w| {
        roster::set_plan(
            w,
            &town,
            &plan((2026, 11, 27), "谭慧敏", &["陈思远", "杨秀兰"]),
        )
    })
    .unwrap();
    // the plan of the open shift's own day is its roster at once
    assert_eq!(
        shiftlog::roster(s.conn(), t(S26)).unwrap(),
        vec![
            ("罗承志".to_string(), Duty::Leader),
            ("何丽君".to_string(), Duty::Officer)
        ]
    );
    drop(s);
    sign(&d.path, "陈思远", S27).unwrap();
    let r27 = shiftlog::roster(open(&d.path).0.conn(), t(S27)).unwrap();
    assert_eq!(
        r27,
        vec![
            ("谭慧敏".to_string(), Duty::Leader),
            ("陈思远".to_string(), Duty::Officer),
            ("杨秀兰".to_string(), Duty::Officer)
        ],
        "as planned"
    );
    // nothing planned for 11-28: the 11-27 leader stays, its officers hand the desk to the
    // incoming person (they do not pile up shift after shift)
    sign(&d.path, "黄晓峰", S28).unwrap();
    let r28 = shiftlog::roster(open(&d.path).0.conn(), t(S28)).unwrap();
    assert_eq!(
        r28,
        vec![
            ("谭慧敏".to_string(), Duty::Leader),
            ("黄晓峰".to_string(), Duty::Officer)
        ]
    );
    // the past is not planned any more
    let (mut s, town) = open(&d.path);
    let r = s.write(&ctx("冉小东", S28), |w| {
        roster::set_plan(w, &town, &plan((2026, 11, 27), "谭慧敏", &["陈思远"]))
    });
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "roster.err.past"));
}

#[test]
fn an_unsigned_shift_past_its_grace_is_raised_for_the_leader_and_the_sign_over_clears_it() {
    let d = init("2026-11-26T09:00:00+08:00");
    let pass = |at: &str| {
        let (mut s, town) = open(&d.path);
        rules::run(&mut s, &town, &ctx("test", at), Marks::Yes).unwrap()
    };
    let overdue = || -> Vec<_> {
        open_escalations(open(&d.path).0.conn())
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == Kind::HandoverOverdue)
            .collect()
    };
    assert_eq!(
        town::load(open(&d.path).0.conn())
            .unwrap()
            .info
            .handover_grace_minutes,
        30
    );
    pass("2026-11-27T08:59:00+08:00");
    assert!(overdue().is_empty(), "within the 30 minutes of grace");
    let out = pass("2026-11-27T09:00:00+08:00");
    let raised = overdue();
    assert_eq!(raised.len(), 1);
    assert_eq!(out.raised, vec![raised[0].id]);
    assert_eq!(
        raised[0].subject.as_deref(),
        Some("handover_overdue:2026-11-26")
    );
    // straight to the duty leader
    let out = pass("2026-11-27T09:01:00+08:00");
    assert_eq!(out.to_leader, vec![raised[0].id]);
    pass("2026-11-27T09:02:00+08:00");
    assert_eq!(overdue().len(), 1, "raised once");
    sign(&d.path, "谭慧敏", "2026-11-27T09:10:00+08:00").unwrap();
    let out = pass("2026-11-27T09:11:00+08:00");
    assert_eq!(out.cleared, vec![raised[0].id]);
    assert!(overdue().is_empty());
}

#[test]
fn a_desk_left_by_the_old_bug_keeps_its_stray_unsigned_shift_read_only() {
    // before the fix a late sign-over signed the begun shift and left the ended one open
    let d = init("2026-11-26T09:00:00+08:00");
    let stray = add(&d.path, "何丽君", "2026-11-26T23:00:00+08:00", "night call");
    Store::open(&d.path)
        .unwrap()
        .conn()
        .execute(
            "INSERT INTO handover (shift_start, compiled, signed_by, signed_at)
             VALUES ('2026-11-27T00:30:00Z', '{}', '谭慧敏', '2026-11-27T00:45:00Z')",
            [],
        )
        .unwrap();
    let at = "2026-11-28T09:00:00+08:00";
    assert_eq!(
        open_shift(&d.path, at),
        t(S28),
        "after the latest signature"
    );
    let (mut s, _) = open(&d.path);
    let r = s.write(&ctx("何丽君", at), |w| {
        shiftlog::edit_entry(w, stray, "rewritten")
    });
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "shift.err.not_open"));
    let r = s.write(&ctx("何丽君", at), |w| {
        shiftlog::set_notes(w, t(S26), "rewritten")
    });
    assert!(matches!(r, Err(StoreError::Conflict(m)) if m.key == "shift.err.not_open"));
    // an amendment is still accepted
    s.write(&ctx("何丽君", at), |w| {
        shiftlog::amend_entry(w, stray, "it was V05")
    })
    .unwrap();
}
