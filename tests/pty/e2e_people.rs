//! End to end in a pseudo-terminal (issue 15): on the Key populations screen, find a
//! red-level person by the pinyin initials of their name, record *worse*, and dispatch the
//! transport request the console prefilled from the call.

use crate::common;

use std::time::Duration;

use common::pty::Pty;
use duty_desk::domain::people::Level;
use duty_desk::domain::people::search::matches;
use duty_desk::store::{Store, people, town};

const RIGHT: &str = "\x1b[C";

/// A red-level person due today whom their initials alone put first on the call list:
/// (id, name, age, initials). Read from a demo built at the same clock as the console's.
fn red_person() -> (i64, String, i64, String) {
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let t = town::load(store.conn()).unwrap();
    let list = people::call_list(
        store.conn(),
        &t,
        common::now().with_timezone(&t.info.offset).date_naive(),
    )
    .unwrap();
    list.iter()
        .filter(|r| r.listed.level == Level::Red)
        .find(|r| {
            let first = list.iter().find(|x| {
                let v = t.village(&x.listed.village).unwrap();
                matches(
                    &r.spelled.initials,
                    &x.listed.name,
                    &x.spelled,
                    &[&v.code, &v.name, &v.name_en],
                )
            });
            first.map(|x| x.listed.id) == Some(r.listed.id)
        })
        .map(|r| {
            (
                r.listed.id,
                r.listed.name.clone(),
                r.listed.age,
                r.spelled.initials.clone(),
            )
        })
        .expect("a red-level person found first by their initials")
}

#[test]
fn find_a_red_level_person_by_initials_record_worse_and_dispatch() {
    let (id, name, age, initials) = red_person();
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Qingshi Town");
    p.send("6");
    p.expect("Due today: 44");
    p.send("/");
    p.send(&initials);
    p.send("\r");
    // the person is selected: whole in the detail lines
    p.expect(&format!("#{id} {name}"));
    // Enter: the contact form; Tab to the outcome, 2 = worse, a note, Enter saves
    p.send("\r");
    p.expect("Contact with");
    p.send("\t2\t");
    p.send("气促加重\r");
    // the Fleet screen opens with the request form prefilled from the call
    p.expect("New transport request");
    p.expect(&name);
    p.expect(&age.to_string());
    p.expect("Contact #");
    // severity: Tab to it (caller, patient, age, village, severity), one step = critical
    p.send("\t\t\t\t");
    p.send(RIGHT);
    p.send("\r");
    p.expect("Transport request #5 recorded.");
    p.expect("#5 suggested:");
    // Enter opens the request, whose Enter dispatches the suggestion
    p.send("\r");
    p.expect("Transport #5");
    p.send("\r");
    p.expect("dispatched.");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
