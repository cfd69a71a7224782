//! Render: turns the site model and the rendered Markdown into output files (path -> bytes)
//! with Tera templates. Every page, listing page and taxonomy page is an independent job run in
//! parallel; nothing here touches the output folder.

pub mod templates;
pub mod views;
// Output files written from the site model rather than templates (issue 5).
pub mod aliases;
pub mod assets;
pub mod feeds;
pub mod metadata;
pub mod sitemap;

use crate::content::Site;
use crate::slug::slugify;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use crate::output::{Files, Output};
use crate::urls;
use std::sync::Arc;
use std::sync::{Mutex, RwLock};
use templates::TemplateSources;
use tera::{Context, Kwargs, State, TeraResult, Value};
use views::map;

/// What one render job produces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Page(usize),
    /// A section's listing page `n` (1-based).
    Section(usize, usize),
    TaxonomyList {
        lang: String,
        taxonomy: String,
    },
    TaxonomyTerm {
        lang: String,
        taxonomy: String,
        term: String,
        number: usize,
    },
    NotFound(String),
    /// A page shown in a language it has no translation in (`missing_translation`).
    StandIn {
        page: usize,
        lang: String,
    },
    /// `/index.html` choosing the visitor's language when every language has a subfolder.
    LanguageChooser,
}

/// Pages of one taxonomy term in one language, newest first.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub pages: Vec<usize>,
}

/// The site's taxonomies per language: (lang, taxonomy) -> term key -> term.
pub type Taxonomies = BTreeMap<(String, String), BTreeMap<String, Term>>;

