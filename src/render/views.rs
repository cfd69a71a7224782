//! Template-facing views of the site model, built once per build as Tera values. Values share
//! their data (Tera clones are reference counted), so a listing or a page context points at the
//! same page data instead of copying the site into every context.

use super::jobs::{self, Job, LanguageLink};
use crate::config::{MissingTranslation, SiteConfig};
use crate::content::{Entry, Page, Section, Site};
use crate::i18n::Directions;
use crate::markdown::Rendered;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, RwLock};
use tera::{State, Value};

#[derive(Serialize)]
pub struct LanguageView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'a str,
    pub url: String,
    pub title: &'a str,
    pub description: &'a str,
}

#[derive(Serialize)]
pub struct ConfigView<'a> {
    pub base_url: &'a str,
    pub title: &'a str,
    pub default_language: &'a str,
    pub default_language_in_subdir: bool,
    pub languages: Vec<LanguageView<'a>>,
    pub taxonomies: Vec<&'a str>,
    /// The taxonomies with pages of their own (`render: true`): only these can be linked to.
    pub rendered_taxonomies: Vec<&'a str>,
    pub missing_translation: MissingTranslation,
    pub extra: &'a serde_json::Value,
}

/// The values every job reads, built once per build and shared by all render threads.
pub struct SiteValues {
    pub config: Value,
    /// One value per page; replaced one by one when `serve` patches a page.
    pub pages: RwLock<Vec<Value>>,
    pub sections: Vec<Value>,
    /// (original page, language) -> what its stand-in there changes in the page's value;
    /// replaced when `serve` patches the original.
    pub stand_ins: RwLock<HashMap<(usize, String), tera::Map>>,
    /// Page numbers by (content path, language) and by (`key:` and translation key,
    /// language): what `get_page` looks up.
    pub paths: RwLock<HashMap<(String, String), usize>>,
    /// Pages each job read through template functions, by job number.
    pub reads: Mutex<HashMap<usize, BTreeSet<usize>>>,
    /// A job read a page whose value was not made ([`SiteValues::new`]'s `only`).
    pub missed: AtomicBool,
}

