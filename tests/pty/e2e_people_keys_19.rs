//! Issue 19 in a real terminal, on the Key populations screen: the `/` search's footer is
//! its keymap rows ending with "F1 more", `?` is searched for, F1 shows the search's keys
//! and closes again leaving the search as it was; the contact form's hint line is its rows
//! and F1 shows its keys there too.

use crate::common;

use std::time::Duration;

use common::pty::Pty;

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
fn f1_in_the_people_search_and_contact_form_shows_their_keys() {
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Qingshi Town");
    p.send("6");
    p.expect("Due today:");
    p.send("/");
    p.expect("Enter done  Esc clear  F1 more");
    // `?` is a character of the search here, not the help
    p.send("?");
    p.expect("Search: ?");
    assert!(
        !p.screen().contains("Keys of this window"),
        "{}",
        p.screen()
    );
    p.send("\x1bOP"); // F1
    p.expect("Keys of this window");
    p.expect("Keep the search and go back");
    p.expect("Also here");
    p.send("\x1bOP");
    assert!(wait_gone(&p, "Keys of this window"), "{}", p.screen());
    // the search is still open with what was typed; Esc clears it
    p.expect("Search: ?");
    p.send("\x1b");
    assert!(wait_gone(&p, "F1 more"), "{}", p.screen());
    // a pause, or the terminal reads Esc Enter as Alt-Enter
    std::thread::sleep(Duration::from_millis(300));
    p.send("\r");
    p.expect("Enter save  Tab/Up/Down field  <- -> change  Esc cancel  F1 more");
    p.send("\x1bOP");
    p.expect("Record the contact");
    p.expect("In the outcome field");
    p.send("\x1bOP");
    assert!(wait_gone(&p, "Keys of this window"), "{}", p.screen());
    p.expect("Contact with");
    p.send("\x1b");
    assert!(wait_gone(&p, "Contact with"), "{}", p.screen());
    std::thread::sleep(Duration::from_millis(300));
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
