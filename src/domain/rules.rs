//! Automatic escalations: the pure decisions of what the desk must chase. One function per
//! rule over [`Facts`]; [`plan`] turns findings into what to raise and what has cleared, so
//! the next rule (overdue key-population contacts) is one more function in [`RULES`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::escalation::{Kind, StockItem, Urgency, urgency};
use super::time::parse_date;
use super::town::Village;
use super::transport::Severity;
use crate::i18n::{Lang, Msg};

/// How long the desk has to chase a village's missing report after the cutoff.
pub const MISSING_REPORT_CHASE_MINUTES: i64 = 60;
/// How long a health center or clinic has to restock after its reserve falls below the line.
pub const LOW_STOCK_WINDOW_HOURS: i64 = 24;

/// A transport request still waiting for a vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// Request id.
    pub id: i64,
    /// Village code.
    pub village: String,
    /// How urgent.
    pub severity: Severity,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
}

/// One stock count, as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    /// Health center or village code.
    pub place: String,
    /// Item.
    pub item: StockItem,
    /// Quantity on hand.
    pub quantity: i64,
    /// When it was counted.
    pub counted_at: DateTime<Utc>,
}

/// Everything the rules look at, read in one go by the store.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The instant of evaluation.
    pub now: DateTime<Utc>,
    /// The town's date at `now`.
    pub today: NaiveDate,
    /// Today's report cutoff as an instant.
    pub cutoff: DateTime<Utc>,
    /// The town's villages.
    pub villages: &'a [Village],
    /// (village, date) pairs that have a report, for today and every day in `pending_days`.
    pub reported: &'a HashSet<(String, NaiveDate)>,
    /// Past days that still have an open missing-report escalation.
    pub pending_days: &'a [NaiveDate],
    /// Stock counts.
    pub stock: &'a [Count],
    /// Reserve line, percent of the population served.
    pub threshold_percent: f64,
    /// Requests waiting for a vehicle.
    pub waiting: &'a [Waiting],
    /// A critical request may wait this long.
    pub critical_wait: Duration,
    /// A severe request may wait this long.
    pub severe_wait: Duration,
}

/// Something a rule says must be chased, keyed by its subject (one open escalation each).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Kind of escalation.
    pub kind: Kind,
    /// The condition's identity, e.g. `low_stock:HC2:drug_packs`.
    pub subject: String,
    /// Village concerned.
    pub village: Option<String>,
    /// Health center or clinic concerned (low stock).
    pub place: Option<String>,
    /// Figures behind it, language-neutral.
    pub details: String,
    /// Deadline.
    pub due: DateTime<Utc>,
    /// When the condition's evidence last changed; a person's resolution after this holds.
    pub evidence_at: DateTime<Utc>,
}