impl SiteValues {
    /// The values of every page, or with `only`, of those pages alone: the others are null and
    /// reading one sets [`SiteValues::missed`]. A page's value takes its HTML body: from then
    /// on the value holds the one copy (`pages[i].html` is left empty).
    pub fn new(
        site: &Site,
        pages: &mut [Rendered],
        sections: &[Rendered],
        directions: &Directions,
        only: Option<&HashSet<usize>>,
    ) -> SiteValues {
        use rayon::prelude::*;
        let shared = Shared::default();
        let page_values = pages
            .par_iter_mut()
            .enumerate()
            .map(|(i, r)| {
                let value = if only.is_none_or(|o| o.contains(&i)) { page_value(site, i, r, &shared) } else { Value::none() };
                r.html = String::new();
                value
            })
            .collect();
        let section_values = site.sections.iter().zip(sections).map(|(s, r)| section_value(site, s, r)).collect();
        SiteValues {
            config: config_value(&site.config, directions),
            pages: RwLock::new(page_values),
            sections: section_values,
            stand_ins: RwLock::new(
                site.stand_ins
                    .iter()
                    .filter_map(|((key, lang), url)| {
                        let page = crate::content::network::original(site, key)?;
                        Some(((page, lang.clone()), stand_in_overrides(site, page, lang, url, directions)))
                    })
                    .collect(),
            ),
            paths: RwLock::new(
                site.pages
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| {
                        let key = format!("key:{}", p.translation_key);
                        [((p.content_path.clone(), p.lang.clone()), i), ((key, p.lang.clone()), i)]
                    })
                    .collect(),
            ),
            reads: Mutex::new(HashMap::new()),
            missed: AtomicBool::new(false),
        }
    }

    pub fn page(&self, i: usize) -> Value {
        let value = self.pages.read().unwrap_or_else(|e| e.into_inner())[i].clone();
        if value.is_none() {
            self.missed.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        value
    }

    /// Page `i`'s HTML body, as its value holds it: the one copy the build keeps once the
    /// values are made. None when its value was not made (see [`SiteValues::new`]).
    pub fn page_body(&self, i: usize) -> Value {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        content(&pages[i]).map_or_else(Value::none, Value::from)
    }

    /// Notes that the job rendering with `state` read `pages`.
    pub fn record(&self, state: &State, pages: impl IntoIterator<Item = usize>) {
        if let Ok(Some(job)) = state.get::<usize>("__job") {
            self.reads.lock().unwrap_or_else(|e| e.into_inner()).entry(job).or_default().extend(pages);
        }
    }

    /// How a listing in `lang` shows `entry`: the page's own value, or for a stand-in the
    /// original's with the stand-in's overrides (see [`stand_in_overrides`]).
    pub fn entry(&self, entry: Entry, lang: &str) -> Value {
        let value = self.page(entry.page);
        match self.stand_in(entry.page, lang).filter(|_| entry.stand_in) {
            Some(overrides) => {
                let mut m = value.as_map().cloned().unwrap_or_default();
                m.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
                Value::from(m)
            }
            None => value,
        }
    }

    /// The stand-in of page `page` in `lang`: URL, localised headline, summary and place, and
    /// the `stand_in` marker naming the original's language.
    pub fn stand_in(&self, page: usize, lang: &str) -> Option<tera::Map> {
        self.stand_ins.read().unwrap_or_else(|e| e.into_inner()).get(&(page, lang.to_string())).cloned()
    }

    /// Makes page `page`'s stand-ins again (its title, shown by them, changed).
    pub fn refresh_stand_ins(&self, site: &Site, page: usize, directions: &Directions) {
        let key = &site.pages[page].translation_key;
        let mut stand_ins = self.stand_ins.write().unwrap_or_else(|e| e.into_inner());
        for ((p, lang), overrides) in stand_ins.iter_mut().filter(|((p, _), _)| *p == page) {
            if let Some(url) = site.stand_ins.get(&(key.clone(), lang.clone())) {
                *overrides = stand_in_overrides(site, *p, lang, url, directions);
            }
        }
    }
}

/// What a stand-in changes in the original's value: the stand-in's URL, the headline,
/// summary and place localised for `lang` when the group carries them, and `stand_in` with the
/// original's language and direction and what is localised.
fn stand_in_overrides(site: &Site, page: usize, lang: &str, url: &str, directions: &Directions) -> tera::Map {
    let original = &site.pages[page];
    let localised = localised_for(site, original, lang);
    let mut m = tera::Map::default();
    m.insert("permalink".into(), site.config.absolute(url).into());
    m.insert("url".into(), url.into());
    if let Some(title) = localised.and_then(|l| l.title.as_deref()) {
        m.insert("title".into(), title.into());
    }
    if let Some(summary) = localised.and_then(|l| l.summary.as_deref()) {
        m.insert("summary".into(), format!("<p>{}</p>", crate::escape::html(summary)).into());
    }
    if let Some(place) = localised.and_then(|l| l.place.as_deref()) {
        m.insert("place".into(), place.into());
    }
    let name = site.config.language(&original.lang).map_or(original.lang.as_str(), |l| l.name.as_str());
    let marker = map(vec![
        ("lang", original.lang.as_str().into()),
        ("dir", directions.of(&original.lang).as_str().into()),
        ("name", name.into()),
        ("title", original.title.as_str().into()),
        ("title_localised", localised.is_some_and(|l| l.title.is_some()).into()),
        ("summary_localised", localised.is_some_and(|l| l.summary.is_some()).into()),
    ]);
    m.insert("stand_in".into(), marker);
    m
}

/// The headline and summary for `lang` that `page`'s translation group carries, first in site
/// language order.
pub fn localised_for<'a>(site: &'a Site, page: &Page, lang: &str) -> Option<&'a crate::content::Localised> {
    site.translations_of(&page.translation_key).into_iter().find_map(|p| p.front.localised.get(lang))
}

