//! Unit tests of each rule: fires, does not duplicate, clears; and of the deadline marks.
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
    open_shift: DateTime<Utc>,
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
            // 2026-11-26 08:30 +08:00: the shift that contains `now`
            open_shift: from_db("2026-11-26T00:30:00Z").unwrap(),
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
            health_centers: &[],
            capacity: &[],
            min_oximeters_hc: 20,
            open_shift: self.open_shift,
            open_shift_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            handover_grace: Duration::minutes(30),
            overdue_contacts: &[],
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
        table.push((id, f.subject.to_string(), true));
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
        .filter(|f| f.kind() == Kind::LowStock)
        .map(|f| f.subject.to_string())
        .collect();
    assert_eq!(subjects, ["low_stock:V3:antigen_kits"]);
    assert_eq!(
        p.raise
            .iter()
            .find(|f| f.kind() == Kind::LowStock)
            .unwrap()
            .village
            .as_deref(),
        Some("V3")
    );
    assert!(
        !step(&w, &mut table, &none)
            .raise
            .iter()
            .any(|f| f.kind() == Kind::LowStock)
    );
    w.count("HC1", StockItem::DrugPacks, 449);
    let p = step(&w, &mut table, &none);
    let hc = p.raise.iter().find(|f| f.kind() == Kind::LowStock).unwrap();
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
            .all(|f| f.kind() != Kind::LowStock)
    );
    w.now = counted + Duration::minutes(30);
    w.count("V3", StockItem::DrugPacks, 9);
    assert!(
        step(&w, &mut table, &by_person)
            .raise
            .iter()
            .any(|f| f.kind() == Kind::LowStock)
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

/// The day in rule titles was formatted per language in code, twice; it is the
/// catalogue's `date.month_day` now, for both titles that carry a day.
#[test]
fn the_day_in_a_rule_title_is_the_catalogues_format() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let shown = day.format(lang.t("date.month_day")).to_string();
        for subject in [
            "missing_report:V3:2026-11-05",
            "handover_overdue:2026-11-05",
        ] {
            let t = title(subject, lang, &|c| c.to_string()).unwrap();
            assert!(t.contains(&shown), "{lang:?} {subject}: {t} lacks {shown}");
        }
    }
    let z = title("handover_overdue:2026-11-05", Lang::Zh, &|c| c.to_string()).unwrap();
    assert!(z.contains("11月5日"), "{z}");
    let e = title("handover_overdue:2026-11-05", Lang::En, &|c| c.to_string()).unwrap();
    assert!(e.contains("11-05"), "{e}");
}

#[test]
fn an_unsigned_shift_past_its_end_and_grace_is_raised_for_the_leader_and_clears() {
    let mut w = World::new();
    let subject = "handover_overdue:2026-11-26";
    // the shift ends 11-27 08:30; grace 30 minutes
    w.now = from_db("2026-11-27T00:59:00Z").unwrap();
    assert!(handover_overdue(&w.facts()).is_empty(), "within the grace");
    w.now = from_db("2026-11-27T01:00:00Z").unwrap();
    let f = handover_overdue(&w.facts());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind(), Kind::HandoverOverdue);
    assert_eq!(f[0].subject, subject);
    assert_eq!(f[0].due, w.now);
    assert!(evaluate(&w.facts()).iter().any(|x| x.subject == subject));
    // raised once; after the sign-over the open shift moves on and it clears
    let open = [OpenSubject {
        id: 9,
        subject: subject.into(),
    }];
    assert!(plan(f, &open, &HashMap::new()).raise.is_empty());
    w.open_shift = from_db("2026-11-27T00:30:00Z").unwrap();
    let p = plan(evaluate(&w.facts()), &open, &HashMap::new());
    assert_eq!(p.clear, vec![(9, subject.to_string())]);
    assert_eq!(cleared_key(subject), "rule.cleared.handover_overdue");
    let t = title(subject, Lang::Zh, &|c| c.to_string()).unwrap();
    assert_eq!(t, "11月26日班次仍未交接");
}
