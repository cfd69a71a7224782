//! One render job: the Tera context of each kind of page (article, listing, taxonomy list
//! and term, stand-in, 404) and the rendering itself.

use super::jobs::{self, Job};
use super::views::{SiteValues, map, term_value};
use super::{RenderInput, chooser};
use crate::config::MissingTranslation;
use crate::content::Entry;
use crate::diagnostics::Diagnostic;
use crate::urls;
use std::path::PathBuf;
use tera::{Context, Value};

/// What rendering one job gives: the file, and the template and language it used.
pub struct Rendering {
    pub path: String,
    pub bytes: Vec<u8>,
    pub template: String,
    pub lang: String,
}

/// A job's template, its context, and the file to blame when the template is missing.
struct Prepared {
    template: String,
    ctx: Context,
    asked_by: PathBuf,
}

pub fn render(
    tera: &tera::Tera,
    input: &RenderInput,
    values: &SiteValues,
    number: usize,
    job: &Job,
) -> Result<Rendering, Diagnostic> {
    let site = input.site;
    let config = &site.config;
    let url = jobs::url(site, job);
    let lang = jobs::language(site, job).unwrap_or(&config.default_language).to_string();
    let prepared = match job {
        Job::LanguageChooser => {
            let bytes = chooser::language_chooser(input).into_bytes();
            return Ok(Rendering { path: "index.html".into(), bytes, template: String::new(), lang: String::new() });
        }
        Job::NotFound { .. } if !tera.contains_template("404.html") => {
            let bytes = chooser::fallback_404(&lang, input.directions.of(&lang).as_str()).into_bytes();
            return Ok(Rendering { path: urls::output_path(config, &url), bytes, template: "404.html".into(), lang });
        }
        Job::NotFound { .. } => Prepared { template: "404.html".into(), ctx: Context::new(), asked_by: config_file() },
        Job::Page { page } => page_context(input, values, *page),
        Job::StandIn { page, lang } => stand_in_context(input, values, *page, lang),
        Job::Section { section, number } => section_context(input, values, *section, *number),
        Job::TaxonomyList { lang, taxonomy } => taxonomy_list_context(tera, input, lang, taxonomy),
        Job::TaxonomyTerm { lang, taxonomy, key, number } => term_context(tera, input, values, lang, taxonomy, key, *number),
    };
    let Prepared { template, ctx: job_ctx, asked_by } = prepared;
    if !tera.contains_template(&template) {
        return Err(Diagnostic::new(
            &asked_by,
            1,
            1,
            format!("template `{template}` not found: add templates/{template} or pick a template the theme has"),
        ));
    }
    let mut ctx = base_context(input, values, job, &lang, &template, &url);
    ctx.extend(job_ctx);
    ctx.insert("__job", &number);
    let mut bytes = tera.render(&template, &ctx).map_err(|e| input.templates.diagnostic(&e, &template))?.into_bytes();
    // The page is held until the build ends: give back what the buffer grew beyond it.
    bytes.shrink_to_fit();
    Ok(Rendering { path: urls::output_file(config, &url), bytes, template, lang })
}

fn config_file() -> PathBuf {
    PathBuf::from(crate::config::CONFIG_FILE)
}

/// What every template sees: the site, the language, where the page is, its versions in the
/// other languages (`translations`) and its hreflang `alternates`.
fn base_context(input: &RenderInput, values: &SiteValues, job: &Job, lang: &str, template: &str, url: &str) -> Context {
    let config = &input.site.config;
    let mut ctx = Context::new();
    ctx.insert_value("config", values.config.clone());
    ctx.insert("lang", lang);
    ctx.insert("dir", input.directions.of(lang).as_str());
    ctx.insert("lang_name", config.language(lang).map(|l| l.name.as_str()).unwrap_or(lang));
    ctx.insert("lang_root", &config.language_root(lang));
    ctx.insert("current_path", url);
    ctx.insert("current_url", &config.absolute(url));
    ctx.insert("feed_url", &urls::feed(&config.language_root(lang)));
    ctx.insert("template_name", template);
    ctx.insert("taxonomies", &config.taxonomies.iter().map(|t| t.name.as_str()).collect::<Vec<_>>());
    let links = jobs::language_links(input.site, job);
    ctx.insert("alternates", &jobs::alternates_among(input.site, job, &links));
    ctx.insert("translations", &links);
    ctx
}

fn page_context(input: &RenderInput, values: &SiteValues, i: usize) -> Prepared {
    let page = &input.site.pages[i];
    let mut ctx = Context::new();
    ctx.insert_value("page", values.page(i));
    ctx.insert_value("section", values.sections[page.section].clone());
    Prepared { template: page.front.template.clone().unwrap_or_else(|| "page.html".into()), ctx, asked_by: page.file.clone() }
}

