//! `tessera check` as the editor's dashboard: what is left to do on a site that builds, per
//! language. Untranslated articles (by the path of a version that exists), pages whose
//! front matter still lists `review:` items (an import's open questions), articles without a
//! date or a description, and missing UI strings. `check --strict` fails while any is open.

use crate::content::Site;
use crate::i18n::Coverage;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What is left to do on the site.
#[derive(Debug, Default, Serialize)]
pub struct Dashboard {
    pub languages: Vec<LanguageTodo>,
    pub warnings: Vec<String>,
}

/// What is left to do in one language.
#[derive(Debug, Default, Serialize)]
pub struct LanguageTodo {
    pub language: String,
    /// Articles the network has in other languages but not in this one: a version that exists.
    pub untranslated: Vec<PathBuf>,
    /// Pages with open `review:` items, and the items.
    pub review: Vec<(PathBuf, Vec<String>)>,
    pub missing_date: Vec<PathBuf>,
    pub missing_description: Vec<PathBuf>,
    /// UI string ids the templates use and this language does not define.
    pub missing_ui_strings: Vec<String>,
}

impl LanguageTodo {
    pub fn open(&self) -> usize {
        self.untranslated.len()
            + self.review.len()
            + self.missing_date.len()
            + self.missing_description.len()
            + self.missing_ui_strings.len()
    }
}

impl Dashboard {
    pub fn new(site: &Site, coverage: &Coverage, warnings: &[String]) -> Dashboard {
        let languages = site.config.language_codes().into_iter().map(|lang| language_todo(site, coverage, lang)).collect();
        Dashboard { languages, warnings: warnings.to_vec() }
    }

    /// Items open in all languages, warnings included.
    pub fn open(&self) -> usize {
        self.languages.iter().map(LanguageTodo::open).sum::<usize>() + self.warnings.len()
    }
}

fn language_todo(site: &Site, coverage: &Coverage, lang: &str) -> LanguageTodo {
    let mut todo = LanguageTodo { language: lang.to_string(), ..LanguageTodo::default() };
    let present: BTreeSet<&str> = site.pages.iter().filter(|p| p.lang == lang).map(|p| p.translation_key.as_str()).collect();
    let mut listed = BTreeSet::new();
    for page in site.pages.iter().filter(|p| p.is_article) {
        if !present.contains(page.translation_key.as_str()) && listed.insert(page.translation_key.as_str()) {
            todo.untranslated.push(page.file.clone());
        }
    }
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        if !page.front.review.is_empty() {
            todo.review.push((page.file.clone(), page.front.review.clone()));
        }
        if page.is_article && page.shared.date.is_none() {
            todo.missing_date.push(page.file.clone());
        }
        if page.is_article && page.front.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
            todo.missing_description.push(page.file.clone());
        }
    }
    todo.untranslated.sort();
    todo.review.sort();
    todo.missing_date.sort();
    todo.missing_description.sort();
    if let Some(ui) = coverage.languages.iter().find(|l| l.language == lang) {
        todo.missing_ui_strings = ui.missing.iter().cloned().collect();
    }
    todo
}
