//! End to end in a pseudo-terminal: a dispatcher records a request, accepts the suggested
//! vehicle, walks the trip to back in service, and sees the vehicle free again.

use crate::common;

use std::time::Duration;

use common::pty::Pty;

const RIGHT: &str = "\x1b[C";

/// The screen line that shows a vehicle's board row.
fn board_row(p: &Pty, code: &str) -> String {
    p.screen()
        .lines()
        .find(|l| l.contains(&format!("│ {code} ")) || l.contains(&format!("│>{code} ")))
        .unwrap_or_default()
        .to_string()
}

fn wait_row(p: &Pty, code: &str, status: &str) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if board_row(p, code).contains(status) {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("{code} never became {status}; screen:\n{}", p.screen());
}

#[test]
fn request_dispatch_and_back_in_service() {
    let mut p = Pty::spawn(&["--demo"], &[("DUTY_DESK_NOW", common::NOW)], 120, 36);
    p.expect("Qingshi Town");
    p.send("4");
    p.expect("Transport requests and trips (1 waiting)");
    wait_row(&p, "AMB2", "available");

    // the form: caller, patient, age, village, severity, destination, note
    p.send("n");
    p.expect("New transport request");
    // the village typed in pinyin (issue 19, item 4): the picker lists 金竹村 (V11) and
    // Tab takes it
    p.send("金竹村村医\t王小红\t81\tjinzhu");
    p.expect("> V11 Jinzhu Village");
    p.send("\t");
    p.expect("Jinzhu Village (V11)");
    p.send(RIGHT);
    p.send(RIGHT); // none -> critical -> severe
    p.send("\t");
    p.send(RIGHT); // the village's health center (HC2) -> the district hospital
    // the note pasted (bracketed paste): its line break does not press Enter
    p.send("\t\x1b[200~short of\nbreath\x1b[201~");
    p.expect("short of breath_");
    p.send("\r");
    p.expect("Transport request #5 recorded.");
    p.expect("Transport requests and trips (2 waiting)");
    // the new request is selected and has its suggestion, in one line: HC2's AMB3 is kept
    // for the older critical request waiting in the demo (most severe first)
    p.expect("#5 suggested: AMB2 (Ambulance, Qingshi Central Health Center)");

    // Enter shows the request whole, Enter again accepts the suggestion
    p.send("\r");
    p.expect("Transport #5");
    p.expect("Enter dispatch suggested");
    p.send("\r");
    p.expect("Transport #5: AMB2 dispatched.");
    wait_row(&p, "AMB2", "dispatched");

    // a: the allowed next step each time, Enter takes the first
    for (step, done) in [
        ("en route", "Transport #5: en route."),
        ("on scene", "Transport #5: on scene."),
        ("transporting", "Transport #5: transporting the patient."),
        ("at destination", "Transport #5: at destination."),
    ] {
        p.send("a");
        p.expect("Next step for #5");
        p.send("\r");
        p.expect(done);
        wait_row(&p, "AMB2", step);
    }
    p.send("a");
    p.expect("Next step for #5");
    p.send("\r");
    p.expect("Transport #5: back in service, the vehicle is free.");
    // the vehicle is free again on the board, and the trip shows its times
    wait_row(&p, "AMB2", "available");
    p.expect("back in service");
    p.send("q");
    assert_eq!(p.wait_exit(Duration::from_secs(30)), Some(0));
}
