//! Command-line text (issue 19, item 8): `transport list` printed UTC (`…Z`) for a +08:00
//! town, had no header row, and step confirmations used status codes.

use crate::common;

fn text(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn transport_list_has_a_header_and_town_local_times_in_both_languages() {
    let db = common::demo_db();
    let json = text(common::cli(&db.path).args(["transport", "list", "--all", "--format", "json"]));
    let en = text(common::cli(&db.path).args(["transport", "list", "--all"]));
    let lines: Vec<&str> = en.lines().collect();
    assert!(lines[0].starts_with("#"), "{en}");
    assert!(
        lines[0].contains("Status") && lines[0].contains("Requested (UTC+08:00)"),
        "{en}"
    );
    // each row's time is its stored instant moved to +08:00
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for t in v.as_array().unwrap() {
        let at = chrono::DateTime::parse_from_rfc3339(t["requested_at"].as_str().unwrap()).unwrap();
        let local = at
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert!(
            !en.contains(t["requested_at"].as_str().unwrap()),
            "UTC stamp: {en}"
        );
        let id = format!("#{:<5}", t["id"]);
        let row = lines.iter().find(|l| l.starts_with(&id)).unwrap();
        assert!(row.ends_with(&local), "{row} vs {local}");
    }
    let zh =
        text(
            common::cli(&db.path)
                .env("LANG", "zh_CN.UTF-8")
                .args(["transport", "list", "--all"]),
        );
    assert!(
        zh.lines().next().unwrap().contains("申请时间（UTC+08:00）"),
        "{zh}"
    );
    assert!(!zh.contains("en_route"), "{zh}");
}

#[test]
fn a_step_is_confirmed_by_its_display_name() {
    let db = common::demo_db();
    // #3 is en route in the demo: next it is on scene
    let out = text(common::cli(&db.path).args(["transport", "advance", "3", "on_scene"]));
    assert!(out.contains("is now on scene"), "{out}");
    assert!(!out.contains("on_scene"), "{out}");
}

fn zh(mut cmd: assert_cmd::Command) -> assert_cmd::Command {
    cmd.env("LANG", "zh_CN.UTF-8");
    cmd
}

/// The display column at which `needle` starts in `line`.
fn col(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {line}"));
    unicode_width::UnicodeWidthStr::width(&line[..at])
}

#[test]
fn vehicles_has_a_header_row_in_both_languages_and_its_json_is_unchanged() {
    let db = common::demo_db();
    let en = text(common::cli(&db.path).arg("vehicles"));
    let head = en.lines().next().unwrap();
    for c in ["Code", "Status", "Base", "Driver", "Phone", "Trip/reason"] {
        assert!(head.contains(c), "{head}");
    }
    let amb1 = en.lines().find(|l| l.starts_with("AMB1")).unwrap();
    assert_eq!(col(head, "Status"), 7, "{head}");
    assert_eq!(col(head, "Base"), 22, "{head}");
    assert!(amb1.contains("#3"), "{amb1}");
    let z = text(zh(common::cli(&db.path)).arg("vehicles"));
    let head = z.lines().next().unwrap();
    assert!(head.contains("编号") && head.contains("驾驶员"), "{head}");
    // the JSON is the list itself, no header
    let json = text(common::cli(&db.path).args(["vehicles", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 15);
    assert!(v[0].get("code").is_some() && v[0].get("status").is_some());
}

#[test]
fn escalation_list_has_a_header_row_town_times_and_durations_in_words() {
    let db = common::demo_db();
    let en = text(common::cli(&db.path).args(["escalation", "list"]));
    let lines: Vec<&str> = en.lines().collect();
    let head = lines[0];
    assert!(head.contains("Deadline (UTC+08:00)"), "{en}");
    for c in ["Kind", "State", "Place", "Title"] {
        assert!(head.contains(c), "{head}");
    }
    // the columns line up: each row's kind starts under "Kind"
    let kind_col = col(head, "Kind");
    for row in &lines[1..] {
        let w = unicode_width::UnicodeWidthStr::width(*row);
        assert!(w > kind_col, "{row}");
    }
    let overdue = lines.iter().find(|l| l.contains("overdue")).unwrap();
    assert!(
        overdue.contains("Concern") || overdue.contains("Referral") || overdue.contains("Other"),
        "{overdue}"
    );
    let z = text(zh(common::cli(&db.path)).args(["escalation", "list"]));
    let zl: Vec<&str> = z.lines().collect();
    assert!(zl[0].contains("时限（UTC+08:00）"), "{z}");
    // durations through the catalogue: no ASCII `12m` / `3h05m` in Chinese
    let ascii = regex_lite(&z);
    assert!(ascii.is_empty(), "{ascii:?} in {z}");
    // the JSON has no header and keeps its fields
    let json = text(common::cli(&db.path).args(["escalation", "list", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.as_array().unwrap().iter().all(|e| e.get("due").is_some()));
}

/// ASCII durations such as `12m`, `3h05m` or `2d04h` in `s`.
fn regex_lite(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_alphanumeric())
                && w.chars().next().is_some_and(|c| c.is_ascii_digit())
                && (w.ends_with('m') || w.ends_with('h') || w.ends_with('s'))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn log_list_has_a_header_row_and_town_local_times_in_both_languages() {
    let db = common::demo_db();
    let en = text(common::cli(&db.path).args(["log", "list"]));
    let lines: Vec<&str> = en.lines().collect();
    let head = lines[0];
    assert!(head.contains("Time (UTC+08:00)"), "{en}");
    for c in ["Kind", "By", "Entry"] {
        assert!(head.contains(c), "{head}");
    }
    let json = text(common::cli(&db.path).args(["log", "list", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let off = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let entry_col = col(head, "Entry");
    for (e, row) in v.as_array().unwrap().iter().zip(&lines[1..]) {
        let at = chrono::DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap();
        let local = at.with_timezone(&off).format("%m-%d %H:%M").to_string();
        assert!(row.contains(&local), "{row} vs {local}");
        assert!(
            row.starts_with(&format!("{:>5}", e["id"].as_i64().unwrap())),
            "{row}"
        );
        // each row's text starts under "Entry"
        let text = e["text"].as_str().unwrap();
        let start: String = text.chars().take(6).collect();
        if e["amends"].is_null() && !start.contains('\n') {
            assert_eq!(col(row, &start), entry_col, "{row}");
        }
    }
    let z = text(zh(common::cli(&db.path)).args(["log", "list"]));
    assert!(
        z.lines().next().unwrap().contains("时间（UTC+08:00）"),
        "{z}"
    );
}
