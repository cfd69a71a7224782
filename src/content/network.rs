//! The network across languages: translations share their group's front matter, every
//! article missing in a language gets a stand-in URL there, and every section lists the whole
//! network's articles in its language (its own pages and the others' stand-ins).

use super::{Entry, Page, Shared, Site};
use crate::config::MissingTranslation;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The fingerprint of a page's title and text that a translation's `translated_from` records:
/// 12 hex digits of SHA-256, the same for the same text on every machine.
pub fn version(page: &Page) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(page.title.trim().as_bytes());
    hasher.update(b"\n");
    hasher.update(page.body.trim().as_bytes());
    hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The original a translation names in `translated_from`: its group's page in that language.
pub fn translated_from<'a>(site: &'a Site, page: &Page) -> Option<(usize, &'a Page)> {
    let from = page.front.translated_from.as_ref()?;
    let group = site.translations.get(&page.translation_key)?;
    group.iter().map(|&i| (i, &site.pages[i])).find(|(_, p)| p.lang == from.lang)
}

/// Translations whose original changed since they were made (page -> original). A
/// `translated_from` naming a language the group has no page in is an error on the page.
pub(super) fn stale(site: &Site, errors: &mut crate::diagnostics::Diagnostics) -> BTreeMap<usize, usize> {
    let mut stale = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        let Some(from) = &page.front.translated_from else { continue };
        match translated_from(site, page) {
            Some((original, p)) if version(p) != from.version => {
                stale.insert(i, original);
            }
            Some(_) => {}
            None => errors.push(crate::diagnostics::Diagnostic::new(
                &page.file,
                super::front_matter_line(&site.root, &page.file, &["translated_from:"]),
                0,
                format!(
                    "`translated_from` names `{}`, but the translation key `{}` has no page in that language",
                    from.lang, page.translation_key
                ),
            )),
        }
    }
    stale
}

/// Fills each page's `shared` front matter (and its dates, from it): its own value, else that
/// of the first page of its translation group, in site language order, that sets it.
/// Translations setting different values are a warning naming both files (each page keeps its
/// own).
pub(super) fn inherit(site: &mut Site) {
    let order = |lang: &str| site.config.languages.iter().position(|l| l.code == lang).unwrap_or(usize::MAX);
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        groups.entry(p.translation_key.as_str()).or_default().push(i);
    }
    let mut groups: Vec<(&str, Vec<usize>)> = groups.into_iter().collect();
    groups.par_sort_unstable_by_key(|(key, _)| *key);
    // Each group is independent: in parallel, results in key order.
    type Update = (usize, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, Shared);
    let (updates, warnings): (Vec<Vec<Update>>, Vec<Vec<String>>) = groups
        .into_par_iter()
        .map(|(_, mut members)| {
            members.sort_by_key(|&i| order(&site.pages[i].lang));
            let pages: Vec<&Page> = members.iter().map(|&i| &site.pages[i]).collect();
            let updates = members
                .iter()
                .zip(&pages)
                .map(|(&i, page)| {
                    let shared = inherited(page, &pages);
                    let (date, updated) = shared.dates();
                    (i, date, updated, shared)
                })
                .collect();
            (updates, conflicts(&pages))
        })
        .unzip();
    let warnings: Vec<String> = warnings.into_iter().flatten().collect();
    for (i, date, updated, shared) in updates.into_iter().flatten() {
        let page = &mut site.pages[i];
        (page.date, page.updated, page.shared) = (date, updated, shared);
    }
    site.warnings.extend(warnings);
}

/// `page`'s shared front matter given its group (in site language order).
fn inherited(page: &Page, group: &[&Page]) -> Shared {
    let first = |get: &dyn Fn(&Page) -> Option<String>| get(page).or_else(|| group.iter().find_map(|p| get(p)));
    let mut taxonomies = page.front.taxonomies.clone();
    for other in group {
        for (name, terms) in &other.front.taxonomies {
            taxonomies.entry(name.clone()).or_insert_with(|| terms.clone());
        }
    }
    Shared {
        date: first(&|p| p.front.date.clone()),
        updated: first(&|p| p.front.updated.clone()),
        place: first(&|p| p.front.place.clone()),
        image: first(&|p| p.front.image.clone()),
        taxonomies,
    }
}

/// Translations of one article that set a shared value differently (places are written in
/// each language's script, so only dates and images must agree).
fn conflicts(group: &[&Page]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (key, get) in [
        ("date", (|p: &Page| p.front.date.clone()) as fn(&Page) -> Option<String>),
        ("updated", |p: &Page| p.front.updated.clone()),
        ("image", |p: &Page| p.front.image.clone()),
    ] {
        let set: Vec<(&Page, String)> = group.iter().filter_map(|p| get(p).map(|v| (*p, v))).collect();
        if let Some((first, value)) = set.first()
            && let Some((other, differs)) = set.iter().find(|(_, v)| v != value)
        {
            warnings.push(format!(
                    "warning: {} says `{key}: {differs}` but its translation {} says `{key}: {value}`; each keeps its own, translations without one take {value}",
                    other.file.display(),
                    first.file.display()
                ));
        }
    }
    warnings
}

