//! Taxonomy terms per language. A term has one key in every language (its registry key, or
//! for free-text terms their slug), a name, slug and URL in each language, and lists the
//! network's articles naming it: their translations in that language, else their stand-ins.

use super::{Entry, Site, network};
use crate::config::TaxonomyRole;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use std::collections::BTreeMap;

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
/// taxonomies, keys missing from a registry and distinct free-text terms that would share a
/// URL (`C++` and `C#`) are errors on the files that name them; a term with no letter or digit
/// gets a hashed slug and a warning.
pub(super) fn collect(site: &Site, errors: &mut Diagnostics, warnings: &mut Vec<String>) -> Taxonomies {
    let config = &site.config;
    let mut taxonomies: Taxonomies = BTreeMap::new();
    for lang in config.language_codes() {
        for t in &config.taxonomies {
            taxonomies.insert((lang.to_string(), t.name.clone()), BTreeMap::new());
        }
    }
    let mut spellings = Spellings::default();
    let mut keys: std::collections::HashMap<(&str, &str), String> = std::collections::HashMap::new();
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
                if registry.as_ref().is_some_and(|keys| !keys.contains(&written.as_str())) {
                    continue;
                }
                let key = match registry {
                    Some(_) => written.clone(),
                    // Slugs are made once per spelling and language: a term is on many pages.
                    None => keys
                        .entry((written.as_str(), page.lang.as_str()))
                        .or_insert_with(|| free_term_key(written, &page.lang))
                        .clone(),
                };
                if registry.is_none() && page.front.taxonomies.get(taxonomy).is_some_and(|own| own.contains(written)) {
                    spellings.check(site, page, taxonomy, written, &key, errors, warnings);
                }
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
    unlink_unpublished(site, &mut taxonomies);
    taxonomies
}

/// A taxonomy without pages of its own (`render: false`) links a term only to the page at the
/// term's URL (a partner's page in `content/partners/`); a term without one gets no URL.
fn unlink_unpublished(site: &Site, taxonomies: &mut Taxonomies) {
    let page_urls: std::collections::HashSet<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    for ((_, taxonomy), terms) in taxonomies.iter_mut() {
        if site.config.taxonomy(taxonomy).is_some_and(|t| !t.render) {
            for term in terms.values_mut().filter(|t| !page_urls.contains(t.url.as_str())) {
                term.url.clear();
            }
        }
    }
}

/// The key (and slug) of a free-text term: its slug, or a hash of it when it has no letter or
/// digit (`!!!`).
fn free_term_key(written: &str, lang: &str) -> String {
    let slug = slugify(written, lang);
    if slug.is_empty() { crate::slug::hashed(written) } else { slug }
}

/// The first spelling of each free-text term key (and the page it is on), to catch two terms
/// sharing one URL.
#[derive(Default)]
struct Spellings(BTreeMap<(String, String), (String, std::path::PathBuf)>);

impl Spellings {
    /// Records `written` under `key`; a different spelling already there (not just another
    /// case) is an error naming both files. A term with no letter or digit is a warning.
    /// Lines are looked up (the files read again) only for what is reported.
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        site: &Site,
        page: &super::Page,
        taxonomy: &str,
        written: &str,
        key: &str,
        errors: &mut Diagnostics,
        warnings: &mut Vec<String>,
    ) {
        let line = |file: &std::path::Path, written: &str| {
            super::front_matter_line(&site.root, file, &[&format!("{taxonomy}:"), written])
        };
        let url = || crate::urls::term(&site.config, &page.lang, taxonomy, key);
        match self.0.get(&(taxonomy.to_string(), key.to_string())) {
            None => {
                if slugify(written, &page.lang).is_empty() {
                    warnings.push(format!(
                        "{}:{}: warning: the `{taxonomy}` term `{written}` has no letter or digit to put in its URL; it is published at {}: name it with words",
                        page.file.display(),
                        line(&page.file, written),
                        url()
                    ));
                } else if crate::slug::slugify_whole(written, &page.lang).len() > crate::slug::MAX_SLUG_BYTES {
                    warnings.push(format!(
                        "{}:{}: warning: the `{taxonomy}` term `{}…` is too long for a file name; it is published at {}: use a shorter term",
                        page.file.display(),
                        line(&page.file, written),
                        written.chars().take(20).collect::<String>(),
                        url()
                    ));
                }
                self.0.insert((taxonomy.to_string(), key.to_string()), (written.to_string(), page.file.clone()));
            }
            Some((first, _)) if first == written || same_term(first, written, &page.lang) => {}
            Some((first, file)) => errors.push(Diagnostic::new(
                &page.file,
                line(&page.file, written),
                1,
                format!(
                    "the `{taxonomy}` terms `{written}` and `{first}` ({}:{}) would share the URL {}: spell them so their letters differ (e.g. `C-sharp`), or use one term",
                    file.display(),
                    line(file, first),
                    url()
                ),
            )),
        }
    }
}

/// Two spellings of one term: equal once lowercased with runs of spaces collapsed.
fn same_term(a: &str, b: &str, lang: &str) -> bool {
    let norm = |s: &str| crate::slug::lowercase(s, lang).split_whitespace().collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}

fn new_term(site: &Site, lang: &str, taxonomy: &str, key: &str, written: &str) -> Term {
    let config = &site.config;
    let has_registry = config.term_keys(taxonomy).is_some();
    let name = if has_registry { config.term_name(lang, taxonomy, key) } else { written.to_string() };
    let by_key = config.taxonomy(taxonomy).is_some_and(|t| t.role == Some(TaxonomyRole::Partners));
    let mut slug = slugify(if by_key { key } else { &name }, lang);
    if slug.is_empty() {
        slug = free_term_key(key, lang);
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
                super::front_matter_line(&site.root, &page.file, &[&format!("{taxonomy}:")]),
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
            let line = || super::front_matter_line(&site.root, &page.file, &[&format!("{taxonomy}:"), term]);
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
            }
        }
    }
}
