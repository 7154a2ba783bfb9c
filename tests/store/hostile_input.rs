//! Hostile input: the parsers never panic, and every rejection carries a message.

use duty_desk::domain::report::parse_cell;
use duty_desk::domain::report_csv;
use duty_desk::domain::time::{parse_date, parse_due, parse_duration, parse_hhmm, parse_offset};
use duty_desk::domain::town::parse_town;
use duty_desk::i18n::Lang;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[0-9a-zA-Z:,+\\- \r\n\u{feff}\"]{0,80}",
        "[\u{4e00}-\u{4e20}0-9,\n]{0,40}",
    ]
}

proptest! {
    // the saved failures stay beside this file (proptest's default would look for
    // `tests/proptest-regressions/hostile_input.txt`, as tests/store/ has a main.rs)
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions"
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn report_csv_never_panics_and_explains(text in any_text()) {
        let with_header = format!("{}\n{text}", report_csv::HEADER);
        for t in [text.as_str(), with_header.as_str()] {
            if let Err(problems) = report_csv::parse(t) {
                prop_assert!(!problems.is_empty());
                for p in problems {
                    prop_assert!(!p.msg.render(Lang::En).trim().is_empty());
                    prop_assert!(!p.msg.render(Lang::Zh).trim().is_empty());
                    prop_assert!(!p.column.is_empty());
                }
            }
        }
    }

    #[test]
    fn report_rows_with_garbage_cells_are_rejected_with_a_message(
        cells in proptest::collection::vec(any_text(), 10)
    ) {
        let line: Vec<String> = cells.iter().map(|c| c.replace([',', '\n', '\r', '"'], "")).collect();
        let text = format!("{}\n{}\n", report_csv::HEADER, line.join(","));
        if let Ok(rows) = report_csv::parse(&text) {
            for r in rows {
                for c in &r.cells {
                    if let Err(m) = parse_cell(c) {
                        prop_assert!(m.render(Lang::En).contains("whole number"));
                    }
                }
            }
        }
    }

    #[test]
    fn town_files_never_panic_and_name_a_key(text in any_text()) {
        if let Err(problems) = parse_town(&text) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(!p.key.is_empty());
                prop_assert!(!p.msg.render(Lang::Zh).trim().is_empty());
            }
        }
    }

    #[test]
    fn town_file_values_of_the_wrong_type_name_their_key(
        value in prop_oneof![Just("-1".to_string()), Just("\"x\"".to_string()), Just("1.5".to_string()), Just("[]".to_string()), Just("{}".to_string()), Just("true".to_string())]
    ) {
        let text = format!(
            "[town]\nname = \"t\"\n[[health_center]]\ncode = \"H\"\nname = \"h\"\n[[village]]\ncode = \"V\"\nname = \"v\"\npopulation = {value}\nhealth_center = \"H\"\n"
        );
        let problems = parse_town(&text).unwrap_err();
        prop_assert!(problems.iter().any(|p| p.key == "village[1].population"));
    }

    #[test]
    fn times_and_durations_never_panic(text in any_text()) {
        let now = chrono::Utc::now();
        let off = parse_offset("+08:00").unwrap();
        let _ = parse_duration(&text);
        let _ = parse_due(&text, now, off);
        let _ = parse_hhmm(&text);
        let _ = parse_date(&text);
        let _ = parse_offset(&text);
        let _ = parse_cell(&text);
    }

    #[test]
    fn durations_round_trip(h in 0i64..1000, m in 0i64..59) {
        prop_assume!(h + m > 0);
        let text = format!("{h}h{m}m");
        prop_assert_eq!(parse_duration(&text), Some(chrono::Duration::minutes(h * 60 + m)));
    }
}
