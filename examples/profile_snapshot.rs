//! Times each part of a console snapshot on a database (for finding slow queries).
//! `cargo run --release --example profile_snapshot -- DB`
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use duty_desk::store::{Store, escalations, fleet, handover, reports, shiftlog, town};

fn main() {
    let db = std::env::args().nth(1).unwrap_or_default();
    let store = Store::open(std::path::Path::new(&db)).unwrap_or_else(|e| panic!("{e}"));
    let c = store.conn();
    let t = town::load(c).unwrap_or_else(|e| panic!("{e}"));
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-26T10:30:00+08:00")
        .map(|x| x.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    let today = now.with_timezone(&t.info.offset).date_naive();
    macro_rules! time {
        ($name:expr, $e:expr) => {{
            let s = Instant::now();
            for _ in 0..20 {
                let _ = $e;
            }
            println!(
                "{:<28} {:>8.3} ms",
                $name,
                s.elapsed().as_secs_f64() * 1000.0 / 20.0
            );
        }};
    }
    time!(
        "totals_range 30d",
        reports::totals_range(c, today - Duration::days(29), today)
    );
    time!("day_rows", reports::day_rows(c, today));
    // read again with every snapshot since the town changes after init (issue 16)
    time!("town::load", town::load(c));
    time!(
        "check_contexts",
        reports::check_contexts(c, &t, today, today)
    );
    time!("vehicles", fleet::vehicles(c));
    time!("open_transports", fleet::open_transports(c));
    time!("open_escalations", escalations::open_escalations(c));
    time!("stock", escalations::stock(c));
    let shift = shiftlog::current_shift_start(c, now).unwrap_or(now);
    time!("current_shift_start", shiftlog::current_shift_start(c, now));
    time!("entries", shiftlog::entries(c, shift));
    time!("handover filed", handover::filed(c, &t, shift, now));
    time!(
        "whole snapshot",
        duty_desk::store::snapshot::load(c, &t, &Default::default(), now)
    );
}