/// The rule set, in order. Add the next rule here.
pub const RULES: [fn(&Facts<'_>) -> Vec<Finding>; 3] =
    [missing_reports, low_stock, transports_waiting];

/// Runs every rule.
pub fn evaluate(f: &Facts<'_>) -> Vec<Finding> {
    RULES.iter().flat_map(|rule| rule(f)).collect()
}

/// Rule: a village with no report for today after the cutoff (and past days still missing).
pub fn missing_reports(f: &Facts<'_>) -> Vec<Finding> {
    let mut days: Vec<NaiveDate> = f
        .pending_days
        .iter()
        .copied()
        .filter(|d| *d < f.today)
        .collect();
    if f.now >= f.cutoff {
        days.push(f.today);
    }
    days.sort();
    days.dedup();
    let chase = Duration::minutes(MISSING_REPORT_CHASE_MINUTES);
    let mut out = Vec::new();
    for day in days {
        let cutoff = f.cutoff - (f.today - day);
        for v in f.villages {
            if f.reported.contains(&(v.code.clone(), day)) {
                continue;
            }
            out.push(Finding {
                kind: Kind::MissingReport,
                subject: format!("missing_report:{}:{day}", v.code),
                village: Some(v.code.clone()),
                place: None,
                details: day.to_string(),
                due: cutoff + chase,
                evidence_at: cutoff,
            });
        }
    }
    // a past day's missing report is kept only while its escalation is open
    out
}

/// The population a place serves: a health center its villages, a clinic its village.
pub fn served_population(place: &str, villages: &[Village]) -> Option<i64> {
    if let Some(v) = villages.iter().find(|v| v.code == place) {
        return Some(v.population);
    }
    let sum: i64 = villages
        .iter()
        .filter(|v| v.health_center == place)
        .map(|v| v.population)
        .sum();
    (sum > 0).then_some(sum)
}

/// The reserve line: `percent` of `population`, rounded up.
pub fn reserve_line(population: i64, percent: f64) -> i64 {
    (population as f64 * percent / 100.0).ceil() as i64
}

/// Rule: drug packs or antigen kits below the reserve line at a health center or clinic.
pub fn low_stock(f: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in f.stock {
        let Some(served) = served_population(&c.place, f.villages) else {
            continue;
        };
        let line = reserve_line(served, f.threshold_percent);
        if c.quantity >= line {
            continue;
        }
        let village = f
            .villages
            .iter()
            .find(|v| v.code == c.place)
            .map(|v| v.code.clone());
        out.push(Finding {
            kind: Kind::LowStock,
            subject: format!("low_stock:{}:{}", c.place, c.item.as_str()),
            village,
            place: Some(c.place.clone()),
            details: format!(
                "{} {} < {line} ({}% x {served})",
                c.item.as_str(),
                c.quantity,
                f.threshold_percent
            ),
            due: f.now + Duration::hours(LOW_STOCK_WINDOW_HOURS),
            evidence_at: c.counted_at,
        });
    }
    out
}

/// Rule: a critical (or severe) request not dispatched within its allowed wait.
pub fn transports_waiting(f: &Facts<'_>) -> Vec<Finding> {
    f.waiting
        .iter()
        .filter_map(|t| {
            let limit = match t.severity {
                Severity::Critical => f.critical_wait,
                Severity::Severe => f.severe_wait,
                Severity::Stable => return None,
            };
            let due = t.requested_at + limit;
            (f.now > due).then(|| Finding {
                kind: Kind::TransportWaiting,
                subject: format!("transport_waiting:{}:{}", t.id, t.severity.as_str()),
                village: Some(t.village.clone()),
                place: None,
                details: format!("#{} {}", t.id, t.severity.as_str()),
                due,
                evidence_at: t.requested_at,
            })
        })
        .collect()
}

/// An unresolved rule-raised escalation, as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSubject {
    /// Escalation id.
    pub id: i64,
    /// Its subject.
    pub subject: String,
}

/// What a rule pass changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// New escalations to raise.
    pub raise: Vec<Finding>,
    /// Open escalations whose condition has cleared: (id, subject).
    pub clear: Vec<(i64, String)>,
}

impl Plan {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.raise.is_empty() && self.clear.is_empty()
    }
}

/// Decides what to raise and what to clear: one open escalation per subject; a subject a
/// person resolved stays resolved until its evidence changes (a new count, a new day).
pub fn plan(
    findings: Vec<Finding>,
    open: &[OpenSubject],
    resolved_by_person: &HashMap<String, DateTime<Utc>>,
) -> Plan {
    let open_subjects: HashSet<&str> = open.iter().map(|o| o.subject.as_str()).collect();
    let found: HashSet<&str> = findings.iter().map(|f| f.subject.as_str()).collect();
    let clear = open
        .iter()
        .filter(|o| !found.contains(o.subject.as_str()))
        .map(|o| (o.id, o.subject.clone()))
        .collect();
    let mut seen = HashSet::new();
    let raise = findings
        .into_iter()
        .filter(|f| !open_subjects.contains(f.subject.as_str()))
        .filter(|f| {
            resolved_by_person
                .get(&f.subject)
                .is_none_or(|at| *at < f.evidence_at)
        })
        .filter(|f| seen.insert(f.subject.clone()))
        .collect();
    Plan { raise, clear }
}

/// The deadline marks an unresolved escalation is owed at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueMarks {
    /// It has just passed its deadline (open or acknowledged): alert.
    pub overdue: bool,
    /// It is overdue by more than its grace: raise to the duty leader and alert again.
    pub to_leader: bool,
}