/// The parts many page values hold alike, made once and shared (a Tera value's clone is
/// counted, not copied): a translation group's language links, which differ between its pages
/// only in `current`, and the terms pages name. At 10,000 articles × 4 languages these were a
/// sixth of the page values' memory.
#[derive(Default)]
pub struct Shared {
    links: Mutex<HashMap<LanguageLink, Value>>,
    terms: Mutex<HashMap<String, Value>>,
}

impl Shared {
    fn link(&self, link: LanguageLink) -> Value {
        let mut links = self.links.lock().unwrap_or_else(|e| e.into_inner());
        links.entry(link).or_insert_with_key(Value::from_serializable).clone()
    }

    /// The value of a term of `taxonomy` in `lang`. Looked up by language, taxonomy and key:
    /// not by URL, which is empty for every term of a taxonomy without term pages.
    fn term(&self, lang: &str, taxonomy: &str, term: &crate::content::taxonomies::Term) -> Value {
        let id = format!("{lang}\0{taxonomy}\0{}", term.key);
        let mut terms = self.terms.lock().unwrap_or_else(|e| e.into_inner());
        terms
            .entry(id)
            .or_insert_with(|| {
                Value::from_serializable(&TermRef { key: &term.key, name: &term.name, slug: &term.slug, url: &term.url })
            })
            .clone()
    }
}

/// A taxonomy term as pages and templates link to it.
#[derive(Serialize)]
struct TermRef<'a> {
    key: &'a str,
    name: &'a str,
    slug: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    slug: &'a str,
    url: &'a str,
    permalink: String,
    lang: &'a str,
    content: &'a str,
    summary: &'a str,
    toc: &'a [crate::markdown::Heading],
    word_count: usize,
    reading_time: usize,
    /// Filled in by [`page_value`] with values from [`Shared`]: serialized with the rest, each
    /// page would hold copies of its own.
    taxonomies: (),
    translations: (),
    image: Option<&'a str>,
    source: Option<&'a str>,
    place: Option<&'a str>,
    review: &'a [String],
    section: &'a str,
    translation_key: &'a str,
    is_article: bool,
    /// A stand-in entry's original language (see [`SiteValues::entry`]); none on a page.
    stand_in: Option<()>,
    /// The updated original of a translation made from an older version: `url`, `lang` and
    /// `date` (its own `updated`, if set), with `stale_translations: notice`.
    original_updated: Option<OriginalUpdated<'a>>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// `og:locale` of the page, e.g. `hi_IN`.
    og_locale: String,
    /// `og:locale:alternate` values: the languages the page is translated into.
    og_locale_alternates: Vec<String>,
    /// JSON-LD, safe to embed as is in `<script type="application/ld+json">`: `NewsArticle`
    /// for articles, `Organization` for partner pages, none for other pages.
    jsonld: String,
    /// `description`, else the summary as plain text cut at a word boundary: for the meta and
    /// Open Graph descriptions.
    meta_description: String,
    /// `image` as an absolute URL (relative to the page bundle, the site root, or as is): the
    /// largest resized file when tessera resized it.
    image_url: Option<String>,
    /// `image` resized: `url`, `width`, `height`, `srcset`, `webp_srcset`, for cards and heroes.
    cover: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct OriginalUpdated<'a> {
    url: &'a str,
    lang: &'a str,
    date: Option<String>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    permalink: String,
    lang: &'a str,
    path: &'a str,
    content: &'a str,
    translations: Vec<LanguageLink>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    og_locale: String,
    og_locale_alternates: Vec<String>,
    /// A language home's JSON-LD `WebSite` (with a `SearchAction` when there is a search page).
    jsonld: String,
}

