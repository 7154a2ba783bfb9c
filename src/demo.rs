//! The demo town: `data/demo/` compiled into the binary, built into a fresh database
//! with every date moved so that the last report day is today.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Deserialize;

use crate::domain::escalation::Kind;
use crate::domain::fleet::NewRequest;
use crate::domain::report_csv;
use crate::domain::shift::{Duty, LogCategory};
use crate::domain::time::{local_date, local_instant, parse_date};
use crate::domain::town::{Role, parse_town};
use crate::domain::transport::TripStatus;
use crate::i18n::Msg;
use crate::store::escalations::{self, NewEscalation, StockItem};
use crate::store::fleet;
use crate::store::reports::{self, ImportOptions};
use crate::store::shiftlog;
use crate::store::{Ctx, Store, StoreError};

mod people;

/// The demo town file.
pub const TOWN: &str = include_str!("../data/demo/town.toml");
/// Thirty days of village reports.
pub const REPORTS: &str = include_str!("../data/demo/reports.csv");
/// The live state at "now": shift, stock, trips, escalations, log.
pub const SCENARIO: &str = include_str!("../data/demo/scenario.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    #[serde(default)]
    roster: Vec<RosterItem>,
    #[serde(default)]
    stock: Vec<StockEntry>,
    #[serde(default)]
    out_of_service: Vec<OutOfService>,
    #[serde(default)]
    transport: Vec<Trip>,
    #[serde(default)]
    escalation: Vec<Esc>,
    #[serde(default)]
    log: Vec<LogItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RosterItem {
    staff: String,
    duty: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StockEntry {
    place: String,
    item: String,
    quantity: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutOfService {
    vehicle: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trip {
    minutes_ago: i64,
    caller: String,
    patient: String,
    age: Option<i64>,
    village: String,
    severity: String,
    destination: String,
    #[serde(default)]
    note: String,
    vehicle: Option<String>,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Esc {
    kind: String,
    title: String,
    village: Option<String>,
    #[serde(default)]
    details: String,
    raised_minutes_ago: i64,
    due_in_minutes: i64,
    #[serde(default)]
    direct: bool,
    raised_by: String,
    #[serde(default)]
    acknowledged: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogItem {
    minutes_ago: i64,
    category: String,
    author: String,
    text: String,
}

/// A demo database in a temporary directory that disappears with this value.
pub struct Demo {
    /// The database file.
    pub path: PathBuf,
    /// The operator the console opens as (an officer of the current shift).
    pub operator: String,
    _dir: tempfile::TempDir,
}

fn bad(what: impl std::fmt::Display) -> Msg {
    Msg::new("err.demo").arg("detail", what)
}

fn store_err(e: StoreError) -> Msg {
    Msg::from(e)
}

/// Builds the demo in a fresh temporary directory.
pub fn build(now: DateTime<Utc>) -> Result<Demo, Msg> {
    let dir = tempfile::Builder::new()
        .prefix("duty-desk-demo-")
        .tempdir()
        .map_err(bad)?;
    let path = dir.path().join("demo.db");
    let operator = build_at(&path, now)?;
    Ok(Demo {
        path,
        operator,
        _dir: dir,
    })
}

/// Builds the demo database at `path` (which must not exist); returns the console's operator.
pub fn build_at(path: &Path, now: DateTime<Utc>) -> Result<String, Msg> {
    let scenario: Scenario = toml::from_str(SCENARIO).map_err(bad)?;
    let mut b = Build::create(path, now)?;
    b.enter_reports()?;
    let shift_start = b.open_first_shift(&scenario.roster)?;
    let operator = console_operator(&scenario.roster, &b.clerk);
    b.set_stock(&scenario.stock)?;
    b.transports(&scenario.transport)?;
    b.out_of_service(&scenario.out_of_service)?;
    b.escalations(&scenario.escalation)?;
    b.log(&scenario.log)?;
    b.hand_over_the_night(shift_start, &operator)?;
    b.key_populations()?;
    drop(b);
    // a sanity read, so a broken demo fails here and not in the console
    Store::open(path).map_err(store_err)?;
    Ok(operator)
}

/// The console's operator: the first officer on the roster (else its first person).
fn console_operator(roster: &[RosterItem], clerk: &str) -> String {
    roster
        .iter()
        .find(|r| r.duty == "officer")
        .or(roster.first())
        .map(|r| r.staff.clone())
        .unwrap_or(clerk.to_string())
}

/// The demo database being written, step by step, as the people of the town would have.
struct Build {
    store: Store,
    town: crate::domain::town::Town,
    now: DateTime<Utc>,
    /// A duty officer: enters the reports, the roster and the stock.
    clerk: String,
    /// A dispatcher: the transports and the vehicles.
    dispatcher: String,
}

fn ctx(operator: &str, at: DateTime<Utc>) -> Ctx {
    Ctx {
        operator: operator.to_string(),
        now: at,
    }
}

impl Build {
    /// The key-population register (issue 15): imported by a shift lead three weeks ago,
    /// contacts recorded by the clerk (`demo::people`).
    fn key_populations(&mut self) -> Result<(), Msg> {
        let lead = self
            .town
            .staff
            .iter()
            .find(|s| s.role == Role::ShiftLead)
            .map_or_else(|| self.clerk.clone(), |s| s.name.clone());
        people::add(&mut self.store, &self.town, self.now, &lead, &self.clerk).map_err(store_err)
    }

    /// The town from the demo town file, created a month before `now`.
    fn create(path: &Path, now: DateTime<Utc>) -> Result<Build, Msg> {
        let town_file = parse_town(TOWN).map_err(|p| bad(format!("town.toml: {:?}", p.first())))?;
        let staff_with = |role: Role| {
            town_file
                .staff
                .iter()
                .find(|s| s.role == role)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "demo".into())
        };
        let clerk = staff_with(Role::DutyOfficer);
        let dispatcher = staff_with(Role::Dispatcher);
        let store =
            crate::store::town::create(path, &town_file, &ctx(&clerk, now - Duration::days(31)))
                .map_err(store_err)?;
        let town = crate::store::town::load(store.conn()).map_err(store_err)?;
        Ok(Build {
            store,
            town,
            now,
            clerk,
            dispatcher,
        })
    }

    /// One write as `operator` at `at`.
    fn write<T>(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        f: impl FnOnce(&mut crate::store::Writer<'_>) -> crate::store::Result<T>,
    ) -> Result<T, Msg> {
        self.store.write(&ctx(operator, at), f).map_err(store_err)
    }

    /// The reports, shifted so the last day is today, each day entered before its cutoff.
    fn enter_reports(&mut self) -> Result<(), Msg> {
        let off = self.town.info.offset;
        let today = local_date(self.now, off);
        let mut rows =
            report_csv::parse(REPORTS).map_err(|p| bad(format!("reports.csv: {:?}", p.first())))?;
        let last = rows
            .iter()
            .filter_map(|r| parse_date(&r.date))
            .max()
            .ok_or_else(|| bad("reports.csv is empty"))?;
        let shift = today - last;
        for r in &mut rows {
            if let Some(d) = parse_date(&r.date) {
                r.date = (d + shift).to_string();
            }
        }
        let mut days: Vec<String> = rows.iter().map(|r| r.date.clone()).collect();
        days.dedup();
        for d in days {
            let date = parse_date(&d).ok_or_else(|| bad(&d))?;
            let entered = local_instant(
                date,
                NaiveTime::from_hms_opt(9, 10, 0).unwrap_or(NaiveTime::MIN),
                off,
            )
            .min(self.now);
            let day_rows: Vec<_> = rows.iter().filter(|r| r.date == d).cloned().collect();
            let rep = reports::import(
                &mut self.store,
                &ctx(&self.clerk, entered),
                &self.town,
                &day_rows,
                ImportOptions::default(),
            )
            .map_err(store_err)?;
            if let Some(p) = rep.problems.first() {
                return Err(bad(format!(
                    "reports.csv:{}: {}: {}",
                    p.line, p.column, p.msg
                )));
            }
        }
        Ok(())
    }

    /// The current shift's people; it is the desk's first shift, open from its start.
    /// Returns its start.
    fn open_first_shift(&mut self, roster: &[RosterItem]) -> Result<DateTime<Utc>, Msg> {
        let clerk = self.clerk.clone();
        let shift_start =
            shiftlog::nominal_shift_start(self.store.conn(), self.now).map_err(store_err)?;
        self.write(&clerk, shift_start, shiftlog::open_first_shift)?;
        for r in roster {
            let duty = Duty::parse(&r.duty).ok_or_else(|| bad(&r.duty))?;
            self.write(&clerk, shift_start, |w| {
                shiftlog::set_roster(w, shift_start, &r.staff, duty)
            })?;
        }
        Ok(shift_start)
    }

    fn set_stock(&mut self, stock: &[StockEntry]) -> Result<(), Msg> {
        let (clerk, at) = (self.clerk.clone(), self.now - Duration::minutes(90));
        for s in stock {
            let item = StockItem::parse(&s.item).ok_or_else(|| bad(&s.item))?;
            self.write(&clerk, at, |w| {
                escalations::set_stock(w, &s.place, item, s.quantity)
            })?;
        }
        Ok(())
    }

    /// The trips, oldest first.
    fn transports(&mut self, trips: &[Trip]) -> Result<(), Msg> {
        let mut trips: Vec<&Trip> = trips.iter().collect();
        trips.sort_by_key(|t| -t.minutes_ago);
        for t in trips {
            self.trip(t)?;
        }
        Ok(())
    }

    /// One trip: requested, then taken through its statuses up to `t.status`.
    fn trip(&mut self, t: &Trip) -> Result<(), Msg> {
        let dispatcher = self.dispatcher.clone();
        let asked = self.now - Duration::minutes(t.minutes_ago);
        let req = NewRequest {
            caller: t.caller.clone(),
            patient: t.patient.clone(),
            age: t.age,
            village: t.village.clone(),
            severity: t.severity.clone(),
            destination: t.destination.clone(),
            note: t.note.clone(),
        };
        let town = &self.town;
        let id = self
            .store
            .write(&ctx(&dispatcher, asked), |w| fleet::request(w, town, &req))
            .map_err(store_err)?;
        let target = TripStatus::parse(&t.status).ok_or_else(|| bad(&t.status))?;
        let Some(vehicle) = &t.vehicle else {
            return Ok(());
        };
        let chain = [
            TripStatus::Dispatched,
            TripStatus::EnRoute,
            TripStatus::OnScene,
            TripStatus::Transporting,
            TripStatus::AtDestination,
            TripStatus::BackInService,
        ];
        let steps: Vec<TripStatus> = chain
            .iter()
            .copied()
            .take(chain.iter().position(|s| *s == target).map_or(1, |i| i + 1))
            .collect();
        // spread the steps between the request and a minute ago (or 40 minutes, for old trips)
        let span = Duration::minutes((t.minutes_ago - 1).clamp(1, 120));
        let n = steps.len() as i32;
        for (i, step) in steps.iter().enumerate() {
            let at = asked + span * (i as i32 + 1) / (n + 1);
            self.write(&dispatcher, at, |w| match step {
                TripStatus::Dispatched => fleet::dispatch(w, id, vehicle),
                other => fleet::advance(w, id, *other),
            })?;
        }
        Ok(())
    }

    fn out_of_service(&mut self, vehicles: &[OutOfService]) -> Result<(), Msg> {
        let (dispatcher, at) = (self.dispatcher.clone(), self.now - Duration::minutes(150));
        for v in vehicles {
            self.write(&dispatcher, at, |w| {
                fleet::set_in_service(w, &v.vehicle, false, &v.reason)
            })?;
        }
        Ok(())
    }

    fn escalations(&mut self, list: &[Esc]) -> Result<(), Msg> {
        for e in list {
            let kind = Kind::parse(&e.kind).ok_or_else(|| bad(&e.kind))?;
            let raised = self.now - Duration::minutes(e.raised_minutes_ago);
            let new = NewEscalation {
                kind,
                title: e.title.clone(),
                village: e.village.clone(),
                place: None,
                details: e.details.clone(),
                direct: e.direct,
                subject: None,
                due: self.now + Duration::minutes(e.due_in_minutes),
                grace_minutes: self.town.info.escalation_grace_minutes,
            };
            let id = self.write(&e.raised_by, raised, |w| escalations::raise(w, &new))?;
            if e.acknowledged {
                self.write(&e.raised_by, raised + Duration::minutes(5), |w| {
                    escalations::acknowledge(w, id)
                })?;
            }
        }
        Ok(())
    }

    /// The shift log, oldest entry first.
    fn log(&mut self, items: &[LogItem]) -> Result<(), Msg> {
        let mut entries: Vec<&LogItem> = items.iter().collect();
        entries.sort_by_key(|l| -l.minutes_ago);
        for l in entries {
            let cat = LogCategory::parse(&l.category).ok_or_else(|| bad(&l.category))?;
            let at = self.now - Duration::minutes(l.minutes_ago);
            self.write(&l.author, at, |w| shiftlog::add_entry(w, cat, &l.text))?;
        }
        Ok(())
    }

    /// The night's events belong to the shift before, which the first officer took over
    /// at the start of this one.
    fn hand_over_the_night(
        &mut self,
        shift_start: DateTime<Utc>,
        operator: &str,
    ) -> Result<(), Msg> {
        let clerk = self.clerk.clone();
        self.write(&clerk, shift_start, shiftlog::file_earlier_entries)?;
        let open =
            shiftlog::current_shift_start(self.store.conn(), shift_start).map_err(store_err)?;
        if open < shift_start {
            let town = &self.town;
            self.store
                .write(&ctx(operator, shift_start), |w| {
                    crate::store::handover::sign(w, town, None)
                })
                .map_err(store_err)?;
        }
        Ok(())
    }
}
