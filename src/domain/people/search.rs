//! Finding a person on the call list by name, pinyin initials or village (issue 15): each
//! name's full pinyin and initials are worked out once, then every key press matches a
//! lower-case query against the name, the initials, the full pinyin and the village.

use pinyin::ToPinyin;

/// A name's pinyin, worked out once: `张大山` → full `zhangdashan`, initials `zds`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spelled {
    /// The name lower-cased (matched as typed, in any case).
    pub lower: String,
    /// Plain pinyin of every character, joined (other characters lower-cased as they are).
    pub full: String,
    /// The first letter of each character's pinyin (other letters and digits kept).
    pub initials: String,
}

/// Spells `name` in pinyin.
pub fn spell(name: &str) -> Spelled {
    let mut out = Spelled {
        lower: name.to_lowercase(),
        ..Spelled::default()
    };
    for c in name.chars() {
        match c.to_pinyin() {
            Some(p) => {
                out.full.push_str(p.plain());
                out.initials.push_str(p.first_letter());
            }
            None if c.is_alphanumeric() => {
                out.full.extend(c.to_lowercase());
                out.initials.extend(c.to_lowercase());
            }
            None => {}
        }
    }
    out
}

/// A search as typed, prepared once per key press (trimmed, lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query(String);

impl Query {
    /// Prepares `typed`.
    pub fn new(typed: &str) -> Query {
        Query(typed.trim().to_lowercase())
    }

    /// True when the query is empty (it finds everyone).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when the query finds the person: in the name, in the pinyin initials, in the
    /// full pinyin, or in one of the village texts (already lower-cased: code, Chinese and
    /// English names). Nothing is allocated per person.
    pub fn finds(&self, spelled: &Spelled, village_lower: &[String]) -> bool {
        let q = self.0.as_str();
        q.is_empty()
            || spelled.lower.contains(q)
            || spelled.initials.contains(q)
            || spelled.full.contains(q)
            || village_lower.iter().any(|v| v.contains(q))
    }
}

/// True when `query` (trimmed, any case) finds the person named `name` in `village`'s
/// texts. An empty query finds everyone.
pub fn matches(query: &str, name: &str, spelled: &Spelled, village: &[&str]) -> bool {
    let lowered: Vec<String> = village.iter().map(|v| v.to_lowercase()).collect();
    let spelled = if spelled.lower.is_empty() && !name.is_empty() {
        &spell(name)
    } else {
        spelled
    };
    Query::new(query).finds(spelled, &lowered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_once_in_full_and_by_initials() {
        let s = spell("张大山");
        assert_eq!(s.full, "zhangdashan");
        assert_eq!(s.initials, "zds");
        assert_eq!(spell("V01-003").initials, "v01003");
    }

    #[test]
    fn a_query_finds_by_name_initials_pinyin_or_village() {
        let s = spell("吴桂福");
        let v = ["V02", "青龙村", "Qinglong Village"];
        for q in [
            "吴桂", "wgf", "WG", "wugui", "青龙", "qinglong", "v02", "", "  ",
        ] {
            assert!(matches(q, "吴桂福", &s, &v), "{q:?}");
        }
        for q in ["zds", "张", "V03", "xyz"] {
            assert!(!matches(q, "吴桂福", &s, &v), "{q:?}");
        }
    }
}
