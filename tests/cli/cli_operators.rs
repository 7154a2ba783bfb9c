//! Operators on the command line are who they say they are (issue 13): sessions for
//! operators with a PIN, the lockout, the set-pin rules, trimmed names, the message for a
//! write with no operator, `require_pin`, the town file's staff names, and `audit list`.
use crate::common;

use std::path::{Path, PathBuf};

use common::DUTY_LEADER;

const LEADER_PIN: &str = "1357";
const OFFICER: &str = "何丽君";
const LEADER2: &str = "谭慧敏";

/// A database in its own directory, with its own runtime directory for session files.
struct Desk {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Desk {
    fn copy_of(src: &Path) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("duty.db");
        std::fs::copy(src, &db).unwrap();
        std::fs::create_dir(dir.path().join("run")).unwrap();
        std::fs::write(
            dir.path().join("v04.csv"),
            "date,village,new_infections,cumulative_infections,outpatients,inpatients,severe,deaths,emergency_visits,referrals\n\
             2026-11-26,V04,9,600,10,2,1,0,1,0\n",
        )
        .unwrap();
        Desk { dir, db }
    }

    /// The CLI on this desk as `operator`, sessions kept in this desk's runtime directory.
    fn cli(&self, operator: &str) -> assert_cmd::Command {
        let mut c = common::cli(&self.db);
        c.current_dir(self.dir.path())
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env_remove("SUDO_USER")
            .args(["--operator", operator]);
        c
    }

    fn login(&self, operator: &str, pin: &str) -> assert_cmd::assert::Assert {
        self.cli(operator)
            .args(["login", "--pin-stdin"])
            .write_stdin(format!("{pin}\n"))
            .assert()
    }

    fn audit_rows(&self) -> i64 {
        let c = rusqlite::Connection::open(&self.db).unwrap();
        c.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
            .unwrap()
    }

    fn actions(&self, action: &str) -> i64 {
        let c = rusqlite::Connection::open(&self.db).unwrap();
        c.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    }
}

/// The demo town with a signed day to reopen and the duty leader's PIN set.
fn base() -> common::DemoDb {
    let base = common::demo_db();
    common::cli(&base.path)
        .args(["report", "sign", "--date", "2026-11-25"])
        .assert()
        .code(0);
    common::cli(&base.path)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin(format!("{LEADER_PIN}\n"))
        .assert()
        .code(0);
    base
}

/// Every writing command, as the duty leader may run it.
fn writes() -> Vec<Vec<&'static str>> {
    vec![
        vec!["import", "reports", "v04.csv"],
        vec!["import", "reports", "--dry-run", "v04.csv"],
        vec!["report", "sign", "--reason", "V04 road closed"],
        vec!["report", "note", "fever clinic visits falling"],
        vec![
            "report",
            "reopen",
            "--date",
            "2026-11-25",
            "--reason",
            "late fix",
        ],
        vec![
            "transport",
            "request",
            "--village",
            "V01",
            "--patient",
            "王五",
            "--severity",
            "stable",
            "--to",
            "HC1",
        ],
        vec!["transport", "dispatch", "4"],
        vec!["transport", "advance", "3", "on_scene"],
        vec!["transport", "service", "RC01", "out", "--reason", "tyre"],
        vec![
            "escalation",
            "add",
            "--kind",
            "concern",
            "--title",
            "t",
            "--due",
            "2h",
        ],
        vec!["escalation", "ack", "1"],
        vec!["escalation", "resolve", "1", "--note", "done"],
        vec![
            "stock",
            "set",
            "--place",
            "HC1",
            "--item",
            "drug_packs",
            "--quantity",
            "5000",
        ],
        vec!["log", "add", "checked AMB2"],
        vec!["handover", "notes", "all quiet"],
        vec!["handover", "sign", "--incoming", "陈思远"],
        vec!["staff", "set-pin", "陈思远"],
    ]
}

fn refused_for_session(out: &std::process::Output) -> bool {
    let err = String::from_utf8_lossy(&out.stderr);
    out.status.code() == Some(4) && err.contains("login")
}