pub fn collect_taxonomies(site: &Site) -> Result<Taxonomies, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut taxonomies: Taxonomies = BTreeMap::new();
    for lang in site.config.language_codes() {
        for t in &site.config.taxonomies {
            taxonomies.insert((lang.to_string(), t.name.clone()), BTreeMap::new());
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        for (tax, terms) in &page.front.taxonomies {
            let Some(by_term) = taxonomies.get_mut(&(page.lang.clone(), tax.clone())) else {
                errors.push(Diagnostic::new(
                    &page.file,
                    1,
                    1,
                    format!(
                        "taxonomy `{tax}` is not declared: add `- name: {tax}` under `taxonomies` in site.yaml (declared: {})",
                        site.config.taxonomies.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
                continue;
            };
            for term in terms {
                let slug = slugify(term, &page.lang);
                let entry = by_term.entry(slug.clone()).or_insert_with(|| Term {
                    name: site.config.term_name(&page.lang, tax, term),
                    url: views::term_url(&site.config, &page.lang, tax, term),
                    slug,
                    pages: vec![],
                });
                entry.pages.push(i);
            }
        }
    }
    errors.into_result(taxonomies)
}

/// The inputs of the render stage.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub pages: &'a [Rendered],
    pub sections: &'a [Rendered],
    pub templates: &'a TemplateSources,
    pub directions: &'a crate::i18n::Directions,
}

/// Data behind the template functions and contexts, shared by every job.
struct Shared {
    config: Value,
    /// One value per page; replaced one by one when `serve` patches a page.
    pages: RwLock<Vec<Value>>,
    sections: Vec<Value>,
    taxonomies: Taxonomies,
    /// Pages each job read through template functions, by job number.
    reads: Mutex<HashMap<usize, BTreeSet<usize>>>,
}

impl Shared {
    fn page(&self, i: usize) -> Value {
        self.pages.read().unwrap_or_else(|e| e.into_inner())[i].clone()
    }

    /// Notes that the job rendering with `state` read `pages`.
    fn record(&self, state: &State, pages: impl IntoIterator<Item = usize>) {
        if let Ok(Some(job)) = state.get::<usize>("__job") {
            self.reads.lock().unwrap_or_else(|e| e.into_inner()).entry(job).or_default().extend(pages);
        }
    }
}

/// Renders jobs and remembers, for each page, which jobs read it, so that an edited page
/// re-renders exactly the outputs it appears in.
pub struct Renderer {
    tera: tera::Tera,
    shared: Arc<Shared>,
    pub jobs: Vec<Job>,
    /// Per job: its template and language, to find the jobs a template or locale edit touches.
    job_templates: Vec<(String, String)>,
    /// Per page: the jobs that read it.
    readers: Vec<Vec<usize>>,
}

impl Renderer {
    /// Prepares the values every template sees; `tera` holds the compiled `input.templates`.
    pub fn new(mut tera: tera::Tera, input: &RenderInput) -> Result<Renderer, Diagnostics> {
        let site = input.site;
        let taxonomies = collect_taxonomies(site)?;
        let pages: Vec<Value> =
            site.pages.par_iter().zip(input.pages.par_iter()).map(|(p, r)| views::page_value(site, p, r)).collect();
        let sections: Vec<Value> =
            site.sections.iter().zip(input.sections.iter()).map(|(s, r)| views::section_value(site, s, r)).collect();
        let shared = Arc::new(Shared {
            config: views::config_value(&site.config, input.directions),
            pages: RwLock::new(pages),
            sections,
            taxonomies,
            reads: Mutex::new(HashMap::new()),
        });
        register_functions(&mut tera, site, &shared);
        let jobs = jobs(site, &shared.taxonomies);
        Ok(Renderer { tera, shared, jobs, job_templates: vec![], readers: vec![] })
    }

    /// Renders every job.
    pub fn render_all(&mut self, input: &RenderInput) -> Result<Output, Diagnostics> {
        let all: Vec<usize> = (0..self.jobs.len()).collect();
        let (files, templates) = self.render_jobs(input, &all)?;
        check_collisions(input.site, &self.jobs, &files)?;
        self.job_templates = templates;
        let mut readers = vec![Vec::new(); input.site.pages.len()];
        let reads = std::mem::take(&mut *self.shared.reads.lock().unwrap_or_else(|e| e.into_inner()));
        for (j, job) in self.jobs.iter().enumerate() {
            let mut read: BTreeSet<usize> = reads.get(&j).cloned().unwrap_or_default();
            read.extend(static_reads(input.site, &self.shared, job));
            for p in read {
                readers[p].push(j);
            }
        }
        self.readers = readers;
        let mut output = Output::default();
        output.files = files.into_iter().collect();
        for page in &input.site.pages {
            for asset in &page.assets {
                if let Some(name) = asset.file_name() {
                    let path = format!("{}{}", urls::output_path(&input.site.config, &page.url), name.to_string_lossy());
                    output.copies.insert(path, asset.clone());
                }
            }
        }
        // Feeds, sitemaps, robots.txt and alias redirects.
        output.files.extend(feeds::render(input.site, input.pages, &self.shared.taxonomies, &|_, _| true));
        output.files.extend(sitemap::render(input.site, &self.shared.taxonomies));
        output.files.extend(aliases::render(input.site, &output.files)?);
        Ok(output)
    }

    /// Replaces page `i`'s value (its content changed, not its place in the site) and renders
    /// again every output that read it.
    pub fn patch_page(&mut self, input: &RenderInput, i: usize, rendered: &Rendered) -> Result<Files, Diagnostics> {
        let value = views::page_value(input.site, &input.site.pages[i], rendered);
        self.shared.pages.write().unwrap_or_else(|e| e.into_inner())[i] = value;
        let jobs = self.readers[i].clone();
        let (files, _) = self.render_jobs(input, &jobs)?;
        self.shared.reads.lock().unwrap_or_else(|e| e.into_inner()).clear();
        Ok(files)
    }

    /// Swaps in a recompiled Tera (a template or locale edit) and renders the jobs `select`
    /// picks by (template, language).
    pub fn rerender(
        &mut self,
        mut tera: tera::Tera,
        input: &RenderInput,
        select: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Files, Diagnostics> {
        register_functions(&mut tera, input.site, &self.shared);
        self.tera = tera;
        let jobs: Vec<usize> = self.job_templates.iter().enumerate().filter(|(_, (t, l))| select(t, l)).map(|(j, _)| j).collect();
        let (files, _) = self.render_jobs(input, &jobs)?;
        self.shared.reads.lock().unwrap_or_else(|e| e.into_inner()).clear();
        Ok(files)
    }

    /// The site's taxonomy terms per language, as rendered.
    pub fn taxonomies(&self) -> &Taxonomies {
        &self.shared.taxonomies
    }

    fn render_jobs(&self, input: &RenderInput, jobs: &[usize]) -> Result<(Files, Vec<(String, String)>), Diagnostics> {
        let results: Vec<Result<Rendering, Diagnostic>> =
            jobs.par_iter().map(|&j| render_job(&self.tera, input, &self.shared, j, &self.jobs[j])).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut templates = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok(r) => {
                    files.push((r.path, r.bytes));
                    templates.push((r.template, r.lang));
                }
                Err(d) => errors.push(d),
            }
        }
        errors.into_result((files, templates))
    }
}

/// Two jobs writing one file is an error naming both sources, never a silent overwrite.
fn check_collisions(site: &Site, jobs: &[Job], files: &[(String, Vec<u8>)]) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut owners: HashMap<&str, usize> = HashMap::new();
    for (j, (path, _)) in files.iter().enumerate() {
        if let Some(first) = owners.insert(path, j) {
            let (file, first_source) = job_source(site, &jobs[first]);
            let (_, second_source) = job_source(site, &jobs[j]);
            errors.push(Diagnostic::new(
                file,
                1,
                1,
                format!(
                    "{first_source} and {second_source} both write {path}: change a slug, rename the section or the taxonomy, or set `render: false` on the taxonomy in site.yaml"
                ),
            ));
        }
    }
    errors.into_result(())
}

