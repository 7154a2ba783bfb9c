//! The health centers' facilities (`capacity set|list`, the report's facilities panel):
//! beds occupied, oxygen, oximeters and the fever clinic, with the drug and test-kit
//! reserve beside them.

use crate::domain::audit_action::AuditAction;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::{Result, StoreError, Writer};
use crate::domain::escalation::StockItem;
use crate::domain::facility::{Capacity, FacilityRow, FeverClinic};
use crate::domain::report::MAX_FIGURE;
use crate::domain::roles::Permission;
use crate::domain::rules::{reserve_line, served_population};
use crate::domain::time::from_db;
use crate::domain::town::Town;
use crate::i18n::Msg;

/// What a `capacity set` changes; `None` leaves a figure as it was.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapacityUpdate {
    /// Beds occupied.
    pub beds_occupied: Option<i64>,
    /// Oxygen concentrators.
    pub oxygen_concentrators: Option<i64>,
    /// Oxygen bags.
    pub oxygen_bags: Option<i64>,
    /// Pulse oximeters.
    pub oximeters: Option<i64>,
    /// The fever clinic.
    pub fever_clinic: Option<FeverClinic>,
}

/// Every health center's recorded state (centers never recorded are absent).
pub fn capacity(conn: &Connection) -> Result<Vec<Capacity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.health_center, f.beds_occupied, f.oxygen_concentrators, f.oxygen_bags,
                f.oximeters, f.fever_clinic, f.updated_at
         FROM facility_capacity f JOIN health_center h ON h.code = f.health_center
         ORDER BY h.seq",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Capacity {
                place: r.get(0)?,
                beds_occupied: r.get(1)?,
                oxygen_concentrators: r.get(2)?,
                oxygen_bags: r.get(3)?,
                oximeters: r.get(4)?,
                fever_clinic: r
                    .get::<_, Option<String>>(5)?
                    .as_deref()
                    .and_then(FeverClinic::parse),
                updated_at: from_db(&r.get::<_, String>(6)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn bounded(v: Option<i64>, flag: &str) -> Result<()> {
    match v {
        Some(n) if !(0..=MAX_FIGURE).contains(&n) => Err(StoreError::Invalid(
            Msg::new("bounds.range")
                .arg("min", 0)
                .arg("max", MAX_FIGURE)
                .arg("value", n)
                .context(flag),
        )),
        _ => Ok(()),
    }
}

/// Records a health center's facilities (only the figures given change), audited with
/// the old and new values.
pub fn set_capacity(
    w: &mut Writer<'_>,
    town: &Town,
    place: &str,
    u: &CapacityUpdate,
) -> Result<()> {
    w.permit(Permission::SetStock)?;
    let Some(hc) = town.health_centers.iter().find(|h| h.code == place) else {
        return Err(StoreError::Invalid(
            Msg::new("facility.err.not_hc")
                .quoted("place", place)
                .context("--place"),
        ));
    };
    bounded(u.beds_occupied, "--beds-occupied")?;
    bounded(u.oxygen_concentrators, "--oxygen-concentrators")?;
    bounded(u.oxygen_bags, "--oxygen-bags")?;
    bounded(u.oximeters, "--oximeters")?;
    if let Some(n) = u.beds_occupied
        && n > hc.beds
    {
        return Err(StoreError::Invalid(
            Msg::new("facility.err.beds")
                .arg("value", n)
                .arg("beds", hc.beds)
                .context("--beds-occupied"),
        ));
    }
    if *u == CapacityUpdate::default() {
        return Err(StoreError::Invalid(Msg::new("facility.err.nothing")));
    }
    let old = capacity(w.tx)?.into_iter().find(|c| c.place == place);
    let old_json = old.as_ref().map(capacity_json);
    let prev = old.unwrap_or_default();
    let new = Capacity {
        place: place.to_string(),
        beds_occupied: u.beds_occupied.or(prev.beds_occupied),
        oxygen_concentrators: u.oxygen_concentrators.or(prev.oxygen_concentrators),
        oxygen_bags: u.oxygen_bags.or(prev.oxygen_bags),
        oximeters: u.oximeters.or(prev.oximeters),
        fever_clinic: u.fever_clinic.or(prev.fever_clinic),
        updated_at: None,
    };
    w.tx.execute(
        "INSERT INTO facility_capacity (health_center, beds_occupied, oxygen_concentrators,
           oxygen_bags, oximeters, fever_clinic, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (health_center) DO UPDATE SET beds_occupied = excluded.beds_occupied,
           oxygen_concentrators = excluded.oxygen_concentrators,
           oxygen_bags = excluded.oxygen_bags, oximeters = excluded.oximeters,
           fever_clinic = excluded.fever_clinic, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by",
        params![
            place,
            new.beds_occupied,
            new.oxygen_concentrators,
            new.oxygen_bags,
            new.oximeters,
            new.fever_clinic.map(FeverClinic::as_str),
            w.now_db(),
            w.ctx.operator,
        ],
    )?;
    w.audit(
        AuditAction::CapacitySet,
        &format!("capacity:{place}"),
        json!({"old": old_json, "new": capacity_json(&new)}),
    )
}

fn capacity_json(c: &Capacity) -> serde_json::Value {
    json!({
        "beds_occupied": c.beds_occupied,
        "oxygen_concentrators": c.oxygen_concentrators,
        "oxygen_bags": c.oxygen_bags,
        "oximeters": c.oximeters,
        "fever_clinic": c.fever_clinic.map(FeverClinic::as_str),
    })
}

/// Every health center with its facilities and reserve, in the town's order.
pub fn facilities(conn: &Connection, town: &Town) -> Result<Vec<FacilityRow>> {
    let caps = capacity(conn)?;
    let mut stock =
        conn.prepare_cached("SELECT quantity FROM stock WHERE place = ?1 AND item = ?2")?;
    let mut out = Vec::with_capacity(town.health_centers.len());
    for hc in &town.health_centers {
        let mut item = |i: StockItem| -> Result<Option<i64>> {
            Ok(stock
                .query_row(params![hc.code, i.as_str()], |r| r.get(0))
                .optional()?)
        };
        let drug_packs = item(StockItem::DrugPacks)?;
        let antigen_kits = item(StockItem::AntigenKits)?;
        out.push(FacilityRow {
            code: hc.code.clone(),
            beds: hc.beds,
            capacity: caps
                .iter()
                .find(|c| c.place == hc.code)
                .cloned()
                .unwrap_or_else(|| Capacity {
                    place: hc.code.clone(),
                    ..Default::default()
                }),
            drug_packs,
            antigen_kits,
            reserve_line: served_population(&hc.code, &town.villages)
                .map(|p| reserve_line(p, town.info.stock_threshold_in_effect())),
        });
    }
    Ok(out)
}
