//! Render: turns the site model and the rendered Markdown into output files (path -> bytes)
//! with Tera templates. Every page, listing page and taxonomy page is an independent job run in
//! parallel; nothing here touches the output folder.
//!
//! `jobs` lists the outputs and their language versions, `views` builds the values templates
//! read, `functions` the template functions, `contexts` renders one job; feeds, sitemaps,
//! aliases and assets are written from the site model.

pub mod aliases;
pub mod assets;
mod chooser;
mod contexts;
pub mod feeds;
mod functions;
pub mod jobs;
pub mod metadata;
pub mod sitemap;
pub mod templates;
pub mod views;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::output::plan::{Origin, Plan};
use crate::output::{Files, Output};
use crate::urls;
use jobs::Job;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use templates::TemplateSources;
use views::SiteValues;

pub use functions::register_placeholders;

/// The inputs of the render stage.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub pages: &'a [Rendered],
    pub sections: &'a [Rendered],
    pub templates: &'a TemplateSources,
    pub directions: &'a crate::i18n::Directions,
}

/// The Markdown body an output shows: a page's or a section's.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    Page(usize),
    Section(usize),
}

/// Renders jobs and remembers which pages each job read, so that an edited page re-renders
/// exactly the outputs it appears in.
pub struct Renderer {
    tera: tera::Tera,
    values: Arc<SiteValues>,
    pub jobs: Vec<Job>,
    /// Per job: its template and language, to find the jobs a template or locale edit touches.
    job_templates: Vec<(String, String)>,
    /// Per job: the pages it read.
    pub reads: Vec<Vec<u32>>,
}

/// The jobs a build renders again, the others being as the last build rendered them.
pub struct Selection<'a> {
    /// Job numbers, ascending.
    pub jobs: Vec<usize>,
    /// The pages each job read in the last build.
    pub reads: &'a [Vec<u32>],
}

impl Renderer {
    /// Prepares the values the templates of `jobs` see from the site, its pages' Markdown (whose
    /// HTML bodies the values take) and its sections'; `tera` holds the compiled templates.
    /// With `only`, only those pages' values are made: see [`Renderer::missed`].
    pub fn new(
        mut tera: tera::Tera,
        site: &Site,
        pages: &mut [Rendered],
        sections: &[Rendered],
        directions: &crate::i18n::Directions,
        jobs: Vec<Job>,
        only: Option<&std::collections::HashSet<usize>>,
    ) -> Renderer {
        let values = Arc::new(SiteValues::new(site, pages, sections, directions, only));
        functions::register(&mut tera, site, &values);
        Renderer { tera, values, jobs, job_templates: vec![], reads: vec![] }
    }

    /// A selected job read a page it did not read in the last build, whose value was not made:
    /// its output may be wrong, and only a render of every job is right.
    pub fn missed(&self) -> bool {
        self.values.missed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The values the templates see: every page's HTML body among them.
    pub fn values(&self) -> &SiteValues {
        &self.values
    }

    /// The compiled templates, shortcodes included.
    pub fn tera(&self) -> &tera::Tera {
        &self.tera
    }

    /// Renders the selected jobs (every job without a selection), and the feeds, sitemaps and
    /// redirects, which read the whole site (with a selection, the feeds only). Jobs left out
    /// write nothing here; their templates are unknown (empty). With a `spool`, each job's
    /// output goes there as soon as it is rendered and the output keeps only its place.
    pub fn render(
        &mut self,
        input: &RenderInput,
        selection: Option<&Selection>,
        spool: Option<&crate::output::Spool>,
    ) -> Result<Output, Diagnostics> {
        let selected: Vec<usize> = match selection {
            Some(s) => s.jobs.clone(),
            None => (0..self.jobs.len()).collect(),
        };
        let (files, templates) = self.render_jobs(input, &selected, spool)?;
        self.job_templates = vec![Default::default(); self.jobs.len()];
        self.reads = match selection {
            Some(s) => s.reads.to_vec(),
            None => vec![vec![]; self.jobs.len()],
        };
        self.note_reads(input.site, &selected);
        for (j, template) in selected.into_iter().zip(templates) {
            self.job_templates[j] = template;
        }
        let mut output = Output::default();
        for (path, made) in files {
            match made {
                Made::Bytes(bytes) => {
                    output.files.insert(path, crate::output::Bytes::new(bytes));
                }
                Made::Spooled(kept) => {
                    output.kept.insert(path, kept);
                }
            }
        }
        for page in &input.site.pages {
            for asset in &page.assets {
                if let Some(name) = asset.file_name() {
                    let path = format!("{}{}", urls::output_path(&input.site.config, &page.url), name.to_string_lossy());
                    output.copies.insert(path, asset.clone());
                }
            }
        }
        // Feeds print pages' text. Sitemaps, robots.txt and alias redirects read only the site's
        // layout, which is as the last build found it when there is a selection: its files stay.
        // With a spool, they go there too (a large site's sitemaps are tens of megabytes).
        let mut errors = Diagnostics::default();
        put(&mut output, feeds::render(input.site, &self.values), spool, &mut errors);
        if selection.is_none() {
            put(&mut output, sitemap::render(input.site, &self.jobs), spool, &mut errors);
            output.add(aliases::render(input.site));
            output.add(aliases::redirects(input.site));
        }
        errors.into_result(output)
    }

    /// Every output the jobs wrote with its template and the Markdown body it shows.
    pub fn outputs<'a>(&'a self, site: &Site) -> Vec<(String, &'a str, Option<Body>)> {
        let config = &site.config;
        self.jobs
            .iter()
            .zip(&self.job_templates)
            .map(|(job, (template, _))| {
                let body = match job {
                    Job::Page { page } => Some(Body::Page(*page)),
                    Job::Section { section, .. } => Some(Body::Section(*section)),
                    _ => None,
                };
                (urls::output_file(config, &jobs::url(site, job)), template.as_str(), body)
            })
            .collect()
    }