/// The file behind a job and how to name it in an error.
fn job_source(site: &Site, job: &Job) -> (PathBuf, String) {
    let config = PathBuf::from(crate::config::CONFIG_FILE);
    match job {
        Job::Page(i) | Job::StandIn { page: i, .. } => {
            (site.pages[*i].file.clone(), format!("the page {}", site.pages[*i].file.display()))
        }
        Job::Section(i, _) => {
            let s = &site.sections[*i];
            let file = s.file.clone().unwrap_or_else(|| PathBuf::from("content").join(&s.content_path));
            (file.clone(), format!("the section {}", file.display()))
        }
        Job::TaxonomyList { taxonomy, .. } => (config, format!("the `{taxonomy}` taxonomy list")),
        Job::TaxonomyTerm { taxonomy, term, .. } => (config, format!("the `{taxonomy}` taxonomy term `{term}`")),
        Job::NotFound(lang) => (config, format!("the `{lang}` 404 page")),
        Job::LanguageChooser => (config, "the language chooser".into()),
    }
}

/// Pages a job reads through its own context (not through template functions).
fn static_reads(site: &Site, shared: &Shared, job: &Job) -> Vec<usize> {
    match job {
        Job::Page(i) | Job::StandIn { page: i, .. } => vec![*i],
        Job::Section(i, n) => {
            let s = &site.sections[*i];
            pager_slice(&s.pages, section_per_page(site, s), *n).to_vec()
        }
        Job::TaxonomyTerm { lang, taxonomy, term, number } => {
            let pages = &shared.taxonomies[&(lang.clone(), taxonomy.clone())][term].pages;
            pager_slice(pages, taxonomy_per_page(&site.config, taxonomy), *number).to_vec()
        }
        Job::TaxonomyList { .. } | Job::NotFound(_) | Job::LanguageChooser => vec![],
    }
}

/// What rendering one job gives: the file, and the template and language it used.
struct Rendering {
    path: String,
    bytes: Vec<u8>,
    template: String,
    lang: String,
}