/// Which marks an escalation needs, given the ones it already has.
pub fn due_marks(
    due: DateTime<Utc>,
    grace: Duration,
    now: DateTime<Utc>,
    alerted_overdue: bool,
    escalated: bool,
) -> DueMarks {
    let u = urgency(due, grace, now);
    DueMarks {
        overdue: u != Urgency::Pending && !alerted_overdue,
        to_leader: u == Urgency::RaisedToLeader && !escalated,
    }
}

/// The catalogue key of the note recorded when a rule's condition clears.
pub fn cleared_key(subject: &str) -> &'static str {
    match subject.split(':').next() {
        Some("missing_report") => "rule.cleared.missing_report",
        Some("low_stock") => "rule.cleared.low_stock",
        Some("transport_waiting") => "rule.cleared.transport_waiting",
        _ => "rule.cleared.other",
    }
}

/// The title of a rule-raised escalation in `lang`, from its subject; `name` maps a code
/// to a place name in that language.
pub fn title(subject: &str, lang: Lang, name: &dyn Fn(&str) -> String) -> Option<String> {
    let parts: Vec<&str> = subject.split(':').collect();
    let msg = match parts.as_slice() {
        ["missing_report", village, day] => {
            let day = parse_date(day)?;
            Msg::new("rule.title.missing_report")
                .arg("village", name(village))
                .arg(
                    "date",
                    match lang {
                        Lang::Zh => day.format("%-m月%-d日").to_string(),
                        Lang::En => day.format("%m-%d").to_string(),
                    },
                )
        }
        ["low_stock", place, item] => {
            let item = StockItem::parse(item)?;
            Msg::new("rule.title.low_stock")
                .arg("place", name(place))
                .arg("item", lang.t(item.label_key()))
        }
        ["transport_waiting", id, severity, ..] => {
            let severity = Severity::parse(severity)?;
            Msg::new("rule.title.transport_waiting")
                .arg("id", id)
                .arg("severity", lang.t(severity.label_key()))
        }
        _ => return None,
    };
    Some(msg.render(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::from_db;

    fn village(code: &str, pop: i64, hc: &str) -> Village {
        Village {
            code: code.into(),
            name: code.into(),
            name_en: code.into(),
            population: pop,
            clinic_phone: String::new(),
            health_center: hc.into(),
            neighbours: Vec::new(),
        }
    }

    struct World {
        now: DateTime<Utc>,
        villages: Vec<Village>,
        reported: HashSet<(String, NaiveDate)>,
        pending: Vec<NaiveDate>,
        stock: Vec<Count>,
        waiting: Vec<Waiting>,
    }

    impl World {
        // 2026-11-26 10:30 +08:00; cutoff 10:00
        fn new() -> World {
            World {
                now: from_db("2026-11-26T02:30:00Z").unwrap(),
                villages: vec![
                    village("V1", 1000, "HC1"),
                    village("V2", 2000, "HC1"),
                    village("V3", 500, "HC2"),
                ],
                reported: HashSet::new(),
                pending: Vec::new(),
                stock: Vec::new(),
                waiting: Vec::new(),
            }
        }
        fn today(&self) -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        }
        fn facts(&self) -> Facts<'_> {
            Facts {
                now: self.now,
                today: self.today(),
                cutoff: from_db("2026-11-26T02:00:00Z").unwrap(),
                villages: &self.villages,
                reported: &self.reported,
                pending_days: &self.pending,
                stock: &self.stock,
                threshold_percent: 15.0,
                waiting: &self.waiting,
                critical_wait: Duration::minutes(10),
                severe_wait: Duration::minutes(30),
            }
        }
        fn count(&mut self, place: &str, item: StockItem, quantity: i64) {
            self.stock.retain(|c| !(c.place == place && c.item == item));
            self.stock.push(Count {
                place: place.into(),
                item,
                quantity,
                counted_at: self.now,
            });
        }
    }

    /// Runs the plan against a fake table of escalations: (id, subject, open).
    fn step(
        w: &World,
        table: &mut Vec<(i64, String, bool)>,
        by_person: &HashMap<String, DateTime<Utc>>,
    ) -> Plan {
        let open: Vec<OpenSubject> = table
            .iter()
            .filter(|r| r.2)
            .map(|r| OpenSubject {
                id: r.0,
                subject: r.1.clone(),
            })
            .collect();
        let p = plan(evaluate(&w.facts()), &open, by_person);
        for (id, _) in &p.clear {
            table.iter_mut().find(|r| r.0 == *id).unwrap().2 = false;
        }
        for f in &p.raise {
            let id = table.len() as i64 + 1;
            table.push((id, f.subject.clone(), true));
        }
        p
    }

    #[test]
    fn missing_report_fires_after_cutoff_only_does_not_duplicate_and_clears() {
        let mut w = World::new();
        w.reported.insert(("V1".into(), w.today()));
        w.reported.insert(("V2".into(), w.today()));
        w.now = from_db("2026-11-26T01:59:00Z").unwrap();
        assert!(missing_reports(&w.facts()).is_empty(), "before the cutoff");
        w.now = from_db("2026-11-26T02:30:00Z").unwrap();
        let mut table = Vec::new();
        let none = HashMap::new();
        let p = step(&w, &mut table, &none);
        assert_eq!(p.raise.len(), 1);
        assert_eq!(p.raise[0].subject, "missing_report:V3:2026-11-26");
        assert_eq!(p.raise[0].due, from_db("2026-11-26T03:00:00Z").unwrap());
        assert!(step(&w, &mut table, &none).is_empty(), "no duplicate");
        w.reported.insert(("V3".into(), w.today()));
        let p = step(&w, &mut table, &none);
        assert_eq!(
            p.clear,
            vec![(1, "missing_report:V3:2026-11-26".to_string())]
        );
        assert!(p.raise.is_empty());
    }

    #[test]
    fn missing_report_of_a_past_day_stays_until_it_arrives() {
        let mut w = World::new();
        let yesterday = w.today() - Duration::days(1);
        w.pending = vec![yesterday];
        w.reported.insert(("V1".into(), yesterday));
        w.reported.insert(("V2".into(), yesterday));
        // the next morning before the cutoff: yesterday's V3 still missing, nothing for today
        w.now = from_db("2026-11-26T01:00:00Z").unwrap();
        let f = missing_reports(&w.facts());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject, "missing_report:V3:2026-11-25");
        assert_eq!(f[0].due, from_db("2026-11-25T03:00:00Z").unwrap());
    }

    #[test]
    fn low_stock_uses_served_population_fires_once_and_clears() {
        let mut w = World::new();
        // HC1 serves V1+V2 = 3000 -> line 450; V3 clinic serves 500 -> line 75
        w.count("HC1", StockItem::DrugPacks, 450);
        w.count("V3", StockItem::AntigenKits, 74);
        let mut table = Vec::new();
        let none = HashMap::new();
        let p = step(&w, &mut table, &none);
        let subjects: Vec<_> = p
            .raise
            .iter()
            .filter(|f| f.kind == Kind::LowStock)
            .map(|f| f.subject.as_str())
            .collect();
        assert_eq!(subjects, ["low_stock:V3:antigen_kits"]);
        assert_eq!(
            p.raise
                .iter()
                .find(|f| f.kind == Kind::LowStock)
                .unwrap()
                .village
                .as_deref(),
            Some("V3")
        );
        assert!(
            !step(&w, &mut table, &none)
                .raise
                .iter()
                .any(|f| f.kind == Kind::LowStock)
        );
        w.count("HC1", StockItem::DrugPacks, 449);
        let p = step(&w, &mut table, &none);
        let hc = p.raise.iter().find(|f| f.kind == Kind::LowStock).unwrap();
        assert_eq!(hc.subject, "low_stock:HC1:drug_packs");
        assert_eq!(hc.village, None);
        assert_eq!(hc.place.as_deref(), Some("HC1"));
        w.count("V3", StockItem::AntigenKits, 75);
        let p = step(&w, &mut table, &none);
        assert_eq!(p.clear.len(), 1);
        assert!(p.clear[0].1.starts_with("low_stock:V3:"));
    }

    #[test]
    fn a_person_s_resolution_holds_until_a_new_count() {
        let mut w = World::new();
        w.count("V3", StockItem::DrugPacks, 10);
        let counted = w.now;
        let mut by_person = HashMap::new();
        by_person.insert(
            "low_stock:V3:drug_packs".to_string(),
            counted + Duration::minutes(5),
        );
        w.now = counted + Duration::minutes(6);
        let mut table = Vec::new();
        assert!(
            step(&w, &mut table, &by_person)
                .raise
                .iter()
                .all(|f| f.kind != Kind::LowStock)
        );
        w.now = counted + Duration::minutes(30);
        w.count("V3", StockItem::DrugPacks, 9);
        assert!(
            step(&w, &mut table, &by_person)
                .raise
                .iter()
                .any(|f| f.kind == Kind::LowStock)
        );
    }

    #[test]
    fn waiting_transport_fires_after_its_limit_once_and_clears_on_dispatch() {
        let mut w = World::new();
        w.reported.extend(w.villages.iter().map(|v| {
            (
                v.code.clone(),
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            )
        }));
        let asked = w.now;
        w.waiting = vec![
            Waiting {
                id: 7,
                village: "V1".into(),
                severity: Severity::Critical,
                requested_at: asked,
            },
            Waiting {
                id: 8,
                village: "V2".into(),
                severity: Severity::Severe,
                requested_at: asked,
            },
            Waiting {
                id: 9,
                village: "V2".into(),
                severity: Severity::Stable,
                requested_at: asked - Duration::hours(5),
            },
        ];
        let mut table = Vec::new();
        let none = HashMap::new();
        w.now = asked + Duration::minutes(10);
        assert!(
            step(&w, &mut table, &none).is_empty(),
            "exactly at the limit"
        );
        w.now = asked + Duration::minutes(11);
        let p = step(&w, &mut table, &none);
        assert_eq!(p.raise.len(), 1);
        assert_eq!(p.raise[0].subject, "transport_waiting:7:critical");
        assert_eq!(p.raise[0].due, asked + Duration::minutes(10));
        assert!(step(&w, &mut table, &none).is_empty(), "no duplicate");
        w.now = asked + Duration::minutes(31);
        let p = step(&w, &mut table, &none);
        assert_eq!(p.raise.len(), 1);
        assert_eq!(p.raise[0].subject, "transport_waiting:8:severe");
        w.waiting.remove(0);
        let p = step(&w, &mut table, &none);
        assert_eq!(
            p.clear,
            vec![(1, "transport_waiting:7:critical".to_string())]
        );
    }

    #[test]
    fn due_marks_alert_once_when_overdue_and_again_past_grace() {
        let due = from_db("2026-11-26T02:00:00Z").unwrap();
        let g = Duration::hours(1);
        let m = due_marks(due, g, due, false, false);
        assert!(!m.overdue && !m.to_leader);
        let m = due_marks(due, g, due + Duration::minutes(1), false, false);
        assert!(m.overdue && !m.to_leader);
        let m = due_marks(due, g, due + Duration::minutes(2), true, false);
        assert!(!m.overdue && !m.to_leader, "already alerted");
        let m = due_marks(due, g, due + Duration::minutes(61), true, false);
        assert!(!m.overdue && m.to_leader, "re-alert past grace");
        let m = due_marks(due, g, due + Duration::minutes(62), true, true);
        assert!(!m.overdue && !m.to_leader);
    }

    #[test]
    fn titles_come_from_the_subject_in_both_languages() {
        let name = |c: &str| format!("<{c}>");
        let t = title("low_stock:HC2:drug_packs", Lang::En, &name).unwrap();
        assert!(t.contains("<HC2>"), "{t}");
        let z = title("missing_report:V3:2026-11-26", Lang::Zh, &name).unwrap();
        assert!(z.contains("<V3>") && z.contains("11月26日"), "{z}");
        assert!(
            title("transport_waiting:7:critical", Lang::Zh, &name)
                .unwrap()
                .contains('7')
        );
        assert_eq!(title("nonsense", Lang::En, &name), None);
    }
}
