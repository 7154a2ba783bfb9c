use chrono::NaiveDate;

use super::csv::{HEADER, parse};
use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn each_level_has_its_interval_and_next_due() {
    let c = Cadence::default();
    assert_eq!(
        Level::ALL.map(|l| (c.required(l), c.interval_days(l))),
        [(3, 2), (2, 3), (1, 7)]
    );
    let last = Some(d("2026-11-20"));
    let imported = d("2026-11-01");
    assert_eq!(next_due(&c, Level::Red, last, imported), d("2026-11-22"));
    assert_eq!(next_due(&c, Level::Yellow, last, imported), d("2026-11-23"));
    assert_eq!(next_due(&c, Level::Green, last, imported), d("2026-11-27"));
}

#[test]
fn never_contacted_is_due_on_the_import_date_and_overdue_after() {
    let c = Cadence::default();
    let imported = d("2026-11-26");
    for l in Level::ALL {
        let s = standing(&c, l, None, imported, d("2026-11-26"));
        assert_eq!(s.next_due, imported);
        assert!(s.due && !s.overdue, "{l:?} on the import day");
        let s = standing(&c, l, None, imported, d("2026-11-27"));
        assert!(s.due && s.overdue, "{l:?} the day after");
        let s = standing(&c, l, None, imported, d("2026-11-25"));
        assert!(!s.due && !s.overdue, "{l:?} before the import");
    }
}

#[test]
fn contacted_today_is_not_due_until_the_interval_has_passed() {
    let c = Cadence::default();
    let today = d("2026-11-26");
    let s = standing(&c, Level::Red, Some(today), d("2026-11-01"), today);
    assert_eq!(s.next_due, d("2026-11-28"));
    assert!(!s.due && !s.overdue);
    let s = standing(
        &c,
        Level::Red,
        Some(today),
        d("2026-11-01"),
        d("2026-11-28"),
    );
    assert!(s.due && !s.overdue, "due on the day, not overdue");
    let s = standing(
        &c,
        Level::Red,
        Some(today),
        d("2026-11-01"),
        d("2026-11-29"),
    );
    assert!(s.overdue);
}

#[test]
fn an_unreachable_call_is_not_a_contact() {
    assert!(!Outcome::Unreachable.counts());
    for o in [Outcome::Stable, Outcome::Worse, Outcome::Referred] {
        assert!(o.counts(), "{o:?}");
    }
    assert!(Outcome::Worse.concerns_red() && Outcome::Unreachable.concerns_red());
    assert!(!Outcome::Stable.concerns_red() && !Outcome::Referred.concerns_red());
}

#[test]
fn town_settings_change_the_interval_and_are_held_in_bounds() {
    let c = Cadence {
        red_per_week: 7,
        yellow_per_week: 4,
        green_per_week: 2,
    };
    assert_eq!(c.interval_days(Level::Red), 1);
    assert_eq!(c.interval_days(Level::Yellow), 1);
    assert_eq!(c.interval_days(Level::Green), 3);
    let wild = Cadence {
        red_per_week: 0,
        yellow_per_week: 99,
        green_per_week: -3,
    };
    assert_eq!(wild.required(Level::Red), 1);
    assert_eq!(wild.interval_days(Level::Yellow), 1);
    assert_eq!(wild.interval_days(Level::Green), 7);
}

#[test]
fn weeks_run_monday_to_sunday_and_2026_has_a_week_53() {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday
    assert_eq!(week_label(week_of(d("2026-11-29"))), "2026-W48");
    assert_eq!(week_label(week_of(d("2026-11-30"))), "2026-W49");
    let w53 = parse_week("2026-W53").unwrap();
    assert_eq!(week_days(w53), Some((d("2026-12-28"), d("2027-01-03"))));
    assert_eq!(week_label(week_of(d("2027-01-03"))), "2026-W53");
    assert_eq!(week_label(week_of(d("2027-01-04"))), "2027-W01");
    assert!(parse_week("2027-W53").is_none(), "2027 has 52 weeks");
    for bad in ["2026-53", "2026W05", "26-W05", "2026-W", "2026-W123", "x"] {
        assert!(parse_week(bad).is_none(), "{bad}");
    }
}

#[test]
fn week_rows_sum_by_village_and_level_red_first() {
    let c = Cadence::default();
    let order = vec!["V01".to_string(), "V02".to_string()];
    let rows = week_rows(
        &c,
        &order,
        vec![
            ("V02".to_string(), Level::Green, 1),
            ("V01".to_string(), Level::Yellow, 0),
            ("V01".to_string(), Level::Red, 2),
            ("V01".to_string(), Level::Red, 4),
        ],
    );
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.code.as_str(), r.level, r.people, r.required, r.done))
        .collect();
    assert_eq!(
        got,
        vec![
            ("V01", Level::Red, 2, 6, 6),
            ("V01", Level::Yellow, 1, 2, 0),
            ("V02", Level::Green, 1, 1, 1),
        ]
    );
}

