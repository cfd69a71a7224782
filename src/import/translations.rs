//! Translations: articles that tell the same story in different languages share one
//! `translation_key`, found from evidence both texts carry — numbers in any digits and grouping
//! (`1,400` = `1400` = `١٤٠٠`), Latin-script names and acronyms (WASME, ICNGO), and names
//! transliterated into another script (`Nairobi` = `نيروبي`, by consonant skeleton) — never
//! from the languages' words themselves.

use crate::import::text;
use std::collections::{BTreeMap, BTreeSet};

/// What one text offers for comparison.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    numbers: BTreeSet<String>,
    /// Distinctive Latin tokens (acronyms; in a non-Latin text, any Latin word), lowercase -> count.
    names: BTreeMap<String, usize>,
    /// Every Latin word, lowercase.
    latin: BTreeSet<String>,
    /// Lowercase -> as first written.
    spelling: BTreeMap<String, String>,
    /// Consonant skeletons (`NRB`) of the names a Latin text capitalises, or of every word of a
    /// text in another script -> the word as first written.
    skeletons: BTreeMap<String, String>,
    latin_text: bool,
    /// Keys of the partners (site.yaml registry) the text names, in whatever language.
    partners: BTreeSet<String>,
}

impl Evidence {
    /// The partners the text names count as names both texts share (`unesco` for `UNESCO` and
    /// `اليونسكو`).
    pub fn with_partners(mut self, keys: impl IntoIterator<Item = String>) -> Evidence {
        self.partners.extend(keys);
        self
    }

    /// The days and months the text names (`12 February`, `12 فبراير`, `१२ फरवरी`) count as
    /// figures both texts share, written `12/2`.
    pub fn with_dates(mut self, text: &str, lang: &str) -> Evidence {
        self.numbers.extend(crate::import::dates::mentions(text, lang).into_iter().map(|m| format!("{}/{}", m.day, m.month)));
        self
    }
}

/// Skeletons shorter than this match too many unrelated words (`SRK` is SESRIC and شركة,
/// "company").
const SKELETON_MIN: usize = 4;

/// A month or weekday names a date, not a person or place: never a transliterated name.
fn is_calendar_word(word: &str) -> bool {
    ["en", "ar", "hi", "az", "fr", "es"].iter().any(|l| crate::import::dates::month_of(word, l).is_some())
        || crate::import::dates::weekday_of(word).is_some()
}

/// A year (`2025`): shared by most articles of one season, so weak evidence.
fn is_year(n: &str) -> bool {
    n.len() == 4 && n.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().any(|c| c.is_alphabetic())
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

pub fn evidence(body: &str) -> Evidence {
    let latin_text = text::is_latin_text(body);
    let mut e = Evidence { latin_text, ..Evidence::default() };
    for word in text::words(body) {
        if let Some(n) = text::number(&word) {
            if n.len() >= 2 {
                e.numbers.insert(n);
            }
            continue;
        }
        let latin = text::is_latin_word(&word);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if latin == latin_text && (!latin || capitalised) && !is_calendar_word(&word) {
            let skeleton = text::skeleton(&word);
            if skeleton.len() >= SKELETON_MIN {
                e.skeletons.entry(skeleton).or_insert_with(|| word.clone());
            }
        }
        if !latin {
            continue;
        }
        let lower = word.to_lowercase();
        if is_acronym(&word) || (!latin_text && word.chars().count() >= 3) {
            *e.names.entry(lower.clone()).or_default() += 1;
        }
        e.spelling.entry(lower.clone()).or_insert(word);
        e.latin.insert(lower);
    }
    e
}

/// What two texts have in common.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub numbers: Vec<String>,
    pub names: Vec<String>,
    /// Partners (registry keys) both texts name, in any language.
    pub partners: Vec<String>,
}

