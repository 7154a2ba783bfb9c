//! Creating a database from a town file, and reading the town's fixed data back.

mod apply;

pub use apply::{apply, edit, set_surge, town_history};

use std::path::Path;

use rusqlite::{Connection, params};
use serde_json::json;

use super::{Ctx, Result, Store, StoreError};
use crate::domain::time::{format_offset, parse_hhmm, parse_offset};
use crate::domain::town::{
    HealthCenter, Hospital, Role, Staff, Surge, TownFile, TownInfo, Vehicle, VehicleKind, Village,
};
use crate::domain::town_change::Retired;
use crate::i18n::Msg;

/// The town's fixed data, loaded once per open: places, vehicles' ledger, staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    /// Town and settings.
    pub info: TownInfo,
    /// Health centers, in file order.
    pub health_centers: Vec<HealthCenter>,
    /// Referral hospitals, in file order.
    pub hospitals: Vec<Hospital>,
    /// Villages, in file order.
    pub villages: Vec<Village>,
    /// Vehicles, in file order.
    pub vehicles: Vec<Vehicle>,
    /// Staff, in file order.
    pub staff: Vec<Staff>,
    /// What left the town: kept for history (names of old trips and reports), nowhere else.
    pub retired: Retired,
}

impl Town {
    /// Finds a village by code, or by its exact Chinese or English name.
    pub fn village(&self, key: &str) -> Option<&Village> {
        let key = key.trim();
        self.villages.iter().find(|v| v.code == key).or_else(|| {
            self.villages
                .iter()
                .find(|v| v.name == key || (!v.name_en.is_empty() && v.name_en == key))
        })
    }

    /// A health center by code.
    pub fn health_center(&self, code: &str) -> Option<&HealthCenter> {
        self.health_centers.iter().find(|h| h.code == code)
    }

    /// A staff member by exact name.
    pub fn staff_member(&self, name: &str) -> Option<&Staff> {
        self.staff.iter().find(|s| s.name == name.trim())
    }

    /// True when `name` was on the staff list and has been retired from it.
    pub fn is_retired_staff(&self, name: &str) -> bool {
        self.retired.staff.iter().any(|s| s.name == name.trim())
    }

    /// The town as it stands, as a town file (what `town show` prints).
    pub fn to_file(&self) -> TownFile {
        TownFile {
            town: self.info.clone(),
            health_centers: self.health_centers.clone(),
            hospitals: self.hospitals.clone(),
            villages: self.villages.clone(),
            vehicles: self.vehicles.clone(),
            staff: self.staff.clone(),
        }
    }

    /// A place's display name in `lang` (village, health center or hospital), or the code.
    pub fn place_name(&self, code: &str, lang: crate::i18n::Lang) -> String {
        let pick = |zh: &str, en: &str| match lang {
            crate::i18n::Lang::Zh => zh.to_string(),
            crate::i18n::Lang::En if !en.is_empty() => en.to_string(),
            crate::i18n::Lang::En => zh.to_string(),
        };
        if let Some(v) = self.villages.iter().find(|v| v.code == code) {
            return pick(&v.name, &v.name_en);
        }
        if let Some(h) = self.health_center(code) {
            return pick(&h.name, &h.name_en);
        }
        if let Some(h) = self.hospitals.iter().find(|h| h.code == code) {
            return pick(&h.name, &h.name_en);
        }
        // a retired place still names the trips and reports of its time
        let r = &self.retired;
        if let Some(v) = r.villages.iter().find(|v| v.code == code) {
            return pick(&v.name, &v.name_en);
        }
        if let Some(h) = r.health_centers.iter().find(|h| h.code == code) {
            return pick(&h.name, &h.name_en);
        }
        if let Some(h) = r.hospitals.iter().find(|h| h.code == code) {
            return pick(&h.name, &h.name_en);
        }
        code.to_string()
    }

    /// The town's display name in `lang`.
    pub fn name(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::En if !self.info.name_en.is_empty() => &self.info.name_en,
            _ => &self.info.name,
        }
    }
}

