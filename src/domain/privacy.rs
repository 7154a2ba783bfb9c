//! Masking personal data in lists and exports: 张*明, 138****1234.

/// Masks a person's name: keeps the first and last character (张*明, 王*), `J*** D**`.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return String::new();
    }
    if name.contains(' ') {
        return name
            .split(' ')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let mut c = p.chars();
                let first = c.next().map(String::from).unwrap_or_default();
                format!("{first}{}", "*".repeat(c.count()))
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Masks a phone number: the first three and last four digits stay (138****1234).
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<(usize, char)> = phone
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .collect();
    if digits.len() < 8 {
        return "*".repeat(phone.chars().count());
    }
    let keep_tail = digits.len() - 4;
    let hidden: Vec<usize> = digits[3..keep_tail].iter().map(|(i, _)| *i).collect();
    phone
        .char_indices()
        .map(|(i, c)| if hidden.contains(&i) { '*' } else { c })
        .collect()
}

/// Masks the patients' names of a handover for printing and sending (`--with-names` keeps them).
pub fn mask_handover(h: &mut super::handover::Handover) {
    for a in &mut h.actions {
        if let super::handover::ActionItem::Transport { patient, .. } = a {
            *patient = mask_name(patient);
        }
    }
    for t in &mut h.trips {
        t.patient = mask_name(&t.patient);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name("王五"), "王*");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(mask_name("John Smith"), "J*** S****");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn phones() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("023-46821120"), "023-****1120");
        assert_eq!(mask_phone("12345"), "*****");
    }
}
