//! Store: the key-population register (issue 15): import and re-import, contacts and the
//! cadence, the concern for a red-level person, level changes, permissions, the week.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use duty_desk::domain::people::csv::{HEADER, parse};
use duty_desk::domain::people::{Level, Method, Outcome, parse_week};
use duty_desk::domain::town::Town;
use duty_desk::i18n::Lang;
use duty_desk::store::people::{self, NewContact};
use duty_desk::store::town;
use duty_desk::store::{Ctx, Store, StoreError};

const LEADER: &str = "罗承志";
const SHIFT_LEAD: &str = "冉小东";
const OFFICER: &str = "何丽君";
const DISPATCHER: &str = "邓宇航";

fn ctx(op: &str, now: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: op.into(),
        now,
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const REGISTER: &str = "V01,测试甲,82,男,13800001111,一组,高血压,red,李干部,王医生
V01,测试乙,70,女,,二组,,yellow,李干部,王医生
V02,测试丙,66,,13900002222,,,green,赵干部,周医生
";

fn open() -> (common::DemoDb, Store, Town) {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    (db, store, t)
}

fn import(
    store: &mut Store,
    t: &Town,
    body: &str,
    op: &str,
) -> Result<people::ImportSummary, StoreError> {
    let text = format!("{HEADER}\n{body}");
    let village = |s: &str| t.village(s).map(|v| v.code.clone());
    let rows = parse(&text, &village).unwrap();
    store.write(&ctx(op, common::now()), |w| people::import(w, t, &rows))
}

fn id_of(store: &Store, name: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM person WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

fn contact(
    store: &mut Store,
    t: &Town,
    op: &str,
    person: i64,
    outcome: Outcome,
    when: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<people::Recorded, StoreError> {
    let c = NewContact {
        person,
        method: Method::Phone,
        outcome,
        note: "ok".into(),
        at: Some(when),
        lang: Lang::En,
    };
    store.write(&ctx(op, now), |w| people::record_contact(w, t, &c))
}

fn listed(store: &Store, t: &Town, date: NaiveDate, id: i64) -> people::Listed {
    people::standings(store.conn(), t, date)
        .unwrap()
        .into_iter()
        .find(|l| l.id == id)
        .unwrap()
}

#[test]
fn import_adds_then_a_changed_file_updates_known_people_with_the_audit() {
    let (_db, mut store, t) = open();
    let s = import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (3, 0, 0));
    let s = import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (0, 0, 3));
    // the same village, name and phone: the same person, with a new age and level
    let changed = REGISTER.replace(
        "测试甲,82,男,13800001111,一组,高血压,red",
        "测试甲,83,男,13800001111,一组,高血压,yellow",
    );
    let s = import(&mut store, &t, &changed, SHIFT_LEAD).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (0, 1, 2));
    let id = id_of(&store, "测试甲");
    let p = people::person(store.conn(), id).unwrap().unwrap();
    assert_eq!((p.details.age, p.details.level), (83, Level::Yellow));
    let audit = store.audit_for(&format!("person:{id}")).unwrap();
    let update = audit.iter().find(|a| a.action == "people.update").unwrap();
    assert!(update.detail.contains("\"before\"") && update.detail.contains("\"level\":\"red\""));
    let changes: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM person_level WHERE person = ?1 AND reason = 'import'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changes, 1, "a level the file changed is a level change");
    // imported today (town date): due today, never contacted
    assert_eq!(p.imported_on, d("2026-11-26"));
}

