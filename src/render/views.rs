//! Template-facing views of the site model, built once per build as Tera values. Values share
//! their data (Tera clones are reference counted), so a listing or a page context points at the
//! same page data instead of copying the site into every context.

use crate::config::{MissingTranslation, SiteConfig};
use crate::slug::slugify;
use crate::content::{Page, Section, Site};
use crate::markdown::Rendered;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Value;

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
    pub missing_translation: MissingTranslation,
    pub extra: &'a serde_json::Value,
}

/// A link to the same content in one site language.
#[derive(Serialize, Clone)]
pub struct TranslationView {
    pub code: String,
    pub name: String,
    pub url: String,
    pub permalink: String,
    /// The content exists in this language.
    pub exists: bool,
    pub current: bool,
    /// The URL shows the content in another language or a notice (`missing_translation`).
    pub stand_in: bool,
}

#[derive(Serialize)]
pub struct TermRef {
    pub name: String,
    pub slug: String,
    pub url: String,
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
    taxonomies: BTreeMap<&'a str, Vec<TermRef>>,
    translations: Vec<TranslationView>,
    image: Option<&'a str>,
    source: Option<&'a str>,
    place: Option<&'a str>,
    review: &'a [String],
    section: &'a str,
    translation_key: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// `og:locale` of the page, e.g. `hi_IN`.
    og_locale: String,
    /// `og:locale:alternate` values: the languages the page is translated into.
    og_locale_alternates: Vec<String>,
    /// JSON-LD `NewsArticle`, safe to embed as is in `<script type="application/ld+json">`.
    jsonld: String,
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
    translations: Vec<TranslationView>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    og_locale: String,
    og_locale_alternates: Vec<String>,
}

/// URL of a taxonomy term in `lang`.
pub fn term_url(config: &SiteConfig, lang: &str, taxonomy: &str, term: &str) -> String {
    format!("{}{}/{}/", config.language_root(lang), slugify(taxonomy, lang), slugify(term, lang))
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
        missing_translation: config.missing_translation,
        extra: &config.extra,
    })
}

/// The switcher entries for content that exists in the languages of `existing` (lang -> url).
/// A language without the content links to its stand-in page (`missing_translation: fallback`
/// or `notice`) when `stand_in` gives one, else to its home page.
pub fn translations(
    config: &SiteConfig,
    current: &str,
    existing: &BTreeMap<&str, &str>,
    stand_in: &dyn Fn(&str) -> Option<String>,
) -> Vec<TranslationView> {
    config
        .languages
        .iter()
        .map(|l| {
            let exists = existing.contains_key(l.code.as_str());
            let (url, stand_in) = match existing.get(l.code.as_str()) {
                Some(u) => (u.to_string(), false),
                None => match stand_in(&l.code) {
                    Some(u) => (u, true),
                    None => (config.language_root(&l.code), false),
                },
            };
            TranslationView {
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

/// Where a page appears in `lang` when it has no translation there and the site renders
/// stand-ins (`missing_translation: fallback | notice`); `None` for `hide`.
pub fn stand_in_url(site: &Site, page: &Page, lang: &str) -> Option<String> {
    if site.config.missing_translation == MissingTranslation::Hide {
        return None;
    }
    let section = &site.sections[page.section].content_path;
    Some(crate::urls::page(&crate::urls::section(&site.config, lang, section), &page.slug))
}

pub fn page_value(site: &Site, page: &Page, rendered: &Rendered) -> Value {
    let config = &site.config;
    let existing: BTreeMap<&str, &str> =
        site.translations_of(&page.translation_key).into_iter().map(|p| (p.lang.as_str(), p.url.as_str())).collect();
    let taxonomies = page
        .front
        .taxonomies
        .iter()
        .map(|(tax, terms)| {
            let refs = terms
                .iter()
                .map(|t| TermRef {
                    name: config.term_name(&page.lang, tax, t),
                    slug: slugify(t, &page.lang),
                    url: term_url(config, &page.lang, tax, t),
                })
                .collect();
            (tax.as_str(), refs)
        })
        .collect();
    Value::from_serializable(&PageView {
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
        taxonomies,
        translations: translations(config, &page.lang, &existing, &|l| stand_in_url(site, page, l)),
        image: page.front.image.as_deref(),
        source: page.front.source.as_deref(),
        place: page.front.place.as_deref(),
        review: &page.front.review,
        section: &site.sections[page.section].content_path,
        translation_key: &page.translation_key,
        extra: &page.front.extra,
        og_locale: super::metadata::og_locale(&page.lang),
        og_locale_alternates: super::metadata::og_locale_alternates(config, &page.lang, &existing),
        jsonld: super::metadata::news_article(site, page),
    })
}

pub fn section_value(site: &Site, section: &Section, rendered: &Rendered) -> Value {
    let existing: BTreeMap<&str, &str> = site
        .sections
        .iter()
        .filter(|s| {
            s.content_path == section.content_path && (s.file.is_some() || !s.pages.is_empty() || s.content_path.is_empty())
        })
        .map(|s| (s.lang.as_str(), s.url.as_str()))
        .collect();
    Value::from_serializable(&SectionView {
        title: &section.title,
        description: section.front.description.as_deref(),
        url: &section.url,
        permalink: site.config.absolute(&section.url),
        lang: &section.lang,
        path: &section.content_path,
        content: &rendered.html,
        translations: translations(&site.config, &section.lang, &existing, &|_| None),
        extra: &section.front.extra,
        og_locale: super::metadata::og_locale(&section.lang),
        og_locale_alternates: super::metadata::og_locale_alternates(&site.config, &section.lang, &existing),
    })
}

/// A Tera map from key/value pairs.
pub fn map(pairs: Vec<(&'static str, Value)>) -> Value {
    let mut m = tera::Map::default();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::from(m)
}
