//! Boilerplate: lines that are not article content (ad slots, share bars, agency disclaimers) and
//! the leading agency credit line. Rules are data: `rules/<lang>.yaml` ship with tessera, a site
//! extends them with `locales/<lang>/import-rules.yaml`. Rules of shape need no data in any
//! language: a line of short menu items between separators is navigation, a run of one- and
//! two-word lines is a menu, a short line repeated is page furniture, a parenthesised
//! `(Label: ...)` paragraph is a disclaimer, and a quotation that repeats a sentence of the
//! article is a pull quote.

use anyhow::Context;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// The format of a rule file (shipped or the site's own).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
    #[serde(default)]
    credits: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    #[serde(default)]
    kind: RuleKind,
    #[serde(default)]
    lines: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Dropped from the body.
    #[default]
    Boilerplate,
    /// Dropped from the body and kept in the page's front matter.
    Disclaimer,
}

#[derive(Debug)]
struct Rule {
    name: String,
    kind: RuleKind,
    lines: Vec<String>,
    patterns: Vec<Regex>,
}

/// The rules for one language: common + shipped + the site's own.
#[derive(Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    credits: Vec<Regex>,
}

/// Name of the general rule: a short line repeated in one article is not content.
pub const REPEATED_LINE: &str = "repeated-short-line";
/// `Home | News | Contact`, `Accueil > Actualités`.
const NAVIGATION: &str = "navigation";
/// `Facebook` / `Twitter` / `WhatsApp`, one per line.
const MENU: &str = "menu";
/// `(Disclaimer: ... provided by PNN ...)` in any language.
const DISCLAIMER: &str = "disclaimer";
/// A quotation set apart that repeats a sentence of the article.
const PULL_QUOTE: &str = "pull-quote";
/// A short line that sends the reader to a social network (`Follow us on Facebook`,
/// `همें फेसबुक पर फॉलो करें`, `تابعونا على تويتر`).
const SOCIAL_PROMO: &str = "social-promo";
/// Social networks, in the scripts the network's sites write them in.
const PLATFORMS: &[&str] = &[
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "youtube",
    "instagram",
    "linkedin",
    "tiktok",
    "फेसबुक",
    "ट्विटर",
    "व्हाट्सऐप",
    "व्हाट्सएप",
    "इंस्टाग्राम",
    "यूट्यूब",
    "टेलीग्राम",
    "فيسبوك",
    "فايسبوك",
    "تويتر",
    "واتساب",
    "تيليجرام",
    "تلغرام",
    "انستغرام",
    "يوتيوب",
];
/// Lines in a row that make a menu.
const MENU_MIN: usize = 3;
/// How often a short line must occur to count as page furniture.
const REPEAT_MIN: usize = 3;

fn shipped(lang: &str) -> Option<(&'static str, &'static str)> {
    Some(match lang {
        "en" => ("rules/en.yaml", include_str!("rules/en.yaml")),
        "ar" => ("rules/ar.yaml", include_str!("rules/ar.yaml")),
        "hi" => ("rules/hi.yaml", include_str!("rules/hi.yaml")),
        "az" => ("rules/az.yaml", include_str!("rules/az.yaml")),
        "fr" => ("rules/fr.yaml", include_str!("rules/fr.yaml")),
        "es" => ("rules/es.yaml", include_str!("rules/es.yaml")),
        _ => return None,
    })
}

impl Rules {
    /// Loads the rules for `lang`; the site's file is `<root>/locales/<lang>/import-rules.yaml`.
    pub fn load(root: &Path, lang: &str) -> anyhow::Result<Rules> {
        let mut rules = Rules::default();
        let builtin = Path::new("src/import");
        rules.add(include_str!("rules/common.yaml"), &builtin.join("rules/common.yaml"))?;
        if let Some((name, text)) = shipped(lang) {
            rules.add(text, &builtin.join(name))?;
        }
        let site = root.join("locales").join(lang).join("import-rules.yaml");
        if site.exists() {
            let text = std::fs::read_to_string(&site).with_context(|| format!("cannot read {}", site.display()))?;
            rules.add(&text, &site)?;
        }
        Ok(rules)
    }

