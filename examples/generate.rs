//! Writes a believable synthetic town through duty-desk's own store code, for benchmarks
//! and scale tests:
//!
//! `cargo run --release --example generate -- --db PATH --villages N --days D [--seed S]
//! [--no-sign-over]`
//!
//! `--no-sign-over` leaves every shift unsigned: a desk that never signs over keeps its
//! whole history in one open shift (issue 18's worst case for the console).
//!
//! At 200 villages and 1095 days: about 219,000 reports, 100,000 transports, 20,000
//! escalations and 50,000 manual log entries (plus the automatic entries trips write);
//! every day signed (about 2 % reopened and signed again), about 330 missing-report rule
//! escalations resolved by a person plus 100 for today (so the rules look each one up), and
//! about 5 % of log entries amended. `--people N` (default 50) per village: the
//! key-population register (issue 15), imported on the first day, each person contacted at
//! their level's pace for the whole span (about 2.6 million contacts at 200 × 50 × 1095),
//! 5 % of calls unreachable, about 1 % of people left overdue.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use duty_desk::domain::escalation::Kind;
use duty_desk::domain::fleet::NewRequest;
use duty_desk::domain::report::N_FIELDS;
use duty_desk::domain::report_csv::CsvRow;
use duty_desk::domain::shift::LogCategory;
use duty_desk::domain::time::{local_date, local_instant, parse_offset};
use duty_desk::domain::town::{
    HealthCenter, Hospital, Role, Staff, TownFile, TownInfo, Vehicle, VehicleKind, Village,
};
use duty_desk::domain::transport::TripStatus;
use duty_desk::store::escalations::{self, NewEscalation};
use duty_desk::store::fleet;
use duty_desk::store::reports::{self, ImportOptions};
use duty_desk::store::{Ctx, Store, shiftlog};

/// A small deterministic generator (xorshift), so a seed gives the same town everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

struct Args {
    db: PathBuf,
    villages: usize,
    days: i64,
    seed: u64,
    /// Never sign a shift over (one open shift holding the whole history).
    no_sign_over: bool,
    people: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        db: PathBuf::new(),
        villages: 200,
        days: 1095,
        seed: 1,
        no_sign_over: false,
        people: 50,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--no-sign-over" {
            a.no_sign_over = true;
            continue;
        }
        let mut v = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--db" => a.db = PathBuf::from(v()?),
            "--villages" => a.villages = v()?.parse().map_err(|e| format!("--villages: {e}"))?,
            "--days" => a.days = v()?.parse().map_err(|e| format!("--days: {e}"))?,
            "--seed" => a.seed = v()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--people" => a.people = v()?.parse().map_err(|e| format!("--people: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err(
            "usage: generate --db PATH --villages N --days D [--seed S] [--no-sign-over] [--people N]"
                .into(),
        );
    }
    if a.villages == 0 || a.days <= 0 {
        return Err("--villages and --days must be positive".into());
    }
    Ok(a)
}