#[test]
fn a_dry_run_import_writes_nothing() {
    let (_db, mut store, t) = open();
    let before: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM person", [], |r| r.get(0))
        .unwrap();
    let village = |s: &str| t.village(s).map(|v| v.code.clone());
    let rows = parse(&format!("{HEADER}\n{REGISTER}"), &village).unwrap();
    let s = store
        .write_or_rollback(&ctx(SHIFT_LEAD, common::now()), |w| {
            Ok((people::import(w, &t, &rows)?, false))
        })
        .unwrap();
    assert_eq!(s.new, 3);
    let after: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM person", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_contact_moves_next_due_and_an_unreachable_call_does_not() {
    let (_db, mut store, t) = open();
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let id = id_of(&store, "测试乙"); // yellow: every 3 days
    let now = common::now();
    assert_eq!(
        listed(&store, &t, d("2026-11-26"), id).next_due,
        d("2026-11-26")
    );
    contact(&mut store, &t, OFFICER, id, Outcome::Unreachable, now, now).unwrap();
    let l = listed(&store, &t, d("2026-11-26"), id);
    assert_eq!(
        (l.next_due, l.contacts_this_week, l.last_contact),
        (d("2026-11-26"), 0, None)
    );
    assert!(
        !listed(&store, &t, d("2026-11-27"), id)
            .next_due
            .gt(&d("2026-11-26"))
    );
    assert!(listed(&store, &t, d("2026-11-27"), id).overdue);
    contact(&mut store, &t, OFFICER, id, Outcome::Stable, now, now).unwrap();
    let l = listed(&store, &t, d("2026-11-26"), id);
    assert_eq!(
        (l.next_due, l.contacts_this_week, l.overdue),
        (d("2026-11-29"), 1, false)
    );
    assert_eq!(l.last_contact.as_deref(), Some("2026-11-26T02:30:00Z"));
    // an older contact recorded later does not move last_contact back
    contact(
        &mut store,
        &t,
        OFFICER,
        id,
        Outcome::Stable,
        now - Duration::days(2),
        now,
    )
    .unwrap();
    let l = listed(&store, &t, d("2026-11-26"), id);
    assert_eq!((l.next_due, l.contacts_this_week), (d("2026-11-29"), 2));
    // on a day before the newest contact, the contact of that day counts
    let l = listed(&store, &t, d("2026-11-25"), id);
    assert_eq!(l.next_due, d("2026-11-27"), "the contact of 11-24 + 3 days");
}

#[test]
fn a_red_level_person_worse_or_unreachable_raises_a_concern_due_in_two_hours() {
    let (_db, mut store, t) = open();
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let red = id_of(&store, "测试甲");
    let yellow = id_of(&store, "测试乙");
    let now = common::now();
    for (id, outcome, raised) in [
        (red, Outcome::Worse, true),
        (red, Outcome::Unreachable, true),
        (red, Outcome::Stable, false),
        (red, Outcome::Referred, false),
        (yellow, Outcome::Worse, false),
        (yellow, Outcome::Unreachable, false),
    ] {
        let r = contact(&mut store, &t, OFFICER, id, outcome, now, now).unwrap();
        assert_eq!(r.concern.is_some(), raised, "{id} {outcome:?}");
        if let Some(e) = r.concern {
            let (kind, due, village, title): (String, String, String, String) = store
                .conn()
                .query_row(
                    "SELECT kind, due, village, title FROM escalation WHERE id = ?1",
                    [e],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .unwrap();
            assert_eq!(
                (kind.as_str(), due.as_str(), village.as_str()),
                ("concern", "2026-11-26T04:30:00Z", "V01")
            );
            assert!(
                title.contains("测*甲") && !title.contains("测试甲"),
                "masked: {title}"
            );
        }
    }
}

#[test]
fn who_may_do_what_on_the_register() {
    let (_db, mut store, t) = open();
    let refused = import(&mut store, &t, REGISTER, OFFICER).unwrap_err();
    assert!(
        matches!(refused, StoreError::NotPermitted(_)),
        "{refused:?}"
    );
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let id = id_of(&store, "测试丙");
    let now = common::now();
    assert!(contact(&mut store, &t, OFFICER, id, Outcome::Stable, now, now).is_ok());
    assert!(contact(&mut store, &t, SHIFT_LEAD, id, Outcome::Stable, now, now).is_ok());
    let e = contact(&mut store, &t, DISPATCHER, id, Outcome::Stable, now, now).unwrap_err();
    assert!(matches!(e, StoreError::NotPermitted(_)), "{e:?}");
    let e = store
        .write(&ctx(OFFICER, now), |w| {
            people::change_level(w, id, Level::Red, "fell")
        })
        .unwrap_err();
    assert!(matches!(e, StoreError::NotPermitted(_)), "{e:?}");
    store
        .write(&ctx(LEADER, now), |w| {
            people::change_level(w, id, Level::Red, "fell at home")
        })
        .unwrap();
}

#[test]
fn a_level_change_needs_a_reason_and_a_different_level_and_is_kept() {
    let (_db, mut store, t) = open();
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let id = id_of(&store, "测试丙");
    let now = common::now();
    let w = |store: &mut Store, level, reason: &str| {
        store.write(&ctx(SHIFT_LEAD, now), |w| {
            people::change_level(w, id, level, reason)
        })
    };
    assert!(matches!(
        w(&mut store, Level::Red, "  "),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        w(&mut store, Level::Green, "same"),
        Err(StoreError::Invalid(_))
    ));
    w(&mut store, Level::Red, "fell\u{1b}[2J at home").unwrap();
    let (from, to, reason): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT from_level, to_level, reason FROM person_level WHERE person = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (from.as_str(), to.as_str(), reason.as_str()),
        ("green", "red", "fell at home")
    );
    assert!(
        store
            .audit_for(&format!("person:{id}"))
            .unwrap()
            .iter()
            .any(|a| a.action == "people.level")
    );
    // red now: every 2 days from the last contact
    assert_eq!(listed(&store, &t, d("2026-11-26"), id).required_per_week, 3);
}