pub fn config_value(config: &SiteConfig, directions: &crate::i18n::Directions) -> Value {
    let languages = config
        .languages
        .iter()
        .map(|l| LanguageView {
            code: &l.code,
            name: &l.name,
            dir: directions.of(&l.code).as_str(),
            url: config.language_root(&l.code),
            title: config.language_title(&l.code),
            description: l.description.as_deref().unwrap_or(""),
        })
        .collect();
    Value::from_serializable(&ConfigView {
        base_url: config.base_url_trimmed(),
        title: &config.title,
        default_language: &config.default_language,
        default_language_in_subdir: config.default_language_in_subdir,
        languages,
        taxonomies: config.taxonomies.iter().map(|t| t.name.as_str()).collect(),
        rendered_taxonomies: config.taxonomies.iter().filter(|t| t.render).map(|t| t.name.as_str()).collect(),
        missing_translation: config.missing_translation,
        extra: &config.extra,
    })
}

fn original_updated(site: &Site, page: usize) -> Option<OriginalUpdated<'_>> {
    let original = &site.pages[*site.stale.get(&page)?];
    (site.config.stale_translations == crate::config::StaleTranslations::Notice).then(|| OriginalUpdated {
        url: &original.url,
        lang: &original.lang,
        date: original.front.updated.as_deref().and_then(crate::content::parse_date).map(|d| d.to_string()),
    })
}

/// The HTML body a page's value holds.
pub fn content(value: &Value) -> Option<&str> {
    value.as_map()?.iter().find(|(k, _)| k.as_str() == Some("content"))?.1.as_str()
}

/// Page `index`'s value, holding the parts it has in common with other pages from `shared`.
pub fn page_value(site: &Site, index: usize, rendered: &Rendered, shared: &Shared) -> Value {
    let config = &site.config;
    let page = &site.pages[index];
    let translations = jobs::language_links(site, &Job::Page { page: index });
    let image_url = match &rendered.image {
        Some(processed) => Some(config.absolute(&processed.largest().url)),
        None => page.shared.image.as_deref().map(|i| super::metadata::absolute_image(site, page, i)),
    };
    let value = Value::from_serializable(&PageView {
        title: &page.title,
        description: page.front.description.as_deref(),
        date: page.date.map(|d| d.to_string()),
        updated: page.updated.map(|d| d.to_string()),
        slug: &page.slug,
        url: &page.url,
        permalink: config.absolute(&page.url),
        lang: &page.lang,
        content: &rendered.html,
        summary: &rendered.summary,
        toc: &rendered.toc,
        word_count: rendered.word_count,
        reading_time: rendered.reading_time,
        taxonomies: (),
        og_locale_alternates: og_alternates(config, &page.lang, &translations),
        translations: (),
        image: page.shared.image.as_deref(),
        source: page.front.source.as_deref(),
        place: page.shared.place.as_deref(),
        review: &page.front.review,
        section: &site.sections[page.section].content_path,
        translation_key: &page.translation_key,
        is_article: page.is_article,
        stand_in: None,
        original_updated: original_updated(site, index),
        extra: &page.front.extra,
        og_locale: super::metadata::og_locale(&page.lang),
        jsonld: if page.is_article {
            super::metadata::news_article(site, page, image_url.as_deref())
        } else if crate::content::is_partner_page(site, page) {
            super::metadata::organization(site, page)
        } else {
            String::new()
        },
        meta_description: page.front.description.clone().unwrap_or_else(|| plain_text(&rendered.summary, 160)),
        image_url,
        cover: rendered.image.as_ref().map(|p| crate::markdown::image_value(p, "", &config.images.sizes)),
    });
    let mut fields = value.into_map().unwrap_or_default();
    let mut taxonomies = tera::Map::default();
    for (tax, terms) in &page.shared.taxonomies {
        let refs: Vec<Value> = term_refs(site, &page.lang, tax, terms).map(|t| shared.term(&page.lang, tax, t)).collect();
        taxonomies.insert(tax.clone().into(), Value::from(refs));
    }
    fields.insert("taxonomies".into(), Value::from(taxonomies));
    let links: Vec<Value> = translations.into_iter().map(|l| shared.link(l)).collect();
    fields.insert("translations".into(), Value::from(links));
    Value::from(fields)
}