/// Every job of a full build.
pub fn jobs(site: &Site, taxonomies: &Taxonomies) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (i, s) in site.sections.iter().enumerate() {
        let per_page = section_per_page(site, s);
        let count = s.pages.len().div_ceil(per_page).max(1);
        jobs.extend((1..=count).map(|n| Job::Section(i, n)));
    }
    for ((lang, taxonomy), terms) in taxonomies {
        if !site.config.taxonomy(taxonomy).is_some_and(|t| t.render) {
            continue;
        }
        jobs.push(Job::TaxonomyList { lang: lang.clone(), taxonomy: taxonomy.clone() });
        let per_page = taxonomy_per_page(&site.config, taxonomy);
        for (slug, term) in terms {
            let count = term.pages.len().div_ceil(per_page).max(1);
            jobs.extend((1..=count).map(|number| Job::TaxonomyTerm {
                lang: lang.clone(),
                taxonomy: taxonomy.clone(),
                term: slug.clone(),
                number,
            }));
        }
    }
    jobs.extend(site.config.language_codes().into_iter().map(|l| Job::NotFound(l.to_string())));
    jobs.extend(stand_in_jobs(site));
    if site.config.default_language_in_subdir {
        jobs.push(Job::LanguageChooser);
    }
    jobs
}

/// One stand-in per page and language it lacks, from the default-language version (or the
/// first existing one), when the site asks for stand-ins.
fn stand_in_jobs(site: &Site) -> Vec<Job> {
    if site.config.missing_translation == crate::config::MissingTranslation::Hide {
        return vec![];
    }
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        groups.entry(&p.translation_key).or_default().push(i);
    }
    let taken: std::collections::HashSet<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    let mut jobs = Vec::new();
    for members in groups.values() {
        let source = members
            .iter()
            .copied()
            .find(|&i| site.pages[i].lang == site.config.default_language)
            .or_else(|| {
                members.iter().copied().min_by_key(|&i| site.config.languages.iter().position(|l| l.code == site.pages[i].lang))
            })
            .expect("a translation group has at least one page");
        for l in &site.config.languages {
            if members.iter().any(|&i| site.pages[i].lang == l.code) {
                continue;
            }
            let url = views::stand_in_url(site, &site.pages[source], &l.code);
            if url.as_deref().is_some_and(|u| !taken.contains(u)) {
                jobs.push(Job::StandIn { page: source, lang: l.code.clone() });
            }
        }
    }
    jobs
}

/// Pages per listing page of a section: its own `paginate_by`, else the site's.
fn section_per_page(site: &Site, section: &crate::content::Section) -> usize {
    section.front.paginate_by.unwrap_or(site.config.paginate_by).max(1)
}

/// Pages per listing page of a taxonomy term: the taxonomy's `paginate_by`, else the site's.
fn taxonomy_per_page(config: &crate::config::SiteConfig, taxonomy: &str) -> usize {
    config.taxonomy(taxonomy).and_then(|t| t.paginate_by).unwrap_or(config.paginate_by).max(1)
}

/// The pages shown on listing page `number` (1-based).
fn pager_slice(pages: &[usize], per_page: usize, number: usize) -> &[usize] {
    let start = ((number - 1) * per_page).min(pages.len());
    &pages[start..(start + per_page).min(pages.len())]
}

fn paginator(shared: &Shared, url: &str, pages: &[usize], per_page: usize, number: usize) -> Value {
    let total = pages.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = pager_slice(pages, per_page, number).iter().map(|&i| shared.page(i)).collect();
    map(vec![
        ("number", number.into()),
        ("total_pages", total.into()),
        ("total_items", pages.len().into()),
        ("paginate_by", per_page.into()),
        ("pages", slice.into()),
        ("current_url", urls::pager(url, number).into()),
        ("first", url.into()),
        ("last", urls::pager(url, total).into()),
        ("previous", if number > 1 { Value::from(urls::pager(url, number - 1)) } else { Value::none() }),
        ("next", if number < total { Value::from(urls::pager(url, number + 1)) } else { Value::none() }),
    ])
}

