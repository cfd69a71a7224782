//! The orchestrator: one linear pipeline that `tessera build`, `tessera check` and
//! `tessera serve` all run. Only `build` writes to disk, through [`crate::output`];
//! [`Session`] keeps a built site in memory and brings it up to date after edits.

mod changes;
mod reuse;
mod session;

pub use reuse::{Renders, Reuse};
pub use session::{Session, Update, UpdateKind};

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions, Site, links::Links};
use crate::diagnostics::Diagnostics;
use crate::i18n::Localizer;
use crate::images::Images;
use crate::markdown::{self, Rendered};
use crate::output::plan::{Origin, Plan};
use crate::output::{Output, Spool};
use crate::render::{self, RenderInput, assets::Assets, templates::TemplateSources};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The result of a successful build, before anything is written.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<String>,
    pub templates: TemplateSources,
    pub localizer: Arc<Localizer>,
    /// How many images this build processed and how many it found in the cache.
    pub images: crate::images::Stats,
    /// Which languages' search indexes were made again and which were reused.
    pub search: crate::search::Stats,
    /// What this build leaves for the next one into the same folder (not kept when serving).
    pub renders: Option<Renders>,
    /// Outputs rendered this time; the others were taken from the last build's output.
    pub rendered: usize,
}

/// A finished build and the intermediate results an incremental update reuses.
struct Pipeline {
    built: Built,
    /// The search index being made, when the build leaves it to its caller.
    indexing: Option<crate::search::Indexing>,
    pages_md: Vec<Rendered>,
    sections_md: Vec<Rendered>,
    renderer: render::Renderer,
    assets: Assets,
    links: Links,
    images: Arc<Images>,
}

/// Runs every stage on the site in `root`; returns every problem found when any stage fails.
pub fn build_site(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Built, Diagnostics> {
    Session::start(root, base_url, drafts).map(|s| s.built)
}

/// Builds the site in `root`, rendering again only what page edits since the last build into
/// the same folder can have changed, when `reuse` allows (see [`reuse`]). Rendered pages go to
/// `spool` as they are made. The search index, when the site has one, is left to the caller,
/// which writes it after the rest ([`crate::output::Later`]); it is being made on a thread of
/// its own from the moment the pages are rendered.
pub fn build_site_reusing(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    reuse: Option<&Reuse>,
    spool: &Spool,
) -> Result<(Built, Option<crate::search::Indexing>), Diagnostics> {
    let how = How { live: false, spool: Some(spool), search: false };
    let Pipeline { built, indexing, pages_md, sections_md, renderer, assets, links, images } =
        run(root, base_url, drafts, how, reuse)?;
    // What only an incremental session needs is freed while the caller writes the site.
    std::thread::spawn(move || drop((pages_md, sections_md, renderer, assets, links, images)));
    Ok((built, indexing))
}

/// How a build runs: for the dev server (`live`: asset names stay, search indexing is left
/// for later), whether rendered pages go to a spool on disk instead of memory, and whether it
/// makes the search index (when the site has one) or starts it and leaves it to the caller.
#[derive(Clone, Copy)]
struct How<'a> {
    live: bool,
    spool: Option<&'a Spool>,
    search: bool,
}