    fn add(&mut self, text: &str, file: &Path) -> anyhow::Result<()> {
        let parsed: RuleFile = crate::yaml::parse(text, file, 1).map_err(|d| anyhow::anyhow!("{d}"))?;
        for spec in parsed.rules {
            let mut patterns = Vec::new();
            for p in &spec.patterns {
                let re = Regex::new(p).with_context(|| {
                    format!("{}: rule `{}`: `{p}` is not a valid regular expression", file.display(), spec.name)
                })?;
                patterns.push(re);
            }
            let lines = spec.lines.iter().map(|l| fold(l)).collect();
            self.rules.push(Rule { name: spec.name, kind: spec.kind, lines, patterns });
        }
        for p in &parsed.credits {
            let re =
                Regex::new(p).with_context(|| format!("{}: credit `{p}` is not a valid regular expression", file.display()))?;
            self.credits.push(re);
        }
        Ok(())
    }

    fn matching(&self, line: &str) -> Option<&Rule> {
        let folded = fold(line);
        self.rules.iter().find(|r| r.lines.contains(&folded) || r.patterns.iter().any(|p| p.is_match(line)))
    }

    /// A news agency's name as the rules know it (`PNN`, `Reuters`).
    pub fn is_credit(&self, line: &str) -> bool {
        self.credits.iter().any(|c| c.is_match(line))
    }
}

/// A line taken out of the body, and the rule that took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub rule: String,
    pub line: String,
}

/// The article's lines with boilerplate blanked out (blank lines keep paragraph breaks visible
/// to page-break repair), plus what was taken out.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub lines: Vec<String>,
    pub removed: Vec<Removed>,
    pub disclaimers: Vec<String>,
    /// The agency credit line, e.g. `PNN`.
    pub source: Option<String>,
    /// The agency a disclaimer names (`provided by PNN`).
    pub disclaimer_source: Option<String>,
}

/// Case- and punctuation-insensitive form of a line, for comparing against rule `lines`.
fn fold(line: &str) -> String {
    line.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_short(line: &str) -> bool {
    line.split_whitespace().count() <= 6 && line.chars().count() <= 50
}

fn ends_like_a_sentence(text: &str) -> bool {
    text.trim_end().chars().last().is_some_and(|c| ".!?;,؟؛،।…".contains(c))
}

/// A line of two or more short items between separators (`Home | News | Contact`,
/// `Accueil > Actualités > Économie`, `Home / Economy / Green finance`): navigation.
fn is_navigation(line: &str) -> bool {
    // `Por: María Quispe | 05/03/2025` is a byline with a publication date, not a menu.
    let dated = regex::Regex::new(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}").expect("constant regex");
    if dated.is_match(&crate::import::text::ascii_digits(line)) {
        return false;
    }
    let spaced = |c: char| format!(" {c} ");
    let mut items = vec![line.to_string()];
    let mut separated = false;
    for sep in ['|', '>', '»', '›', '/', '\\', '•', '·', '→', '<', '«'] {
        let tight = sep != '/' && sep != '·' && sep != '•';
        let found = if tight { line.contains(sep) } else { line.contains(&spaced(sep)) };
        if !found {
            continue;
        }
        separated = true;
        items = items
            .iter()
            .flat_map(|i| {
                if tight {
                    i.split(sep).map(String::from).collect::<Vec<_>>()
                } else {
                    i.split(&spaced(sep)).map(String::from).collect()
                }
            })
            .collect();
    }
    // `Top Stories   Business   Tech`: items set apart by runs of spaces.
    if !separated {
        let runs = regex::Regex::new(r"\s{2,}").expect("constant regex");
        let parts: Vec<String> = runs.split(line.trim()).map(String::from).collect();
        if parts.len() >= 3 {
            separated = true;
            items = parts;
        }
    }
    let items: Vec<&str> = items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).collect();
    separated
        && items.len() >= 2
        && items.iter().all(|i| i.split_whitespace().count() <= 4 && i.chars().count() <= 32 && !ends_like_a_sentence(i))
}

