//! The write drill of the crash-safety and race tests, run in a child process that is the
//! test binary itself (the libtest-child pattern, so nothing is installed for users):
//! [`command`] re-invokes the current test binary with `--ignored drill_child`, and
//! the test file's ignored `drill_child` test calls [`serve`], which reads its orders from
//! `DUTY_DESK_DRILL_*` variables, performs random desk writes (dispatches, trip steps,
//! report rows, log entries) through the store, printing each one to stdout only after its
//! commit has returned, until it is killed or `count` is reached.
//!
//! With a race list it instead makes `count` dispatch attempts over those vehicles,
//! printing `WON id vehicle` or `LOST message` for each, to race other drills.
//!
//! libtest prints its own `running 1 test` first; the drill prints [`READY`] before its
//! own lines, and [`lines`] / [`output`] keep only what follows it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use duty_desk::domain::fleet::NewRequest;
use duty_desk::domain::report::Field;
use duty_desk::domain::report::Figures;
use duty_desk::domain::shift::LogCategory;
use duty_desk::domain::time::{Clock, local_date};
use duty_desk::domain::transport::{TripStatus, VehicleStatus};
use duty_desk::store::fleet;
use duty_desk::store::{Ctx, Store, reports, shiftlog, town};

/// The line the drill prints before its own, after libtest's preamble.
pub const READY: &str = "DRILL READY";

const DB: &str = "DUTY_DESK_DRILL_DB";
const SEED: &str = "DUTY_DESK_DRILL_SEED";
const COUNT: &str = "DUTY_DESK_DRILL_COUNT";
const RACE: &str = "DUTY_DESK_DRILL_RACE";

/// A child process running the drill on `db`: the current test binary, re-invoked to run
/// only its ignored `drill_child` test. `count` limits the writes (default: until
/// killed); `race` is a comma-separated vehicle list for the dispatch race.
pub fn command(db: &Path, seed: u64, count: Option<u64>, race: Option<&str>) -> Command {
    let exe = std::env::current_exe().unwrap();
    let mut c = Command::new(exe);
    c.args([
        "--ignored",
        "--nocapture",
        "--test-threads=1",
        "-q",
        "drill_child",
    ])
    .env(DB, db)
    .env(SEED, seed.to_string());
    if let Some(n) = count {
        c.env(COUNT, n.to_string());
    }
    if let Some(r) = race {
        c.env(RACE, r);
    }
    c
}

/// The drill's own lines from a child's stdout, as they come (libtest's preamble dropped).
pub fn lines(stdout: impl std::io::Read) -> impl Iterator<Item = std::io::Result<String>> {
    BufReader::new(stdout)
        .lines()
        .skip_while(|l| l.as_ref().is_ok_and(|l| l != READY))
        .skip(1)
}

/// The drill's own lines from a finished child's whole stdout.
pub fn output(stdout: &str) -> Vec<&str> {
    stdout.lines().skip_while(|l| *l != READY).skip(1).collect()
}

/// The child's side: runs the drill when [`command`] started this process, and ends the
/// process when it is done (so libtest prints nothing after the drill's lines). Does
/// nothing in a plain `--ignored` run.
pub fn serve() {
    let Some(db) = std::env::var_os(DB) else {
        return;
    };
    let db = PathBuf::from(db);
    let seed = std::env::var(SEED)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let count = std::env::var(COUNT)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX);
    let race: Option<Vec<String>> = std::env::var(RACE)
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    {
        let mut o = std::io::stdout().lock();
        let _ = writeln!(o, "{READY}");
        let _ = o.flush();
    }
    let result = match race {
        Some(vehicles) => race_run(db, seed, count, &vehicles),
        None => run(db, seed, count),
    };
    if let Err(e) = result {
        eprintln!("drill: {e}");
        std::process::exit(1);
    }
    std::process::exit(0);
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        if n == 0 { 0 } else { x % n }
    }
}

/// Who the drill writes as: someone on the staff list who may do all it does (dispatch,
/// enter reports, write the log), chosen by seed; "drill" in a town without a staff list.
fn drill_operator(town: &duty_desk::domain::town::Town, seed: u64) -> String {
    use duty_desk::domain::roles::{Permission, allows};
    let able: Vec<&str> = town
        .staff
        .iter()
        .filter(|s| {
            [
                Permission::Dispatch,
                Permission::EnterReport,
                Permission::WriteLog,
            ]
            .iter()
            .all(|p| allows(s.role, *p))
        })
        .map(|s| s.name.as_str())
        .collect();
    if able.is_empty() {
        return "drill".into();
    }
    able[(seed as usize) % able.len()].to_string()
}