/// Creates a database at `path` for `town`. Never touches an existing file.
pub fn create(path: &Path, town: &TownFile, ctx: &Ctx) -> Result<Store> {
    let mut store = Store::create_empty(path)?;
    store.write(ctx, |w| {
        let tx = w.tx;
        let t = &town.town;
        tx.execute(
            "INSERT INTO town (id, name, name_en, utc_offset, report_cutoff, shift_start,
               stock_threshold_percent, critical_wait_minutes, severe_wait_minutes,
               escalation_grace_minutes, notifications, min_oximeters_hc)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                t.name,
                t.name_en,
                format_offset(t.offset),
                t.report_cutoff.format("%H:%M").to_string(),
                t.shift_start.format("%H:%M").to_string(),
                t.stock_threshold_percent,
                t.critical_wait_minutes,
                t.severe_wait_minutes,
                t.escalation_grace_minutes,
                t.notifications,
                t.min_oximeters_hc,
            ],
        )?;
        tx.execute(
            "UPDATE town SET session_hours = ?1, require_pin = ?2 WHERE id = 1",
            params![t.session_hours, t.require_pin],
        )?;
        tx.execute(
            "UPDATE town SET handover_grace_minutes = ?1 WHERE id = 1",
            [t.handover_grace_minutes],
        )?;
        for (i, h) in town.health_centers.iter().enumerate() {
            tx.execute(
                "INSERT INTO health_center (code, name, name_en, beds, phone, seq) VALUES (?1,?2,?3,?4,?5,?6)",
                params![h.code, h.name, h.name_en, h.beds, h.phone, i as i64],
            )?;
        }
        for (i, h) in town.hospitals.iter().enumerate() {
            tx.execute(
                "INSERT INTO hospital (code, name, name_en, seq) VALUES (?1,?2,?3,?4)",
                params![h.code, h.name, h.name_en, i as i64],
            )?;
        }
        for (i, v) in town.villages.iter().enumerate() {
            tx.execute(
                "INSERT INTO village (code, name, name_en, population, clinic_phone, health_center, seq)
                 VALUES (?1,?2,?3,?4,?5,?6,?7)",
                params![v.code, v.name, v.name_en, v.population, v.clinic_phone, v.health_center, i as i64],
            )?;
        }
        for v in &town.villages {
            for n in &v.neighbours {
                // neighbourhood is symmetric even when the file lists it once
                tx.execute(
                    "INSERT OR IGNORE INTO village_neighbour (village, neighbour) VALUES (?1, ?2)",
                    params![v.code, n],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO village_neighbour (village, neighbour) VALUES (?1, ?2)",
                    params![n, v.code],
                )?;
            }
        }
        let now = w.now_db();
        for (i, v) in town.vehicles.iter().enumerate() {
            let (hc, village) = match v.kind {
                VehicleKind::Ambulance => (Some(&v.base), None),
                VehicleKind::ReserveCar => (None, Some(&v.base)),
            };
            tx.execute(
                "INSERT INTO vehicle (code, kind, base_hc, base_village, plate, driver, phone, status_since, seq)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                params![v.code, v.kind.as_str(), hc, village, v.plate, v.driver, v.phone, now, i as i64],
            )?;
        }
        for (i, s) in town.staff.iter().enumerate() {
            tx.execute(
                "INSERT INTO staff (name, role, phone, seq) VALUES (?1,?2,?3,?4)",
                params![s.name, s.role.as_str(), s.phone, i as i64],
            )?;
        }
        w.audit(
            "town.init",
            "town",
            json!({
                "name": t.name,
                "villages": town.villages.len(),
                "health_centers": town.health_centers.len(),
                "vehicles": town.vehicles.len(),
                "staff": town.staff.len(),
            }),
        )?;
        Ok(())
    })?;
    Ok(store)
}

fn bad_row(what: &str) -> StoreError {
    StoreError::Open(Msg::new("err.corrupt_row").arg("what", what))
}

/// Reads the town's fixed data: its one row in one query, each table of places in one
/// pass split into those in service and the retired (issue 18: every command and every
/// console refresh reads it).
pub fn load(conn: &Connection) -> Result<Town> {
    let row = conn
        .prepare_cached(
            "SELECT name, name_en, utc_offset, report_cutoff, shift_start, stock_threshold_percent,
                    critical_wait_minutes, severe_wait_minutes, escalation_grace_minutes,
                    notifications, min_oximeters_hc, handover_grace_minutes,
                    surge, surge_stock_threshold_percent, surge_critical_wait_minutes,
                    surge_severe_wait_minutes, surge_handover_grace_minutes,
                    session_hours, require_pin
             FROM town WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(TownRow {
                name: r.get(0)?,
                name_en: r.get(1)?,
                offset: r.get(2)?,
                report_cutoff: r.get(3)?,
                shift_start: r.get(4)?,
                stock_threshold_percent: r.get(5)?,
                critical_wait_minutes: r.get(6)?,
                severe_wait_minutes: r.get(7)?,
                escalation_grace_minutes: r.get(8)?,
                notifications: r.get(9)?,
                min_oximeters_hc: r.get(10)?,
                handover_grace_minutes: r.get(11)?,
                surge: Surge {
                    on: r.get(12)?,
                    stock_threshold_percent: r.get(13)?,
                    critical_wait_minutes: r.get(14)?,
                    severe_wait_minutes: r.get(15)?,
                    handover_grace_minutes: r.get(16)?,
                },
                session_hours: r.get(17)?,
                require_pin: r.get(18)?,
            })
        })?;
    let info = TownInfo {
        name: row.name,
        name_en: row.name_en,
        offset: parse_offset(&row.offset).ok_or_else(|| bad_row("town.utc_offset"))?,
        report_cutoff: parse_hhmm(&row.report_cutoff).ok_or_else(|| bad_row("town.report_cutoff"))?,
        shift_start: parse_hhmm(&row.shift_start).ok_or_else(|| bad_row("town.shift_start"))?,
        stock_threshold_percent: row.stock_threshold_percent,
        critical_wait_minutes: row.critical_wait_minutes,
        severe_wait_minutes: row.severe_wait_minutes,
        escalation_grace_minutes: row.escalation_grace_minutes,
        handover_grace_minutes: row.handover_grace_minutes,
        notifications: row.notifications,
        surge: row.surge,
        min_oximeters_hc: row.min_oximeters_hc,
        // the operator rules (issue 13), bounded as `session::rules` bounds them
        session_hours: super::session::bounded_hours(row.session_hours),
        require_pin: row.require_pin,
    };
    let (health_centers, gone_health_centers) = split(health_centers(conn)?);
    let (hospitals, gone_hospitals) = split(hospitals(conn)?);
    let (villages, gone_villages) = split(villages(conn)?);
    let (vehicles, gone_vehicles) = split(vehicles(conn)?);
    let (staff, gone_staff) = split(staff(conn)?);
    Ok(Town {
        info,
        health_centers,
        hospitals,
        villages,
        vehicles,
        staff,
        retired: Retired {
            health_centers: gone_health_centers,
            hospitals: gone_hospitals,
            villages: gone_villages,
            vehicles: gone_vehicles,
            staff: gone_staff,
        },
    })
}

