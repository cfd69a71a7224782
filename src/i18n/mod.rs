//! Localisation: Fluent UI strings, CLDR dates and numbers, and text direction per language.

use crate::config::{Direction, SiteConfig};

/// A language's text direction: `dir` from site.yaml, else right-to-left for scripts that are.
pub fn direction(config: &SiteConfig, lang: &str) -> Direction {
    if let Some(d) = config.language(lang).and_then(|l| l.dir) {
        return d;
    }
    match lang.split('-').next() {
        Some("ar" | "fa" | "he" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb") => Direction::Rtl,
        _ => Direction::Ltr,
    }
}