fn base_context(shared: &Shared, input: &RenderInput, lang: &str, template: &str, url: &str) -> Context {
    let config = &input.site.config;
    let mut ctx = Context::new();
    ctx.insert_value("config", shared.config.clone());
    ctx.insert("lang", lang);
    ctx.insert("dir", input.directions.of(lang).as_str());
    ctx.insert("lang_name", config.language(lang).map(|l| l.name.as_str()).unwrap_or(lang));
    ctx.insert("lang_root", &config.language_root(lang));
    ctx.insert("current_path", url);
    ctx.insert("current_url", &config.absolute(url));
    ctx.insert("feed_url", &format!("{}{}", config.language_root(lang), urls::FEED_FILE));
    ctx.insert("template_name", template);
    ctx.insert("taxonomies", &config.taxonomies.iter().map(|t| t.name.as_str()).collect::<Vec<_>>());
    ctx
}

fn render_job(
    tera: &tera::Tera,
    input: &RenderInput,
    shared: &Shared,
    number: usize,
    job: &Job,
) -> Result<Rendering, Diagnostic> {
    let site = input.site;
    let config = &site.config;
    let (template, url, ctx, asked_by) = match job {
        Job::Page(i) => {
            let page = &site.pages[*i];
            let template = page.front.template.clone().unwrap_or_else(|| "page.html".into());
            let mut ctx = base_context(shared, input, &page.lang, &template, &page.url);
            ctx.insert_value("page", shared.page(*i));
            ctx.insert_value("section", shared.sections[page.section].clone());
            ctx.insert_value("translations", shared.page(*i).get_from_path("translations").cloned().unwrap_or_else(Value::none));
            (template, page.url.clone(), ctx, page.file.clone())
        }
        Job::Section(i, number) => {
            let section = &site.sections[*i];
            let default = if section.content_path.is_empty() { "index.html" } else { "section.html" };
            let template = section.front.template.clone().unwrap_or_else(|| default.into());
            let url = urls::pager(&section.url, *number);
            let mut ctx = base_context(shared, input, &section.lang, &template, &url);
            let per_page = section_per_page(site, section);
            ctx.insert_value("section", shared.sections[*i].clone());
            ctx.insert_value("paginator", paginator(shared, &section.url, &section.pages, per_page, *number));
            ctx.insert_value(
                "translations",
                shared.sections[*i].get_from_path("translations").cloned().unwrap_or_else(Value::none),
            );
            let file = section.file.clone().unwrap_or_else(|| PathBuf::from("content").join(&section.content_path));
            (template, url, ctx, file)
        }
        Job::TaxonomyList { lang, taxonomy } => {
            let terms = &shared.taxonomies[&(lang.clone(), taxonomy.clone())];
            let url = format!("{}{}/", config.language_root(lang), slugify(taxonomy, lang));
            let template = pick(tera, &[&format!("{taxonomy}/list.html"), "taxonomy_list.html"]);
            let mut ctx = base_context(shared, input, lang, &template, &url);
            ctx.insert_value("taxonomy", map(vec![("name", taxonomy.as_str().into()), ("url", url.as_str().into())]));
            let terms: Vec<Value> = terms
                .values()
                .map(|t| {
                    map(vec![
                        ("name", t.name.as_str().into()),
                        ("slug", t.slug.as_str().into()),
                        ("url", t.url.as_str().into()),
                        ("count", t.pages.len().into()),
                    ])
                })
                .collect();
            ctx.insert_value("terms", terms.into());
            ctx.insert_value("translations", Value::from_serializable(&language_roots(input, lang, taxonomy)));
            (template, url, ctx, PathBuf::from(crate::config::CONFIG_FILE))
        }
        Job::TaxonomyTerm { lang, taxonomy, term, number } => {
            let t = &shared.taxonomies[&(lang.clone(), taxonomy.clone())][term];
            let url = urls::pager(&t.url, *number);
            let template = pick(tera, &[&format!("{taxonomy}/single.html"), "taxonomy_term.html"]);
            let mut ctx = base_context(shared, input, lang, &template, &url);
            let per_page = taxonomy_per_page(config, taxonomy);
            ctx.insert_value(
                "taxonomy",
                map(vec![
                    ("name", taxonomy.as_str().into()),
                    ("url", format!("{}{}/", config.language_root(lang), slugify(taxonomy, lang)).into()),
                ]),
            );
            ctx.insert_value(
                "term",
                map(vec![
                    ("name", t.name.as_str().into()),
                    ("slug", t.slug.as_str().into()),
                    ("url", t.url.as_str().into()),
                    ("count", t.pages.len().into()),
                ]),
            );
            ctx.insert_value("paginator", paginator(shared, &t.url, &t.pages, per_page, *number));
            // The term's Atom feed when its taxonomy has `feed: true` (overrides the language feed).
            if config.taxonomy(taxonomy).is_some_and(|t| t.feed) {
                ctx.insert("feed_url", &format!("{}{}", t.url, urls::FEED_FILE));
            }
            ctx.insert_value("translations", Value::from_serializable(&language_roots(input, lang, taxonomy)));
            (template, url, ctx, PathBuf::from(crate::config::CONFIG_FILE))
        }
        Job::NotFound(lang) => {
            let url = format!("{}404.html", config.language_root(lang));
            let mut ctx = base_context(shared, input, lang, "404.html", &url);
            ctx.insert_value("translations", Value::from_serializable(&language_roots(input, lang, "")));
            if !tera.contains_template("404.html") {
                let bytes = fallback_404(lang, input.directions.of(lang).as_str()).into_bytes();
                return Ok(Rendering { path: urls::output_path(config, &url), bytes, template: "404.html".into(), lang: lang.clone() });
            }
            ("404.html".to_string(), url, ctx, PathBuf::from(crate::config::CONFIG_FILE))
        }
        Job::StandIn { page: i, lang } => {
            let page = &site.pages[*i];
            let url = views::stand_in_url(site, page, lang).expect("stand-in jobs exist only when stand-ins do");
            let template = page.front.template.clone().unwrap_or_else(|| "page.html".into());
            let mut ctx = base_context(shared, input, lang, &template, &url);
            ctx.insert_value("page", shared.page(*i));
            ctx.insert_value("section", shared.sections[page.section].clone());
            let mut translations = shared.page(*i).get_from_path("translations").cloned().unwrap_or_else(Value::none);
            if let Some(list) = translations.as_array() {
                let marked: Vec<Value> = list
                    .iter()
                    .map(|t| {
                        let mut m = t.as_map().cloned().unwrap_or_default();
                        let code = t.get_from_path("code").and_then(|c| c.as_str()).unwrap_or("");
                        m.insert("current".into(), (code == lang).into());
                        Value::from(m)
                    })
                    .collect();
                translations = marked.into();
            }
            ctx.insert_value("translations", translations);
            let mode = match config.missing_translation {
                crate::config::MissingTranslation::Fallback => "fallback",
                _ => "notice",
            };
            ctx.insert_value(
                "stand_in",
                map(vec![
                    ("mode", mode.into()),
                    ("lang", page.lang.as_str().into()),
                    ("dir", input.directions.of(&page.lang).as_str().into()),
                    ("url", page.url.as_str().into()),
                    ("permalink", config.absolute(&page.url).into()),
                ]),
            );
            (template, url, ctx, page.file.clone())
        }
        Job::LanguageChooser => {
            let bytes = language_chooser(input).into_bytes();
            return Ok(Rendering { path: "index.html".into(), bytes, template: String::new(), lang: String::new() });
        }
    };
    if !tera.contains_template(&template) {
        return Err(Diagnostic::new(
            &asked_by,
            1,
            1,
            format!("template `{template}` not found: add templates/{template} or pick a template the theme has"),
        ));
    }
    let mut ctx = ctx;
    ctx.insert("__job", &number);
    let html = tera.render(&template, &ctx).map_err(|e| input.templates.diagnostic(&e, &template))?;
    let mut path = urls::output_path(config, &url);
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let lang = ctx.get("lang").and_then(|l| l.as_str()).unwrap_or_default().to_string();
    Ok(Rendering { path, bytes: html.into_bytes(), template, lang })
}