/// Decides the stand-in URLs and fills every section's listing. Runs after pages are sorted
/// and indexed.
pub(super) fn connect(site: &mut Site) {
    site.stand_ins = stand_ins(site);
    // The pages of each folder in every language, in page order, gathered once.
    let mut by_folder: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        by_folder.entry(site.sections[p.section].content_path.as_str()).or_default().push(i);
    }
    let listings: Vec<Vec<Entry>> = site
        .sections
        .iter()
        .map(|s| listing(site, by_folder.get(s.content_path.as_str()).map_or(&[], Vec::as_slice), &s.lang))
        .collect();
    for (section, entries) in site.sections.iter_mut().zip(listings) {
        section.listing = entries;
    }
}

/// The page a stand-in shows: the default language's version, else the first in site
/// language order.
pub fn original(site: &Site, key: &str) -> Option<usize> {
    let group = site.translations.get(key)?;
    group.iter().copied().find(|&i| site.pages[i].lang == site.config.default_language).or_else(|| group.first().copied())
}

/// One stand-in URL per article and language it lacks, under the language's section and the
/// original's slug, unless a page or another stand-in already lives there.
fn stand_ins(site: &Site) -> BTreeMap<(String, String), String> {
    let mut urls = BTreeMap::new();
    if site.config.missing_translation == MissingTranslation::Hide {
        return urls;
    }
    let mut taken: HashSet<String> = site.pages.iter().map(|p| p.url.clone()).collect();
    let mut keys: Vec<&String> = site.translations.keys().collect();
    keys.sort();
    for key in keys {
        let group = &site.translations[key];
        let Some(source) = original(site, key).map(|i| &site.pages[i]) else { continue };
        let folder = &site.sections[source.section].content_path;
        for l in &site.config.languages {
            if group.iter().any(|&i| site.pages[i].lang == l.code) {
                continue;
            }
            let url = crate::urls::page(&crate::urls::section(&site.config, &l.code, folder), &source.slug);
            // Two articles whose originals share a slug: the first (by key) gets the stand-in.
            if taken.insert(url.clone()) {
                urls.insert((key.clone(), l.code.clone()), url);
            }
        }
    }
    urls
}

/// Whether listings in `lang` under the section at `folder` show other languages' articles.
pub fn lists_untranslated(site: &Site, folder: &str, lang: &str) -> bool {
    let own = site.section(folder, lang).and_then(|s| s.front.list_untranslated);
    let any = || site.sections.iter().filter(|s| s.content_path == folder).find_map(|s| s.front.list_untranslated);
    own.or_else(any).unwrap_or(true)
}

/// The entry that shows `page`'s article in `lang`: its translation there, else its stand-in
/// when the site has one and listings there show untranslated articles.
pub fn entry_in(site: &Site, page: &Page, lang: &str) -> Option<Entry> {
    let group = site.translations.get(&page.translation_key)?;
    if let Some(&i) = group.iter().find(|&&i| site.pages[i].lang == lang) {
        return Some(Entry { page: i, stand_in: false });
    }
    if !page.is_article || !site.stand_ins.contains_key(&(page.translation_key.clone(), lang.to_string())) {
        return None;
    }
    let source = original(site, &page.translation_key)?;
    let folder = &site.sections[site.pages[source].section].content_path;
    lists_untranslated(site, folder, lang).then_some(Entry { page: source, stand_in: true })
}

/// A section's listing in `lang`: one entry per article of its folder (`pages`, in any
/// language), in page order.
fn listing(site: &Site, pages: &[usize], lang: &str) -> Vec<Entry> {
    let mut seen = HashSet::new();
    let mut entries: Vec<Entry> = pages
        .iter()
        .map(|&i| &site.pages[i])
        .filter(|p| seen.insert(p.translation_key.as_str()))
        .filter_map(|p| entry_in(site, p, lang))
        .collect();
    sort_listing(site, &mut entries, lang);
    entries
}

/// Puts a listing in `lang` in order: newest first, then by weight, then by title as `lang`
/// sorts (pages without a date, such as a partner directory, are an alphabetical list).
pub(super) fn sort_listing(site: &Site, entries: &mut [Entry], lang: &str) {
    let page = |e: &Entry| &site.pages[e.page];
    entries.sort_by(|a, b| page(b).date.cmp(&page(a).date).then(page(a).front.weight.cmp(&page(b).front.weight)).then(a.cmp(b)));
    crate::i18n::sort_ties_by_name(
        lang,
        entries,
        |a, b| page(a).date == page(b).date && page(a).front.weight == page(b).front.weight,
        |e| page(e).title.as_str(),
    );
}
