//! `vehicles` and `transport …`.

use serde_json::{Value, json};

use super::args::{ListFormat, TransportCmd};
use super::{CliError, CliResult, Env};
use crate::domain::fleet::{NewRequest, STEP_COLUMNS, TransportRow, VehicleRow, check_request};
use crate::domain::fleet_stats::{response_time, total_time};
use crate::domain::text::layout::pad;
use crate::domain::town::Town;
use crate::domain::transport::TripStatus;
use crate::i18n::Lang;
use crate::i18n::Msg;
use crate::store::Store;
use crate::store::fleet;

fn vehicle_json(v: &VehicleRow) -> Value {
    json!({
        "code": v.code,
        "kind": v.kind.as_str(),
        "base": v.base,
        "status": v.status.as_str(),
        "since": v.since,
        "transport": v.transport,
        "driver": v.driver,
        "phone": v.phone,
        "plate": v.plate,
        "reason": if v.reason.is_empty() { Value::Null } else { json!(v.reason) },
    })
}

/// `duty-desk vehicles [--format text|json]`.
pub fn vehicles(env: &Env, format: ListFormat) -> CliResult {
    let (store, town) = env.open()?;
    let rows = fleet::vehicles(store.conn()).map_err(|e| CliError::store(e, env.lang))?;
    match format {
        ListFormat::Json => {
            let v: Vec<Value> = rows.iter().map(vehicle_json).collect();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        ListFormat::Text => {
            // a header row, aligned with the rows (issue 19)
            let t = |k| env.lang.t(k);
            println!(
                "{} {} {} {} {} {}",
                pad(t("fleet.col_code"), 6),
                pad(t("fleet.col_status"), 14),
                pad(t("fleet.col_base"), 24),
                pad(t("fleet.col_driver"), 8),
                pad(t("fleet.col_phone"), 12),
                t("fleet.col_trip")
            );
            for v in &rows {
                println!(
                    "{} {} {} {} {} {}",
                    pad(&v.code, 6),
                    pad(env.lang.t(v.status.label_key()), 14),
                    pad(&town.place_name(&v.base, env.lang), 24),
                    pad(&v.driver, 8),
                    pad(&v.phone, 12),
                    v.transport
                        .map(|t| format!("#{t}"))
                        .unwrap_or_else(|| crate::domain::text::display(&v.reason).into_owned())
                );
            }
            println!();
            println!("{}", env.lang.t("fleet.availability"));
            for line in availability_lines(&town, &rows, env.lang) {
                println!("{line}");
            }
        }
    }
    Ok(())
}

/// Per village, one line: its reserve car's status and its health center's free ambulances.
fn availability_lines(town: &Town, rows: &[VehicleRow], lang: Lang) -> Vec<String> {
    crate::domain::fleet::availability(town, rows)
        .into_iter()
        .map(|a| {
            let car = a.car.map_or("-", |c| lang.t(c.status.label_key()));
            lang.fmt(
                "fleet.cli_village",
                &[
                    ("village", &pad(&town.place_name(&a.village.code, lang), 18)),
                    ("car", &pad(car, 14)),
                    ("hc", &town.place_name(&a.village.health_center, lang)),
                    ("free", &a.free_ambulances.to_string()),
                    ("all", &a.ambulances.to_string()),
                ],
            )
        })
        .collect()
}

/// The header row of `transport list` text, aligned with its rows.
fn transport_header(lang: Lang, town: &Town) -> String {
    let offset = crate::domain::time::format_offset(town.info.offset);
    format!(
        "{:<6} {} {} {} {} {} {}",
        lang.t("tlist.id"),
        pad(lang.t("tlist.severity"), 6),
        pad(lang.t("tlist.village"), 14),
        pad(lang.t("tlist.patient"), 8),
        pad(lang.t("tlist.status"), 12),
        pad(lang.t("tlist.vehicle"), 6),
        lang.fmt("tlist.requested", &[("offset", &offset)])
    )
}

/// The transport JSON contract of DESIGN.md, with response and total times added.
pub fn transport_json(t: &TransportRow) -> Value {
    let mut times = serde_json::Map::new();
    for (i, (s, _)) in STEP_COLUMNS.iter().enumerate() {
        times.insert(s.as_str().into(), json!(t.times[i]));
    }
    json!({
        "id": t.id,
        "village": t.village,
        "patient": t.patient,
        "age": t.age,
        "severity": t.severity.as_str(),
        "destination": t.destination,
        "status": t.status.as_str(),
        "vehicle": t.vehicle,
        "requested_at": t.requested_at,
        "caller": t.caller,
        "note": t.note,
        "times": times,
        "response_seconds": response_time(t).map(|d| d.num_seconds()),
        "total_seconds": total_time(t).map(|d| d.num_seconds()),
        "cancel_reason": t.cancel_reason.as_deref().filter(|r| !r.is_empty()),
    })
}

/// `duty-desk transport …`.
pub fn transport(env: &Env, cmd: TransportCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    match cmd {
        TransportCmd::Request {
            village,
            patient,
            severity,
            to,
            age,
            caller,
            note,
            force,
        } => {
            let req = NewRequest {
                caller: caller.unwrap_or_default(),
                patient,
                age,
                village,
                severity,
                destination: to,
                note: note.unwrap_or_default(),
            };
            request(env, &mut store, &town, &req, force)
        }
        TransportCmd::Dispatch { id, vehicle } => dispatch(env, &mut store, &town, id, vehicle),
        TransportCmd::Advance {
            id,
            status,
            at,
            reason,
        } => advance(env, &mut store, &town, id, &status, at.as_deref(), reason),
        TransportCmd::List {
            all,
            format,
            with_names,
        } => list(env, &store, &town, all, format, with_names),
        TransportCmd::Service {
            vehicle,
            state,
            reason,
        } => service(env, &mut store, &vehicle, state == "in", &reason),
    }
}

/// `transport request`: prints the new request's id. A likely repeat of a request taken in
/// the last half hour is refused (exit 3, naming it) unless `force`: the console asks
/// before saving one, and a script retrying a call it thinks failed must not send a second
/// vehicle; a genuine second request for the same place is one `--force` away.
fn request(env: &Env, store: &mut Store, town: &Town, req: &NewRequest, force: bool) -> CliResult {
    let village = match check_request(town, req) {
        Ok((village, _, _)) => village,
        Err(problems) => {
            return Err(CliError::Input(
                problems.iter().map(|p| env.say(p)).collect(),
            ));
        }
    };
    if !force {
        let now = env.clock.now();
        let since = crate::domain::time::to_db(
            now - chrono::Duration::minutes(crate::domain::dispatch::DUPLICATE_MINUTES),
        );
        let recent = fleet::transports_since(store.conn(), &since)
            .map_err(|e| CliError::store(e, env.lang))?;
        if let Some(d) = crate::domain::dispatch::likely_duplicate(
            &village,
            &req.patient,
            &req.caller,
            now,
            &recent,
        ) {
            let at = crate::domain::time::from_db(&d.requested_at)
                .map(|t| {
                    t.with_timezone(&town.info.offset)
                        .format("%H:%M")
                        .to_string()
                })
                .unwrap_or_else(|| d.requested_at.clone());
            return Err(CliError::Conflict(env.say(
                &Msg::new("cli_step.duplicate").arg("id", d.id).arg("at", at),
            )));
        }
    }
    let id = store
        .write(&env.ctx(), |w| fleet::request(w, town, req))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!("{id}");
    Ok(())
}

/// `transport dispatch`.
fn dispatch(
    env: &Env,
    store: &mut Store,
    town: &Town,
    id: i64,
    vehicle: Option<String>,
) -> CliResult {
    // with no vehicle named, the suggestion is chosen inside the write transaction,
    // so racing dispatchers are never offered the same vehicle
    let vehicle = match vehicle {
        Some(v) => store.write(&env.ctx(), |w| fleet::dispatch(w, id, &v).map(|()| v)),
        None => store.write(&env.ctx(), |w| fleet::dispatch_suggested(w, town, id)),
    }
    .map_err(|e| CliError::store(e, env.lang))?;
    println!(
        "{}",
        env.say(
            &Msg::new("transport.dispatched_ok")
                .arg("id", id)
                .arg("vehicle", &vehicle)
        )
    );
    Ok(())
}

/// `transport advance`: any later status but requested and dispatched; `--at HH:MM` states
/// when it really happened (town time), and a cancellation needs `--reason`, as in the
/// console.
fn advance(
    env: &Env,
    store: &mut Store,
    town: &Town,
    id: i64,
    status: &str,
    at: Option<&str>,
    reason: Option<String>,
) -> CliResult {
    let to = TripStatus::parse(status)
        .filter(|s| *s != TripStatus::Requested && *s != TripStatus::Dispatched);
    let Some(to) = to else {
        return Err(CliError::input(
            Msg::new("err.bad_status").quoted("value", status),
            env.lang,
        ));
    };
    let reason = reason
        .map(|r| crate::domain::text::entry(&r).trim().to_string())
        .filter(|r| !r.is_empty());
    match (to == TripStatus::Cancelled, reason.is_some()) {
        (true, false) => {
            return Err(CliError::input(
                Msg::new("cli_step.cancel_needs_reason"),
                env.lang,
            ));
        }
        (false, true) => {
            return Err(CliError::input(
                Msg::new("cli_step.reason_only_cancel"),
                env.lang,
            ));
        }
        _ => {}
    }
    let at = match at {
        None => None,
        Some(text) => {
            if crate::domain::time::parse_hhmm(text.trim()).is_none() {
                return Err(CliError::input(
                    Msg::new("cli_step.bad_at").quoted("value", text),
                    env.lang,
                ));
            }
            // the previous step read here words the refusal in town time; the write
            // checks it again inside its transaction
            let previous = fleet::transport(store.conn(), id)
                .map_err(|e| CliError::store(e, env.lang))?
                .and_then(|t| crate::domain::time::from_db(&t.last_change_at));
            crate::domain::transport::stated_step_time(
                text,
                env.clock.now(),
                town.info.offset,
                previous,
            )
            .map_err(|m| CliError::input(m, env.lang))?
        }
    };
    let step = fleet::Step { at, reason };
    store
        .write(&env.ctx(), |w| fleet::advance_with(w, id, to, &step))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!(
        "{}",
        env.say(
            &Msg::new("transport.advanced_ok")
                .arg("id", id)
                .label("status", to.label_key())
        )
    );
    Ok(())
}

/// `transport list`: written as read, `--all` never holds the whole history (issue 18).
fn list(
    env: &Env,
    store: &Store,
    town: &Town,
    all: bool,
    format: ListFormat,
    with_names: bool,
) -> CliResult {
    let fail = |e| CliError::store(e, env.lang);
    let mut out = super::stream::Out::stdout();
    let mut json = super::stream::JsonArray::new(true);
    // a header row before the first row, and times in the town's own clock (issue 19)
    let mut header = true;
    let mut row = |t: TransportRow| match format {
        ListFormat::Json => out.put(|w| json.push(w, &transport_json(&t))),
        ListFormat::Text => out.put(|w| {
            if std::mem::take(&mut header) {
                writeln!(w, "{}", transport_header(env.lang, town))?;
            }
            writeln!(w, "{}", transport_text(env.lang, town, &t, with_names))
        }),
    };
    if all {
        fleet::each_transport_newest_first(store.conn(), &mut row).map_err(fail)?;
    } else {
        for t in fleet::open_transports(store.conn()).map_err(fail)? {
            if !row(t) {
                break;
            }
        }
    }
    if format == ListFormat::Json {
        out.put(|w| json.finish(w));
    }
    out.finish()
}

/// One trip as a line of `transport list` (the patient's name masked unless asked for).
fn transport_text(lang: Lang, town: &Town, t: &TransportRow, with_names: bool) -> String {
    let patient = if with_names {
        t.patient.clone()
    } else {
        crate::domain::privacy::mask_name(&t.patient)
    };
    format!(
        "#{:<5} {} {} {} {} {} {}",
        t.id,
        pad(lang.t(t.severity.label_key()), 6),
        pad(&town.place_name(&t.village, lang), 14),
        pad(&patient, 8),
        pad(lang.t(t.status.label_key()), 12),
        pad(t.vehicle.as_deref().unwrap_or("-"), 6),
        super::town_time(&t.requested_at, town)
    )
}

/// `transport service`: a vehicle out of service (with a reason) or back in.
fn service(env: &Env, store: &mut Store, vehicle: &str, back: bool, reason: &str) -> CliResult {
    store
        .write(&env.ctx(), |w| {
            fleet::set_in_service(w, vehicle, back, reason)
        })
        .map_err(|e| CliError::store(e, env.lang))?;
    let key = if back {
        "vehicle.back_ok"
    } else {
        "vehicle.out_ok"
    };
    println!("{}", env.say(&Msg::new(key).arg("vehicle", vehicle)));
    Ok(())
}
