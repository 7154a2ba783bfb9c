//! The town as the program holds it once loaded (places, vehicles' ledger, staff, and
//! what was retired): plain data the store fills from its tables.

use chrono::{DateTime, NaiveDate, Utc};

use super::{HealthCenter, Hospital, Staff, TownFile, TownInfo, Vehicle, Village};
use crate::domain::shift::shift_start_for;
use crate::domain::time::local_instant;
use crate::domain::town_change::Retired;
use crate::i18n::Lang;

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
    pub fn place_name(&self, code: &str, lang: Lang) -> String {
        let pick = |zh: &str, en: &str| match lang {
            Lang::Zh => zh.to_string(),
            Lang::En if !en.is_empty() => en.to_string(),
            Lang::En => zh.to_string(),
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

    /// The start of the shift that begins on the town's date `date`.
    pub fn shift_on(&self, date: NaiveDate) -> DateTime<Utc> {
        local_instant(date, self.info.shift_start, self.info.offset)
    }

    /// The start of the shift containing `at` (for `--shift` given as any instant in it).
    pub fn shift_containing(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        shift_start_for(at, self.info.offset, self.info.shift_start)
    }

    /// The town's display name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.info.name_en.is_empty() => &self.info.name_en,
            _ => &self.info.name,
        }
    }
}