/// `/index.html` when every language lives in a subfolder: sends the visitor to the first of
/// their browser's languages the site has, and lists every language for readers without JS.
fn language_chooser(input: &RenderInput) -> String {
    let config = &input.site.config;
    let mut links = String::new();
    let mut table = Vec::new();
    for l in &config.languages {
        let url = config.language_root(&l.code);
        links.push_str(&format!(
            "<li><a href=\"{url}\" hreflang=\"{code}\" lang=\"{code}\" dir=\"{dir}\">{name}</a></li>\n",
            code = l.code,
            dir = input.directions.of(&l.code).as_str(),
            name = crate::escape::html(&l.name),
        ));
        table.push(format!("{:?}:{:?}", l.code, url));
    }
    let default_url = config.language_root(&config.default_language);
    let mut alternates = String::new();
    for l in &config.languages {
        alternates.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
            l.code,
            config.absolute(&config.language_root(&l.code))
        ));
    }
    alternates.push_str(&format!(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">\n",
        config.absolute(&config.base_path())
    ));
    format!(
        r#"<!doctype html>
<html lang="{default}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{alternates}<script>
(function () {{
  var sites = {{{table}}};
  var wanted = (navigator.languages || [navigator.language || ""]);
  for (var i = 0; i < wanted.length; i++) {{
    var code = String(wanted[i]).toLowerCase();
    var base = code.split("-")[0];
    if (sites[code]) {{ location.replace(sites[code]); return; }}
    if (sites[base]) {{ location.replace(sites[base]); return; }}
  }}
  location.replace("{default_url}");
}})();
</script>
</head>
<body>
<main>
<ul>
{links}</ul>
</main>
</body>
</html>
"#,
        default = config.default_language,
        title = crate::escape::html(&config.title),
        table = table.join(","),
    )
}

