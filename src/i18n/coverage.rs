//! Translation coverage: which UI strings each language has, lacks and never uses, and the scan
//! of template sources for the literal `t(key="...")` calls that say which keys are used.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// UI string coverage of every configured language, in configuration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub languages: Vec<LanguageCoverage>,
}

/// UI string coverage of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCoverage {
    pub language: String,
    /// Message ids this language defines (site or theme).
    pub present: BTreeSet<String>,
    /// Keys used by templates or defined in the default language that this language lacks; they
    /// render through the fallback chain.
    pub missing: BTreeSet<String>,
    /// Messages defined here that no template and no other message uses.
    pub unused: BTreeSet<String>,
}

impl Coverage {
    /// Whether any language lacks a key.
    pub fn has_missing(&self) -> bool {
        self.languages.iter().any(|l| !l.missing.is_empty())
    }

    /// A table for the terminal, one row per language, then the missing and unused keys.
    ///
    /// ```text
    /// language  present  missing  unused
    /// en              3        0       1
    /// hi              2        1       0
    ///
    /// hi missing: read-more
    /// en unused: old-banner
    /// ```
    pub fn table(&self) -> String {
        let width = self.languages.iter().map(|l| l.language.chars().count()).max().unwrap_or(0).max(8);
        let mut out = format!("{:<width$}  present  missing  unused\n", "language");
        for l in &self.languages {
            let _ =
                writeln!(out, "{:<width$}  {:>7}  {:>7}  {:>6}", l.language, l.present.len(), l.missing.len(), l.unused.len());
        }
        let mut details = String::new();
        for l in &self.languages {
            if !l.missing.is_empty() {
                let keys: Vec<&str> = l.missing.iter().map(String::as_str).collect();
                let _ = writeln!(details, "{} missing: {}", l.language, keys.join(", "));
            }
        }
        for l in &self.languages {
            if !l.unused.is_empty() {
                let keys: Vec<&str> = l.unused.iter().map(String::as_str).collect();
                let _ = writeln!(details, "{} unused: {}", l.language, keys.join(", "));
            }
        }
        if !details.is_empty() {
            out.push('\n');
            out.push_str(&details);
        }
        out
    }
}

/// Finds literal `t(key="...")` calls (any quote style, `key` anywhere among the arguments) in
/// template sources: key -> names of the templates that use it. Keys built at render time
/// (`t(key=name)`) cannot be seen here.
pub fn keys_used_by_templates(templates: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, source) in templates {
        for key in literal_t_keys(source) {
            used.entry(key).or_default().insert(name.clone());
        }
    }
    used
}

fn literal_t_keys(source: &str) -> Vec<String> {
    let bytes = source.as_bytes();
    let mut keys = Vec::new();
    let mut from = 0;
    while let Some(found) = source[from..].find("t(") {
        let at = from + found;
        from = at + 2;
        let standalone = at == 0 || !is_ident_byte(bytes[at - 1]) && bytes[at - 1] != b'.';
        if !standalone {
            continue;
        }
        if let Some(key) = key_argument(&source[at + 2..]) {
            keys.push(key);
        }
    }
    keys
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The literal value of the `key=` argument in an argument list that starts right after `(`.
fn key_argument(args: &str) -> Option<String> {
    let bytes = args.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    let mut at_argument_start = true;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                let quote = bytes[i];
                let end = args[i + 1..].find(quote as char)? + i + 1;
                i = end + 1;
                at_argument_start = false;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return None,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                at_argument_start = true;
                i += 1;
                continue;
            }
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ if depth == 0 && at_argument_start && args[i..].starts_with("key") => {
                let after = args[i + 3..].trim_start();
                if let Some(value) = after.strip_prefix('=').map(str::trim_start)
                    && !value.starts_with('=')
                {
                    let quote = value.chars().next()?;
                    if matches!(quote, '"' | '\'' | '`') {
                        let end = value[1..].find(quote)?;
                        return Some(value[1..1 + end].to_string());
                    }
                    return None; // key given by an expression
                }
            }
            _ => {}
        }
        at_argument_start = false;
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(templates: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let owned: Vec<(String, String)> = templates.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
        keys_used_by_templates(&owned)
    }

    #[test]
    fn finds_literal_keys_in_any_position() {
        let used = scan(&[
            ("page.html", r#"{{ t(key="read-more") }} {{ t( key = 'posted-on', date=page.date) }}"#),
            ("list.html", r#"{{ t(count=pages | length, key="items-count") }}{{ t(key="read-more") }}"#),
            ("base.html", "{{ t(key=`nav.home`) }}"),
        ]);
        let keys: Vec<&str> = used.keys().map(String::as_str).collect();
        assert_eq!(keys, ["items-count", "nav.home", "posted-on", "read-more"]);
        assert_eq!(used["read-more"].iter().collect::<Vec<_>>(), ["list.html", "page.html"]);
    }

    #[test]
    fn ignores_other_functions_and_dynamic_keys() {
        let used = scan(&[(
            "x.html",
            r#"{{ get_t(key="a") }} {{ obj.t(key="b") }} {{ t(key=name) }} {{ t(other="key=\"c\"") }} {{ format(t(key="d")) }}"#,
        )]);
        let keys: Vec<&str> = used.keys().map(String::as_str).collect();
        assert_eq!(keys, ["d"]);
    }

    #[test]
    fn table_lists_counts_and_keys() {
        let coverage = Coverage {
            languages: vec![
                LanguageCoverage {
                    language: "en".into(),
                    present: ["a", "b", "old"].iter().map(|s| s.to_string()).collect(),
                    missing: BTreeSet::new(),
                    unused: ["old".to_string()].into(),
                },
                LanguageCoverage {
                    language: "hi".into(),
                    present: ["a".to_string()].into(),
                    missing: ["b".to_string()].into(),
                    unused: BTreeSet::new(),
                },
            ],
        };
        assert!(coverage.has_missing());
        assert_eq!(
            coverage.table(),
            "language  present  missing  unused\n\
             en              3        0       1\n\
             hi              1        1       0\n\
             \n\
             hi missing: b\n\
             en unused: old\n"
        );
    }
}
