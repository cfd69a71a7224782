//! Boilerplate: lines that are not article content (ad slots, share bars, agency disclaimers) and
//! the leading agency credit line. Rules are data: `rules/<lang>.yaml` ship with tessera, a site
//! extends them with `locales/<lang>/import-rules.yaml`; one general rule needs no data.

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
/// How often a short line must occur to count as page furniture.
const REPEAT_MIN: usize = 3;

fn shipped(lang: &str) -> Option<(&'static str, &'static str)> {
    Some(match lang {
        "en" => ("rules/en.yaml", include_str!("rules/en.yaml")),
        "ar" => ("rules/ar.yaml", include_str!("rules/ar.yaml")),
        "hi" => ("rules/hi.yaml", include_str!("rules/hi.yaml")),
        "az" => ("rules/az.yaml", include_str!("rules/az.yaml")),
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

    fn is_credit(&self, line: &str) -> bool {
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

pub fn clean(lines: &[String], rules: &Rules) -> Cleaned {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines.iter().filter(|l| !l.trim().is_empty() && is_short(l)) {
        *counts.entry(fold(line)).or_default() += 1;
    }
    let mut cleaned = Cleaned::default();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            cleaned.lines.push(String::new());
            continue;
        }
        if let Some(rule) = rules.matching(trimmed) {
            if rule.kind == RuleKind::Disclaimer {
                cleaned.disclaimers.push(trimmed.to_string());
            }
            cleaned.removed.push(Removed { rule: rule.name.clone(), line: trimmed.to_string() });
            cleaned.lines.push(String::new());
        } else if is_short(trimmed) && counts.get(&fold(trimmed)).copied().unwrap_or(0) >= REPEAT_MIN {
            cleaned.removed.push(Removed { rule: REPEATED_LINE.into(), line: trimmed.to_string() });
            cleaned.lines.push(String::new());
        } else if Some(i) == first && rules.is_credit(trimmed) {
            cleaned.source = Some(trimmed.to_string());
            cleaned.lines.push(String::new());
        } else {
            cleaned.lines.push(line.clone());
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
    fn leading_agency_credit_becomes_source_and_disclaimers_are_kept_aside() {
        let rules = Rules::load(Path::new("/nonexistent"), "en").unwrap();
        let c = clean(&lines("PNN\n\nNew Delhi, January 27: Text.\n\nDisclaimer: auto-published."), &rules);
        assert_eq!(c.source.as_deref(), Some("PNN"));
        assert_eq!(c.disclaimers, ["Disclaimer: auto-published."]);
    }
}