/// One or two words, no sentence punctuation, no list marker: an item of a vertical menu.
fn is_menu_item(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.split_whitespace().count() <= 2
        && line.chars().count() <= 24
        && !ends_like_a_sentence(line)
        && !line.ends_with(':')
        && crate::import::structure::list_marker(line).is_none()
}

/// `(Disclaimer: The above press release has been provided by PNN. ...)`, `(إخلاء مسؤولية:
/// ...)`: a whole paragraph in parentheses that opens with a short label and a colon.
fn is_disclaimer_shape(line: &str) -> bool {
    let Some(inner) = line.strip_prefix('(').map(|l| l.trim_end_matches(['.', ' '])) else {
        return false;
    };
    let Some(inner) = inner.strip_suffix(')') else { return false };
    let Some((label, text)) = inner.split_once([':', '：']) else { return false };
    let label_words = label.split_whitespace().count();
    (1..=3).contains(&label_words) && text.split_whitespace().count() >= 6 && !inner.contains(['(', ')'])
}

/// The agency a disclaimer names: its first acronym (`PNN`, `APS`), else its first capitalised
/// word that does not open a sentence (`proporcionado por Servimedia`).
fn disclaimer_source(line: &str) -> Option<String> {
    let body = line.split_once([':', '：']).map_or(line, |(_, t)| t);
    let words: Vec<&str> = body.split_whitespace().collect();
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let acronym = words.iter().map(|w| clean(w)).find(|w| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.len() <= 10 && letters.iter().all(|c| c.is_uppercase())
    });
    acronym.or_else(|| {
        words.iter().enumerate().skip(1).find_map(|(i, w)| {
            let opens = ends_like_a_sentence(words[i - 1]) || words[i - 1].ends_with(':');
            let word = clean(w);
            (!opens && word.chars().next().is_some_and(char::is_uppercase) && word.chars().count() >= 3).then_some(word)
        })
    })
}

/// A short line, not a sentence, that names a social network.
fn is_social_promo(line: &str) -> bool {
    let lower = line.to_lowercase();
    line.split_whitespace().count() <= 12 && !ends_like_a_sentence(line) && PLATFORMS.iter().any(|p| lower.contains(p))
}

/// `“We are building bridges”` set apart, when the same words stand in another line.
fn is_pull_quote(line: &str, lines: &[String]) -> bool {
    let quotes = ['"', '“', '”', '«', '»', '„', '\'', '‘', '’'];
    if !line.starts_with(quotes) {
        return false;
    }
    let inner = line.trim_matches(|c: char| quotes.contains(&c) || c.is_whitespace() || ".!?؟।".contains(c));
    let inner = inner.to_lowercase();
    inner.split_whitespace().count() >= 4 && lines.iter().any(|l| l.trim() != line && l.to_lowercase().contains(&inner))
}