/// config → i18n → templates and assets → content → markdown → render → static → search.
/// Each stage reports all its problems; the site renders only when no stage found any.
/// With `reuse`, outputs that read no page edited since the last build are taken from its
/// output folder instead of being rendered and checked again.
fn run(root: &Path, base_url: Option<&str>, drafts: bool, how: How, reuse: Option<&Reuse>) -> Result<Pipeline, Diagnostics> {
    let live = how.live;
    crate::timings::mark("build starts");
    let mut config = SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let mut errors = Diagnostics::default();
    let images = Arc::new(Images::new(root, &config));
    let localizer = Localizer::for_site(root, &config).map_err(|e| errors.extend(e)).ok();
    let templates = TemplateSources::load(root, config.theme.as_deref()).map_err(|e| errors.extend(e)).ok();
    let assets = Assets::build(root, &config, !live).map_err(|e| errors.extend(e)).unwrap_or_default();
    let tera = templates
        .as_ref()
        .and_then(|t| render::compile(t, localizer.as_ref(), &assets, &images).map_err(|e| errors.extend(e)).ok());
    crate::timings::mark("config, templates, assets");

    let known = reuse.map(|r| r.known.clone());
    let (mut site, content_errors) = content::load(root, config, &LoadOptions { drafts, known });
    errors.extend(content_errors);
    crate::timings::mark("content loaded");
    if site.config.base_path() != "/" {
        site.warnings.push(format!(
            "site.yaml: warning: with base_url {}, robots.txt is written at {}robots.txt, where crawlers do not look: copy its `Sitemap:` line into the robots.txt at the host's root",
            site.config.base_url,
            site.config.base_path()
        ));
    }
    if let Some(templates) = &templates {
        templates.check_asked_for(&site, &mut errors);
    }
    let mut statics = Output::default();
    crate::output::collect_static(root, &site.config, &mut statics);
    let planned = plan(&site, &statics, &assets).map_err(|e| errors.extend(e)).unwrap_or_default();
    let links = Links::new(&site);
    let jobs = render::jobs::all(&site);
    let outputs = render::output_files(&site, &jobs);
    // Every page's place, for the next build (and for this one, to compare with the last).
    let places = if live { vec![] } else { reuse::places(&site) };
    let selection = reuse.and_then(|r| r.select(&site, &places, &outputs));
    // With a selection, only the pages its jobs or the feeds show, and those with images.
    let needed = selection.as_ref().zip(reuse).map(|(s, r)| r.needed(&site, s));
    // Pages loaded as the last build read them get their bodies now, where they are rendered.
    let unread = (0..site.pages.len()).filter(|i| needed.as_ref().is_none_or(|n| n.contains(i)));
    if let Err(e) = content::read_bodies(&mut site, unread.collect::<Vec<_>>()) {
        errors.extend(e);
    }
    let media = markdown::Media { images: &images, shortcodes: tera.as_ref().zip(templates.as_ref()) };
    let (mut pages_md, sections_md) = render_markdown(&site, &links, &media, needed.as_ref(), &mut errors);
    crate::timings::mark("markdown");
    // A build that writes the site reads no page's Markdown again; the server and `check` keep it.
    if how.spool.is_some() {
        site.pages.iter_mut().for_each(|page| page.body = String::new());
    }

    let (Some(templates), Some(tera), Some(localizer)) = (templates, tera.filter(|_| errors.is_empty()), localizer) else {
        return Err(errors.sorted());
    };
    let directions = localizer.directions();
    // The values take the pages' HTML bodies: feeds and the link check read them there.
    let mut renderer = render::Renderer::new(tera, &site, &mut pages_md, &sections_md, &directions, jobs, needed.as_ref());
    let input =
        RenderInput { site: &site, pages: &pages_md, sections: &sections_md, templates: &templates, directions: &directions };
    // A selection renders few outputs: they stay in memory, and the link check knows them as the
    // output's files.
    let mut output = renderer.render(&input, selection.as_ref(), how.spool.filter(|_| selection.is_none()))?;
    crate::timings::mark("rendered");
    if renderer.missed() {
        return run(root, base_url, drafts, how, None);
    }
    let rendered = selection.as_ref().map_or(outputs.len(), |s| s.jobs.len());
    if let Some(file) = render::root_not_found(&site, &output) {
        output.add(vec![file]);
    }
    output.copies.extend(statics.copies);
    // Photos published as they are (bundle files, static/) go out without their metadata.
    for source in output.copies.values_mut() {
        *source = images.published_copy(source);
    }
    output.copies.extend(images.files());
    output.add(assets.files.clone().into_iter().collect());
    if let Some((selection, reuse)) = selection.as_ref().zip(reuse)
        && !reuse.keep_unmade(&outputs, selection, &planned, &mut output)
    {
        return run(root, base_url, drafts, how, None);
    }
    let mut search = crate::search::Stats::default();
    if how.search && !live && site.config.search {
        let (files, stats) = crate::search::index(root, &site.config, &output)?;
        output.add(files);
        search = stats;
    }
    let mut renders = None;
    let mut indexing = None;
    if !live {
        let checked: HashSet<&str> = output.files.keys().map(String::as_str).collect();
        let checked_scope = match reuse.filter(|_| selection.is_some()) {
            Some(reuse) => crate::linkcheck::Scope::Only { pages: &checked, fragments: reuse.renders.fragments() },
            None => crate::linkcheck::Scope::All,
        };
        // A search index left to the caller is planned while the links are checked, and made
        // from then on.
        let index_later = !how.search && site.config.search;
        let (report, plan) = std::thread::scope(|scope| {
            let plan = index_later.then(|| scope.spawn(|| crate::search::plan(Some(root), &site.config, &output).into_owned()));
            let report = check_links(&input, &renderer, &output, &planned, checked_scope, how.search);
            (report, plan.map(|p| p.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
        });
        if report.stale {
            return run(root, base_url, drafts, how, None);
        }
        report.errors.into_result(())?;
        crate::timings::mark("links checked, search planned");
        indexing = plan.map(crate::search::Indexing::start);
        let images_in_templates = images.used_by_templates();
        let media = pages_md.iter().enumerate().filter(|(_, r)| r.images).map(|(i, _)| i as u32).collect();
        renders = Some(Renders::new(places, outputs, renderer.reads.clone(), report.fragments, media, images_in_templates));
    }
    let warnings = site.warnings.iter().cloned().chain(localizer.warnings()).collect();
    let built = Built { site, output, warnings, templates, localizer, images: images.stats(), search, renders, rendered };
    Ok(Pipeline { built, indexing, pages_md, sections_md, renderer, assets, links, images })
}

/// Every file the build will write with the input behind it: a collision or a name no file
/// system takes is an error before anything is rendered.
fn plan(site: &Site, statics: &Output, assets: &Assets) -> Result<BTreeMap<String, Origin>, Diagnostics> {
    let mut plan = Plan::new(&site.root);
    let jobs = render::jobs::all(site);
    render::plan(site, &jobs, &mut plan);
    let asset_files: Vec<String> = assets.files.keys().cloned().collect();
    crate::output::plan_static(&site.root, &statics.copies, &asset_files, &mut plan);
    plan.reserve(&format!("{}/", crate::images::OUTPUT_DIR), Origin::new(crate::config::CONFIG_FILE, 0, "resized images"));
    if site.config.search {
        plan.reserve(&format!("{}/", crate::search::BUNDLE_DIR), Origin::new(crate::config::CONFIG_FILE, 0, "the search index"));
    }
    plan.finish()
}

/// The link check over the rendered site, each output named by its source and template; with
/// `search` false, the search index is made beside it and after it.
fn check_links(
    input: &RenderInput,
    renderer: &render::Renderer,
    output: &Output,
    planned: &BTreeMap<String, Origin>,
    scope: crate::linkcheck::Scope,
    search: bool,
) -> crate::linkcheck::Report {
    let mut sources: HashMap<&str, crate::linkcheck::Source> = planned
        .iter()
        .map(|(path, origin)| (path.as_str(), crate::linkcheck::Source { origin, template: None, content_html: None }))
        .collect();
    let outputs = renderer.outputs(input.site);
    // Pages' bodies are held by their values alone (see `run`): read there, not copied.
    let pages = renderer.values().pages.read().unwrap_or_else(|e| e.into_inner());
    for (path, template, body) in &outputs {
        if let Some(source) = sources.get_mut(path.as_str()) {
            source.template = Some(template);
            source.content_html = body.map(|b| match b {
                render::Body::Page(i) => render::views::content(&pages[i]).unwrap_or_default(),
                render::Body::Section(i) => input.sections[i].html.as_str(),
            });
        }
    }
    // A build that leaves the search index to its caller writes the index's scripts all the same.
    // Known here, not in the check's rayon workers: making them runs Pagefind, which uses that pool.
    let config = &input.site.config;
    let fixed = (!search && config.search).then(crate::search::fixed_files);
    let later = |path: &str| fixed.is_some_and(|files| files.contains(path));
    crate::linkcheck::check(&input.site.root, config, output, &later, &sources, &input.templates.files, scope)
}

/// Every page's and section's Markdown, rendered in parallel; of the pages, only those in
/// `needed` when given (the others are left empty).
fn render_markdown(
    site: &Site,
    links: &Links,
    media: &markdown::Media,
    needed: Option<&HashSet<usize>>,
    errors: &mut Diagnostics,
) -> (Vec<Rendered>, Vec<Rendered>) {
    let wanted: Vec<usize> = (0..site.pages.len()).filter(|i| needed.is_none_or(|n| n.contains(i))).collect();
    let pages: Vec<markdown::Source> = wanted.iter().map(|&i| site.pages[i].markdown_source()).collect();
    let sections: Vec<markdown::Source> = site.sections.iter().map(content::Section::markdown_source).collect();
    let md = &site.config.markdown;
    let media = Some(media);
    let rendered = markdown::render_all(&pages, md, links, media, errors);
    let pages_md = match needed {
        None => rendered,
        Some(_) => {
            let mut all = vec![Rendered::default(); site.pages.len()];
            for (i, r) in wanted.into_iter().zip(rendered) {
                all[i] = r;
            }
            all
        }
    };
    (pages_md, markdown::render_all(&sections, md, links, media, errors))
}
