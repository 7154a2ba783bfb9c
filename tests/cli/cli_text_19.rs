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