/// The town's one row as stored.
struct TownRow {
    name: String,
    name_en: String,
    offset: String,
    report_cutoff: String,
    shift_start: String,
    stock_threshold_percent: f64,
    critical_wait_minutes: i64,
    severe_wait_minutes: i64,
    escalation_grace_minutes: i64,
    notifications: bool,
    min_oximeters_hc: i64,
    handover_grace_minutes: i64,
    surge: Surge,
    session_hours: i64,
    require_pin: bool,
}

/// Splits records read in `seq` order into those in service and the retired, each kept in
/// that order.
fn split<T>(rows: Vec<(bool, T)>) -> (Vec<T>, Vec<T>) {
    let mut active = Vec::with_capacity(rows.len());
    let mut gone = Vec::new();
    for (retired, t) in rows {
        if retired {
            gone.push(t);
        } else {
            active.push(t);
        }
    }
    (active, gone)
}

// each table is read whole, in `seq` order, every record with whether it is retired

fn health_centers(conn: &Connection) -> Result<Vec<(bool, HealthCenter)>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, name_en, beds, phone, retired_at IS NOT NULL FROM health_center
             ORDER BY seq",
        )?
        .query_map([], |r| {
            Ok((
                r.get(5)?,
                HealthCenter {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    name_en: r.get(2)?,
                    beds: r.get(3)?,
                    phone: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn hospitals(conn: &Connection) -> Result<Vec<(bool, Hospital)>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, name_en, retired_at IS NOT NULL FROM hospital ORDER BY seq",
        )?
        .query_map([], |r| {
            Ok((
                r.get(3)?,
                Hospital {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    name_en: r.get(2)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn villages(conn: &Connection) -> Result<Vec<(bool, Village)>> {
    let mut villages = conn
        .prepare_cached(
            "SELECT code, name, name_en, population, clinic_phone, health_center,
                    retired_at IS NOT NULL
             FROM village ORDER BY seq",
        )?
        .query_map([], |r| {
            Ok((
                r.get(6)?,
                Village {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    name_en: r.get(2)?,
                    population: r.get(3)?,
                    clinic_phone: r.get(4)?,
                    health_center: r.get(5)?,
                    neighbours: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let pairs = conn
        .prepare_cached(
            "SELECT village, neighbour FROM village_neighbour ORDER BY village, neighbour",
        )?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // the town is read with every console snapshot: an index, not a search per pair
    let index: std::collections::HashMap<String, usize> = villages
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (v.code.clone(), i))
        .collect();
    for (v, n) in pairs {
        if let Some(&i) = index.get(&v) {
            villages[i].1.neighbours.push(n);
        }
    }
    Ok(villages)
}

fn vehicles(conn: &Connection) -> Result<Vec<(bool, Vehicle)>> {
    conn.prepare_cached(
        "SELECT code, kind, COALESCE(base_hc, base_village), plate, driver, phone,
                retired_at IS NOT NULL
         FROM vehicle ORDER BY seq",
    )?
    .query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(|(code, kind, base, plate, driver, phone, retired)| {
        Ok((
            retired,
            Vehicle {
                kind: VehicleKind::parse(&kind).ok_or_else(|| bad_row("vehicle.kind"))?,
                code,
                base,
                plate,
                driver,
                phone,
            },
        ))
    })
    .collect()
}

fn staff(conn: &Connection) -> Result<Vec<(bool, Staff)>> {
    conn.prepare_cached(
        "SELECT name, role, phone, retired_at IS NOT NULL FROM staff ORDER BY seq",
    )?
    .query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(|(name, role, phone, retired)| {
        Ok((
            retired,
            Staff {
                role: Role::parse(&role).ok_or_else(|| bad_row("staff.role"))?,
                name,
                phone,
            },
        ))
    })
    .collect()
}