#[test]
fn contacts_in_the_future_or_for_nobody_are_refused() {
    let (_db, mut store, t) = open();
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let id = id_of(&store, "测试丙");
    let now = common::now();
    let e = contact(
        &mut store,
        &t,
        OFFICER,
        id,
        Outcome::Stable,
        now + Duration::hours(1),
        now,
    )
    .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    let e = contact(&mut store, &t, OFFICER, 999_999, Outcome::Stable, now, now).unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
}

#[test]
fn weeks_are_counted_in_town_time_monday_to_sunday() {
    let (_db, mut store, t) = open();
    let row = |store: &Store, w: &str| {
        people::week(store.conn(), &t, parse_week(w).unwrap())
            .unwrap()
            .into_iter()
            .find(|r| r.code == "V02" && r.level == Level::Green)
            .map_or((0, 0, 0), |r| (r.people, r.required, r.done))
    };
    // the demo's invented register gives way to this first real one: only 测试丙 is left
    // in V02's green row
    import(&mut store, &t, REGISTER, SHIFT_LEAD).unwrap();
    let id = id_of(&store, "测试丙");
    let now = at("2026-12-01T10:00:00+08:00");
    // Sunday 23:30 in town (15:30 UTC): week 48; Monday 00:10 in town (Sunday 16:10 UTC): week 49
    for (when, outcome) in [
        ("2026-11-29T23:30:00+08:00", Outcome::Stable),
        ("2026-11-30T00:10:00+08:00", Outcome::Stable),
        ("2026-11-30T09:00:00+08:00", Outcome::Unreachable),
    ] {
        contact(&mut store, &t, OFFICER, id, outcome, at(when), now).unwrap();
    }
    let (a48, a49) = (row(&store, "2026-W48"), row(&store, "2026-W49"));
    assert_eq!(a48, (1, 1, 1));
    assert_eq!(a49, (1, 1, 1), "the unreachable call is not done");
}

#[test]
fn the_call_list_reads_contacts_by_index() {
    let (_db, store, _t) = open();
    let plan = |sql: &str| -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.join("\n")
    };
    let week = plan(
        "SELECT person FROM person_contact INDEXED BY person_contact_by_at
         WHERE at >= '2026-11-23' AND at < '2026-11-30'
         AND outcome <> 'unreachable'",
    );
    assert!(week.contains("person_contact_by_at"), "{week}");
    let last = plan(
        "SELECT at FROM person_contact WHERE person = 1 AND at < '2026-11-30'
         AND outcome <> 'unreachable' ORDER BY at DESC LIMIT 1",
    );
    assert!(
        last.contains("person_contact_by_person") && !last.contains("TEMP B-TREE"),
        "{last}"
    );
}