impl Shared {
    /// Two distinctive numbers (years don't count) and two names (a partner both name counts,
    /// once): enough that unrelated articles don't group.
    pub fn is_strong(&self) -> bool {
        let partners = self.partners.iter().filter(|p| !self.names.iter().any(|n| n.eq_ignore_ascii_case(p))).count();
        self.numbers.iter().filter(|n| !is_year(n)).count() >= 2 && self.names.len() + partners >= 2
    }
}

pub fn shared(a: &Evidence, b: &Evidence) -> Shared {
    let mut numbers: Vec<String> = a.numbers.intersection(&b.numbers).cloned().collect();
    numbers.sort_by_key(|n| (n.len(), n.clone()));
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (x, y) in [(a, b), (b, a)] {
        for name in x.names.keys().filter(|n| y.latin.contains(*n)) {
            names.insert(x.spelling.get(name).cloned().unwrap_or_else(|| name.clone()));
        }
    }
    // A name in one script and its transliteration in the other, shown as `Nairobi/نيروبي`.
    if a.latin_text != b.latin_text {
        for (skeleton, word) in &a.skeletons {
            if let Some(other) = b.skeletons.get(skeleton) {
                let (latin, other) = if a.latin_text { (word, other) } else { (other, word) };
                names.insert(format!("{latin}/{other}"));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let names = names.into_iter().filter(|n| seen.insert(n.to_lowercase())).collect();
    let partners = a.partners.intersection(&b.partners).cloned().collect();
    Shared { numbers, names, partners }
}

/// An article of this run or a page already in the section.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub lang: String,
    pub evidence: Evidence,
    /// The page's `translation_key`, for pages already written.
    pub key: Option<String>,
    /// Part of this import run (groups only form around these).
    pub new: bool,
}

/// Two members and why they belong together.
#[derive(Debug, Clone)]
pub struct Link {
    pub a: usize,
    pub b: usize,
    pub shared: Shared,
}

#[derive(Debug, Clone)]
pub struct Group {
    /// Indices into the candidates, ascending.
    pub members: Vec<usize>,
    pub key: String,
    pub links: Vec<Link>,
}

/// Groups candidates into translation sets: strong shared evidence, one page per language.
pub fn group(candidates: &[Candidate]) -> Vec<Group> {
    let mut links = Vec::new();
    for a in 0..candidates.len() {
        for b in a + 1..candidates.len() {
            let (x, y) = (&candidates[a], &candidates[b]);
            if x.lang == y.lang || !(x.new || y.new) {
                continue;
            }
            let shared = shared(&x.evidence, &y.evidence);
            if shared.is_strong() {
                links.push(Link { a, b, shared });
            }
        }
    }
    links.sort_by_key(|l| (std::cmp::Reverse(l.shared.numbers.len() + l.shared.names.len()), l.a, l.b));
    let mut set: Vec<usize> = (0..candidates.len()).collect();
    fn root(set: &mut [usize], mut i: usize) -> usize {
        while set[i] != i {
            i = set[i];
        }
        i
    }
    let mut kept = Vec::new();
    for link in links {
        let (ra, rb) = (root(&mut set, link.a), root(&mut set, link.b));
        if ra == rb {
            kept.push(link);
            continue;
        }
        let langs = |r: usize, set: &mut [usize]| -> BTreeSet<String> {
            (0..candidates.len()).filter(|&i| root(set, i) == r).map(|i| candidates[i].lang.clone()).collect()
        };
        let (la, lb) = (langs(ra, &mut set), langs(rb, &mut set));
        if la.is_disjoint(&lb) {
            set[rb] = ra;
            kept.push(link);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..candidates.len() {
        let r = root(&mut set, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in groups.into_values().filter(|m| m.len() > 1) {
        let links: Vec<Link> = kept.iter().filter(|l| members.contains(&l.a)).cloned().collect();
        let key =
            members.iter().find_map(|&i| candidates[i].key.clone()).unwrap_or_else(|| derive_key(&members, &links, candidates));
        out.push(Group { members, key, links });
    }
    out
}

/// A stable key from the evidence: the two most used shared names and the latest shared year,
/// e.g. `wasme-ngo-2024`.
fn derive_key(members: &[usize], links: &[Link], candidates: &[Candidate]) -> String {
    // Names both texts spell alike rank before transliterated ones (`Nairobi/نيروبي`), which
    // give their Latin spelling.
    let mut names: BTreeMap<String, (bool, usize)> = BTreeMap::new();
    let mut year: Option<u32> = None;
    for link in links {
        for name in &link.shared.names {
            let (latin, transliterated) = match name.split_once('/') {
                Some((latin, _)) => (latin, true),
                None => (name.as_str(), false),
            };
            let lower = latin.to_lowercase();
            let uses = members.iter().map(|&i| candidates[i].evidence.names.get(&lower).copied().unwrap_or(0)).sum();
            let entry = names.entry(lower).or_insert((transliterated, uses));
            entry.0 &= transliterated;
        }
        for n in &link.shared.numbers {
            if let Ok(y) = n.parse::<u32>()
                && (1900..=2100).contains(&y)
                && n.len() == 4
            {
                year = year.max(Some(y));
            }
        }
    }
    let mut ranked: Vec<(String, (bool, usize))> = names.into_iter().collect();
    ranked.sort_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)).then(a.0.cmp(&b.0)));
    let mut parts: Vec<String> = ranked.into_iter().take(2).map(|(n, _)| n).collect();
    if let Some(y) = year {
        parts.push(y.to_string());
    }
    crate::import::write::slugify(&parts.join(" "), "en")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(lang: &str, text: &str) -> Candidate {
        Candidate { lang: lang.into(), evidence: evidence(text), key: None, new: true }
    }

    #[test]
    fn same_story_in_two_languages_groups_with_its_evidence() {
        let c = [
            candidate("hi", "WASME ने ICNGO में 34 के मुकाबले 66 मतों से जीत हासिल की"),
            candidate("en", "WASME won the ICNGO vote with 66 votes against 34."),
            candidate("ar", "نظمت شبكة وليلي ندوة يوم 7 أكتوبر"),
        ];
        let groups = group(&c);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].members, [0, 1]);
        assert_eq!(groups[0].links[0].shared.numbers, ["34", "66"]);
        assert_eq!(groups[0].links[0].shared.names, ["ICNGO", "WASME"]);
    }

    #[test]
    fn figures_in_other_digits_and_transliterated_names_are_evidence() {
        let en = evidence(
            "WASME opened an office in Nairobi for 200 members, 1,400 entrepreneurs and 45 million shillings, said Sanjiv in Tanzania.",
        );
        let ar = evidence(
            "افتتحت WASME مكتبا في نيروبي لفائدة 200 عضو و1400 من رواد الأعمال و45 مليون شلن، كما قال سانجيف في تنزانيا.",
        );
        let s = shared(&en, &ar);
        assert_eq!(s.numbers, ["45", "200", "1400"]);
        assert!(
            s.names.contains(&"Sanjiv/سانجيف".to_string()) && s.names.contains(&"Tanzania/تنزانيا".to_string()),
            "{:?}",
            s.names
        );
        assert!(s.is_strong());
    }

    #[test]
    fn a_day_and_month_in_any_language_is_a_shared_figure() {
        let en = evidence("The office opened on 3 February.").with_dates("The office opened on 3 February.", "en");
        let hi = evidence("कार्यालय 3 फरवरी को खुला।").with_dates("कार्यालय 3 फरवरी को खुला।", "hi");
        assert_eq!(shared(&en, &hi).numbers, ["3/2"]);
    }

    #[test]
    fn same_language_never_groups() {
        let c = [candidate("en", "WASME ICNGO 66 34"), candidate("en", "WASME ICNGO 66 34")];
        assert!(group(&c).is_empty());
    }
}
