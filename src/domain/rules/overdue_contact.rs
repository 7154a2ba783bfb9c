//! Rule `overdue_contact` (issue 15): one escalation per village with key-population
//! people overdue for contact (next due before today), the count in its title, for the
//! village's cadres; cleared when none is overdue.

use chrono::{DateTime, Duration, Utc};

use super::{Facts, Finding, Subject};
use crate::i18n::{Lang, Msg};

/// How long the village has to call its overdue people once the desk raises it.
pub const OVERDUE_CONTACT_HOURS: i64 = 4;

/// A village's overdue people as the rule sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueVillage {
    /// Village code.
    pub village: String,
    /// How many people are overdue.
    pub count: i64,
    /// The cadres paired with them (who should call).
    pub cadres: Vec<String>,
    /// The start of the town's day (people became overdue at midnight): a person's
    /// resolution after this holds until the next day.
    pub since: DateTime<Utc>,
}

/// Rule: a village with people overdue for contact.
pub fn overdue_contact(f: &Facts<'_>) -> Vec<Finding> {
    f.overdue_contacts
        .iter()
        .filter(|o| o.count > 0)
        .map(|o| Finding {
            subject: Subject::OverdueContact {
                village: o.village.clone(),
            },
            village: Some(o.village.clone()),
            place: None,
            details: details(o.count, &o.cadres),
            due: crate::domain::time::plus(f.now, Duration::hours(OVERDUE_CONTACT_HOURS)),
            evidence_at: o.since,
        })
        .collect()
}

/// Language-neutral details: `overdue=N cadres=A,B` (the count is read back for titles).
pub fn details(count: i64, cadres: &[String]) -> String {
    format!("overdue={count} cadres={}", cadres.join(","))
}

/// The overdue count written in `details`.
pub fn count_in(details: &str) -> Option<i64> {
    details
        .split_whitespace()
        .find_map(|w| w.strip_prefix("overdue="))
        .and_then(|n| n.parse().ok())
}

/// The title in `lang`: the village's name and how many are overdue.
pub fn title(village_name: &str, count: i64, lang: Lang) -> String {
    Msg::new("rule.title.overdue_contact")
        .arg("village", village_name)
        .arg("n", count)
        .render(lang)
}

/// A rule escalation's title in `lang` from its subject, and for `overdue_contact` from the
/// count its details carry (the count is in the title, issue 15).
pub fn rule_title(
    subject: &str,
    details: &str,
    lang: Lang,
    name: &dyn Fn(&str) -> String,
) -> Option<String> {
    match Subject::parse(subject)? {
        Subject::OverdueContact { village } => match count_in(details) {
            Some(n) => Some(title(&name(&village), n, lang)),
            None => super::title(subject, lang, name),
        },
        _ => super::title(subject, lang, name),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::rules::{OpenSubject, plan};
    use crate::domain::time::from_db;

    fn facts<'a>(overdue: &'a [OverdueVillage]) -> Facts<'a> {
        Facts {
            now: from_db("2026-11-26T02:30:00Z").unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            cutoff: from_db("2026-11-26T02:00:00Z").unwrap(),
            villages: &[],
            reported: Box::leak(Box::default()),
            pending_days: &[],
            stock: &[],
            threshold_percent: 15.0,
            waiting: &[],
            critical_wait: Duration::minutes(10),
            severe_wait: Duration::minutes(30),
            health_centers: &[],
            capacity: &[],
            min_oximeters_hc: 20,
            open_shift: from_db("2026-11-26T00:30:00Z").unwrap(),
            open_shift_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            handover_grace: Duration::minutes(30),
            overdue_contacts: overdue,
        }
    }

    fn v(code: &str, count: i64) -> OverdueVillage {
        OverdueVillage {
            village: code.into(),
            count,
            cadres: vec!["甲".into(), "乙".into()],
            since: from_db("2026-11-25T16:00:00Z").unwrap(),
        }
    }

    #[test]
    fn fires_once_per_village_with_the_count_and_the_cadres() {
        let overdue = [v("V1", 3), v("V2", 1), v("V3", 0)];
        let found = overdue_contact(&facts(&overdue));
        assert_eq!(found.len(), 2, "one per village with overdue people");
        assert_eq!(found[0].subject, "overdue_contact:V1");
        assert_eq!(
            found[0].kind(),
            crate::domain::escalation::Kind::OverdueContact
        );
        assert_eq!(count_in(&found[0].details), Some(3));
        assert!(found[0].details.contains("甲,乙"));
        assert_eq!(found[0].due, from_db("2026-11-26T06:30:00Z").unwrap());
        assert_eq!(title("青龙村", 3, Lang::Zh), "青龙村：3 名重点人群随访超期");
        assert_eq!(
            title("Qinglong", 1, Lang::En),
            "Qinglong: 1 key-population person(s) overdue for contact"
        );
    }

    #[test]
    fn does_not_duplicate_and_clears_when_none_is_overdue() {
        let overdue = [v("V1", 2)];
        let open = [OpenSubject {
            id: 7,
            subject: "overdue_contact:V1".into(),
        }];
        let p = plan(
            overdue_contact(&facts(&overdue)),
            &open,
            &Default::default(),
        );
        assert!(
            p.raise.is_empty() && p.clear.is_empty(),
            "still open: nothing to do"
        );
        let p = plan(overdue_contact(&facts(&[])), &open, &Default::default());
        assert_eq!(p.clear, vec![(7, "overdue_contact:V1".to_string())]);
        assert_eq!(
            crate::domain::rules::cleared_key("overdue_contact:V1"),
            "rule.cleared.overdue_contact"
        );
    }
}