    /// Replaces page `i`'s value (its content changed, not its place in the site) and renders
    /// again every output that read it or one of the pages in `moved`.
    pub fn patch_page(
        &mut self,
        input: &RenderInput,
        i: usize,
        rendered: &Rendered,
        moved: &HashSet<u32>,
    ) -> Result<Files, Diagnostics> {
        let value = views::page_value(input.site, i, rendered, &views::Shared::default());
        self.values.pages.write().unwrap_or_else(|e| e.into_inner())[i] = value;
        self.values.refresh_stand_ins(input.site, i, input.directions);
        let shows = |p: &u32| *p == i as u32 || moved.contains(p);
        let jobs: Vec<usize> = (0..self.jobs.len()).filter(|&j| self.reads[j].iter().any(shows)).collect();
        let (files, _) = self.render_jobs(input, &jobs, None)?;
        self.note_reads(input.site, &jobs);
        Ok(in_memory(files))
    }

    /// Records which pages the `rendered` jobs read this time: those their templates asked for
    /// and those their listing shows.
    fn note_reads(&mut self, site: &Site, rendered: &[usize]) {
        let mut fresh = std::mem::take(&mut *self.values.reads.lock().unwrap_or_else(|e| e.into_inner()));
        for &j in rendered {
            let mut read: BTreeSet<usize> = fresh.remove(&j).unwrap_or_default();
            read.extend(jobs::reads(site, &self.jobs[j]));
            self.reads[j] = read.into_iter().map(|p| p as u32).collect();
        }
    }

    /// Follows the site's pages after one moved ([`crate::content::reorder`]): the jobs, what
    /// each read, the pages' values and the listings template functions show.
    pub fn reorder(&mut self, site: &Site, shift: crate::content::Shift) {
        let pages = site.pages.len();
        self.jobs.iter_mut().for_each(|job| job.renumber(shift));
        // Page jobs come first, one per page in the site's order.
        shift.apply(&mut self.jobs[..pages]);
        shift.apply(&mut self.job_templates[..pages]);
        shift.apply(&mut self.reads[..pages]);
        debug_assert!(self.jobs == jobs::all(site), "the jobs after a page moved are a fresh build's");
        for read in &mut self.reads {
            read.iter_mut().for_each(|p| *p = shift.index(*p as usize) as u32);
            read.sort_unstable();
        }
        shift.apply(&mut self.values.pages.write().unwrap_or_else(|e| e.into_inner()));
        let mut stand_ins = self.values.stand_ins.write().unwrap_or_else(|e| e.into_inner());
        *stand_ins = std::mem::take(&mut *stand_ins).into_iter().map(|((p, lang), m)| ((shift.index(p), lang), m)).collect();
        drop(stand_ins);
        let mut paths = self.values.paths.write().unwrap_or_else(|e| e.into_inner());
        paths.values_mut().for_each(|p| *p = shift.index(*p));
        drop(paths);
        functions::register(&mut self.tera, site, &self.values);
    }

    /// Swaps in a recompiled Tera (a template or locale edit) and renders the jobs `select`
    /// picks by (template, language).
    pub fn rerender(
        &mut self,
        mut tera: tera::Tera,
        input: &RenderInput,
        select: &dyn Fn(&str, &str) -> bool,
    ) -> Result<Files, Diagnostics> {
        functions::register(&mut tera, input.site, &self.values);
        self.tera = tera;
        let jobs: Vec<usize> = self.job_templates.iter().enumerate().filter(|(_, (t, l))| select(t, l)).map(|(j, _)| j).collect();
        let (files, _) = self.render_jobs(input, &jobs, None)?;
        self.note_reads(input.site, &jobs);
        Ok(in_memory(files))
    }

