//! `site.yaml`: the typed site configuration, loaded and validated once, then trusted by every
//! later stage. Unknown keys are errors that name the key and its line.

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Where the site is published, e.g. `https://org.github.io/network/`. A path is allowed.
    pub base_url: String,
    /// Site title used when a language gives none.
    #[serde(default)]
    pub title: String,
    pub default_language: String,
    pub languages: Vec<LanguageConfig>,
    /// Put the default language under `/<code>/` too, and send `/` to the visitor's language.
    #[serde(default)]
    pub default_language_in_subdir: bool,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    /// What a language switcher does for a language a page has not been translated into.
    #[serde(default)]
    pub missing_translation: MissingTranslation,
    /// What a translation whose original changed since it was made shows: `notice` (a note
    /// linking to the updated original) or `silent`.
    #[serde(default)]
    pub stale_translations: StaleTranslations,
    /// Build the client-side search index (Pagefind) under `/pagefind/`.
    #[serde(default = "yes")]
    pub search: bool,
    /// Organisations the network works with; the importer tags articles with them.
    #[serde(default)]
    pub partners: Vec<PartnerConfig>,
    /// Free-form values for templates.
    #[serde(default)]
    pub extra: serde_json::Value,
}

fn default_paginate_by() -> usize {
    10
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// BCP 47 code, e.g. `en`, `hi`, `az`, `ar`.
    pub code: String,
    /// The language's name in its own script, e.g. `हिन्दी`.
    pub name: String,
    /// Text direction; when absent it comes from CLDR script data.
    #[serde(default)]
    pub dir: Option<Direction>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// CLDR numbering system for numbers and dates, e.g. `arab` for Arabic-Indic digits.
    #[serde(default)]
    pub numbering_system: Option<String>,
    /// Languages to try, in order, for a UI string this language lacks; the default language
    /// always ends the chain.
    #[serde(default)]
    pub fallback: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub name: String,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Write an Atom feed per term.
    #[serde(default)]
    pub feed: bool,
    /// Write the taxonomy's list and term pages. `false` when content pages already live at
    /// those URLs (e.g. a `partners/` section with a page per partner).
    #[serde(default = "yes")]
    pub render: bool,
    /// What the taxonomy's terms mean to the site, beyond grouping pages.
    #[serde(default)]
    pub role: Option<TaxonomyRole>,
    /// The taxonomy's terms, each a key with its name per language. Pages then name terms by
    /// key, and a term is one term in every language (switcher, hreflang). Without a registry
    /// terms are free text, one per spelling.
    #[serde(default)]
    pub terms: Vec<TermConfig>,
}

/// A term of a taxonomy's registry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermConfig {
    pub key: String,
    /// Name per language code; a language without one shows the default language's, else the key.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// A taxonomy's meaning, declared in site.yaml rather than guessed from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyRole {
    /// Terms are keys of the `partners` registry: named by it, and the organisations an
    /// article is `about` in its JSON-LD.
    Partners,
    /// Terms are the article's JSON-LD `keywords`.
    Keywords,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Words per minute for reading time.
    #[serde(default = "default_wpm")]
    pub words_per_minute: usize,
}

/// How raster images are resized: every width below the original's (never upscaled), each as
/// WebP and in the image's own format.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// Encoder quality for WebP and JPEG, 1–100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// The `sizes` attribute of images in page bodies: how wide they show on screen.
    #[serde(default = "default_sizes")]
    pub sizes: String,
}

fn default_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}
fn default_quality() -> u8 {
    80
}
fn default_sizes() -> String {
    "(min-width: 48rem) 46rem, 100vw".to_string()
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig { widths: default_widths(), quality: default_quality(), sizes: default_sizes() }
    }
}

fn yes() -> bool {
    true
}
fn default_wpm() -> usize {
    200
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { smart_punctuation: true, words_per_minute: 200 }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// Leave the language out of the switcher.
    #[default]
    Hide,
    /// Render the default-language content at the missing language's URL with a notice.
    Fallback,
    /// Link to the language's home page with a note that the page is not translated.
    Notice,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaleTranslations {
    /// The page says the original was updated, with a link to it.
    #[default]
    Notice,
    /// Only `tessera check` says so.
    Silent,
}

/// A partner organisation with its names and aliases per language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerConfig {
    /// Stable identifier used as the taxonomy term, e.g. `wasme`.
    pub key: String,
    /// Names and aliases per language code; the first name of a language is its display name.
    pub names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub url: Option<String>,
}

impl PartnerConfig {
    /// Display name in `lang`, else in English, else the key.
    pub fn display_name(&self, lang: &str) -> &str {
        self.names.get(lang).or_else(|| self.names.get("en")).and_then(|n| n.first()).map(String::as_str).unwrap_or(&self.key)
    }
}

