//! Render jobs: every output file the templates write, its URL, the same content in every
//! other language (switcher entries and hreflang alternates, one computation for the page
//! head and the sitemap), and the pages it reads.

use crate::content::{Entry, Site, network, taxonomies::Term};
use crate::urls;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// What one render job produces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Page {
        page: usize,
    },
    /// A section's listing page `number` (1-based).
    Section {
        section: usize,
        number: usize,
    },
    TaxonomyList {
        lang: String,
        taxonomy: String,
    },
    TaxonomyTerm {
        lang: String,
        taxonomy: String,
        key: String,
        number: usize,
    },
    NotFound {
        lang: String,
    },
    /// An article shown in a language it has no translation in (`missing_translation`).
    StandIn {
        page: usize,
        lang: String,
    },
    /// `/index.html` choosing the visitor's language when every language has a subfolder.
    LanguageChooser,
}

/// Every job of a full build.
pub fn all(site: &Site) -> Vec<Job> {
    let config = &site.config;
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(|page| Job::Page { page }).collect();
    for (section, s) in site.sections.iter().enumerate() {
        let count = s.listing.len().div_ceil(section_per_page(site, section)).max(1);
        jobs.extend((1..=count).map(|number| Job::Section { section, number }));
    }
    for ((lang, taxonomy), terms) in &site.taxonomies {
        if !config.taxonomy(taxonomy).is_some_and(|t| t.render) {
            continue;
        }
        jobs.push(Job::TaxonomyList { lang: lang.clone(), taxonomy: taxonomy.clone() });
        let per_page = taxonomy_per_page(site, taxonomy);
        for (key, term) in terms {
            let count = term.entries.len().div_ceil(per_page).max(1);
            jobs.extend((1..=count).map(|number| Job::TaxonomyTerm {
                lang: lang.clone(),
                taxonomy: taxonomy.clone(),
                key: key.clone(),
                number,
            }));
        }
    }
    jobs.extend(config.language_codes().into_iter().map(|l| Job::NotFound { lang: l.to_string() }));
    for (key, lang) in site.stand_ins.keys() {
        if let Some(page) = network::original(site, key) {
            jobs.push(Job::StandIn { page, lang: lang.clone() });
        }
    }
    if config.default_language_in_subdir {
        jobs.push(Job::LanguageChooser);
    }
    jobs
}

impl Job {
    /// Follows its page after a page moved in the site's order.
    pub fn renumber(&mut self, shift: crate::content::Shift) {
        if let Job::Page { page } | Job::StandIn { page, .. } = self {
            *page = shift.index(*page);
        }
    }
}

/// The job's language (`None` for the language chooser).
pub fn language<'a>(site: &'a Site, job: &'a Job) -> Option<&'a str> {
    match job {
        Job::Page { page } => Some(&site.pages[*page].lang),
        Job::Section { section, .. } => Some(&site.sections[*section].lang),
        Job::TaxonomyList { lang, .. } | Job::TaxonomyTerm { lang, .. } | Job::NotFound { lang } | Job::StandIn { lang, .. } => {
            Some(lang)
        }
        Job::LanguageChooser => None,
    }
}

/// The URL path the job is published at.
pub fn url(site: &Site, job: &Job) -> String {
    let config = &site.config;
    match job {
        Job::Page { page } => site.pages[*page].url.clone(),
        Job::Section { section, number } => urls::pager(&site.sections[*section].url, *number),
        Job::TaxonomyList { lang, taxonomy } => urls::taxonomy(config, lang, taxonomy),
        Job::TaxonomyTerm { lang, taxonomy, key, number } => urls::pager(&term(site, lang, taxonomy, key).url, *number),
        Job::NotFound { lang } => urls::not_found(config, lang),
        Job::StandIn { page, lang } => {
            site.stand_ins.get(&(site.pages[*page].translation_key.clone(), lang.clone())).cloned().unwrap_or_default()
        }
        Job::LanguageChooser => config.base_path(),
    }
}