pub fn clean(lines: &[String], rules: &Rules) -> Cleaned {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines.iter().filter(|l| !l.trim().is_empty() && is_short(l)) {
        *counts.entry(fold(line)).or_default() += 1;
    }
    // Runs of menu items: lines in a row (no blank between them).
    let mut in_menu = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..].iter().take_while(|l| is_menu_item(l)).count();
        if run >= MENU_MIN {
            in_menu[i..i + run].iter_mut().for_each(|m| *m = true);
        }
        i += run.max(1);
    }
    let mut cleaned = Cleaned::default();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            cleaned.lines.push(String::new());
            continue;
        }
        let rule = if let Some(rule) = rules.matching(trimmed) {
            if rule.kind == RuleKind::Disclaimer {
                cleaned.disclaimers.push(trimmed.to_string());
                cleaned.disclaimer_source = cleaned.disclaimer_source.take().or_else(|| disclaimer_source(trimmed));
            }
            Some(rule.name.clone())
        } else if is_disclaimer_shape(trimmed) {
            cleaned.disclaimers.push(trimmed.to_string());
            cleaned.disclaimer_source = cleaned.disclaimer_source.take().or_else(|| disclaimer_source(trimmed));
            Some(DISCLAIMER.to_string())
        } else if is_navigation(trimmed) {
            Some(NAVIGATION.to_string())
        } else if in_menu[i] {
            Some(MENU.to_string())
        } else if is_short(trimmed) && counts.get(&fold(trimmed)).copied().unwrap_or(0) >= REPEAT_MIN {
            Some(REPEATED_LINE.to_string())
        } else if Some(i) != first && is_social_promo(trimmed) {
            Some(SOCIAL_PROMO.to_string())
        } else if is_pull_quote(trimmed, lines) {
            Some(PULL_QUOTE.to_string())
        } else if Some(i) == first && rules.is_credit(trimmed) {
            cleaned.source = Some(trimmed.to_string());
            cleaned.lines.push(String::new());
            continue;
        } else {
            None
        };
        match rule {
            Some(rule) => {
                cleaned.removed.push(Removed { rule, line: trimmed.to_string() });
                cleaned.lines.push(String::new());
            }
            None => cleaned.lines.push(line.clone()),
        }
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn arabic_ad_slots_and_share_bar_are_removed_with_their_rule() {
        let rules = Rules::load(Path::new("/nonexistent"), "ar").unwrap();
        let c = clean(&lines("مساحة اعلانية\nعنوان\nنص المقال.\nشارك المقال شارك غرد إرسال\nمساحة إعلانية"), &rules);
        let removed: Vec<_> = c.removed.iter().map(|r| (r.rule.as_str(), r.line.as_str())).collect();
        assert_eq!(
            removed,
            [("ad-placeholder", "مساحة اعلانية"), ("share-bar", "شارك المقال شارك غرد إرسال"), ("ad-placeholder", "مساحة إعلانية")]
        );
        assert_eq!(c.lines.iter().filter(|l| !l.is_empty()).count(), 2);
    }

    #[test]
    fn a_short_line_repeated_three_times_is_not_content() {
        let rules = Rules::default();
        let c = clean(&lines("Click here\nA paragraph.\nClick here\nAnother one.\nClick here"), &rules);
        assert_eq!(c.removed.len(), 3);
        assert!(c.removed.iter().all(|r| r.rule == REPEATED_LINE));
    }

    #[test]
    fn navigation_menus_disclaimers_and_pull_quotes_are_recognised_by_shape() {
        let rules = Rules::default();
        let c = clean(
            &lines(
                "Accueil > Actualités > Économie\nالرئيسية | أخبار | اتصل بنا\nTitle of the story\n\nFacebook\nTwitter\nWhatsApp\n\n\
                 He said the network will grow in every region this year.\n\n“The network will grow in every region”\n\n\
                 (Disclaimer: The above press release has been provided by PNN. The publisher takes no responsibility.)",
            ),
            &rules,
        );
        let removed: Vec<_> = c.removed.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(removed, ["navigation", "navigation", "menu", "menu", "menu", "pull-quote", "disclaimer"]);
        assert_eq!(c.disclaimer_source.as_deref(), Some("PNN"));
        assert!(!is_navigation("The ratio was 50/50 in all cases."));
        assert!(!is_navigation("Lyon lance un réseau d'incubateurs pour l'économie sociale"));
    }

    #[test]
    fn leading_agency_credit_becomes_source_and_disclaimers_are_kept_aside() {
        let rules = Rules::load(Path::new("/nonexistent"), "en").unwrap();
        let c = clean(&lines("PNN\n\nNew Delhi, January 27: Text.\n\nDisclaimer: auto-published."), &rules);
        assert_eq!(c.source.as_deref(), Some("PNN"));
        assert_eq!(c.disclaimers, ["Disclaimer: auto-published."]);
    }
}