impl SiteConfig {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
        let file = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Diagnostic::whole_file(&file, format!("cannot read the site configuration: {e}")))?;
        Self::parse(&text, &file)
    }

    pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Diagnostics> {
        let mut config: SiteConfig = crate::yaml::parse(text, file, 1)?;
        let mut errors = Diagnostics::default();
        let mut err = |m: String| errors.push(Diagnostic::whole_file(file, m));
        if config.languages.is_empty() {
            err("`languages` is empty: list at least the default language".into());
        }
        if !config.languages.iter().any(|l| l.code == config.default_language) {
            err(format!(
                "`default_language: {}` is not one of `languages` ({})",
                config.default_language,
                config.language_codes().join(", ")
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for l in &config.languages {
            if !seen.insert(l.code.as_str()) {
                err(format!("language `{}` is listed twice", l.code));
            }
            if l.code.parse::<unic_langid::LanguageIdentifier>().is_err() {
                err(format!("language code `{}` is not a BCP 47 language tag", l.code));
            }
        }
        if url::split_base(&config.base_url).is_none() {
            err(format!("`base_url: {}` must start with http:// or https://", config.base_url));
        }
        if config.paginate_by == 0 {
            err("`paginate_by` must be at least 1".into());
        }
        if config.images.widths.is_empty() || config.images.widths.contains(&0) {
            err("`images.widths` must list widths in pixels, e.g. [480, 800, 1200, 1600]".into());
        }
        if !(1..=100).contains(&config.images.quality) {
            err(format!("`images.quality: {}` must be between 1 and 100", config.images.quality));
        }
        config.images.widths.sort_unstable();
        config.images.widths.dedup();
        config.languages.sort_by_key(|l| l.weight);
        errors.into_result(config)
    }

    pub fn language_codes(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.code.as_str()).collect()
    }

    pub fn language(&self, code: &str) -> Option<&LanguageConfig> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// `base_url` without a trailing slash, e.g. `https://org.github.io/network`.
    pub fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of `base_url` with a trailing slash, e.g. `/network/` or `/`.
    pub fn base_path(&self) -> String {
        match url::split_base(&self.base_url) {
            Some((_, path)) if path.ends_with('/') => path.to_string(),
            Some((_, path)) => format!("{path}/"),
            None => "/".into(),
        }
    }

    /// URL path of a language's root, e.g. `/network/ar/`, or the base path for the default
    /// language when it is not in a subfolder.
    pub fn language_root(&self, lang: &str) -> String {
        if lang == self.default_language && !self.default_language_in_subdir {
            self.base_path()
        } else {
            format!("{}{}/", self.base_path(), lang)
        }
    }

    /// Absolute URL for a site path that already carries the base path.
    pub fn absolute(&self, path: &str) -> String {
        let origin = url::split_base(&self.base_url).map_or("", |(origin, _)| origin);
        format!("{origin}{path}")
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    pub fn partner(&self, key: &str) -> Option<&PartnerConfig> {
        self.partners.iter().find(|p| p.key == key)
    }

    /// The taxonomy with `role`, if the site declares one.
    pub fn taxonomy_with_role(&self, role: TaxonomyRole) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.role == Some(role))
    }

    /// How a term is shown in `lang`: by its registry name (partners by the partners
    /// registry), free-text terms as written.
    pub fn term_name(&self, lang: &str, taxonomy: &str, term: &str) -> String {
        let Some(t) = self.taxonomy(taxonomy) else { return term.to_string() };
        if t.role == Some(TaxonomyRole::Partners)
            && let Some(p) = self.partner(term)
        {
            return p.display_name(lang).to_string();
        }
        match t.terms.iter().find(|r| r.key == term) {
            Some(r) => r.names.get(lang).or_else(|| r.names.get(&self.default_language)).unwrap_or(&r.key).clone(),
            None => term.to_string(),
        }
    }

    /// The keys a taxonomy's pages may name, when it has a registry (its own `terms`, or the
    /// partners registry for the partners taxonomy).
    pub fn term_keys(&self, taxonomy: &str) -> Option<Vec<&str>> {
        let t = self.taxonomy(taxonomy)?;
        if !t.terms.is_empty() {
            return Some(t.terms.iter().map(|r| r.key.as_str()).collect());
        }
        (t.role == Some(TaxonomyRole::Partners) && !self.partners.is_empty())
            .then(|| self.partners.iter().map(|p| p.key.as_str()).collect())
    }

    /// The site's title in `lang`: the language's own `title`, else the site's.
    pub fn language_title(&self, lang: &str) -> &str {
        self.language(lang).and_then(|l| l.title.as_deref()).unwrap_or(&self.title)
    }
}

mod url {
    /// Splits `https://host[:port]/path` into its origin and its path (empty, or from the `/`
    /// after the host, with or without a final `/`), borrowed: it is asked for on every page.
    pub fn split_base(base: &str) -> Option<(&str, &str)> {
        let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"))?;
        let host_end = rest.find('/').unwrap_or(rest.len());
        if host_end == 0 {
            return None;
        }
        let origin_end = base.len() - rest.len() + host_end;
        Some((&base[..origin_end], &base[origin_end..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Diagnostics> {
        SiteConfig::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err =
            parse("base_url: https://x.org/\ndefault_language: en\nlanguages:\n  - code: en\n    name: English\ncolour: red\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("site.yaml:6"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn base_path_and_language_roots() {
        let c = parse("base_url: https://org.github.io/network\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: العربية}\n").unwrap();
        assert_eq!(c.base_path(), "/network/");
        assert_eq!(c.language_root("en"), "/network/");
        assert_eq!(c.language_root("ar"), "/network/ar/");
        assert_eq!(c.absolute("/network/ar/"), "https://org.github.io/network/ar/");
    }
}
