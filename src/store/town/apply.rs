//! Changing the town after init: a town file applied in one transaction (one audit row
//! per change, nothing deleted), the console's small edits (the same path, one record at a
//! time), the surge switch, and the town's change history.

use crate::domain::audit_action::AuditAction;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::super::shiftlog::log_auto;
use super::super::{Result, StoreError, Writer, read_audit};
use super::{load, write_settings};
use crate::domain::audit_chain::AuditRow;
use crate::domain::roles::Permission;
use crate::domain::shift::LogCategory;
use crate::domain::town::{TownFile, VehicleKind};
use crate::domain::town_change::{Change, ChangeKind, Section, diff, symmetric_neighbours};
use crate::i18n::Msg;

/// Applies the town file `new`: computes the differences with the town as it stands and,
/// unless `dry_run`, writes them with one audit row each. Refuses (a `Conflict`, nothing
/// changed) to retire a vehicle that is on a trip. Returns the differences.
pub fn apply(w: &mut Writer<'_>, new: &TownFile, dry_run: bool) -> Result<(Vec<Change>, bool)> {
    w.permit(Permission::EditTown)?;
    let town = load(w.tx)?;
    let changes = diff(&town.to_file(), &town.retired, new);
    for c in &changes {
        refuse_if_busy(w, c)?;
        refuse_name_of_retired(&town.retired, c, new)?;
    }
    if dry_run || changes.is_empty() {
        return Ok((changes, false));
    }
    write_file(w, new)?;
    for c in &changes {
        w.audit(c.kind.action(), &c.subject(), c.detail())?;
    }
    Ok((changes, true))
}

/// A vehicle on a trip cannot leave the town.
fn refuse_if_busy(w: &Writer<'_>, c: &Change) -> Result<()> {
    if c.section != Section::Vehicle || c.kind != ChangeKind::Retired {
        return Ok(());
    }
    let trip: Option<Option<i64>> =
        w.tx.prepare_cached("SELECT transport FROM vehicle WHERE code = ?1")?
            .query_row([&c.key], |r| r.get(0))
            .optional()?;
    match trip.flatten() {
        Some(id) => Err(StoreError::Conflict(
            Msg::new("town_change.err.vehicle_on_trip")
                .arg("vehicle", &c.key)
                .arg("id", id),
        )),
        None => Ok(()),
    }
}

/// A new village may not take a retired village's name (history would confuse the two).
fn refuse_name_of_retired(
    retired: &crate::domain::town_change::Retired,
    c: &Change,
    new: &TownFile,
) -> Result<()> {
    if c.section != Section::Village || c.kind == ChangeKind::Retired {
        return Ok(());
    }
    let Some(v) = new.villages.iter().find(|v| v.code == c.key) else {
        return Ok(());
    };
    match retired.villages.iter().find(|r| {
        r.code != v.code && (r.name == v.name || (!v.name_en.is_empty() && r.name_en == v.name_en))
    }) {
        Some(r) => Err(StoreError::Invalid(
            Msg::new("town_change.err.name_of_retired")
                .arg("code", &v.code)
                .arg("name", &v.name)
                .arg("retired", &r.code),
        )),
        None => Ok(()),
    }
}

/// Writes the whole file over the town: every record in it in service (with the file's
/// order), every record missing from it retired. Rows are only inserted or updated. `init`
/// writes a new town with it too.
pub(super) fn write_file(w: &mut Writer<'_>, new: &TownFile) -> Result<()> {
    let now = w.now_db();
    let tx = w.tx;
    write_settings(tx, &new.town)?;
    write_health_centers(tx, &now, new)?;
    write_hospitals(tx, &now, new)?;
    write_villages(tx, &now, new)?;
    write_vehicles(tx, &now, new)?;
    write_staff(tx, &now, new)
}