/// Dispatch attempts over a few vehicles, racing other processes on the same file.
fn race_run(db: PathBuf, seed: u64, count: u64, vehicles: &[String]) -> Result<(), String> {
    let clock = Clock::from_env().map_err(|m| m.to_string())?;
    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
    store.use_clock(clock);
    let town = town::load(store.conn()).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let operator = drill_operator(&town, seed);
    let ctx = || Ctx {
        operator: operator.clone(),
        now: clock.now(),
    };
    let village = town.villages.first().ok_or("no village")?.code.clone();
    let out = std::io::stdout();
    for i in 0..count {
        let req = NewRequest {
            caller: "race".into(),
            patient: format!("race {seed}-{i}"),
            age: None,
            village: village.clone(),
            severity: "critical".into(),
            destination: "DH".into(),
            note: String::new(),
        };
        let req_town = &town;
        let id = store
            .write(&ctx(), |w| fleet::request(w, req_town, &req))
            .map_err(|e| e.to_string())?;
        let v = &vehicles[rng.below(vehicles.len() as u64) as usize];
        let line = match store.write(&ctx(), |w| fleet::dispatch(w, id, v)) {
            Ok(()) => {
                // finish the trip (or cancel it) so the vehicle comes free for the others
                let finish = if rng.below(2) == 0 {
                    vec![TripStatus::Cancelled]
                } else {
                    vec![
                        TripStatus::EnRoute,
                        TripStatus::OnScene,
                        TripStatus::BackInService,
                    ]
                };
                for s in finish {
                    store
                        .write(&ctx(), |w| fleet::advance(w, id, s))
                        .map_err(|e| e.to_string())?;
                }
                format!("WON {id} {v}")
            }
            Err(duty_desk::store::StoreError::Conflict(m)) => {
                store
                    .write(&ctx(), |w| fleet::advance(w, id, TripStatus::Cancelled))
                    .map_err(|e| e.to_string())?;
                format!("LOST {}", m.render(duty_desk::i18n::Lang::En))
            }
            Err(e) => return Err(e.to_string()),
        };
        let mut o = out.lock();
        let _ = writeln!(o, "{line}");
        let _ = o.flush();
    }
    Ok(())
}

fn run(db: PathBuf, seed: u64, count: u64) -> Result<(), String> {
    let clock = Clock::from_env().map_err(|m| m.to_string())?;
    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
    store.use_clock(clock);
    let town = town::load(store.conn()).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let out = std::io::stdout();
    let operator = drill_operator(&town, seed);
    let ctx = || Ctx {
        operator: operator.clone(),
        now: clock.now(),
    };
    let steps = [
        TripStatus::EnRoute,
        TripStatus::OnScene,
        TripStatus::Transporting,
        TripStatus::AtDestination,
        TripStatus::BackInService,
    ];
    for i in 0..count {
        let line = match rng.below(4) {
            0 => {
                let board = fleet::vehicles(store.conn()).map_err(|e| e.to_string())?;
                let free: Vec<_> = board
                    .iter()
                    .filter(|v| v.status == VehicleStatus::Available)
                    .collect();
                if free.is_empty() {
                    continue;
                }
                let v = free[rng.below(free.len() as u64) as usize];
                let village = &town.villages[rng.below(town.villages.len() as u64) as usize];
                let req = NewRequest {
                    caller: "drill".into(),
                    patient: format!("drill patient {i}"),
                    age: Some(60),
                    village: village.code.clone(),
                    severity: "severe".into(),
                    destination: village.health_center.clone(),
                    note: String::new(),
                };
                let code = v.code.clone();
                let id = store
                    .write(&ctx(), |w| {
                        let id = fleet::request(w, &town, &req)?;
                        fleet::dispatch(w, id, &code)?;
                        Ok(id)
                    })
                    .map_err(|e| e.to_string())?;
                format!("DISPATCH {id} {code}")
            }
            1 => {
                let open = fleet::open_transports(store.conn()).map_err(|e| e.to_string())?;
                let active: Vec<_> = open.iter().filter(|t| t.status.holds_vehicle()).collect();
                if active.is_empty() {
                    continue;
                }
                let t = active[rng.below(active.len() as u64) as usize];
                let Some(next) = t
                    .status
                    .next_steps()
                    .iter()
                    .copied()
                    .find(|s| steps.contains(s))
                else {
                    continue;
                };
                let id = t.id;
                store
                    .write(&ctx(), |w| fleet::advance(w, id, next))
                    .map_err(|e| e.to_string())?;
                format!("STEP {id} {}", next.as_str())
            }
            2 => {
                let village = &town.villages[rng.below(town.villages.len() as u64) as usize];
                let today = local_date(clock.now(), town.info.offset);
                // a day far back that no history uses, so the rules always pass
                let date = today - Duration::days(400 + rng.below(2000) as i64);
                let mut fig = Figures::default();
                fig.set(Field::Outpatients, Some(rng.below(50) as i64));
                // the same row again (a repeat of an earlier run) is unchanged: nothing to commit
                let saved = store.write_or_rollback(&ctx(), |w| {
                    let r = reports::save(w, &town, village, date, &fig, true)?;
                    let commit = r.0 != reports::SaveOutcome::Unchanged;
                    Ok((r, commit))
                });
                match saved {
                    Ok(_) => format!(
                        "REPORT {date} {} {}",
                        village.code,
                        fig.get(Field::Outpatients).unwrap_or(0)
                    ),
                    Err(e) => return Err(e.to_string()),
                }
            }
            _ => {
                let text = format!("drill entry {i}");
                let id = store
                    .write(&ctx(), |w| shiftlog::add_entry(w, LogCategory::Note, &text))
                    .map_err(|e| e.to_string())?;
                format!("LOG {id}")
            }
        };
        let mut o = out.lock();
        let _ = writeln!(o, "{line}");
        let _ = o.flush();
    }
    Ok(())
}
