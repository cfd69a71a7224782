//! Localisation: Fluent UI strings (site over theme, per-language fallback chains), CLDR dates
//! and numbers, and text direction per language, all behind one `Localizer` that templates reach
//! through the Tera functions and filters in `tera`.

mod collate;
mod coverage;
mod direction;
mod fluent;
mod format;
mod tera;

pub use collate::{compare, sort_by_name, sort_ties_by_name};
pub use coverage::{Coverage, LanguageCoverage, keys_used_by_templates};
pub use direction::Directions;
pub use format::DateLength;
pub use tera::{register, register_placeholders};

use crate::config::{CONFIG_FILE, Direction, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use fluent::LanguageStrings;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Mutex;

/// Every configured language's UI strings, locale and direction. `Send + Sync`: share it with
/// `Arc` across render threads; the only mutable part is the warning log behind a mutex.
pub struct Localizer {
    languages: Vec<Language>,
    /// Index into `languages` of the site's default language.
    default: Option<usize>,
    warnings: Mutex<WarningLog>,
}

struct Language {
    code: String,
    locale: icu::locale::Locale,
    direction: Direction,
    /// Indices into `Localizer::languages`: itself, its configured fallbacks, the default.
    chain: Vec<usize>,
    strings: LanguageStrings,
}

#[derive(Default)]
struct WarningLog {
    in_order: Vec<String>,
    seen: HashSet<String>,
}

impl Localizer {
    /// The UI strings of the site in `root` and of its theme.
    pub fn for_site(root: &Path, config: &SiteConfig) -> Result<std::sync::Arc<Localizer>, Diagnostics> {
        let theme_dir = config.theme.as_ref().map(|t| root.join("themes").join(t));
        Localizer::load(root, theme_dir.as_deref(), config).map(std::sync::Arc::new)
    }

    /// Loads `<site>/locales/<lang>/*.ftl` merged over `<theme_dir>/locales/<lang>/*.ftl` (the
    /// site's message wins per id) for every configured language. Fluent syntax errors,
    /// duplicate ids, unknown fallback languages and unsupported numbering systems are all
    /// reported together.
    pub fn load(site_root: &Path, theme_dir: Option<&Path>, config: &SiteConfig) -> Result<Localizer, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let config_file = site_root.join(CONFIG_FILE);
        let index_of = |code: &str| config.languages.iter().position(|l| l.code == code);
        let default = index_of(&config.default_language);

        let mut languages = Vec::with_capacity(config.languages.len());
        for lang in &config.languages {
            let numbering = lang.numbering_system.as_deref();
            let locale = match format::icu_locale(&lang.code, numbering) {
                Ok(locale) => locale,
                Err(e) => {
                    diagnostics.push(Diagnostic::whole_file(&config_file, format!("language `{}`: {e}", lang.code)));
                    icu::locale::Locale::UNKNOWN
                }
            };
            let mut chain = vec![index_of(&lang.code).expect("the language is in the list")];
            for fallback in &lang.fallback {
                match index_of(fallback) {
                    Some(i) if !chain.contains(&i) => chain.push(i),
                    Some(_) => {}
                    None => diagnostics.push(Diagnostic::whole_file(
                        &config_file,
                        format!("language `{}` falls back to `{fallback}`, which is not one of the site's languages", lang.code),
                    )),
                }
            }
            if let Some(d) = default.filter(|d| !chain.contains(d)) {
                chain.push(d);
            }
            let mut layers = vec![site_root.join("locales").join(&lang.code)];
            if let Some(theme) = theme_dir {
                layers.push(theme.join("locales").join(&lang.code));
            }
            let strings = LanguageStrings::load(&lang.code, format::numbering_index(numbering), &layers, &mut diagnostics);
            languages.push(Language {
                code: lang.code.clone(),
                locale,
                direction: direction::direction(&lang.code, lang.dir),
                chain,
                strings,
            });
        }
        // Files are named as the site sees them, relative to its root.
        for d in &mut diagnostics.0 {
            if let Ok(relative) = d.file.strip_prefix(site_root) {
                d.file = relative.to_path_buf();
            }
        }
        diagnostics.into_result(Localizer { languages, default, warnings: Mutex::default() })
    }

    fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Resolves `key` (`id` or `id.attribute`) in `lang`, then its fallbacks, then the default
    /// language. `args` become Fluent variables. Never emits U+2068/U+2069. A key found nowhere
    /// records one warning per (key, language) naming `template`, and comes back as the key.
    pub fn translate(&self, lang: &str, key: &str, args: &[(&str, serde_json::Value)], template: &str) -> String {
        let chain: &[usize] = match self.language(lang) {
            Some(language) => &language.chain,
            None => self.default.as_slice(),
        };
        for &i in chain {
            let language = &self.languages[i];
            if let Some(formatted) = language.strings.format(key, args) {
                for error in formatted.errors {
                    let message = format!(
                        "warning: UI string `{key}` in language `{}` (used by template `{template}`): {error}",
                        language.code
                    );
                    self.warn_once(message.clone(), message);
                }
                return formatted.text;
            }
        }
        // Once per key and language, naming the first template that asked.
        self.warn_once(
            format!("missing\u{0}{key}\u{0}{lang}"),
            format!("warning: missing UI string `{key}` in language `{lang}` (used by template `{template}`)"),
        );
        key.to_string()
    }

    /// Records `message` unless a warning with the same `identity` was recorded before.
    fn warn_once(&self, identity: String, message: String) {
        // A poisoned log only means another render thread panicked; its entries are still valid.
        let mut log = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if log.seen.insert(identity) {
            log.in_order.push(message);
        }
    }

    /// Warnings recorded so far, each once, in the order they happened.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner()).in_order.clone()
    }

    /// The configured direction, else CLDR's (`ar`, `fa`, `he`, `ur` are right-to-left).
    /// Every site language's direction.
    pub fn directions(&self) -> direction::Directions {
        direction::Directions(self.languages.iter().map(|l| (l.code.clone(), l.direction)).collect())
    }

    pub fn direction(&self, lang: &str) -> Direction {
        match self.language(lang) {
            Some(language) => language.direction,
            None => direction::cldr_direction(lang),
        }
    }

    /// The language's ICU locale, with `-u-nu-…` when a numbering system is configured.
    fn locale(&self, lang: &str) -> Result<icu::locale::Locale, String> {
        match self.language(lang) {
            Some(language) => Ok(language.locale.clone()),
            None => format::icu_locale(lang, None),
        }
    }

    /// A Gregorian date (`YYYY-MM-DD` or RFC 3339) in CLDR's `length` pattern for `lang`, with
    /// the language's numbering system.
    pub fn format_date(&self, lang: &str, date: &str, length: DateLength) -> Result<String, String> {
        format::format_date(&self.locale(lang)?, date, length)
    }

    /// `n` with CLDR grouping and digits for `lang` (`12,34,567` in Hindi).
    pub fn format_number(&self, lang: &str, n: f64) -> String {
        match self.locale(lang) {
            Ok(locale) => format::format_number(&locale, n),
            Err(_) => n.to_string(),
        }
    }

    /// Per language: the messages it defines, those it lacks (used by templates or defined in
    /// the default language), and those no template uses.
    pub fn coverage(&self, used_keys: &BTreeSet<String>) -> Coverage {
        let default_ids: BTreeSet<String> =
            self.default.map(|d| self.languages[d].strings.message_ids().clone()).unwrap_or_default();
        let referenced: BTreeSet<&String> = self.languages.iter().flat_map(|l| l.strings.referenced().iter()).collect();
        let languages = self
            .languages
            .iter()
            .map(|language| {
                let strings = &language.strings;
                let present = strings.message_ids().clone();
                let missing = used_keys.iter().chain(&default_ids).filter(|k| !strings.has(k)).cloned().collect();
                let unused = present
                    .iter()
                    .filter(|id| {
                        !referenced.contains(id)
                            && !used_keys.iter().any(|k| k == *id || k.split_once('.').is_some_and(|(m, _)| m == *id))
                    })
                    .cloned()
                    .collect();
                LanguageCoverage { language: language.code.clone(), present, missing, unused }
            })
            .collect();
        Coverage { languages }
    }
}

#[cfg(test)]
mod tests;