/// Retires the records of `section` the file no longer names (only rows still in
/// service), at `now`; `keys` are the codes (names, for staff) in the file.
fn retire_missing(tx: &Connection, now: &str, section: Section, keys: Vec<&str>) -> Result<()> {
    let sql = match section {
        Section::HealthCenter => {
            "UPDATE health_center SET retired_at = ?1 WHERE retired_at IS NULL
             AND code NOT IN (SELECT value FROM json_each(?2))"
        }
        Section::Hospital => {
            "UPDATE hospital SET retired_at = ?1 WHERE retired_at IS NULL
             AND code NOT IN (SELECT value FROM json_each(?2))"
        }
        Section::Village => {
            "UPDATE village SET retired_at = ?1 WHERE retired_at IS NULL
             AND code NOT IN (SELECT value FROM json_each(?2))"
        }
        Section::Vehicle => {
            "UPDATE vehicle SET retired_at = ?1 WHERE retired_at IS NULL
             AND code NOT IN (SELECT value FROM json_each(?2))"
        }
        Section::Staff => {
            "UPDATE staff SET retired_at = ?1 WHERE retired_at IS NULL
             AND name NOT IN (SELECT value FROM json_each(?2))"
        }
        Section::Town | Section::Rules | Section::KeyPopulations => return Ok(()),
    };
    let list = serde_json::Value::from(keys).to_string();
    tx.prepare_cached(sql)?.execute(params![now, list])?;
    Ok(())
}

fn write_health_centers(tx: &Connection, now: &str, new: &TownFile) -> Result<()> {
    for (i, h) in new.health_centers.iter().enumerate() {
        tx.execute(
            "INSERT INTO health_center (code, name, name_en, beds, phone, seq) VALUES (?1,?2,?3,?4,?5,?6)
             ON CONFLICT (code) DO UPDATE SET name = ?2, name_en = ?3, beds = ?4, phone = ?5,
               seq = ?6, retired_at = NULL",
            params![h.code, h.name, h.name_en, h.beds, h.phone, i as i64],
        )?;
    }
    let codes = new.health_centers.iter().map(|h| h.code.as_str()).collect();
    retire_missing(tx, now, Section::HealthCenter, codes)
}

fn write_hospitals(tx: &Connection, now: &str, new: &TownFile) -> Result<()> {
    for (i, h) in new.hospitals.iter().enumerate() {
        tx.execute(
            "INSERT INTO hospital (code, name, name_en, seq) VALUES (?1,?2,?3,?4)
             ON CONFLICT (code) DO UPDATE SET name = ?2, name_en = ?3, seq = ?4, retired_at = NULL",
            params![h.code, h.name, h.name_en, i as i64],
        )?;
    }
    let codes = new.hospitals.iter().map(|h| h.code.as_str()).collect();
    retire_missing(tx, now, Section::Hospital, codes)
}

/// The villages, their names first moved aside, and the neighbourhood.
fn write_villages(tx: &Connection, now: &str, new: &TownFile) -> Result<()> {
    // names are unique: two villages may swap names in one file, so every name in the
    // file is first moved aside (a control character no real name may hold)
    for v in &new.villages {
        tx.execute(
            "UPDATE village SET name = char(1) || code WHERE code = ?1 AND name <> ?2",
            params![v.code, v.name],
        )?;
    }
    for (i, v) in new.villages.iter().enumerate() {
        tx.execute(
            "INSERT INTO village (code, name, name_en, population, clinic_phone, health_center, seq)
             VALUES (?1,?2,?3,?4,?5,?6,?7)
             ON CONFLICT (code) DO UPDATE SET name = ?2, name_en = ?3, population = ?4,
               clinic_phone = ?5, health_center = ?6, seq = ?7, retired_at = NULL",
            params![
                v.code,
                v.name,
                v.name_en,
                v.population,
                v.clinic_phone,
                v.health_center,
                i as i64
            ],
        )?;
    }
    retire_missing(
        tx,
        now,
        Section::Village,
        new.villages.iter().map(|v| v.code.as_str()).collect(),
    )?;
    // the neighbourhood is a relation, not a record: it is what the file says
    tx.execute("DELETE FROM village_neighbour", [])?;
    for v in symmetric_neighbours(&new.villages) {
        for n in &v.neighbours {
            tx.execute(
                "INSERT OR IGNORE INTO village_neighbour (village, neighbour) VALUES (?1, ?2)",
                params![v.code, n],
            )?;
        }
    }
    Ok(())
}

fn write_vehicles(tx: &Connection, now: &str, new: &TownFile) -> Result<()> {
    for (i, v) in new.vehicles.iter().enumerate() {
        let (hc, village) = match v.kind {
            VehicleKind::Ambulance => (Some(&v.base), None),
            VehicleKind::ReserveCar => (None, Some(&v.base)),
        };
        tx.execute(
            "INSERT INTO vehicle (code, kind, base_hc, base_village, plate, driver, phone, status_since, seq)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)
             ON CONFLICT (code) DO UPDATE SET kind = ?2, base_hc = ?3, base_village = ?4,
               plate = ?5, driver = ?6, phone = ?7, seq = ?9, retired_at = NULL",
            params![
                v.code,
                v.kind.as_str(),
                hc,
                village,
                v.plate,
                v.driver,
                v.phone,
                now,
                i as i64
            ],
        )?;
    }
    retire_missing(
        tx,
        now,
        Section::Vehicle,
        new.vehicles.iter().map(|v| v.code.as_str()).collect(),
    )?;
    Ok(())
}