fn fallback_404(lang: &str, dir: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>\n"
    )
}

/// Switcher entries for pages that exist in every language (home, taxonomy lists, 404).
fn language_roots(input: &RenderInput, current: &str, taxonomy: &str) -> Vec<views::TranslationView> {
    let config = &input.site.config;
    let urls: Vec<(String, String)> = config
        .languages
        .iter()
        .map(|l| {
            let root = config.language_root(&l.code);
            let url = if taxonomy.is_empty() { root } else { format!("{root}{}/", slugify(taxonomy, &l.code)) };
            (l.code.clone(), url)
        })
        .collect();
    let existing: BTreeMap<&str, &str> = urls.iter().map(|(l, u)| (l.as_str(), u.as_str())).collect();
    views::translations(config, current, &existing, &|_| None)
}

fn pick(tera: &tera::Tera, names: &[&str]) -> String {
    names.iter().find(|n| tera.contains_template(n)).unwrap_or(&names[names.len() - 1]).to_string()
}

/// Compiles the templates with every function and filter they may call. Without UI strings
/// (`localizer` is `None`: their files are broken) `t()` is a placeholder, so template errors
/// still show in the same run.
pub fn compile(
    templates: &TemplateSources,
    localizer: Option<&Arc<crate::i18n::Localizer>>,
    assets: &assets::Assets,
) -> Result<tera::Tera, Diagnostics> {
    templates.compile(&|tera| {
        register_placeholders(tera);
        assets.register(tera);
        match localizer {
            Some(l) => crate::i18n::register(tera, l.clone()),
            None => crate::i18n::register_placeholders(tera),
        }
    })
}

/// Names of the functions [`register_functions`] provides, registered as placeholders so
/// templates compile before the site is loaded.
pub fn register_placeholders(tera: &mut tera::Tera) {
    for name in ["get_section", "get_page", "get_url", "get_taxonomy"] {
        tera.register_function(name, |_: Kwargs, _: &State| -> TeraResult<Value> { Ok(Value::none()) });
    }
}

