//! Partners: which organisations of the site's registry (`partners:` in site.yaml) an article
//! mentions, by any of their names or aliases in any language. Whole words, case-insensitive,
//! NFC; an Arabic word may carry the prefixes و، ف، ب، ل، ك (`لمكتب`, `واليونسكو`, `للمكتب`).

use crate::config::PartnerConfig;
use crate::import::text;
use unicode_normalization::UnicodeNormalization;

/// A partner the article mentions, and the name it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub key: String,
    pub name: String,
}

fn tokens(s: &str) -> Vec<String> {
    let s: String = s.nfc().collect();
    text::words(&s.to_lowercase())
}

/// `word` is `name` with up to two Arabic prefix letters (`و` + `ب`), or `ل` + `ل…` for `ال…`.
fn same_word(word: &str, name: &str) -> bool {
    if word == name {
        return true;
    }
    if !text::is_arabic_word(word) {
        return false;
    }
    let mut rest = word;
    for _ in 0..2 {
        let Some(stripped) = rest.strip_prefix(['و', 'ف', 'ب', 'ل', 'ك']) else {
            break;
        };
        rest = stripped;
        if rest == name {
            return true;
        }
        // ل + الـ is written لل: `للمكتب` is ل + المكتب.
        if let Some(n) = name.strip_prefix("ال")
            && rest.strip_prefix('ل') == Some(n)
        {
            return true;
        }
        // A name without the article, used with it: `والمكتب` for `مكتب`.
        if rest.strip_prefix("ال") == Some(name) {
            return true;
        }
    }
    word.strip_prefix("ال") == Some(name)
}

fn contains(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w.iter().zip(needle).all(|(a, b)| same_word(a, b)))
}

/// Partners mentioned in `text`, in registry order, each once.
pub fn find(text: &str, partners: &[PartnerConfig]) -> Vec<Mention> {
    let words = tokens(text);
    let mut found = Vec::new();
    for partner in partners {
        let names = partner.names.values().flatten();
        if let Some(name) = names.into_iter().find(|n| contains(&words, &tokens(n))) {
            found.push(Mention { key: partner.key.clone(), name: name.clone() });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn partner(key: &str, names: &[(&str, &[&str])]) -> PartnerConfig {
        let names: BTreeMap<String, Vec<String>> =
            names.iter().map(|(l, n)| (l.to_string(), n.iter().map(|s| s.to_string()).collect())).collect();
        PartnerConfig { key: key.into(), names, url: None }
    }

    #[test]
    fn names_match_on_word_boundaries_in_any_case_and_with_arabic_prefixes() {
        let registry = [
            partner("odco", &[("ar", &["مكتب تنمية التعاون"])]),
            partner("unesco", &[("en", &["UNESCO"]), ("ar", &["اليونسكو"])]),
            partner("icc", &[("en", &["ICC"])]),
        ];
        let found = find("المندوبية الجهوية لمكتب تنمية التعاون واليونسكو", &registry);
        let keys: Vec<_> = found.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["odco", "unesco"]);
        assert!(find("the Unesco office", &registry).iter().any(|m| m.key == "unesco"));
        assert!(find("an ICCA meeting", &registry).is_empty());
    }
}