    /// Renders `jobs` in parallel: each output with its template and language.
    #[allow(clippy::type_complexity)]
    fn render_jobs(
        &self,
        input: &RenderInput,
        jobs: &[usize],
        spool: Option<&crate::output::Spool>,
    ) -> Result<(Vec<(String, Made)>, Vec<(String, String)>), Diagnostics> {
        let results: Vec<Result<(contexts::Rendering, Made), Diagnostic>> = jobs
            .par_iter()
            .map(|&j| {
                let mut r = contexts::render(&self.tera, input, &self.values, j, &self.jobs[j])?;
                let bytes = std::mem::take(&mut r.bytes);
                let made = match spool {
                    None => Made::Bytes(bytes),
                    Some(spool) => Made::Spooled(spool.put(&r.path, &bytes).map_err(|e| unspooled(spool, &r.path, e))?),
                };
                Ok((r, made))
            })
            .collect();
        let mut files = Vec::with_capacity(results.len());
        let mut templates = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok((r, made)) => {
                    files.push((r.path, made));
                    templates.push((r.template, r.lang));
                }
                Err(d) => errors.push(d),
            }
        }
        errors.into_result((files, templates))
    }
}

/// Adds `files` to `output`, each put in `spool` when there is one (the output then keeps its
/// place, not its bytes).
fn put(output: &mut Output, files: Files, spool: Option<&crate::output::Spool>, errors: &mut Diagnostics) {
    let Some(spool) = spool else { return output.add(files) };
    for (path, bytes) in files {
        match spool.put(&path, &bytes) {
            Ok(kept) => {
                output.files.remove(&path);
                output.kept.insert(path, kept);
            }
            Err(e) => errors.push(unspooled(spool, &path, e)),
        }
    }
}

/// The error of an output `path` the spool could not take.
fn unspooled(spool: &crate::output::Spool, path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::whole_file(path, format!("cannot write this file to {}: {e}", spool.dir().display()))
}

/// A rendered output: its bytes, or where the spool put them.
enum Made {
    Bytes(Vec<u8>),
    Spooled(crate::output::Kept),
}

/// Outputs rendered without a spool, as files.
fn in_memory(made: Vec<(String, Made)>) -> Files {
    made.into_iter()
        .filter_map(|(path, made)| match made {
            Made::Bytes(bytes) => Some((path, bytes)),
            Made::Spooled(_) => None,
        })
        .collect()
}

/// Every job's output file, in job order.
pub fn output_files(site: &Site, jobs: &[Job]) -> Vec<String> {
    jobs.iter().map(|job| urls::output_file(&site.config, &jobs::url(site, job))).collect()
}

/// With every language in a subfolder, hosts still look for `/404.html`: the default
/// language's 404 page, also at the root.
pub fn root_not_found(site: &Site, output: &Output) -> Option<(String, Vec<u8>)> {
    let config = &site.config;
    if !config.default_language_in_subdir {
        return None;
    }
    let page = output.read(&urls::output_file(config, &urls::not_found(config, &config.default_language)))?;
    Some((urls::output_path(config, &urls::root_file(config, "404.html")), page.to_vec()))
}

/// Plans every file the render stage writes: one per job, each page bundle's files, feeds,
/// sitemaps and alias redirects.
pub fn plan(site: &Site, jobs: &[Job], plan: &mut Plan) {
    let config = &site.config;
    for job in jobs {
        let (file, what) = jobs::source(site, job);
        let origin = match job {
            Job::Page { .. } | Job::StandIn { .. } => Origin::at(file, "slug:", what),
            _ => Origin::new(file, 0, what),
        };
        plan.add(&urls::output_file(config, &jobs::url(site, job)), origin);
    }
    for page in &site.pages {
        for asset in &page.assets {
            let name = asset.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            let file = asset.strip_prefix(&site.root).unwrap_or(asset);
            let origin = Origin::new(file, 0, format!("the page bundle file {}", file.display()));
            plan.add(&format!("{}{name}", urls::output_path(config, &page.url)), origin);
        }
    }
    if config.default_language_in_subdir {
        let origin = Origin::new(crate::config::CONFIG_FILE, 0, "the root 404 page (the default language's)");
        plan.add(&urls::output_path(config, &urls::root_file(config, "404.html")), origin);
    }
    feeds::plan(site, plan);
    sitemap::plan(site, plan);
    aliases::plan(site, plan);
}

/// Compiles the templates with every function and filter they may call. Without UI strings
/// (`localizer` is `None`: their files are broken) `t()` is a placeholder, so template errors
/// still show in the same run.
pub fn compile(
    templates: &TemplateSources,
    localizer: Option<&Arc<crate::i18n::Localizer>>,
    assets: &assets::Assets,
    images: &Arc<crate::images::Images>,
) -> Result<tera::Tera, Diagnostics> {
    templates.compile(&|tera| {
        functions::register_placeholders(tera);
        functions::register_resize_image(tera, images.clone());
        assets.register(tera);
        match localizer {
            Some(l) => crate::i18n::register(tera, l.clone()),
            None => crate::i18n::register_placeholders(tera),
        }
    })
}
