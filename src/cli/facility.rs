//! `capacity set|list`: the health centers' beds, oxygen, oximeters and fever clinic, and
//! the facilities block of the daily report's exports.

use clap::Subcommand;
use serde_json::{Value, json};

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::facility::FacilityRow;
use crate::domain::facility::FeverClinic;
use crate::domain::text::layout::{num, pad, pad_left};
use crate::domain::town::Town;
use crate::i18n::{Lang, Msg};
use crate::store::facility::{self, CapacityUpdate};

/// `capacity` subcommands.
#[derive(Debug, Subcommand)]
pub enum CapacityCmd {
    /// Record a health center's facilities (only the figures given change).
    Set {
        /// Health center code.
        #[arg(long, value_name = "HC")]
        place: String,
        /// Beds occupied (at most the center's beds).
        #[arg(long, value_name = "N")]
        beds_occupied: Option<i64>,
        /// Oxygen concentrators in working order.
        #[arg(long, value_name = "N")]
        oxygen_concentrators: Option<i64>,
        /// Oxygen bags.
        #[arg(long, value_name = "N")]
        oxygen_bags: Option<i64>,
        /// Pulse oximeters.
        #[arg(long, value_name = "N")]
        oximeters: Option<i64>,
        /// The fever clinic: open or closed.
        #[arg(long, value_name = "open|closed")]
        fever_clinic: Option<String>,
    },
    /// Every health center's facilities and reserve.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// One health center in the report JSON's `facilities` (DESIGN.md).
pub fn facility_json(f: &FacilityRow, town: &Town, lang: Lang) -> Value {
    let c = &f.capacity;
    json!({
        "code": f.code,
        "name": town.place_name(&f.code, lang),
        "beds": f.beds,
        "beds_occupied": c.beds_occupied,
        "oxygen_concentrators": c.oxygen_concentrators,
        "oxygen_bags": c.oxygen_bags,
        "oximeters": c.oximeters,
        "fever_clinic": c.fever_clinic.map(FeverClinic::as_str),
        "drug_packs": f.drug_packs,
        "antigen_kits": f.antigen_kits,
        "reserve_line": f.reserve_line,
    })
}

/// The facilities as text lines (a heading row, then one per center); `md` gives a table.
pub fn facility_lines(rows: &[FacilityRow], town: &Town, lang: Lang, md: bool) -> Vec<String> {
    let heads = [
        lang.t("facility.col.center"),
        lang.t("facility.col.beds"),
        lang.t("facility.col.concentrators"),
        lang.t("facility.col.bags"),
        lang.t("facility.col.oximeters"),
        lang.t("facility.col.fever"),
        lang.t("facility.col.drugs"),
        lang.t("facility.col.kits"),
    ];
    let mut out = Vec::new();
    if md {
        out.push(format!("| {} |", heads.join(" | ")));
        out.push("|---|---:|---:|---:|---:|---|---:|---:|".to_string());
    } else {
        let mut l = format!("  {}", pad(heads[0], 22));
        for h in &heads[1..] {
            l.push_str(&pad_left(h, 13));
        }
        out.push(l);
    }
    for f in rows {
        let c = &f.capacity;
        let name = format!("{} {}", f.code, town.place_name(&f.code, lang));
        let name = if md {
            crate::domain::text::display_md(&name)
        } else {
            crate::domain::text::display(&name).into_owned()
        };
        let reserve = |v: Option<i64>| match (v, f.reserve_line) {
            (Some(v), Some(l)) => format!("{v}/{l}{}", if v < l { "!" } else { "" }),
            (v, _) => num(v),
        };
        let cells = [
            format!("{}/{}", num(c.beds_occupied), f.beds),
            num(c.oxygen_concentrators),
            num(c.oxygen_bags),
            num(c.oximeters),
            c.fever_clinic
                .map(|x| lang.t(x.label_key()).to_string())
                .unwrap_or_else(|| "-".into()),
            reserve(f.drug_packs),
            reserve(f.antigen_kits),
        ];
        if md {
            out.push(format!("| {name} | {} |", cells.join(" | ")));
        } else {
            let mut l = format!("  {}", pad(&name, 22));
            for c in &cells {
                l.push_str(&pad_left(c, 13));
            }
            out.push(l);
        }
    }
    out
}

/// `duty-desk capacity …`.
pub fn capacity(env: &Env, cmd: CapacityCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    let fail = |e| CliError::store(e, env.lang);
    match cmd {
        CapacityCmd::Set {
            place,
            beds_occupied,
            oxygen_concentrators,
            oxygen_bags,
            oximeters,
            fever_clinic,
        } => {
            let fever_clinic = match fever_clinic.as_deref() {
                None => None,
                Some(t) => Some(FeverClinic::parse(t).ok_or_else(|| {
                    CliError::input(
                        Msg::new("facility.err.fever")
                            .quoted("value", t)
                            .context("--fever-clinic"),
                        env.lang,
                    )
                })?),
            };
            let u = CapacityUpdate {
                beds_occupied,
                oxygen_concentrators,
                oxygen_bags,
                oximeters,
                fever_clinic,
            };
            let place = place.trim().to_string();
            store
                .write(&env.ctx(), |w| facility::set_capacity(w, &town, &place, &u))
                .map_err(fail)?;
            println!(
                "{}",
                env.say(
                    &Msg::new("facility.set_ok").arg("place", town.place_name(&place, env.lang))
                )
            );
            Ok(())
        }
        CapacityCmd::List { format } => {
            let rows = facility::facilities(store.conn(), &town).map_err(fail)?;
            match format {
                ListFormat::Json => {
                    let v: Vec<Value> = rows
                        .iter()
                        .map(|f| facility_json(f, &town, env.lang))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
                ListFormat::Text => {
                    for l in facility_lines(&rows, &town, env.lang, false) {
                        println!("{}", l.trim_end());
                    }
                }
            }
            Ok(())
        }
    }
}
