//! End to end (issue 13): five wrong PINs in the real console lock the person out, in the
//! same lock as the command line; a database tampered with before the console starts shows
//! the warning banner, and the duty leader's audit view opens from the Shift log.
use crate::common;

use std::time::Duration;

use common::pty::Pty;

#[test]
fn five_wrong_pins_in_the_console_lock_the_command_line_too() {
    let db = common::demo_db();
    common::cli(&db.path)
        .args(["staff", "set-pin", "何丽君"])
        .write_stdin("2580\n")
        .assert()
        .success();
    let path = db.path.display().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("PIN for 何丽君");
    for _ in 0..5 {
        // each answer comes back before the next PIN is typed
        p.send("0000");
        p.expect("> ****");
        p.send("\r");
        assert!(p.wait_for("> _", Duration::from_secs(30)) || p.screen().contains("locked"));
    }
    p.expect("locked for 15 minutes");
    // back in the chooser, where letters find a person: Esc leaves (issue 19)
    p.send("\x1b");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
    // the command line refuses the right PIN until the lock ends
    let out = common::cli(&db.path)
        .args(["--operator", "何丽君", "login", "--pin-stdin"])
        .env("XDG_RUNTIME_DIR", db.dir.path())
        .write_stdin("2580\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
}

#[test]
fn a_tampered_database_shows_the_banner_and_leaders_read_the_log() {
    let db = common::demo_db();
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_no_update;
             UPDATE audit SET operator = '谭慧敏' WHERE id = 20;",
        )
        .unwrap();
    let path = db.path.display().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", common::DUTY_LEADER],
        &[("DUTY_DESK_NOW", common::NOW)],
        140,
        36,
    );
    p.expect("AUDIT LOG TAMPERED");
    p.expect("audit_no_update");
    p.send("5");
    p.send("A");
    p.expect("Audit log: newest");
    p.send("\x1b");
    // a lone Esc is told apart from an escape sequence by a pause
    std::thread::sleep(Duration::from_millis(300));
    assert!(p.wait_for("Shift log", Duration::from_secs(30)));
    p.send("q");
    let code = p.wait_exit(Duration::from_secs(30));
    assert_eq!(code, Some(0), "{}", p.screen());
}