/// An article in a language it has no translation in: the original, its localised headline
/// and summary if any, and `stand_in` saying so.
fn stand_in_context(input: &RenderInput, values: &SiteValues, i: usize, lang: &str) -> Prepared {
    let site = input.site;
    let page = &site.pages[i];
    let mut prepared = page_context(input, values, i);
    if let Some(section) = site.section_index(&site.sections[page.section].content_path, lang) {
        prepared.ctx.insert_value("section", values.sections[section].clone());
    }
    let overrides = values.stand_in(i, lang).unwrap_or_default();
    let get = |key: &str| overrides.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v.clone());
    let mut stand_in = get("stand_in").and_then(|v| v.as_map().cloned()).unwrap_or_default();
    let mode = if site.config.missing_translation == MissingTranslation::Fallback { "fallback" } else { "notice" };
    stand_in.insert("mode".into(), mode.into());
    stand_in.insert("url".into(), page.url.as_str().into());
    stand_in.insert("permalink".into(), site.config.absolute(&page.url).into());
    // The overrides hold a title, summary or place only when the group localises it.
    for key in ["title", "summary", "place"] {
        stand_in.insert(format!("localised_{key}").into(), get(key).unwrap_or_else(Value::none));
    }
    prepared.ctx.insert_value("stand_in", Value::from(stand_in));
    prepared
}

/// A page of a section's listing.
fn section_context(input: &RenderInput, values: &SiteValues, i: usize, number: usize) -> Prepared {
    let section = &input.site.sections[i];
    let default = if section.content_path.is_empty() { "index.html" } else { "section.html" };
    let mut ctx = Context::new();
    ctx.insert_value("section", values.sections[i].clone());
    let per_page = jobs::section_per_page(input.site, i);
    ctx.insert_value("paginator", paginator(values, &section.url, &section.listing, &section.lang, per_page, number));
    let asked_by = section.file.clone().unwrap_or_else(|| PathBuf::from(crate::content::CONTENT_DIR).join(&section.content_path));
    Prepared { template: section.front.template.clone().unwrap_or_else(|| default.into()), ctx, asked_by }
}

fn taxonomy_value(input: &RenderInput, lang: &str, taxonomy: &str) -> Value {
    let url = urls::taxonomy(&input.site.config, lang, taxonomy);
    map(vec![("name", taxonomy.into()), ("url", url.into())])
}

fn taxonomy_list_context(tera: &tera::Tera, input: &RenderInput, lang: &str, taxonomy: &str) -> Prepared {
    let terms = &input.site.taxonomies[&(lang.to_string(), taxonomy.to_string())];
    let mut ctx = Context::new();
    ctx.insert_value("taxonomy", taxonomy_value(input, lang, taxonomy));
    let mut terms: Vec<&crate::content::taxonomies::Term> = terms.values().collect();
    crate::i18n::sort_by_name(lang, &mut terms, |t| &t.name);
    let terms: Vec<Value> = terms.into_iter().map(|t| Value::from(term_value(t))).collect();
    ctx.insert_value("terms", terms.into());
    Prepared { template: pick(tera, &[&format!("{taxonomy}/list.html"), "taxonomy_list.html"]), ctx, asked_by: config_file() }
}

fn term_context(
    tera: &tera::Tera,
    input: &RenderInput,
    values: &SiteValues,
    lang: &str,
    taxonomy: &str,
    key: &str,
    number: usize,
) -> Prepared {
    let config = &input.site.config;
    let t = jobs::term(input.site, lang, taxonomy, key);
    let mut ctx = Context::new();
    ctx.insert_value("taxonomy", taxonomy_value(input, lang, taxonomy));
    ctx.insert_value("term", Value::from(term_value(t)));
    let per_page = jobs::taxonomy_per_page(input.site, taxonomy);
    ctx.insert_value("paginator", paginator(values, &t.url, &t.entries, lang, per_page, number));
    // The term's Atom feed when its taxonomy has `feed: true` (overrides the language feed).
    if config.taxonomy(taxonomy).is_some_and(|t| t.feed) {
        ctx.insert("feed_url", &urls::feed(&t.url));
    }
    Prepared { template: pick(tera, &[&format!("{taxonomy}/single.html"), "taxonomy_term.html"]), ctx, asked_by: config_file() }
}

/// Listing page `number` of `entries` shown in `lang`.
fn paginator(values: &SiteValues, url: &str, entries: &[Entry], lang: &str, per_page: usize, number: usize) -> Value {
    let total = entries.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = jobs::pager_slice(entries, per_page, number).iter().map(|&e| values.entry(e, lang)).collect();
    let link = |n: usize| if (1..=total).contains(&n) { Value::from(urls::pager(url, n)) } else { Value::none() };
    map(vec![
        ("number", number.into()),
        ("total_pages", total.into()),
        ("total_items", entries.len().into()),
        ("paginate_by", per_page.into()),
        ("pages", slice.into()),
        ("current_url", urls::pager(url, number).into()),
        ("first", url.into()),
        ("last", urls::pager(url, total).into()),
        ("previous", link(number.wrapping_sub(1))),
        ("next", link(number + 1)),
    ])
}

fn pick(tera: &tera::Tera, names: &[&str]) -> String {
    names.iter().find(|n| tera.contains_template(n)).unwrap_or(&names[names.len() - 1]).to_string()
}
