//! Store: the key-population call list at speed (issue 15, the last gaps): the standings
//! read with the dates worked out by SQLite agree with the rule computed here from the
//! contacts themselves, in the lists' order; the console's cached call list is read again
//! only when the day or the data changed.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use duty_desk::domain::people::{Level, Method, Outcome};
use duty_desk::domain::town::Town;
use duty_desk::i18n::Lang;
use duty_desk::store::people::{self, CallListCache, NewContact};
use duty_desk::store::town;
use duty_desk::store::{Ctx, Store};

use crate::common;

const OFFICER: &str = "何丽君";

fn ctx(op: &str, now: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: op.into(),
        now,
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn open() -> (common::DemoDb, Store, Town) {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    (db, store, t)
}

fn contact(store: &mut Store, t: &Town, person: i64, outcome: Outcome, when: DateTime<Utc>) {
    let c = NewContact {
        person,
        method: Method::Visit,
        outcome,
        note: String::new(),
        at: Some(when),
        lang: Lang::En,
    };
    // recorded "now" at the latest instant used here, so every `at` is in the past
    store
        .write(&ctx(OFFICER, at("2026-12-20T12:00:00+08:00")), |w| {
            people::record_contact(w, t, &c)
        })
        .unwrap();
}

/// One person as this test computes them from the rule in DESIGN.md, reading the raw rows.
#[derive(Debug, PartialEq)]
struct Expected {
    id: i64,
    village: String,
    level: Level,
    next_due: NaiveDate,
    due: bool,
    overdue: bool,
    week: i64,
    last: Option<String>,
}

fn expected(store: &Store, t: &Town, date: NaiveDate) -> Vec<Expected> {
    let conn = store.conn();
    let off = t.info.offset;
    let mut contacts: HashMap<i64, Vec<(DateTime<Utc>, String)>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT person, at, outcome FROM person_contact")
        .unwrap();
    for r in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap()
    {
        let (p, when, outcome) = r.unwrap();
        contacts.entry(p).or_default().push((at(&when), outcome));
    }
    let mut stmt = conn
        .prepare("SELECT id, village, level, imported_on FROM person WHERE retired = 0")
        .unwrap();
    let people: Vec<(i64, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let week = date.iso_week();
    people
        .into_iter()
        .map(|(id, village, level, imported)| {
            let level = Level::parse(&level).unwrap();
            let per_week = match level {
                Level::Red => 3,
                Level::Yellow => 2,
                Level::Green => 1,
            };
            let reached: Vec<&DateTime<Utc>> = contacts
                .get(&id)
                .map(|v| {
                    v.iter()
                        .filter(|(_, o)| o != "unreachable")
                        .map(|(t, _)| t)
                        .collect()
                })
                .unwrap_or_default();
            let last = reached
                .iter()
                .filter(|t| t.with_timezone(&off).date_naive() <= date)
                .max()
                .copied();
            let next_due = match last {
                Some(l) => l.with_timezone(&off).date_naive() + Duration::days(7 / per_week),
                None => NaiveDate::parse_from_str(&imported, "%Y-%m-%d").unwrap(),
            };
            Expected {
                id,
                village,
                level,
                next_due,
                due: next_due <= date,
                overdue: next_due < date,
                week: reached
                    .iter()
                    .filter(|t| {
                        let d = t.with_timezone(&off).date_naive();
                        d.iso_week() == week && d <= date
                    })
                    .count() as i64,
                last: last.map(|l| l.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            }
        })
        .collect()
}

/// Contacts on scripted days around a week boundary, some after the asked days, some
/// unreachable, spread over many people of the demo register.
fn script(store: &mut Store, t: &Town) -> Vec<i64> {
    let ids: Vec<i64> = people::standings(store.conn(), t, at(common::NOW).date_naive())
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    let times = [
        "2026-11-20T09:00:00+08:00",
        "2026-11-22T23:59:00+08:00",
        "2026-11-23T00:01:00+08:00",
        "2026-11-24T16:30:00+08:00",
        "2026-11-25T07:00:00+08:00",
        "2026-11-26T00:00:00+08:00",
        "2026-11-27T15:59:59+08:00",
        "2026-11-29T23:59:59+08:00",
        "2026-12-01T08:00:00+08:00",
    ];
    for (k, id) in ids.iter().enumerate() {
        for (j, when) in times.iter().enumerate() {
            if (k + j) % 3 == 0 {
                let outcome = if (k * j) % 5 == 1 {
                    Outcome::Unreachable
                } else {
                    Outcome::Stable
                };
                contact(store, t, *id, outcome, at(when));
            }
        }
    }
    ids
}

#[test]
fn standings_agree_with_the_rule_computed_from_the_contacts_in_the_lists_order() {
    let (_db, mut store, t) = open();
    let ids = script(&mut store, &t);
    assert!(
        ids.len() > 20,
        "the demo register has people: {}",
        ids.len()
    );
    let place: HashMap<&str, usize> = t
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.code.as_str(), i))
        .collect();
    for day in 18..=31 {
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Duration::days(day);
        let got = people::standings(store.conn(), &t, date).unwrap();
        let mut want = expected(&store, &t, date);
        want.sort_by_key(|e| (place[e.village.as_str()], e.level, e.id));
        let got_e: Vec<Expected> = got
            .iter()
            .map(|l| Expected {
                id: l.id,
                village: l.village.clone(),
                level: l.level,
                next_due: l.next_due,
                due: l.due,
                overdue: l.overdue,
                week: l.contacts_this_week,
                last: l.last_contact.clone(),
            })
            .collect();
        assert_eq!(got_e, want, "on {date}");
        // `people due` and the rule: the same rows as the standings' due ones, whole
        let due_rows = people::due(store.conn(), &t, date).unwrap();
        let from_standings: Vec<_> = got.iter().filter(|l| l.due).cloned().collect();
        assert_eq!(due_rows, from_standings, "due on {date}");
        // the call list: the due ones, overdue first in each village, then red first
        let calls = people::call_list(store.conn(), &t, date).unwrap();
        let mut due: Vec<&Expected> = want.iter().filter(|e| e.due).collect();
        due.sort_by_key(|e| (place[e.village.as_str()], !e.overdue, e.level, e.id));
        let call_ids: Vec<i64> = calls.iter().map(|r| r.listed.id).collect();
        let due_ids: Vec<i64> = due.iter().map(|e| e.id).collect();
        assert_eq!(call_ids, due_ids, "call list on {date}");
        assert!(calls.iter().all(|r| !r.spelled.initials.is_empty()));
    }
}

#[test]
fn the_call_list_keeps_the_detail_the_lists_leave_out() {
    let (_db, store, t) = open();
    let date = at(common::NOW).date_naive();
    let calls = people::call_list(store.conn(), &t, date).unwrap();
    let first = calls.first().expect("the demo has people due");
    let p = people::person(store.conn(), first.listed.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (&first.listed.address, &first.listed.conditions),
        (&p.details.address, &p.details.conditions)
    );
    assert!(!p.details.address.is_empty());
}

#[test]
fn the_cached_call_list_is_read_again_only_when_the_day_or_the_data_changed() {
    let (_db, mut store, t) = open();
    let date = at(common::NOW).date_naive();
    let mut cache = CallListCache::default();
    let a = cache.get(store.conn(), &t, date).unwrap();
    let b = cache.get(store.conn(), &t, date).unwrap();
    assert!(Arc::ptr_eq(&a, &b), "nothing changed: the same list");
    let first = a.first().unwrap().listed.id;
    contact(&mut store, &t, first, Outcome::Stable, at(common::NOW));
    let c = cache.get(store.conn(), &t, date).unwrap();
    assert!(!Arc::ptr_eq(&b, &c), "a contact was written");
    assert!(
        c.iter().all(|r| r.listed.id != first),
        "{first} is no longer due"
    );
    assert_eq!(*c, people::call_list(store.conn(), &t, date).unwrap());
    let d = cache
        .get(store.conn(), &t, date + Duration::days(1))
        .unwrap();
    assert!(!Arc::ptr_eq(&c, &d), "another day");
    assert_eq!(
        *d,
        people::call_list(store.conn(), &t, date + Duration::days(1)).unwrap()
    );
}

#[test]
fn retiring_takes_a_person_off_the_lists_from_that_day_and_a_re_import_brings_them_back() {
    let (_db, mut store, t) = open();
    let today = at(common::NOW).date_naive();
    let overdue = people::standings(store.conn(), &t, today)
        .unwrap()
        .into_iter()
        .find(|l| l.overdue)
        .unwrap();
    let count = |store: &Store| {
        people::overdue_by_village(store.conn(), &t, today)
            .unwrap()
            .into_iter()
            .find(|(v, _, _)| *v == overdue.village)
            .map_or(0, |(_, n, _)| n)
    };
    let week_people = |store: &Store, date: NaiveDate| {
        people::week(store.conn(), &t, date.iso_week())
            .unwrap()
            .into_iter()
            .find(|r| r.code == overdue.village && r.level == overdue.level)
            .map_or(0, |r| r.people)
    };
    let last_week = today - Duration::days(7);
    let (n, this_w, last_w) = (
        count(&store),
        week_people(&store, today),
        week_people(&store, last_week),
    );
    let lead = "冉小东";
    let retire = |store: &mut Store, op: &str, reason: &str| {
        store.write(&ctx(op, common::now()), |w| {
            people::retire(w, &t, overdue.id, reason)
        })
    };
    assert!(
        retire(&mut store, OFFICER, "moved").is_err(),
        "not an officer's"
    );
    assert!(
        retire(&mut store, lead, " \u{7} ").is_err(),
        "a reason is needed"
    );
    let p = retire(&mut store, lead, "moved\u{1b}[31m away").unwrap();
    assert_eq!(p.id, overdue.id);
    assert!(
        retire(&mut store, lead, "again").is_err(),
        "already retired"
    );
    assert_eq!(count(&store), n - 1);
    assert_eq!(week_people(&store, today), this_w - 1);
    assert_eq!(week_people(&store, last_week), last_w);
    let calls = people::call_list(store.conn(), &t, today).unwrap();
    assert!(calls.iter().all(|r| r.listed.id != overdue.id));
    let all = people::standings_of(store.conn(), &t, today, true).unwrap();
    let kept = all.iter().find(|l| l.id == overdue.id).unwrap();
    assert!(kept.retired && !kept.due && !kept.overdue);
    let (on, reason): (String, String) = store
        .conn()
        .query_row(
            "SELECT retired_on, retired_reason FROM person WHERE id = ?1",
            [overdue.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((on.as_str(), reason.as_str()), ("2026-11-26", "moved away"));
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'people.retire' AND subject = ?1",
            [format!("person:{}", overdue.id)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    // the same person in a file again: back on the register, said by the summary
    let p = people::person(store.conn(), overdue.id).unwrap().unwrap();
    let row = duty_desk::domain::people::csv::NewPerson {
        line: 2,
        details: p.details.clone(),
    };
    let sum = store
        .write(&ctx(lead, common::now()), |w| people::import(w, &t, &[row]))
        .unwrap();
    assert_eq!((sum.updated, sum.restored), (1, 1));
    // (this first real register retires the demo's invented people: only they are left)
    assert!(sum.demo_retired > 0);
    assert_eq!(count(&store), 1);
    assert_eq!(week_people(&store, today), 1);
    let back = people::standings(store.conn(), &t, today).unwrap();
    assert_eq!(back.iter().map(|l| l.id).collect::<Vec<_>>(), [overdue.id]);
    assert!(back[0].overdue && !back[0].retired);
}

#[test]
fn a_demo_person_in_the_first_real_register_is_kept_but_not_said_to_be_back() {
    let (_db, mut store, t) = open();
    let today = at(common::NOW).date_naive();
    let first = people::standings(store.conn(), &t, today).unwrap()[0].id;
    let p = people::person(store.conn(), first).unwrap().unwrap();
    let row = duty_desk::domain::people::csv::NewPerson {
        line: 2,
        details: p.details.clone(),
    };
    let sum = store
        .write(&ctx("冉小东", common::now()), |w| {
            people::import(w, &t, &[row])
        })
        .unwrap();
    assert!(sum.demo_retired > 1);
    assert_eq!((sum.updated, sum.restored), (1, 0), "{sum:?}");
    let ids: Vec<i64> = people::standings(store.conn(), &t, today)
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, [first]);
}

#[test]
fn the_reports_follow_up_keeps_a_retired_person_in_the_weeks_before_as_people_week_does() {
    use duty_desk::domain::people::week_of;
    use duty_desk::store::reports;
    let (_db, mut store, t) = open();
    let today = at(common::NOW).date_naive();
    let first = people::standings(store.conn(), &t, today).unwrap()[0].clone();
    store
        .write(&ctx("冉小东", common::now()), |w| {
            people::retire(w, &t, first.id, "moved")
        })
        .unwrap();
    let people_in = |rows: &[duty_desk::domain::people::WeekRow]| {
        rows.iter()
            .find(|r| r.code == first.village && r.level == first.level)
            .map_or(0, |r| r.people)
    };
    for back in 0..21 {
        let date = today - Duration::days(back);
        let r = reports::daily_report(store.conn(), &t, date).unwrap();
        let want = people::week(store.conn(), &t, week_of(date)).unwrap();
        assert_eq!(r.follow_up.1, want, "{date}");
    }
    let this_week = people::week(store.conn(), &t, week_of(today)).unwrap();
    let last_week = people::week(store.conn(), &t, week_of(today - Duration::days(7))).unwrap();
    assert_eq!(people_in(&last_week), people_in(&this_week) + 1);
}