fn town(n: usize, rng: &mut Rng) -> TownFile {
    let n_hc = (n / 6).max(1);
    let offset = parse_offset("+08:00").unwrap_or_else(|| chrono::Offset::fix(&Utc));
    let health_centers = (0..n_hc)
        .map(|i| HealthCenter {
            code: format!("HC{:03}", i + 1),
            name: format!("第{}卫生院", i + 1),
            name_en: format!("Health Center {}", i + 1),
            beds: 20 + rng.below(40) as i64,
            phone: format!("023-46{:06}", rng.below(1_000_000)),
        })
        .collect();
    let villages = (0..n)
        .map(|i| {
            let mut neighbours = Vec::new();
            if i > 0 {
                neighbours.push(format!("V{:04}", i));
            }
            if i + 1 < n {
                neighbours.push(format!("V{:04}", i + 2));
            }
            Village {
                code: format!("V{:04}", i + 1),
                name: format!("{}号村", i + 1),
                name_en: format!("Village {}", i + 1),
                population: 800 + rng.below(4200) as i64,
                clinic_phone: format!("023-47{:06}", rng.below(1_000_000)),
                health_center: format!("HC{:03}", i % n_hc + 1),
                neighbours,
            }
        })
        .collect::<Vec<_>>();
    let mut vehicles = Vec::new();
    for h in 0..n_hc {
        for k in 0..2 {
            vehicles.push(Vehicle {
                code: format!("AMB{:03}{}", h + 1, k + 1),
                kind: VehicleKind::Ambulance,
                base: format!("HC{:03}", h + 1),
                plate: format!("渝B·A{:04}", h * 2 + k),
                driver: format!("司机{}", h * 2 + k),
                phone: format!("139{:08}", rng.below(100_000_000)),
            });
        }
    }
    for v in &villages {
        vehicles.push(Vehicle {
            code: format!("RC{}", &v.code[1..]),
            kind: VehicleKind::ReserveCar,
            base: v.code.clone(),
            plate: format!("渝B·C{}", &v.code[1..]),
            driver: format!("村干部{}", &v.code[1..]),
            phone: format!("138{:08}", rng.below(100_000_000)),
        });
    }
    let roles = [
        Role::DutyLeader,
        Role::ShiftLead,
        Role::Dispatcher,
        Role::DutyOfficer,
        Role::DutyOfficer,
    ];
    let staff = (0..(n / 4 + 8))
        .map(|i| Staff {
            name: format!("值班员{:03}", i + 1),
            role: roles[i % roles.len()],
            phone: format!("137{:08}", rng.below(100_000_000)),
        })
        .collect();
    TownFile {
        town: TownInfo {
            name: "合成县".into(),
            name_en: "Synthetic County".into(),
            offset,
            report_cutoff: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or(NaiveTime::MIN),
            shift_start: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN),
            stock_threshold_percent: 15.0,
            critical_wait_minutes: 10,
            severe_wait_minutes: 30,
            escalation_grace_minutes: 60,
            surge: Default::default(),
            handover_grace_minutes: 30,
            notifications: false,
            min_oximeters_hc: 20,
            session_hours: 12,
            require_pin: false,
            key_populations: Default::default(),
        },
        health_centers,
        hospitals: vec![Hospital {
            code: "DH".into(),
            name: "县人民医院".into(),
            name_en: "County People's Hospital".into(),
        }],
        villages,
        vehicles,
        staff,
    }
}

/// New infections per 100,000 people on day `d`: three waves a year apart.
fn incidence(d: i64, days: i64) -> f64 {
    let mut total = 2.0;
    for k in 0..=(days / 365) {
        let peak = 60 + k * 365;
        let x = (d - peak) as f64 / 18.0;
        total += 900.0 / (1.0 + k as f64) * (-x * x).exp();
    }
    total
}

/// A missing-report escalation as the rules raise it, then resolved by a person.
fn rule_resolved(
    store: &mut Store,
    person: &str,
    village: &str,
    date: chrono::NaiveDate,
    raised: DateTime<Utc>,
) -> Result<(), String> {
    let e = NewEscalation {
        kind: Kind::MissingReport,
        title: format!("Missing report {village} {date}"),
        village: Some(village.to_string()),
        place: None,
        details: String::new(),
        direct: false,
        subject: Some(format!("missing_report:{village}:{date}")),
        due: raised + Duration::hours(2),
        grace_minutes: 60,
    };
    let c = |op: &str, at| Ctx {
        operator: op.to_string(),
        now: at,
    };
    let id = store
        .write(&c(duty_desk::store::rules::RULES_OPERATOR, raised), |w| {
            escalations::raise(w, &e)
        })
        .map_err(|e| e.to_string())?;
    store
        .write(&c(person, raised + Duration::minutes(20)), |w| {
            escalations::resolve(w, id, "村医已电话报告")
        })
        .map_err(|e| e.to_string())
}

