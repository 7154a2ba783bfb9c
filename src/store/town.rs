//! Creating a database from a town file, and reading the town's fixed data back.

mod apply;

pub use apply::{apply, edit, set_surge, town_history};

use std::path::Path;

use rusqlite::{Connection, params};
use serde_json::json;

use super::{Ctx, Result, Store, StoreError};
use crate::domain::time::{format_offset, parse_hhmm, parse_offset};
use crate::domain::town::{
    HealthCenter, Hospital, Role, Staff, Surge, Town, TownFile, TownInfo, Vehicle, VehicleKind,
    Village,
};
use crate::domain::town_change::Retired;
use crate::i18n::Msg;

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
        let kp = &t.key_populations;
        tx.execute(
            "UPDATE town SET red_per_week = ?1, yellow_per_week = ?2, green_per_week = ?3
             WHERE id = 1",
            params![kp.red_per_week, kp.yellow_per_week, kp.green_per_week],
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

/// Reads the town's fixed data.
pub fn load(conn: &Connection) -> Result<Town> {
    let surge = conn.query_row(
        "SELECT surge, surge_stock_threshold_percent, surge_critical_wait_minutes,
                surge_severe_wait_minutes, surge_handover_grace_minutes FROM town WHERE id = 1",
        [],
        |r| {
            Ok(Surge {
                on: r.get(0)?,
                stock_threshold_percent: r.get(1)?,
                critical_wait_minutes: r.get(2)?,
                severe_wait_minutes: r.get(3)?,
                handover_grace_minutes: r.get(4)?,
            })
        },
    )?;
    let info = conn.query_row(
        "SELECT name, name_en, utc_offset, report_cutoff, shift_start, stock_threshold_percent,
                critical_wait_minutes, severe_wait_minutes, escalation_grace_minutes, notifications,
                min_oximeters_hc
         FROM town WHERE id = 1",
        [],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, f64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, bool>(9)?,
                r.get::<_, i64>(10)?,
            ))
        },
    )?;
    let info = TownInfo {
        name: info.0,
        name_en: info.1,
        offset: parse_offset(&info.2).ok_or_else(|| bad_row("town.utc_offset"))?,
        report_cutoff: parse_hhmm(&info.3).ok_or_else(|| bad_row("town.report_cutoff"))?,
        shift_start: parse_hhmm(&info.4).ok_or_else(|| bad_row("town.shift_start"))?,
        stock_threshold_percent: info.5,
        critical_wait_minutes: info.6,
        severe_wait_minutes: info.7,
        escalation_grace_minutes: info.8,
        handover_grace_minutes: conn.query_row(
            "SELECT handover_grace_minutes FROM town WHERE id = 1",
            [],
            |r| r.get(0),
        )?,
        notifications: info.9,
        surge,
        min_oximeters_hc: info.10,
        session_hours: super::session::DEFAULT_HOURS,
        require_pin: false,
        key_populations: super::people::cadence(conn)?,
    };
    // the operator rules (issue 13) live in their own columns, read on their own
    let (session_hours, require_pin) = super::session::rules(conn)?;
    let info = TownInfo {
        session_hours,
        require_pin,
        ..info
    };
    let places = |retired: bool| -> Result<Places> {
        Ok(Places {
            health_centers: health_centers(conn, retired)?,
            hospitals: hospitals(conn, retired)?,
            villages: villages(conn, retired)?,
            vehicles: vehicles(conn, retired)?,
            staff: staff(conn, retired)?,
        })
    };
    let active = places(false)?;
    let gone = places(true)?;
    Ok(Town {
        info,
        health_centers: active.health_centers,
        hospitals: active.hospitals,
        villages: active.villages,
        vehicles: active.vehicles,
        staff: active.staff,
        retired: Retired {
            health_centers: gone.health_centers,
            hospitals: gone.hospitals,
            villages: gone.villages,
            vehicles: gone.vehicles,
            staff: gone.staff,
        },
    })
}

struct Places {
    health_centers: Vec<HealthCenter>,
    hospitals: Vec<Hospital>,
    villages: Vec<Village>,
    vehicles: Vec<Vehicle>,
    staff: Vec<Staff>,
}

// `retired` picks the records in service (false) or the retired ones (true)

fn health_centers(conn: &Connection, retired: bool) -> Result<Vec<HealthCenter>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, name_en, beds, phone FROM health_center
             WHERE (retired_at IS NOT NULL) = ?1 ORDER BY seq",
        )?
        .query_map([retired], |r| {
            Ok(HealthCenter {
                code: r.get(0)?,
                name: r.get(1)?,
                name_en: r.get(2)?,
                beds: r.get(3)?,
                phone: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn hospitals(conn: &Connection, retired: bool) -> Result<Vec<Hospital>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, name, name_en FROM hospital WHERE (retired_at IS NOT NULL) = ?1 ORDER BY seq",
        )?
        .query_map([retired], |r| {
            Ok(Hospital {
                code: r.get(0)?,
                name: r.get(1)?,
                name_en: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn villages(conn: &Connection, retired: bool) -> Result<Vec<Village>> {
    let mut villages = conn
        .prepare_cached(
            "SELECT code, name, name_en, population, clinic_phone, health_center FROM village
             WHERE (retired_at IS NOT NULL) = ?1 ORDER BY seq",
        )?
        .query_map([retired], |r| {
            Ok(Village {
                code: r.get(0)?,
                name: r.get(1)?,
                name_en: r.get(2)?,
                population: r.get(3)?,
                clinic_phone: r.get(4)?,
                health_center: r.get(5)?,
                neighbours: Vec::new(),
            })
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
        .map(|(i, v)| (v.code.clone(), i))
        .collect();
    for (v, n) in pairs {
        if let Some(&i) = index.get(&v) {
            villages[i].neighbours.push(n);
        }
    }
    Ok(villages)
}

fn vehicles(conn: &Connection, retired: bool) -> Result<Vec<Vehicle>> {
    conn.prepare_cached(
        "SELECT code, kind, COALESCE(base_hc, base_village), plate, driver, phone FROM vehicle
         WHERE (retired_at IS NOT NULL) = ?1 ORDER BY seq",
    )?
    .query_map([retired], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(|(code, kind, base, plate, driver, phone)| {
        Ok(Vehicle {
            kind: VehicleKind::parse(&kind).ok_or_else(|| bad_row("vehicle.kind"))?,
            code,
            base,
            plate,
            driver,
            phone,
        })
    })
    .collect()
}

fn staff(conn: &Connection, retired: bool) -> Result<Vec<Staff>> {
    conn.prepare_cached(
        "SELECT name, role, phone FROM staff WHERE (retired_at IS NOT NULL) = ?1 ORDER BY seq",
    )?
    .query_map([retired], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(|(name, role, phone)| {
        Ok(Staff {
            role: Role::parse(&role).ok_or_else(|| bad_row("staff.role"))?,
            name,
            phone,
        })
    })
    .collect()
}
