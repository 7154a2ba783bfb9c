//! Issue 19 in a real terminal: the footer at 120 columns is whole and ends with "? more"
//! (it used to be cut: "…W switch o"), `?` shows the screen's own keys before the global
//! ones (it listed only the global keys), and Enter on the Shift log reads a long entry in
//! full (it could not be read past the column's end).

use crate::common;

use std::time::Duration;

use common::pty::Pty;

/// The screen's line holding `text`.
fn line_with(p: &Pty, text: &str) -> String {
    p.screen()
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn at_120_columns_the_footer_is_whole_and_question_mark_shows_the_screens_keys() {
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Qingshi Town");
    p.send("2");
    p.expect("? more");
    let footer = line_with(&p, "? more");
    assert!(footer.trim_end().ends_with("? more"), "{footer}");
    assert!(
        footer.contains("R reopen") && footer.contains("s sign"),
        "{footer}"
    );
    assert!(!footer.contains('~'), "{footer}");
    // `?` on the Fleet screen: its keys first, then the global ones
    p.send("4");
    p.expect("Transport requests and trips");
    p.send("?");
    p.expect("Fleet & dispatch: its keys");
    p.expect("Show the selected request whole");
    let screen = p.screen();
    let own = screen.find("Fleet & dispatch: its keys").unwrap();
    let global = screen.find("Everywhere").expect(&screen);
    assert!(own < global, "{screen}");
    p.send("\x1b");
    assert!(
        wait_gone(&p, "Fleet & dispatch: its keys"),
        "Esc closes the help:\n{}",
        p.screen()
    );
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}

fn wait_gone(p: &Pty, text: &str) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if !p.screen().contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

#[test]
fn enter_on_the_shift_log_reads_a_long_entry_in_full() {
    let db = common::demo_db();
    let long = "Caller from V08 reports the road to the clinic is blocked by a landslide near \
                the old bridge; the ambulance must go round by Shiqiao, about forty minutes \
                more; the village doctor will meet it at the school gate with a stretcher \
                END-OF-ENTRY";
    common::cli(&db.path)
        .args([
            "--operator",
            "何丽君",
            "log",
            "add",
            long,
            "--category",
            "call",
        ])
        .assert()
        .success();
    let path = db.path.to_str().unwrap().to_string();
    let mut p = Pty::spawn(
        &["--db", &path, "--operator", "何丽君"],
        &[("DUTY_DESK_NOW", common::NOW)],
        120,
        36,
    );
    p.expect("Qingshi Town");
    p.send("5");
    p.expect("Caller from V08 reports");
    // the row is cut in the list
    assert!(!p.screen().contains("END-OF-ENTRY"), "{}", p.screen());
    p.send("\x1b[F"); // End: the newest entry (the rule pass writes after ours)
    p.send("\r");
    p.expect("Log entry #");
    // Up steps back through the entries inside the full view, to ours
    let start = std::time::Instant::now();
    while !p.screen().contains("END-OF-ENTRY") && start.elapsed() < Duration::from_secs(30) {
        p.send("\x1b[A");
        std::thread::sleep(Duration::from_millis(150));
    }
    p.expect("END-OF-ENTRY");
    p.expect("the village doctor will meet it");
    p.expect("何丽君");
    p.send("\x1b");
    assert!(wait_gone(&p, "END-OF-ENTRY"), "{}", p.screen());
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
