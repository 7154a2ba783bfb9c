//! Privacy: patients' names and drivers' phones are masked in the console's lists and on
//! the board, whole in the detail lines; the handover export carries no patient names
//! unless `--with-names`; the database and its WAL/SHM are readable by the owner only.
use crate::common;

use std::os::unix::fs::PermissionsExt;

use crossterm::event::KeyCode;
use duty_desk::app::Screen;
use duty_desk::i18n::Lang;

#[test]
fn the_fleet_lists_mask_names_and_phones_and_the_detail_shows_them_whole() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Fleet);
    let screen = common::render(&m, 120, 36);
    // the queue: 余桂芳 (waiting, selected), 熊光明, 曹玉兰
    for masked in ["余*芳", "熊*明", "曹*兰"] {
        assert!(screen.contains(masked), "{masked}\n{screen}");
    }
    assert!(!screen.contains("熊光明"), "{screen}");
    assert!(!screen.contains("曹光兰"), "{screen}");
    // the selected request's detail line names the patient whole
    assert!(screen.contains("Patient 余桂芳"), "{screen}");
    // the board: no driver's phone whole (the demo's are 11-digit mobiles)
    let s = m.snapshot.as_ref().unwrap();
    for v in &s.vehicles {
        if v.phone.len() >= 8 && v.transport.is_none() {
            assert!(
                !screen.contains(&v.phone),
                "{} shown whole\n{screen}",
                v.phone
            );
        }
    }
    assert!(screen.contains("****"), "{screen}");
    // the selected trip's detail keeps its driver's phone whole (to call them)
    common::key(&mut m, KeyCode::Down);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Patient 熊光明"), "{screen}");
}

#[test]
fn the_handover_shows_masked_names_on_screen() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Shiftlog);
    let screen = common::render(&m, 160, 50);
    assert!(screen.contains("余*芳"), "{screen}");
    assert!(!screen.contains("余桂芳"), "{screen}");
}

#[test]
fn handover_export_carries_no_names_unless_asked() {
    let db = common::demo_db();
    for format in ["md", "json"] {
        let out = common::cli(&db.path)
            .args(["handover", "show", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for (whole, masked) in [
            ("余桂芳", "余*芳"),
            ("熊光明", "熊*明"),
            ("曹玉兰", "曹*兰"),
        ] {
            assert!(!text.contains(whole), "{format}: {whole}\n{text}");
            // Markdown escapes the mask's `*` so it cannot start emphasis
            let masked = if format == "md" {
                masked.replace('*', "\\*")
            } else {
                masked.to_string()
            };
            assert!(text.contains(&masked), "{format}: {masked}\n{text}");
        }
        let out = common::cli(&db.path)
            .args(["handover", "show", "--with-names", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("余桂芳"), "{format}\n{text}");
    }
    // the daily report holds figures only: no patient's name in any format
    for format in ["text", "md", "csv", "json"] {
        let out = common::cli(&db.path)
            .args(["report", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for name in ["余桂芳", "熊光明", "曹玉兰"] {
            assert!(!text.contains(name), "{format}: {name}");
        }
    }
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_database_and_its_wal_are_owner_only_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    // a permissive umask for the child: the modes must not depend on it
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" --db \"$1\" init --demo")
        .arg(env!("CARGO_BIN_EXE_duty-desk"))
        .arg(&db)
        .env("DUTY_DESK_NOW", common::NOW)
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&db), 0o600);
    // while a connection is open the WAL and SHM exist: owner only too
    let store = duty_desk::store::Store::open(&db).unwrap();
    for suffix in ["-wal", "-shm"] {
        let p = dir.path().join(format!("duty.db{suffix}"));
        assert!(p.exists(), "{suffix}");
        assert_eq!(mode(&p), 0o600, "{suffix}");
    }
    drop(store);
    // a file someone loosened is tightened again on open
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(duty_desk::store::Store::open(&db).unwrap());
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn the_transport_list_masks_patients_unless_asked() {
    let db = common::demo_db();
    let masked = common::cli(&db.path)
        .args(["transport", "list"])
        .assert()
        .success();
    let text = String::from_utf8(masked.get_output().stdout.clone()).unwrap();
    assert!(text.contains("余*芳"), "{text}");
    assert!(!text.contains("余桂芳"), "{text}");
    let whole = common::cli(&db.path)
        .args(["transport", "list", "--with-names"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&whole.get_output().stdout).contains("余桂芳"));
}
