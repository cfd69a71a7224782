//! Taxonomy terms per language. A term has one key in every language (its registry key, or
//! for free-text terms their slug), a name, slug and URL in each language, and lists the
//! network's articles naming it: their translations in that language, else their stand-ins.

use super::{Entry, Site, network};
use crate::config::TaxonomyRole;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use std::collections::BTreeMap;
use std::path::Path;

/// One term of one taxonomy in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The same in every language: term pages with one key are translations of each other.
    pub key: String,
    pub name: String,
    pub slug: String,
    pub url: String,
    /// What the term's page lists, in listing order.
    pub entries: Vec<Entry>,
}

/// (language, taxonomy) -> term key -> term.
pub type Taxonomies = BTreeMap<(String, String), BTreeMap<String, Term>>;

/// Every declared taxonomy in every language with the terms its pages name. Undeclared
/// taxonomies, keys missing from a registry and terms with nothing to put in a URL are errors
/// on the file that names them.
pub(super) fn collect(site: &Site, errors: &mut Diagnostics) -> Taxonomies {
    let config = &site.config;
    let mut taxonomies: Taxonomies = BTreeMap::new();
    for lang in config.language_codes() {
        for t in &config.taxonomies {
            taxonomies.insert((lang.to_string(), t.name.clone()), BTreeMap::new());
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        check_terms(site, page, errors);
        if page.shared.taxonomies.is_empty() {
            continue;
        }
        // How the page's article shows in each language, whatever terms it names.
        let shown: Vec<(&str, Entry)> =
            config.language_codes().into_iter().filter_map(|lang| Some((lang, network::entry_in(site, page, lang)?))).collect();
        for (taxonomy, terms) in &page.shared.taxonomies {
            let registry = config.term_keys(taxonomy);
            for written in terms {
                let known = registry.as_ref().is_none_or(|keys| keys.contains(&written.as_str()));
                if !known || slugify(written, &page.lang).is_empty() {
                    continue;
                }
                let key = if registry.is_some() { written.clone() } else { slugify(written, &page.lang) };
                for &(lang, entry) in &shown {
                    // A free-text term is in the language it is written in: only the page
                    // shown in `lang` puts it there.
                    if registry.is_none() && entry.page != i {
                        continue;
                    }
                    let Some(by_key) = taxonomies.get_mut(&(lang.to_string(), taxonomy.clone())) else { continue };
                    let term = by_key.entry(key.clone()).or_insert_with(|| new_term(site, lang, taxonomy, &key, written));
                    term.entries.push(entry);
                }
            }
        }
    }
    for term in taxonomies.values_mut().flat_map(|terms| terms.values_mut()) {
        term.entries.sort();
        term.entries.dedup();
    }
    taxonomies
}

fn new_term(site: &Site, lang: &str, taxonomy: &str, key: &str, written: &str) -> Term {
    let config = &site.config;
    let has_registry = config.term_keys(taxonomy).is_some();
    let name = if has_registry { config.term_name(lang, taxonomy, key) } else { written.to_string() };
    let by_key = config.taxonomy(taxonomy).is_some_and(|t| t.role == Some(TaxonomyRole::Partners));
    let mut slug = slugify(if by_key { key } else { &name }, lang);
    if slug.is_empty() {
        slug = slugify(key, lang);
    }
    Term { key: key.to_string(), url: crate::urls::term(config, lang, taxonomy, &slug), name, slug, entries: vec![] }
}

/// The taxonomies a page's own front matter names exist, and so do their terms.
fn check_terms(site: &Site, page: &super::Page, errors: &mut Diagnostics) {
    let config = &site.config;
    for (taxonomy, terms) in &page.front.taxonomies {
        if config.taxonomy(taxonomy).is_none() {
            let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
            errors.push(Diagnostic::new(
                &page.file,
                line_of(&site.root, &page.file, &format!("{taxonomy}:")),
                1,
                format!(
                    "taxonomy `{taxonomy}` is not declared: add `- name: {taxonomy}` under `taxonomies` in site.yaml (declared: {})",
                    declared.join(", ")
                ),
            ));
            continue;
        }
        let registry = config.term_keys(taxonomy);
        for term in terms {
            // The file is read again only to place an error.
            let line = || line_of(&site.root, &page.file, term);
            if let Some(keys) = registry.as_ref().filter(|keys| !keys.contains(&term.as_str())) {
                errors.push(Diagnostic::new(
                    &page.file,
                    line(),
                    1,
                    format!(
                        "`{term}` is not a key of the `{taxonomy}` registry in site.yaml; known keys: {} (add it there with its names, or use one of these)",
                        keys.join(", ")
                    ),
                ));
            } else if slugify(term, &page.lang).is_empty() {
                errors.push(Diagnostic::new(
                    &page.file,
                    line(),
                    1,
                    format!("the `{taxonomy}` term `{term}` has no letter or digit to put in its URL: name it with words"),
                ));
            }
        }
    }
}

/// 1-based line of the first front matter line of `file` mentioning `needle` (1 if none).
fn line_of(root: &Path, file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim_end() != "---")
        .find(|(_, l)| l.contains(needle))
        .map_or(1, |(i, _)| i + 1)
}