pub fn term<'a>(site: &'a Site, lang: &str, taxonomy: &str, key: &str) -> &'a Term {
    &site.taxonomies[&(lang.to_string(), taxonomy.to_string())][key]
}

/// A link to the same content in one site language: a language switcher entry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub url: String,
    pub permalink: String,
    /// The content exists in this language (not a stand-in, not the language's home instead).
    pub exists: bool,
    pub current: bool,
    /// The URL shows the article in another language with a notice (`missing_translation`).
    pub stand_in: bool,
}

/// One `<link rel="alternate" hreflang>` of a page's head and of its sitemap entry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// Where the job's content is in each site language: its version there, its stand-in, or
/// (neither) the language's home page.
pub fn language_links(site: &Site, job: &Job) -> Vec<LanguageLink> {
    let config = &site.config;
    let current = language(site, job).unwrap_or(&config.default_language);
    config
        .languages
        .iter()
        .map(|l| {
            let (url, exists, stand_in) = match version_in(site, job, &l.code) {
                Version::Same(url) => (url, true, false),
                Version::StandIn(url) => (url, false, true),
                Version::None => (config.language_root(&l.code), false, false),
            };
            LanguageLink {
                code: l.code.clone(),
                name: l.name.clone(),
                permalink: config.absolute(&url),
                url,
                exists,
                current: l.code == current,
                stand_in,
            }
        })
        .collect()
}

enum Version {
    Same(String),
    StandIn(String),
    None,
}

fn version_in(site: &Site, job: &Job, lang: &str) -> Version {
    let config = &site.config;
    let some = |url: Option<String>| url.map_or(Version::None, Version::Same);
    match job {
        Job::Page { page } | Job::StandIn { page, .. } => {
            let key = &site.pages[*page].translation_key;
            let group = site.translations.get(key).map_or(&[][..], Vec::as_slice);
            let translated = group.iter().map(|&i| &site.pages[i]).find(|p| p.lang == lang);
            match (translated, site.stand_ins.get(&(key.clone(), lang.to_string()))) {
                (Some(p), _) => Version::Same(p.url.clone()),
                (None, Some(url)) => Version::StandIn(url.clone()),
                (None, None) => Version::None,
            }
        }
        Job::Section { section, number } => {
            let s = &site.sections[*section];
            some(site.section_index(&s.content_path, lang).and_then(|i| {
                let pages = site.sections[i].listing.len().div_ceil(section_per_page(site, i)).max(1);
                (*number <= pages).then(|| urls::pager(&site.sections[i].url, *number))
            }))
        }
        Job::TaxonomyList { taxonomy, .. } => Version::Same(urls::taxonomy(config, lang, taxonomy)),
        Job::TaxonomyTerm { taxonomy, key, number, .. } => {
            some(site.taxonomies.get(&(lang.to_string(), taxonomy.clone())).and_then(|terms| terms.get(key)).and_then(|t| {
                let pages = t.entries.len().div_ceil(taxonomy_per_page(site, taxonomy)).max(1);
                (*number <= pages).then(|| urls::pager(&t.url, *number))
            }))
        }
        Job::NotFound { .. } | Job::LanguageChooser => Version::Same(config.language_root(lang)),
    }
}

/// The page's hreflang alternates: every language the content exists in, then `x-default`
/// (the default language's version, else the first). None for pages that are not their own
/// canonical version (stand-ins) or are not content (404, the language chooser).
pub fn alternates(site: &Site, job: &Job) -> Vec<Alternate> {
    alternates_among(site, job, &language_links(site, job))
}

/// [`alternates`] from the job's [`language_links`], for a caller that has them already.
pub fn alternates_among(site: &Site, job: &Job, links: &[LanguageLink]) -> Vec<Alternate> {
    if matches!(job, Job::StandIn { .. } | Job::NotFound { .. } | Job::LanguageChooser) {
        return vec![];
    }
    let links: Vec<&LanguageLink> = links.iter().filter(|l| l.exists).collect();
    let mut list: Vec<Alternate> =
        links.iter().map(|l| Alternate { hreflang: l.code.clone(), href: l.permalink.clone() }).collect();
    let default = links.iter().find(|l| l.code == site.config.default_language).or(links.first());
    if let Some(d) = default {
        list.push(Alternate { hreflang: "x-default".into(), href: d.permalink.clone() });
    }
    list
}