/// The terms a page names, as linked from the page in `lang`.
fn term_refs<'a>(
    site: &'a Site,
    lang: &'a str,
    taxonomy: &str,
    written: &'a [String],
) -> impl Iterator<Item = &'a crate::content::taxonomies::Term> {
    let terms = site.taxonomies.get(&(lang.to_string(), taxonomy.to_string()));
    let registry = site.config.term_keys(taxonomy).is_some();
    written.iter().filter_map(move |w| {
        let key = if registry { w.clone() } else { crate::slug::slugify(w, lang) };
        terms.and_then(|t| t.get(&key))
    })
}

fn section_value(site: &Site, section: &Section, rendered: &Rendered) -> Value {
    let translations = match site.section_index(&section.content_path, &section.lang) {
        Some(i) => jobs::language_links(site, &Job::Section { section: i, number: 1 }),
        None => vec![],
    };
    Value::from_serializable(&SectionView {
        title: &section.title,
        description: section.front.description.as_deref(),
        url: &section.url,
        permalink: site.config.absolute(&section.url),
        lang: &section.lang,
        path: &section.content_path,
        content: &rendered.html,
        og_locale_alternates: og_alternates(&site.config, &section.lang, &translations),
        translations,
        extra: &section.front.extra,
        og_locale: super::metadata::og_locale(&section.lang),
        jsonld: if section.content_path.is_empty() {
            let search = site.pages.iter().find(|p| p.content_path == "search" && p.lang == section.lang);
            super::metadata::website(site, &section.lang, search.map(|p| p.url.as_str()))
        } else {
            String::new()
        },
    })
}

/// `html` as plain text of at most `max` characters, cut at a word boundary (in any script)
/// with an ellipsis when cut.
pub fn plain_text(html: &str, max: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = html_escape::decode_html_entities(&text).split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    // Words are counted as they come: the text up to each is the words before it.
    let (mut cut, mut chars) = (0, 0);
    for (at, word) in text.split_word_bound_indices() {
        chars += word.chars().count();
        if chars > max - 1 {
            break;
        }
        cut = at + word.len();
    }
    format!("{}…", text[..cut].trim_end_matches(|c: char| !c.is_alphanumeric()))
}

/// `og:locale:alternate` values: the other languages the content exists in.
fn og_alternates(config: &SiteConfig, current: &str, links: &[LanguageLink]) -> Vec<String> {
    let existing: BTreeMap<&str, &str> = links.iter().filter(|l| l.exists).map(|l| (l.code.as_str(), l.url.as_str())).collect();
    super::metadata::og_locale_alternates(config, current, &existing)
}

/// A taxonomy term as templates see it: `key`, `name`, `slug`, `url` and `count` (its pages).
pub fn term_value(t: &crate::content::taxonomies::Term) -> tera::Map {
    let mut m = tera::Map::default();
    for (k, v) in [
        ("key", t.key.as_str().into()),
        ("name", t.name.as_str().into()),
        ("slug", t.slug.as_str().into()),
        ("url", t.url.as_str().into()),
        ("count", t.entries.len().into()),
    ] {
        m.insert(k.into(), v);
    }
    m
}

/// A Tera map from key/value pairs.
pub fn map(pairs: Vec<(&'static str, Value)>) -> Value {
    let mut m = tera::Map::default();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn plain_text_is_cut_at_a_word_within_its_length() {
        assert_eq!(plain_text("<p>one <em>two</em> three</p>", 100), "one two three");
        assert_eq!(plain_text("<p>one <em>two</em> three</p>", 9), "one two…");
        assert_eq!(plain_text("<p>one two, three</p>", 12), "one two…");
        assert_eq!(plain_text("<p>नई दिल्ली में सम्मेलन</p>", 12), "नई दिल्ली…");
    }
}