fn write_staff(tx: &Connection, now: &str, new: &TownFile) -> Result<()> {
    for (i, s) in new.staff.iter().enumerate() {
        tx.execute(
            "INSERT INTO staff (name, role, phone, seq) VALUES (?1,?2,?3,?4)
             ON CONFLICT (name) DO UPDATE SET role = ?2, phone = ?3, seq = ?4, retired_at = NULL",
            params![s.name, s.role.as_str(), s.phone, i as i64],
        )?;
    }
    retire_missing(
        tx,
        now,
        Section::Staff,
        new.staff.iter().map(|s| s.name.as_str()).collect(),
    )?;
    Ok(())
}

/// One record's fields changed in place from the console (a vehicle's driver and phone, a
/// person's phone and role, a village's clinic phone and population): the town as it
/// stands with `change` applied to it, checked as a town file is, written as `apply`
/// writes one. Returns the differences (empty when nothing changed).
pub fn edit(
    w: &mut Writer<'_>,
    change: impl FnOnce(&mut TownFile) -> std::result::Result<(), Msg>,
) -> Result<Vec<Change>> {
    w.permit(Permission::EditTown)?;
    let mut file = load(w.tx)?.to_file();
    change(&mut file).map_err(StoreError::Invalid)?;
    // the edited town is checked as a town file would be: written out and read back
    let checked = crate::domain::town::parse_town(&crate::domain::town_change::to_toml(&file))
        .map_err(|problems| {
            StoreError::Invalid(
                problems
                    .into_iter()
                    .next()
                    .map(|p| p.msg)
                    .unwrap_or_else(|| Msg::new("town.err.empty")),
            )
        })?;
    let (changes, _) = apply(w, &checked, false)?;
    Ok(changes)
}

/// Switches surge on or off (duty leader): the reserve line, the waiting-transport limits
/// and the handover grace follow the surge values while it is on. Audited and put in the
/// shift log. Returns false (and writes nothing) when surge already stands so.
pub fn set_surge(w: &mut Writer<'_>, on: bool) -> Result<bool> {
    w.permit(Permission::EditTown)?;
    let info = load(w.tx)?.info;
    if info.surge.on == on {
        return Ok(false);
    }
    w.tx.execute("UPDATE town SET surge = ?1 WHERE id = 1", [on])?;
    let s = &info.surge;
    let detail = json!({
        "on": on,
        "stock_threshold_percent": if on { s.stock_threshold_percent } else { info.stock_threshold_percent },
        "critical_wait_minutes": if on { s.critical_wait_minutes } else { info.critical_wait_minutes },
        "severe_wait_minutes": if on { s.severe_wait_minutes } else { info.severe_wait_minutes },
    });
    w.audit(AuditAction::TownSurge, "town", detail)?;
    let msg = if on {
        Msg::new("town_change.log.surge_on").arg("percent", s.stock_threshold_percent)
    } else {
        Msg::new("town_change.log.surge_off").arg("percent", info.stock_threshold_percent)
    };
    log_auto(w, LogCategory::Note, msg)?;
    Ok(true)
}

/// The town history's query: every `AuditAction::Town*` is named `town.<what>`, which is
/// the range `town.` ≤ action < `town/` (`/` follows `.`), the condition of the partial
/// index `audit_town_by_id` (schema_013_is18q): the newest rows are read off the index's
/// end, not found by scanning the audit log (issue 18).
pub const TOWN_HISTORY_SQL: &str = "SELECT id, at, operator, action, subject, detail FROM audit
     WHERE action >= 'town.' AND action < 'town/' ORDER BY id DESC LIMIT ?1";

/// The audit rows about the town itself (init, applied files, console edits, surge),
/// newest first, at most `limit`.
pub fn town_history(conn: &rusqlite::Connection, limit: i64) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(TOWN_HISTORY_SQL)?;
    let rows = stmt
        .query_map([limit], read_audit)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
