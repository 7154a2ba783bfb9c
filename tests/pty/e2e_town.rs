//! End to end in a pseudo-terminal (issue 16): the duty leader edits a vehicle's driver and
//! phone from the fleet board, reads the change in the town popup's history, and switches
//! surge on from the Overview (the header says SURGE).

use crate::common;

use std::time::Duration;

use common::pty::Pty;

const RIGHT: &str = "\x1b[C";
const BACKSPACE: &str = "\x7f";
const ESC: &str = "\x1b";

#[test]
fn a_duty_leader_edits_a_vehicle_and_switches_surge() {
    let mut p = Pty::spawn(
        &["--demo", "--operator", common::DUTY_LEADER],
        &[("DUTY_DESK_NOW", common::NOW)],
        160,
        40,
    );
    p.expect("Qingshi Town");
    p.send("4");
    p.expect("Vehicles");
    p.send(RIGHT);
    p.send("e");
    p.expect("Edit vehicle AMB1");
    p.send(&BACKSPACE.repeat(12));
    p.send("王新\t");
    p.send(&BACKSPACE.repeat(20));
    p.send("139-1111-2222\r");
    p.expect("Saved: 1 changes to the town.");
    p.expect("王新");

    // the town popup's history names the change
    p.send("T");
    p.expect("Town changes (newest first)");
    p.send(&RIGHT.repeat(3));
    p.expect("vehicle:AMB1");
    p.expect("139-1111-2222");
    p.send(ESC);
    // a lone Esc is told from the start of an escape sequence by the pause after it
    std::thread::sleep(Duration::from_millis(300));

    // surge from the Overview, shown in the header
    p.send("1");
    p.send("S");
    p.expect("Surge is on");
    p.expect("SURGE");
    let header = p.screen().lines().next().unwrap_or_default().to_string();
    assert!(header.contains("SURGE"), "{header}");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