/// Template functions that read the site: `get_section`, `get_page`, `get_url`, `get_taxonomy`.
fn register_functions(tera: &mut tera::Tera, site: &Site, shared: &Arc<Shared>) {
    let lang_of = |kwargs: &Kwargs, state: &State| -> TeraResult<String> {
        match kwargs.get::<String>("lang")? {
            Some(l) => Ok(l),
            None => Ok(state.get::<String>("lang")?.unwrap_or_default()),
        }
    };

    let section_index: BTreeMap<(String, String), usize> =
        site.sections.iter().enumerate().map(|(i, s)| ((s.content_path.clone(), s.lang.clone()), i)).collect();
    let section_pages: Vec<Vec<usize>> = site.sections.iter().map(|s| s.pages.clone()).collect();
    {
        let shared = shared.clone();
        let section_index = section_index.clone();
        tera.register_function("get_section", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<String>("path")?;
            let path = path.trim_start_matches("@/").trim_end_matches("_index.md").trim_matches('/').to_string();
            let lang = lang_of(&kwargs, state)?;
            let limit = kwargs.get::<usize>("limit")?.unwrap_or(usize::MAX);
            let Some(&i) = section_index.get(&(path.clone(), lang.clone())) else {
                return Ok(Value::none());
            };
            let read = section_pages[i].iter().take(limit).copied();
            shared.record(state, read.clone());
            let pages: Vec<Value> = read.map(|p| shared.page(p)).collect();
            let mut m = shared.sections[i].as_map().cloned().unwrap_or_default();
            m.insert("pages".into(), pages.into());
            Ok(Value::from(m))
        });
    }
    let page_index: BTreeMap<(String, String), usize> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            [((p.content_path.clone(), p.lang.clone()), i), ((format!("key:{}", p.translation_key), p.lang.clone()), i)]
        })
        .collect();
    {
        let shared = shared.clone();
        tera.register_function("get_page", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<String>("path")?;
            let path = path.trim_start_matches("@/").trim_end_matches(".md").to_string();
            let lang = lang_of(&kwargs, state)?;
            Ok(match page_index.get(&(path, lang)) {
                Some(&i) => {
                    shared.record(state, [i]);
                    shared.page(i)
                }
                None => Value::none(),
            })
        });
    }
    {
        let base_path = site.config.base_path();
        let roots: BTreeMap<String, String> =
            site.config.languages.iter().map(|l| (l.code.clone(), site.config.language_root(&l.code))).collect();
        tera.register_function("get_url", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<String>("path")?;
            let lang = lang_of(&kwargs, state)?;
            let relative = path.trim_start_matches('/');
            Ok(match roots.get(&lang) {
                Some(root) if kwargs.get::<bool>("localized")?.unwrap_or(false) => format!("{root}{relative}"),
                _ => format!("{base_path}{relative}"),
            })
        });
    }
    {
        let shared = shared.clone();
        tera.register_function("get_taxonomy", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let kind = kwargs.must_get::<String>("kind")?;
            let lang = lang_of(&kwargs, state)?;
            let limit = kwargs.get::<usize>("limit")?.unwrap_or(usize::MAX);
            let Some(terms) = shared.taxonomies.get(&(lang, kind)) else { return Ok(Value::none()) };
            let list: Vec<Value> = terms
                .values()
                .map(|t| {
                    shared.record(state, t.pages.iter().take(limit).copied());
                    let pages: Vec<Value> = t.pages.iter().take(limit).map(|&i| shared.page(i)).collect();
                    map(vec![
                        ("name", t.name.as_str().into()),
                        ("slug", t.slug.as_str().into()),
                        ("url", t.url.as_str().into()),
                        ("count", t.pages.len().into()),
                        ("pages", pages.into()),
                    ])
                })
                .collect();
            Ok(list.into())
        });
    }
}