#[test]
fn every_write_needs_a_session_for_an_operator_with_a_pin() {
    let base = base();
    let later = "2026-11-26T23:31:00+08:00"; // 13 h after NOW: past the 12 h session
    let mut failures = Vec::new();
    for args in writes() {
        let stdin = if args[0] == "staff" { "4821\n" } else { "" };
        let run = |desk: &Desk, now: Option<&str>| {
            let mut c = desk.cli(DUTY_LEADER);
            if let Some(t) = now {
                c.env("DUTY_DESK_NOW", t);
            }
            c.args(&args).write_stdin(stdin).output().unwrap()
        };
        // without a session: refused, nothing written
        let desk = Desk::copy_of(&base.path);
        let before = desk.audit_rows();
        let out = run(&desk, None);
        if !refused_for_session(&out) || desk.audit_rows() != before {
            failures.push(format!("{args:?} without a session: {out:?}"));
        }
        // with one: done
        desk.login(DUTY_LEADER, LEADER_PIN).code(0);
        let out = run(&desk, None);
        // (handover sign's own rules may refuse for reasons of its own, never for identity)
        let done = if args[1] == "sign" && args[0] == "handover" {
            !refused_for_session(&out)
        } else {
            out.status.success()
        };
        if !done {
            failures.push(format!("{args:?} with a session: {out:?}"));
        }
        // after logout: refused again
        let desk = Desk::copy_of(&base.path);
        desk.login(DUTY_LEADER, LEADER_PIN).code(0);
        desk.cli(DUTY_LEADER).arg("logout").assert().code(0);
        let before = desk.audit_rows();
        let out = run(&desk, None);
        if !refused_for_session(&out) || desk.audit_rows() != before {
            failures.push(format!("{args:?} after logout: {out:?}"));
        }
        // after the session expired: refused
        let out = {
            desk.login(DUTY_LEADER, LEADER_PIN).code(0);
            let before = desk.audit_rows();
            let out = run(&desk, Some(later));
            if desk.audit_rows() != before {
                failures.push(format!("{args:?} after expiry wrote"));
            }
            out
        };
        if !refused_for_session(&out) {
            failures.push(format!("{args:?} after expiry: {out:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_session_is_for_its_operator_only_and_an_edited_file_proves_nothing() {
    let base = base();
    let desk = Desk::copy_of(&base.path);
    // the officer gets a PIN and a session; the leader's name cannot borrow it
    desk.cli(OFFICER)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("2468\n")
        .assert()
        .code(0);
    desk.login(OFFICER, "2468").code(0);
    desk.cli(OFFICER).args(["log", "add", "x"]).assert().code(0);
    let out = desk
        .cli(DUTY_LEADER)
        .args(["log", "add", "x"])
        .output()
        .unwrap();
    assert!(refused_for_session(&out), "{out:?}");
    // rewriting the operator in the session file changes nothing: the database knows
    let run = desk.dir.path().join("run").join("duty-desk");
    let file = std::fs::read_dir(&run)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = std::fs::metadata(&run).unwrap().permissions().mode();
        assert_eq!(dmode & 0o777, 0o700);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("2468"), "the PIN is never in the file");
    std::fs::write(&file, text.replace(OFFICER, DUTY_LEADER)).unwrap();
    let out = desk
        .cli(DUTY_LEADER)
        .args(["log", "add", "x"])
        .output()
        .unwrap();
    assert!(refused_for_session(&out), "{out:?}");
    // a made-up token is no session either
    std::fs::write(
        &file,
        format!(
            r#"{{"operator":"{DUTY_LEADER}","token":"{}"}}"#,
            "ab".repeat(32)
        ),
    )
    .unwrap();
    let out = desk
        .cli(DUTY_LEADER)
        .args(["log", "add", "x"])
        .output()
        .unwrap();
    assert!(refused_for_session(&out), "{out:?}");
}

#[test]
fn under_one_shared_account_a_session_stays_with_the_person_who_opened_it() {
    // everyone runs duty-desk as the desk account through sudo, which says who they are
    let base = base();
    let desk = Desk::copy_of(&base.path);
    desk.cli(DUTY_LEADER)
        .env("SUDO_USER", "luo")
        .args(["login", "--pin-stdin"])
        .write_stdin(format!("{LEADER_PIN}\n"))
        .assert()
        .code(0);
    desk.cli(DUTY_LEADER)
        .env("SUDO_USER", "luo")
        .args(["log", "add", "x"])
        .assert()
        .code(0);
    let out = desk
        .cli(DUTY_LEADER)
        .env("SUDO_USER", "he")
        .args(["log", "add", "x"])
        .output()
        .unwrap();
    assert!(refused_for_session(&out), "{out:?}");
    // and without sudo either
    let out = desk
        .cli(DUTY_LEADER)
        .args(["log", "add", "x"])
        .output()
        .unwrap();
    assert!(refused_for_session(&out), "{out:?}");
}

#[test]
fn a_write_with_no_operator_says_how_to_name_oneself() {
    let db = common::demo_db();
    let before = {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    for args in [&["log", "add", "x"][..], &["staff", "set-pin", OFFICER]] {
        let out = common::cli(&db.path)
            .env_remove("DUTY_DESK_OPERATOR")
            .env("USER", DUTY_LEADER)
            .args(args)
            .write_stdin("2468\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--operator NAME") && err.contains("DUTY_DESK_OPERATOR"),
            "{err}"
        );
    }
    // reads still work without a name
    common::cli(&db.path)
        .env_remove("DUTY_DESK_OPERATOR")
        .args(["log", "list"])
        .assert()
        .code(0);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let after: i64 = c
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, before);
}

#[test]
fn names_with_surrounding_spaces_are_trimmed() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["--operator", &format!("  {OFFICER} "), "log", "add", "x"])
        .assert()
        .code(0);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let op: String = c
        .query_row(
            "SELECT operator FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(op, OFFICER);
    // and a spaced name is still held to its role: the viewer stays a viewer
    common::cli(&db.path)
        .args(["--operator", " 蒋文斌 ", "log", "add", "x"])
        .assert()
        .code(4);
}

#[test]
fn five_wrong_pins_lock_for_fifteen_minutes_and_are_audited() {
    let base = base();
    let desk = Desk::copy_of(&base.path);
    for i in 1..=5 {
        let out = desk
            .cli(DUTY_LEADER)
            .args(["login", "--pin-stdin"])
            .write_stdin("0000\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "attempt {i}: {out:?}");
    }
    assert_eq!(desk.actions("operator.pin_failed"), 5);
    assert_eq!(desk.actions("operator.locked"), 1);
    // locked: even the right PIN is refused, saying so
    let out = desk
        .cli(DUTY_LEADER)
        .args(["login", "--pin-stdin"])
        .write_stdin(format!("{LEADER_PIN}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
    // the lock covers set-pin's current-PIN check too
    let out = desk
        .cli(DUTY_LEADER)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin(format!("{LEADER_PIN}\n9999\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    // 16 minutes later the lock is over
    desk.cli(DUTY_LEADER)
        .env("DUTY_DESK_NOW", "2026-11-26T10:46:00+08:00")
        .args(["login", "--pin-stdin"])
        .write_stdin(format!("{LEADER_PIN}\n"))
        .assert()
        .code(0);
}

#[test]
fn set_pin_needs_the_current_pin_or_a_duty_leaders_session() {
    let base = base();
    let desk = Desk::copy_of(&base.path);
    // the issue's attack: a new PIN piped in without the old one
    desk.cli(DUTY_LEADER)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin("9999\n")
        .assert()
        .code(4);
    // with a wrong current PIN first
    desk.cli(DUTY_LEADER)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin("9999\n8888\n")
        .assert()
        .code(4);
    // the real leader's PIN still works
    desk.login(DUTY_LEADER, LEADER_PIN).code(0);
    desk.cli(DUTY_LEADER).arg("logout").assert().code(0);
    // with the current PIN: changed
    desk.cli(DUTY_LEADER)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin(format!("{LEADER_PIN}\n9999\n"))
        .assert()
        .code(0);
    desk.login(DUTY_LEADER, "9999").code(0);

    // the officer sets a first PIN of their own, then changes it only with it
    desk.cli(OFFICER)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("2468\n")
        .assert()
        .code(0);
    desk.cli(OFFICER)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("1111\n")
        .assert()
        .code(4);
    // the officer may not set the leader's
    desk.cli(OFFICER)
        .args(["staff", "set-pin", DUTY_LEADER])
        .write_stdin("1111\n")
        .assert()
        .code(4);
    // a duty leader with a session resets the officer's without it
    desk.cli(DUTY_LEADER)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("3579\n")
        .assert()
        .code(0);
    desk.login(OFFICER, "3579").code(0);
    // a duty leader without a PIN (so without a session) may not replace someone's PIN
    let out = desk
        .cli(LEADER2)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("1212\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("session"));
    desk.login(OFFICER, "3579").code(0);
}

fn town_file(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let town = std::fs::read_to_string("data/demo/town.toml").unwrap();
    let file = dir.join("town.toml");
    std::fs::write(&file, edit(town)).unwrap();
    file
}

#[test]
fn require_pin_refuses_writers_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = town_file(dir.path(), |t| {
        t.replacen(
            "[rules]\n",
            "[rules]\nrequire_pin = true\nsession_hours = 2\n",
            1,
        )
    });
    let db = dir.path().join("duty.db");
    common::cli(&db)
        .args(["init", "--town"])
        .arg(&file)
        .assert()
        .code(0);
    let run = dir.path().join("run");
    std::fs::create_dir(&run).unwrap();
    let cli = |op: &str| {
        let mut c = common::cli(&db);
        c.env("XDG_RUNTIME_DIR", &run).args(["--operator", op]);
        c
    };
    let out = cli(OFFICER).args(["log", "add", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("requires a PIN"));
    // a first PIN of one's own is still allowed, then a session makes writes possible
    cli(OFFICER)
        .args(["staff", "set-pin", OFFICER])
        .write_stdin("2468\n")
        .assert()
        .code(0);
    cli(OFFICER)
        .args(["login", "--pin-stdin"])
        .write_stdin("2468\n")
        .assert()
        .code(0);
    cli(OFFICER).args(["log", "add", "x"]).assert().code(0);
    // session_hours = 2: three hours later it is over
    cli(OFFICER)
        .env("DUTY_DESK_NOW", "2026-11-26T13:31:00+08:00")
        .args(["log", "add", "x"])
        .assert()
        .code(4);
}

/// `s` as the inside of a TOML basic string (control characters as `\uXXXX`).
fn toml_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[test]
fn the_town_file_refuses_staff_names_with_control_characters_or_spaces() {
    for bad in ["何丽\u{7}君", " 何丽君", "何丽君 ", "何丽\t君"] {
        let dir = tempfile::tempdir().unwrap();
        let file = town_file(dir.path(), |t| {
            t.replace(
                &format!("name = \"{OFFICER}\""),
                &format!("name = \"{}\"", toml_escape(bad)),
            )
        });
        let db = dir.path().join("duty.db");
        let out = common::cli(&db)
            .args(["init", "--town"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("staff") && err.contains("name"), "{err}");
        assert!(!err.contains('\u{7}'), "the bad name is quoted safely");
        assert!(!db.exists());
    }
}

#[test]
fn audit_list_filters_and_json() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["--operator", OFFICER, "log", "add", "checked AMB2"])
        .assert()
        .code(0);
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = common::cli(&db.path)
            .args(["audit", "list", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let all = json(&[]);
    assert!(all.len() > 10, "{all:?}");
    for k in ["id", "at", "operator", "action", "subject", "detail"] {
        assert!(all[0].get(k).is_some(), "field {k}");
    }
    let ids: Vec<i64> = all.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first");

    let mine = json(&["--operator", OFFICER]);
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|r| r["operator"] == OFFICER));
    let last = mine.last().unwrap();
    assert_eq!(last["action"], "log.add");
    assert_eq!(last["detail"]["text"], "checked AMB2");

    let subject = last["subject"].as_str().unwrap().to_string();
    let about = json(&["--subject", &subject]);
    assert_eq!(about.len(), 1);
    let kind = json(&["--subject", "transport"]);
    assert!(!kind.is_empty());
    assert!(
        kind.iter()
            .all(|r| r["subject"].as_str().unwrap().starts_with("transport:"))
    );

    // since: only rows at or after the instant
    let recent = json(&["--since", "2026-11-26T10:00:00+08:00"]);
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(
        recent
            .iter()
            .all(|r| r["at"].as_str().unwrap() >= "2026-11-26T02:00:00Z")
    );
    assert_eq!(json(&["--since", "30m"]).len(), {
        all.iter()
            .filter(|r| r["at"].as_str().unwrap() >= "2026-11-26T02:00:00Z")
            .count()
    });
    common::cli(&db.path)
        .args(["audit", "list", "--since", "soon"])
        .assert()
        .code(2);
    // text: one line per row
    let out = common::cli(&db.path)
        .args(["audit", "list", "--operator", OFFICER])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), mine.len());
    assert!(text.lines().last().unwrap().contains("checked AMB2"));
}

#[test]
fn session_hours_has_a_range_and_a_new_login_replaces_the_old_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = town_file(dir.path(), |t| {
        t.replacen("[rules]\n", "[rules]\nsession_hours = 1000\n", 1)
    });
    let out = common::cli(&dir.path().join("duty.db"))
        .args(["init", "--town"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("session_hours") && err.contains("744"),
        "{err}"
    );

    let base = base();
    let desk = Desk::copy_of(&base.path);
    desk.login(DUTY_LEADER, LEADER_PIN).code(0);
    desk.login(DUTY_LEADER, LEADER_PIN).code(0);
    let c = rusqlite::Connection::open(&desk.db).unwrap();
    let live: i64 = c
        .query_row("SELECT COUNT(*) FROM session", [], |r| r.get(0))
        .unwrap();
    assert_eq!(live, 1);
    assert_eq!(desk.actions("operator.session_close"), 1);
    desk.cli(DUTY_LEADER).arg("logout").assert().code(0);
    let out = desk.cli(DUTY_LEADER).arg("logout").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("No session"));
}