fn main() -> Result<(), String> {
    let a = args()?;
    if a.db.exists() {
        return Err(format!(
            "{} exists; the generator never overwrites",
            a.db.display()
        ));
    }
    let mut rng = Rng(a.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let started = Instant::now();
    let town_file = town(a.villages, &mut rng);
    let end: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-26T02:00:00Z")
        .map_err(|e| e.to_string())?
        .with_timezone(&Utc);
    let first = end - Duration::days(a.days);
    let ctx = |op: &str, at: DateTime<Utc>| Ctx {
        operator: op.to_string(),
        now: at,
    };
    let mut store = duty_desk::store::town::create(&a.db, &town_file, &ctx("generator", first))
        .map_err(|e| e.to_string())?;
    store.bulk_load_mode().map_err(|e| e.to_string())?;
    let town = duty_desk::store::town::load(store.conn()).map_err(|e| e.to_string())?;
    let off = town.info.offset;
    let staff: Vec<String> = town.staff.iter().map(|s| s.name.clone()).collect();
    let mut cumulative = vec![0i64; town.villages.len()];
    let (mut n_reports, mut n_trips, mut n_esc, mut n_log) = (0usize, 0usize, 0usize, 0usize);
    let (mut n_person, mut n_reopened, mut n_amend) = (0usize, 0usize, 0usize);
    let mut n_signed = 0usize;
    let trips_per_day = 100_000.0 / (200.0 * 1095.0) * a.villages as f64;
    let esc_per_day = 20_000.0 / (200.0 * 1095.0) * a.villages as f64;
    let log_per_day = 50_000.0 / (200.0 * 1095.0) * a.villages as f64;
    for d in 0..a.days {
        let day_start = first + Duration::days(d);
        let date = local_date(day_start, off);
        let entered = local_instant(
            date,
            NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            off,
        );
        let inc = incidence(d, a.days);
        let mut rows = Vec::with_capacity(town.villages.len());
        for (i, v) in town.villages.iter().enumerate() {
            let expected = v.population as f64 * inc / 100_000.0;
            let room = v.population - cumulative[i];
            let new = ((expected * (0.7 + 0.6 * (rng.below(1000) as f64 / 1000.0))).round() as i64)
                .clamp(0, room.max(0));
            cumulative[i] += new;
            let cells: [String; N_FIELDS] = [
                new.to_string(),
                cumulative[i].to_string(),
                (new + rng.below(3) as i64).to_string(),
                (new / 6).to_string(),
                (new / 20).to_string(),
                if rng.chance(0.0005) && cumulative[i] > 0 {
                    "1"
                } else {
                    "0"
                }
                .to_string(),
                (new / 10).to_string(),
                (new / 15).to_string(),
            ];
            rows.push(CsvRow {
                line: i as u64 + 2,
                date: date.to_string(),
                village: v.code.clone(),
                cells,
            });
        }
        let rep = reports::import(
            &mut store,
            &ctx(&staff[0], entered),
            &town,
            &rows,
            ImportOptions::default(),
        )
        .map_err(|e| e.to_string())?;
        if let Some(p) = rep.problems.first() {
            return Err(format!(
                "day {date}: line {}: {}: {}",
                p.line, p.column, p.msg
            ));
        }
        n_reports += rows.len();
        // the leader signs the day; now and then it is reopened for a correction and signed again
        let signed_at = entered + Duration::hours(2);
        store
            .write(&ctx(&staff[0], signed_at), |w| {
                reports::sign_day(w, date, None)
            })
            .map_err(|e| e.to_string())?;
        if rng.chance(0.02) {
            store
                .write(&ctx(&staff[0], signed_at + Duration::hours(1)), |w| {
                    reports::reopen_day(w, date, "村医更正数据")
                })
                .map_err(|e| e.to_string())?;
            store
                .write(&ctx(&staff[0], signed_at + Duration::hours(2)), |w| {
                    reports::sign_day(w, date, None)
                })
                .map_err(|e| e.to_string())?;
            n_reopened += 1;
        }
        // a missing report the rules raised, resolved by a person (the village phoned in)
        if rng.chance(0.3) {
            let v = &town.villages[rng.below(town.villages.len() as u64) as usize];
            let raised = entered + Duration::hours(1);
            rule_resolved(&mut store, &staff[0], &v.code, date, raised)?;
            n_person += 1;
        }

        let n = (trips_per_day * (0.5 + rng.below(1000) as f64 / 1000.0)).round() as usize;
        for t in 0..n {
            let v = &town.villages[rng.below(town.villages.len() as u64) as usize];
            let asked = day_start + Duration::minutes(rng.below(1380) as i64);
            let sev = ["critical", "severe", "stable"][rng.below(3) as usize];
            let req = NewRequest {
                caller: "村医".into(),
                patient: format!("患者{t}"),
                age: Some(20 + rng.below(70) as i64),
                village: v.code.clone(),
                severity: sev.into(),
                destination: if sev == "stable" {
                    v.health_center.clone()
                } else {
                    "DH".into()
                },
                note: String::new(),
            };
            let op = &staff[2];
            let id = store
                .write(&ctx(op, asked), |w| fleet::request(w, &town, &req))
                .map_err(|e| e.to_string())?;
            let vehicle = format!("RC{}", &v.code[1..]);
            let mut at = asked + Duration::minutes(2 + rng.below(8) as i64);
            if store
                .write(&ctx(op, at), |w| fleet::dispatch(w, id, &vehicle))
                .is_err()
            {
                store
                    .write(&ctx(op, at), |w| {
                        fleet::advance(w, id, TripStatus::Cancelled)
                    })
                    .map_err(|e| e.to_string())?;
                n_trips += 1;
                continue;
            }
            for step in [
                TripStatus::EnRoute,
                TripStatus::OnScene,
                TripStatus::Transporting,
                TripStatus::AtDestination,
                TripStatus::BackInService,
            ] {
                at += Duration::minutes(3 + rng.below(25) as i64);
                store
                    .write(&ctx(op, at), |w| fleet::advance(w, id, step))
                    .map_err(|e| e.to_string())?;
            }
            n_trips += 1;
        }

        let n = (esc_per_day * (0.5 + rng.below(1000) as f64 / 1000.0)).round() as usize;
        for _ in 0..n {
            let v = &town.villages[rng.below(town.villages.len() as u64) as usize];
            let raised = day_start + Duration::minutes(rng.below(1200) as i64);
            let e = NewEscalation {
                kind: [Kind::Referral, Kind::Concern, Kind::Other][rng.below(3) as usize],
                title: format!("{}事项", v.name),
                village: Some(v.code.clone()),
                place: None,
                details: String::new(),
                direct: rng.chance(0.1),
                subject: None,
                due: raised + Duration::hours(2 + rng.below(24) as i64),
                grace_minutes: 60,
            };
            let op = &staff[3];
            let id = store
                .write(&ctx(op, raised), |w| escalations::raise(w, &e))
                .map_err(|e| e.to_string())?;
            if d < a.days - 1 {
                store
                    .write(&ctx(op, raised + Duration::hours(1)), |w| {
                        escalations::resolve(w, id, "已办结")
                    })
                    .map_err(|e| e.to_string())?;
            }
            n_esc += 1;
        }

        let n = (log_per_day * (0.5 + rng.below(1000) as f64 / 1000.0)).round() as usize;
        for k in 0..n {
            let at = day_start + Duration::minutes(rng.below(1430) as i64);
            let cat = LogCategory::ALL[k % LogCategory::ALL.len()];
            let id = store
                .write(&ctx(&staff[4], at), |w| {
                    shiftlog::add_entry(w, cat, "值班记录：情况正常")
                })
                .map_err(|e| e.to_string())?;
            n_log += 1;
            // now and then the entry is amended (a correction linked to it)
            if rng.chance(0.05) {
                store
                    .write(&ctx(&staff[4], at + Duration::minutes(5)), |w| {
                        shiftlog::amend_entry(w, id, "更正：补充随访情况")
                    })
                    .map_err(|e| e.to_string())?;
                n_amend += 1;
            }
        }
        // the day's shift is signed over to the next duty leader, as every desk does daily
        let signed = day_start + Duration::hours(23);
        let open =
            shiftlog::current_shift_start(store.conn(), signed).map_err(|e| e.to_string())?;
        if !a.no_sign_over && open + Duration::hours(24) <= signed + Duration::hours(1) {
            store
                .write(&ctx(&staff[1], signed), |w| {
                    shiftlog::sign_handover(
                        w,
                        open,
                        &staff[1],
                        Some(&staff[0]),
                        &serde_json::json!({}),
                    )
                })
                .map_err(|e| e.to_string())?;
            n_signed += 1;
        }
    }
    // today's missing reports (after the 10:00 cutoff nobody has reported yet): 100 of
    // them already resolved by a person, so every rule pass asks when each was resolved
    let today = local_date(end, off);
    for v in town.villages.iter().take(100) {
        rule_resolved(&mut store, &staff[0], &v.code, today, end)?;
        n_person += 1;
    }
    let (n_people, n_contacts) =
        register(&mut store, &town, &staff, first, a.days, a.people, &mut rng)?;
    store
        .conn()
        .execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(|e| e.to_string())?;
    drop(store);
    Store::open(&a.db).map_err(|e| e.to_string())?;
    println!(
        "{}: {} villages, {} days: {n_reports} reports, {n_trips} transports, {n_esc} escalations, {n_person} rule escalations resolved by a person, {n_reopened} reopened days, {n_log} manual log entries ({n_amend} amended), {n_signed} shifts signed over, {n_people} key-population people with {n_contacts} contacts in {:.1} s",
        a.db.display(),
        a.villages,
        a.days,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The key-population register: `per_village` people in every village, imported on the
/// first day by the duty leader, then contacted at each level's pace (with a day's jitter)
/// by the duty officers, one transaction a day; about 1 % stop being called a week before
/// the end, so the call list and the rule have overdue people.
fn register(
    store: &mut Store,
    town: &duty_desk::domain::town::Town,
    staff: &[String],
    first: DateTime<Utc>,
    days: i64,
    per_village: usize,
    rng: &mut Rng,
) -> Result<(usize, usize), String> {
    use duty_desk::domain::people::csv::{NewPerson, PersonDetails};
    use duty_desk::domain::people::{Cadence, Level, Method, Outcome, Sex};
    use duty_desk::store::people::{self, NewContact};
    if per_village == 0 {
        return Ok((0, 0));
    }
    let ctx = |op: &str, at: DateTime<Utc>| Ctx {
        operator: op.to_string(),
        now: at,
    };
    let mut rows = Vec::new();
    for v in &town.villages {
        for i in 0..per_village {
            let level = match rng.below(10) {
                0 | 1 => Level::Red,
                2..=4 => Level::Yellow,
                _ => Level::Green,
            };
            rows.push(NewPerson {
                line: 0,
                details: PersonDetails {
                    village: v.code.clone(),
                    name: format!("{}-{i:03}", v.code),
                    age: 60 + rng.below(36) as i64,
                    sex: Some(if rng.chance(0.5) {
                        Sex::Female
                    } else {
                        Sex::Male
                    }),
                    phone: format!("139{:08}", rows.len()),
                    address: format!("{}组", i % 9 + 1),
                    conditions: "高血压".into(),
                    level,
                    cadre: format!("{}干部", v.code),
                    doctor: format!("{}医生", v.code),
                },
            });
        }
    }
    store
        .write(&ctx(&staff[0], first), |w| people::import(w, town, &rows))
        .map_err(|e| e.to_string())?;
    let listed = people::people(store.conn()).map_err(|e| e.to_string())?;
    let cadence = Cadence::default();
    // next contact day per person (a day index from `first`); i64::MAX: no more calls
    let mut next: Vec<i64> = listed.iter().map(|_| rng.below(3) as i64).collect();
    let stop: Vec<bool> = listed.iter().map(|_| rng.chance(0.01)).collect();
    let officer = town
        .staff
        .iter()
        .find(|s| s.role == duty_desk::domain::town::Role::DutyOfficer)
        .map_or(staff[0].clone(), |s| s.name.clone());
    let mut n = 0usize;
    // a red-level person not reached raises a concern; the officer resolves it when the
    // person is reached again (as a desk does: a county's open queue is not three years of
    // every unanswered call, which made 77,000 open escalations, issue 18)
    let mut concerns: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for d in 0..days {
        let day_end = first + Duration::days(d) + Duration::hours(20);
        let mut today = Vec::new();
        for (k, p) in listed.iter().enumerate() {
            if next[k] != d || (stop[k] && d >= days - 7) {
                continue;
            }
            let unreachable = rng.chance(0.05);
            today.push(NewContact {
                person: p.id,
                method: if rng.chance(0.3) {
                    Method::Visit
                } else {
                    Method::Phone
                },
                outcome: if unreachable {
                    Outcome::Unreachable
                } else {
                    Outcome::Stable
                },
                note: String::new(),
                at: Some(first + Duration::days(d) + Duration::hours(1 + rng.below(10) as i64)),
                lang: duty_desk::i18n::Lang::Zh,
            });
            // an unreachable call is tried again the next day
            next[k] = if unreachable {
                d + 1
            } else {
                d + cadence.interval_days(p.details.level) - rng.below(2) as i64
            };
        }
        if today.is_empty() {
            continue;
        }
        n += today.len();
        store
            .write(&ctx(&officer, day_end), |w| {
                for c in &today {
                    let r = people::record_contact(w, town, c)?;
                    if let Some(e) = r.concern {
                        concerns.entry(c.person).or_default().push(e);
                    } else if c.outcome != Outcome::Unreachable {
                        for e in concerns.remove(&c.person).unwrap_or_default() {
                            escalations::resolve(w, e, "已联系上，情况稳定")?;
                        }
                    }
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }
    Ok((listed.len(), n))
}