#[test]
fn names_read_both_ways() {
    assert_eq!(Level::parse("RED"), Some(Level::Red));
    assert_eq!(Level::parse("黄"), Some(Level::Yellow));
    assert_eq!(Level::parse("blue"), None);
    assert_eq!(Sex::parse("女"), Some(Sex::Female));
    assert_eq!(Sex::parse("male"), Some(Sex::Male));
    assert_eq!(Method::parse("visit"), Some(Method::Visit));
    assert_eq!(Outcome::parse("referred"), Some(Outcome::Referred));
}

fn village(s: &str) -> Option<String> {
    match s {
        "V01" | "青龙村" => Some("V01".into()),
        _ => None,
    }
}

#[test]
fn a_good_register_parses() {
    let text = format!(
        "{HEADER}\nV01,张三,72,男,13800001111,一组,高血压,red,李干部,王医生\n青龙村,李四,80,,,二组,,green,,\n"
    );
    let people = parse(&text, &village).unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].line, 2);
    assert_eq!(people[0].details.sex, Some(Sex::Male));
    assert_eq!(people[1].details.village, "V01");
    assert_eq!(people[1].details.phone, "");
    assert_eq!(people[1].details.level, Level::Green);
}

#[test]
fn every_problem_is_named_by_line_and_column() {
    let text = format!(
        "{HEADER}\n\
         V99,张三,72,男,13800001111,,,red,,\n\
         V01,,72,男,13800001111,,,red,,\n\
         V01,王五,131,男,13800001111,,,red,,\n\
         V01,赵六,70,x,13800001111,,,red,,\n\
         V01,钱七,70,女,abc,,,red,,\n\
         V01,孙八,70,女,13800002222,,,purple,,\n\
         V01,周九,70,女,13800003333,,,red,,\n\
         V01,周九,70,女,13800003333,,,red,,\n\
         V01,吴\u{1b}[31m十,70,女,13800004444,,,red,,\n\
         V01,郑一,70\n"
    );
    let problems = parse(&text, &village).unwrap_err();
    let got: Vec<(u64, &str, &str)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_str(), p.msg.key.as_ref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "village", "err.unknown_village"),
            (3, "name", "err.required"),
            (4, "age", "people.err.age"),
            (5, "sex", "people.err.sex"),
            (6, "phone", "people.err.phone"),
            (7, "level", "people.err.level"),
            (9, "name", "people.err.duplicate"),
            (10, "name", "people.err.control"),
            (11, "-", "csv.err.cell_count"),
        ]
    );
}

#[test]
fn a_wrong_header_is_one_problem_on_line_1() {
    let problems = parse("village,name,age\nV01,a,1\n", &village).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].msg.key.as_ref()),
        (1, "people.err.header")
    );
}

#[test]
fn week_rows_from_groups_equal_week_rows_from_people() {
    let c = Cadence::default();
    let order = vec!["V01".to_string(), "V02".to_string(), "V01".to_string()];
    let people = vec![
        ("V02".to_string(), Level::Green, 1),
        ("V01".to_string(), Level::Yellow, 0),
        ("V01".to_string(), Level::Red, 2),
        ("V01".to_string(), Level::Red, 4),
        // villages not in the order share a row per level, named by the first seen
        ("X9".to_string(), Level::Red, 1),
        ("X8".to_string(), Level::Red, 3),
        ("X8".to_string(), Level::Green, 0),
    ];
    // grouped as the query groups them, in the order of each group's first person (the
    // query orders its groups by their smallest person id, people are read by id)
    let mut groups: Vec<(String, Level, i64, i64)> = Vec::new();
    for (v, l, d) in &people {
        match groups.iter_mut().find(|g| g.0 == *v && g.1 == *l) {
            Some(g) => {
                g.2 += 1;
                g.3 += d;
            }
            None => groups.push((v.clone(), *l, 1, *d)),
        }
    }
    let grouped = week_rows_grouped(&c, &order, groups);
    let each = week_rows(&c, &order, people);
    assert_eq!(grouped, each);
    assert_eq!(each.len(), 5, "{each:?}");
}

/// Found by the review of the round's change: the register's line numbers took the other
/// imports' byte-offset rule with `<` where they have `<=`, so in a spreadsheet saved with
/// CRLF line ends every problem was named one line early.
#[test]
fn a_crlf_registers_problems_are_named_on_their_own_lines() {
    let village = |v: &str| (v == "V01").then(|| "V01".to_string());
    for eol in ["\n", "\r\n"] {
        let text = [
            HEADER,
            "V01,甲,70,男,,,,red,李,王",
            "V01,乙,70,男,,,,purple,李,王",
            "V01,丙,70,男,,,,green,李,王",
            "V99,丁,70,男,,,,green,李,王",
        ]
        .join(eol);
        let problems = parse(&text, &village).unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 5], "line ends {eol:?}: {problems:?}");
    }
}
