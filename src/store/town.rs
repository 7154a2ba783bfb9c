//! Creating a database from a town file, and reading the town's fixed data back.

mod apply;

pub use apply::{TOWN_HISTORY_SQL, apply, edit, set_surge, town_history};

use crate::domain::audit_action::AuditAction;
use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde_json::json;

use super::{Ctx, Result, Store, StoreError};
use crate::domain::time::{parse_hhmm, parse_offset};
use crate::domain::town::settings::{self, SETTINGS, Setting, Type, Value};
use crate::domain::town::{
    HealthCenter, Hospital, Role, Staff, Town, TownFile, TownInfo, Vehicle, VehicleKind, Village,
};
use crate::domain::town_change::Retired;
use crate::i18n::Msg;

/// Creates a database at `path` for `town`. Never touches an existing file.
pub fn create(path: &Path, town: &TownFile, ctx: &Ctx) -> Result<Store> {
    let mut store = Store::create_empty(path)?;
    store.write(ctx, |w| {
        // the same writing as `town apply`, on an empty town
        apply::write_file(w, town)?;
        let t = &town.town;
        w.audit(
            AuditAction::TownInit,
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

/// Writes every settings key of the town file (`domain::town::settings::SETTINGS`) to the
/// town's one row, creating it at `init` and overwriting it at `town apply`: both write
/// the same columns, from the same table.
fn write_settings(tx: &Connection, t: &TownInfo) -> Result<()> {
    // the statement names only the table's own column constants; every value is bound
    let columns: Vec<&str> = SETTINGS.iter().map(|s| s.column).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = columns
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO town (id, {}) VALUES (1, {}) ON CONFLICT (id) DO UPDATE SET {}",
        columns.join(", "),
        marks.join(", "),
        updates.join(", ")
    );
    let values = SETTINGS.iter().map(|s| to_sql((s.get)(t)));
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// A setting as its column stores it (times `HH:MM`, the offset `+08:00`).
fn to_sql(v: Value) -> SqlValue {
    match v {
        Value::Text(s) => SqlValue::Text(s),
        Value::Offset(_) | Value::Time(_) => SqlValue::Text(v.file_text()),
        Value::Percent(p) => SqlValue::Real(p),
        Value::Int(n) => SqlValue::Integer(n),
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
    }
}

/// A setting read back from its column, by its type.
fn from_sql(s: &Setting, r: &rusqlite::Row<'_>, i: usize) -> Result<Value> {
    let bad = || bad_row(&format!("town.{}", s.column));
    Ok(match s.ty {
        Type::Text { .. } => Value::Text(r.get(i)?),
        Type::Offset => Value::Offset(parse_offset(&r.get::<_, String>(i)?).ok_or_else(bad)?),
        Type::Time { .. } => Value::Time(parse_hhmm(&r.get::<_, String>(i)?).ok_or_else(bad)?),
        Type::Percent { .. } => Value::Percent(r.get(i)?),
        Type::Int { .. } | Type::Hours { .. } => Value::Int(r.get(i)?),
        Type::Bool { .. } => Value::Bool(r.get(i)?),
    })
}

fn bad_row(what: &str) -> StoreError {
    StoreError::Open(Msg::new("err.corrupt_row").arg("what", what))
}

/// Reads the town's fixed data: its one row in one query, each table of places in one
/// pass split into those in service and the retired (issue 18: every command and every
/// console refresh reads it).
pub fn load(conn: &Connection) -> Result<Town> {
    // the one row in one read (issue 18: it was read again for the operator rules)
    let columns: Vec<&str> = SETTINGS.iter().map(|s| s.column).collect();
    let sql = format!(
        "SELECT surge, {} FROM town WHERE id = 1",
        columns.join(", ")
    );
    let mut info = settings::blank();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    let row = rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    info.surge.on = row.get(0)?;
    for (i, s) in SETTINGS.iter().enumerate() {
        (s.set)(&mut info, from_sql(s, row, i + 1)?);
    }
    drop(rows);
    drop(stmt);
    // the session length bounded as `session::rules` bounds it (a hand-edited row)
    info.session_hours = super::session::bounded_hours(info.session_hours);
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
    conn.prepare_cached("SELECT name, role, phone, retired_at IS NOT NULL FROM staff ORDER BY seq")?
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::town::parse_town;

    /// Every setting of the town file, none at its default, survives `init` (the surge
    /// values were dropped: `create` wrote fewer columns than `town apply`). A new
    /// setting: give it a value here that is not its default.
    #[test]
    fn init_keeps_every_setting_of_the_town_file() {
        let src = include_str!("../../data/demo/town.toml");
        let mut file = parse_town(src).unwrap();
        let t = &mut file.town;
        t.name_en = "Somewhere".into();
        t.offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        t.report_cutoff = parse_hhmm("09:15").unwrap();
        t.shift_start = parse_hhmm("07:45").unwrap();
        t.stock_threshold_percent = 17.5;
        t.critical_wait_minutes = 11;
        t.severe_wait_minutes = 31;
        t.escalation_grace_minutes = 61;
        t.handover_grace_minutes = 33;
        t.notifications = false;
        t.min_oximeters_hc = 21;
        t.session_hours = 8;
        t.require_pin = true;
        t.surge.stock_threshold_percent = 41.5;
        t.surge.critical_wait_minutes = 4;
        t.surge.severe_wait_minutes = 14;
        t.surge.handover_grace_minutes = 9;
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx {
            operator: "test".into(),
            now: crate::domain::time::from_db("2026-11-26T00:00:00Z").unwrap(),
        };
        let store = create(&dir.path().join("t.db"), &file, &ctx).unwrap();
        assert_eq!(load(store.conn()).unwrap().info, file.town);
    }
}