/// The entries a listing job shows, or the page a page job shows.
pub fn reads(site: &Site, job: &Job) -> Vec<usize> {
    match job {
        Job::Page { page } | Job::StandIn { page, .. } => vec![*page],
        Job::Section { section, number } => {
            pager_slice(&site.sections[*section].listing, section_per_page(site, *section), *number)
                .iter()
                .map(|e| e.page)
                .collect()
        }
        Job::TaxonomyTerm { lang, taxonomy, key, number } => {
            let entries = &term(site, lang, taxonomy, key).entries;
            pager_slice(entries, taxonomy_per_page(site, taxonomy), *number).iter().map(|e| e.page).collect()
        }
        Job::TaxonomyList { .. } | Job::NotFound { .. } | Job::LanguageChooser => vec![],
    }
}

/// When the content behind a job last changed, for the sitemap: for a listing, its newest
/// entry. Every page of a listing shares that date, so it is found once per listing and kept
/// in `listings` (keyed by the listing's section, or its term).
pub fn last_modified(site: &Site, job: &Job, listings: &mut HashMap<String, Option<String>>) -> Option<String> {
    match job {
        Job::Page { page } => site.pages[*page].modified(),
        Job::Section { section, .. } => newest(site, listings, section.to_string(), || &site.sections[*section].listing),
        Job::TaxonomyTerm { lang, taxonomy, key, .. } => {
            newest(site, listings, format!("{lang}/{taxonomy}/{key}"), || &term(site, lang, taxonomy, key).entries)
        }
        _ => None,
    }
}

fn newest<'s>(
    site: &Site,
    listings: &mut HashMap<String, Option<String>>,
    key: String,
    entries: impl FnOnce() -> &'s [Entry],
) -> Option<String> {
    let found = listings.entry(key).or_insert_with(|| entries().iter().filter_map(|e| site.pages[e.page].modified()).max());
    found.clone()
}

/// The file behind a job and how to name it in an error.
pub fn source(site: &Site, job: &Job) -> (PathBuf, String) {
    let config = PathBuf::from(crate::config::CONFIG_FILE);
    match job {
        Job::Page { page: i } | Job::StandIn { page: i, .. } => {
            (site.pages[*i].file.clone(), format!("the page {}", site.pages[*i].file.display()))
        }
        Job::Section { section, .. } => {
            let s = &site.sections[*section];
            let file = s.file.clone().unwrap_or_else(|| PathBuf::from(crate::content::CONTENT_DIR).join(&s.content_path));
            (file.clone(), format!("the section {}", file.display()))
        }
        Job::TaxonomyList { taxonomy, .. } => (config, format!("the `{taxonomy}` taxonomy list")),
        Job::TaxonomyTerm { taxonomy, key, .. } => (config, format!("the `{taxonomy}` taxonomy term `{key}`")),
        Job::NotFound { lang } => (config, format!("the `{lang}` 404 page")),
        Job::LanguageChooser => (config, "the language chooser".into()),
    }
}

/// Pages per listing page of a section: its own `paginate_by`, else the site's.
pub fn section_per_page(site: &Site, section: usize) -> usize {
    site.sections[section].front.paginate_by.unwrap_or(site.config.paginate_by).max(1)
}

/// Pages per listing page of a taxonomy term: the taxonomy's `paginate_by`, else the site's.
pub fn taxonomy_per_page(site: &Site, taxonomy: &str) -> usize {
    site.config.taxonomy(taxonomy).and_then(|t| t.paginate_by).unwrap_or(site.config.paginate_by).max(1)
}

/// The entries shown on listing page `number` (1-based).
pub fn pager_slice<T>(items: &[T], per_page: usize, number: usize) -> &[T] {
    let start = ((number - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}
