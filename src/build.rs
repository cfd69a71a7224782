//! The orchestrator: config -> content -> markdown -> render -> output. `tessera build`,
//! `tessera check` and `tessera serve` all run [`build_site`]; only `build` writes to disk.

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Localizer;
use crate::markdown::{self, LinkResolver, Rendered};
use crate::render::{self, Output, RenderInput, templates::TemplateSources};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// The result of a successful build, before anything is written.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<String>,
    pub templates: TemplateSources,
    pub localizer: Arc<Localizer>,
}

/// Runs every stage on the site in `root`; returns every problem found when any stage fails.
pub fn build_site(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Built, Diagnostics> {
    Session::start(root, base_url, drafts).map(|s| s.built)
}

/// A built site kept in memory with what is needed to bring it up to date after an edit,
/// re-rendering only the outputs the edit can change. `serve --watch` lives on this.
pub struct Session {
    root: PathBuf,
    base_url: Option<String>,
    drafts: bool,
    pub built: Built,
    pages_md: Vec<Rendered>,
    sections_md: Vec<Rendered>,
    renderer: render::Renderer,
    /// Compiled Sass and fingerprinted CSS/JS, behind `asset_url`.
    assets: render::assets::Assets,
    /// Where `@/` links point; kept while edits leave URLs alone.
    links: Links,
    /// Edited files of an update that failed; tried again with the next update.
    pending: Vec<PathBuf>,
    /// Serving live: stable asset names, and the search index renewed on request
    /// ([`Session::refresh_search`]) instead of on every edit.
    live: bool,
    /// The search index does not reflect the latest edits yet.
    pub search_stale: bool,
}

/// What an update did.
#[derive(Debug, Default, Clone)]
pub struct Update {
    /// `page`, `templates`, `locales`, `static`, `full` or `none`.
    pub kind: &'static str,
    /// Outputs rendered again.
    pub rendered: usize,
    /// Output paths whose bytes changed or that are new.
    pub changed: Vec<String>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
}

impl Update {
    /// Only stylesheets changed: a browser can swap them without reloading the page.
    pub fn css_only(&self) -> bool {
        self.removed.is_empty() && !self.changed.is_empty() && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// What one edited path asks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Edit {
    Page(PathBuf),
    Templates,
    Locales(Option<String>),
    Static,
    /// Sass, CSS or JS edited while serving live.
    Assets,
    Full,
    Ignored,
}

impl Session {
    /// Builds the whole site, as `tessera build` publishes it.
    pub fn start(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Session, Diagnostics> {
        Self::start_with(root, base_url, drafts, false)
    }

    /// Builds the whole site for the live server (see [`Session::live`]); the search index is
    /// left for [`Session::refresh_search`].
    pub fn start_live(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Session, Diagnostics> {
        Self::start_with(root, base_url, drafts, true)
    }

    fn start_with(root: &Path, base_url: Option<&str>, drafts: bool, live: bool) -> Result<Session, Diagnostics> {
        let mut config = SiteConfig::load(root)?;
        if let Some(url) = base_url {
            config.base_url = url.to_string();
        }
        let mut errors = Diagnostics::default();
        let localizer = load_localizer(root, &config).map_err(|e| errors.extend(e)).ok();
        let templates = TemplateSources::load(root, config.theme.as_deref()).map_err(|e| errors.extend(e)).ok();
        let assets = render::assets::Assets::build(root, &config, !live).map_err(|e| errors.extend(e)).unwrap_or_default();
        let compiled = match (&templates, &localizer) {
            (Some(t), Some(l)) => compile(t, l, &assets).map_err(|e| errors.extend(e)).ok(),
            (Some(t), None) => compile_without_localizer(t, &assets).map_err(|e| errors.extend(e)).ok(),
            _ => None,
        };
        let (site, content_errors) = content::load(root, config, &LoadOptions { drafts });
        errors.extend(content_errors);
        if let Some(templates) = &templates {
            check_page_templates(&site, templates, &mut errors);
        }
        let links = Links::new(&site);
        let (pages_md, sections_md) = render_markdown(&site, &links, &mut errors);
        let (Some(templates), Some(tera), Some(localizer)) = (templates, compiled.filter(|_| errors.is_empty()), localizer)
        else {
            return Err(errors.sorted());
        };
        let direction = direction_of(&localizer);
        let input =
            RenderInput { site: &site, pages: &pages_md, sections: &sections_md, templates: &templates, direction: &direction };
        let mut renderer = render::Renderer::new(tera, &input)?;
        let mut output = renderer.render_all(&input)?;
        copy_static(root, &site.config, &mut output);
        output.files.extend(assets.files.clone());
        if !live && site.config.search {
            output.files.extend(crate::search::index(&site.config, &output)?);
        }
        let warnings = localizer.warnings();
        let site_search = site.config.search;
        Ok(Session {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            drafts,
            built: Built { site, output, warnings, templates, localizer },
            pages_md,
            sections_md,
            renderer,
            assets,
            links,
            pending: vec![],
            search_stale: live && site_search,
            live,
        })
    }

    /// Brings the site up to date after `paths` (absolute or relative to the root) changed on
    /// disk. On failure the previous site stays as it was and the paths are retried next time.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Update, Diagnostics> {
        let mut all = std::mem::take(&mut self.pending);
        all.extend(paths.iter().map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf()));
        all.sort();
        all.dedup();
        let result = self.apply(&all);
        if result.is_err() {
            self.pending = all;
        }
        result
    }

    fn apply(&mut self, paths: &[PathBuf]) -> Result<Update, Diagnostics> {
        let theme = self.built.site.config.theme.clone();
        let mut edits: Vec<Edit> = paths
            .iter()
            .map(|p| match classify(p, theme.as_deref(), self.live) {
                // A file that came and went (an editor's or tool's temporary file) changes nothing.
                Edit::Full
                    if p.starts_with(content::CONTENT_DIR)
                        && !self.root.join(p).exists()
                        && !self.built.output.copies.values().any(|s| s.ends_with(p)) =>
                {
                    Edit::Ignored
                }
                edit => edit,
            })
            .collect();
        edits.retain(|e| *e != Edit::Ignored);
        edits.sort();
        edits.dedup();
        if edits.is_empty() {
            return Ok(Update { kind: "none", ..Update::default() });
        }
        if edits.contains(&Edit::Full) {
            return self.rebuild();
        }
        let mut update = Update { kind: "page", ..Update::default() };
        let mut files = Vec::new();
        let mut patched = Vec::new();
        for edit in &edits {
            match edit {
                Edit::Page(path) => match self.patch_page(path)? {
                    Some((i, f)) => {
                        patched.push(i);
                        files.extend(f);
                    }
                    None => return self.rebuild(),
                },
                Edit::Templates => {
                    update.kind = "templates";
                    match self.reload_templates()? {
                        Some(f) => files.extend(f),
                        None => return self.rebuild(),
                    }
                }
                Edit::Locales(lang) => {
                    update.kind = "locales";
                    files.extend(self.reload_locales(lang.as_deref())?);
                }
                Edit::Static => {
                    update.kind = "static";
                    let mut output = std::mem::take(&mut self.built.output);
                    let before = output.copies.clone();
                    output.copies.retain(|_, source| !is_static_source(&self.root, source));
                    copy_static(&self.root, &self.built.site.config, &mut output);
                    for (path, source) in &output.copies {
                        if before.get(path) != Some(source) || paths.iter().any(|p| self.root.join(p) == *source) {
                            update.changed.push(path.clone());
                        }
                    }
                    update.removed.extend(before.keys().filter(|p| !output.copies.contains_key(*p)).cloned());
                    self.built.output = output;
                }
                Edit::Assets => {
                    update.kind = "assets";
                    let assets = render::assets::Assets::build(&self.root, &self.built.site.config, false)?;
                    if assets.urls != self.assets.urls {
                        return self.rebuild();
                    }
                    for (path, bytes) in &assets.files {
                        if self.built.output.files.get(path) != Some(bytes) {
                            update.changed.push(path.clone());
                            self.built.output.files.insert(path.clone(), bytes.clone());
                        }
                    }
                    self.assets = assets;
                }
                Edit::Full | Edit::Ignored => {}
            }
        }
        update.rendered = files.len();
        let pages_changed = !files.is_empty();
        self.merge_files(files, &mut update);
        if !patched.is_empty() {
            self.refresh_feeds(&patched, &mut update);
        }
        if pages_changed {
            self.refresh_or_mark_search(&mut update)?;
        }
        self.built.warnings = self.built.localizer.warnings();
        Ok(update)
    }

    /// Renews the feeds the patched pages appear in: their language's and their terms'.
    fn refresh_feeds(&mut self, patched: &[usize], update: &mut Update) {
        let pages: Vec<&content::Page> = patched.iter().map(|&i| &self.built.site.pages[i]).collect();
        let select = |lang: &str, term: Option<(&str, &str)>| {
            pages.iter().any(|p| {
                p.lang == lang
                    && term.is_none_or(|(taxonomy, slug)| {
                        p.front
                            .taxonomies
                            .get(taxonomy)
                            .is_some_and(|terms| terms.iter().any(|t| content::slug::slugify(t, lang) == slug))
                    })
            })
        };
        let fresh = render::feeds::render(&self.built.site, &self.pages_md, self.renderer.taxonomies(), &select);
        self.merge_files(fresh, update);
    }

    /// The search index reads every page: renewed now when building, marked stale when live.
    fn refresh_or_mark_search(&mut self, update: &mut Update) -> Result<(), Diagnostics> {
        if !self.built.site.config.search {
            return Ok(());
        }
        if self.live {
            self.search_stale = true;
            return Ok(());
        }
        let changed = self.refresh_search()?;
        update.changed.extend(changed.changed);
        update.removed.extend(changed.removed);
        Ok(())
    }

    /// Puts generated files into the output, noting those whose bytes changed.
    fn merge_files(&mut self, files: render::Files, update: &mut Update) {
        for (path, bytes) in files {
            if self.built.output.files.get(&path) != Some(&bytes) {
                update.changed.push(path.clone());
                self.built.output.files.insert(path, bytes);
            }
        }
    }

    /// Indexes the current pages for search again (slow on a large site: the live server calls
    /// it once edits pause).
    pub fn refresh_search(&mut self) -> Result<Update, Diagnostics> {
        let fresh = crate::search::index(&self.built.site.config, &self.built.output)?;
        Ok(self.replace_search(fresh))
    }

    /// Puts a search bundle built from [`crate::search::pages`] of this site into the output.
    pub fn replace_search(&mut self, fresh: render::Files) -> Update {
        let mut update = Update { kind: "search", ..Update::default() };
        let bundle = format!("{}/", crate::search::BUNDLE_DIR);
        let old: Vec<String> = self.built.output.files.keys().filter(|p| p.starts_with(&bundle)).cloned().collect();
        for path in old {
            if !fresh.iter().any(|(p, _)| *p == path) {
                self.built.output.files.remove(&path);
                update.removed.push(path);
            }
        }
        update.rendered = fresh.len();
        self.merge_files(fresh, &mut update);
        self.search_stale = false;
        update
    }

    /// Runs `f` with the renderer and the current site as its input.
    fn with_renderer<T>(&mut self, f: impl FnOnce(&mut render::Renderer, &RenderInput) -> T) -> T {
        let direction = direction_of(&self.built.localizer);
        let input = RenderInput {
            site: &self.built.site,
            pages: &self.pages_md,
            sections: &self.sections_md,
            templates: &self.built.templates,
            direction: &direction,
        };
        f(&mut self.renderer, &input)
    }

    /// Re-reads one edited page. `None` when the edit changes the page's place in the site
    /// (title, date, URL, taxonomies, translations…) or the file is new or gone.
    fn patch_page(&mut self, path: &Path) -> Result<Option<(usize, render::Files)>, Diagnostics> {
        let Some(i) = self.built.site.pages.iter().position(|p| p.file == path) else { return Ok(None) };
        let Ok(text) = std::fs::read_to_string(self.root.join(path)) else { return Ok(None) };
        let (front, body, body_line) = content::split_front_matter(&text, path)?;
        let old = &self.built.site.pages[i];
        let mut page = old.clone();
        page.front = front;
        page.body = body;
        page.body_line = body_line;
        page.title = page.front.title.clone().unwrap_or_else(|| old.title.clone());
        page.date = page.front.date.as_deref().and_then(content::parse_date);
        page.updated = page.front.updated.as_deref().and_then(content::parse_date);
        if !same_place(old, &page)
            || page.front.date.is_some() != page.date.is_some()
            || page.front.updated.is_some() != page.updated.is_some()
        {
            return Ok(None);
        }
        let rendered =
            markdown::render(&page.body, &page.lang, &self.built.site.config.markdown, &self.links).map_err(|errs| {
                Diagnostics(errs.into_iter().map(|e| Diagnostic::new(path, body_line + e.line - 1, 1, e.message)).collect())
            })?;
        self.built.site.pages[i] = page;
        self.pages_md[i] = rendered;
        self.with_renderer(|renderer, input| renderer.patch_page(input, i, &input.pages[i])).map(|files| Some((i, files)))
    }

    /// Recompiles the templates and renders again the outputs whose template changed or
    /// extends, includes or imports one that did. `None` when templates were added or removed.
    fn reload_templates(&mut self) -> Result<Option<render::Files>, Diagnostics> {
        let new = TemplateSources::load(&self.root, self.built.site.config.theme.as_deref())?;
        let old = &self.built.templates;
        if new.files.keys().ne(old.files.keys()) {
            return Ok(None);
        }
        let changed: Vec<&String> =
            new.files.iter().filter(|(n, (_, t))| old.files.get(*n).map(|(_, o)| o) != Some(t)).map(|(n, _)| n).collect();
        if changed.iter().any(|n| new.files[*n].1.contains("{% component")) {
            return Ok(None);
        }
        let affected = templates_depending_on(&new, &changed);
        let tera = compile(&new, &self.built.localizer, &self.assets)?;
        self.built.templates = new;
        self.with_renderer(|renderer, input| renderer.rerender(tera, input, &|t, _| affected.contains(t))).map(Some)
    }

    /// Reloads UI strings and renders again the outputs in languages whose strings (or whose
    /// fallback languages' strings) changed.
    fn reload_locales(&mut self, lang: Option<&str>) -> Result<render::Files, Diagnostics> {
        let localizer = load_localizer(&self.root, &self.built.site.config)?;
        let tera = compile(&self.built.templates, &localizer, &self.assets)?;
        self.built.localizer = localizer;
        let config = &self.built.site.config;
        let affected: Vec<String> = config
            .languages
            .iter()
            .filter(|l| match lang {
                None => true,
                Some(changed) => {
                    l.code == changed || l.fallback.iter().any(|f| f == changed) || changed == config.default_language
                }
            })
            .map(|l| l.code.clone())
            .collect();
        self.with_renderer(|renderer, input| {
            renderer.rerender(tera, input, &|_, l| l.is_empty() || affected.iter().any(|a| a == l))
        })
    }

    /// Builds everything again and compares with the previous output.
    fn rebuild(&mut self) -> Result<Update, Diagnostics> {
        let mut fresh = Session::start_with(&self.root, self.base_url.as_deref(), self.drafts, self.live)?;
        if self.live {
            // Keep serving the previous search index until it is renewed.
            let bundle = format!("{}/", crate::search::BUNDLE_DIR);
            for (path, bytes) in self.built.output.files.iter().filter(|(p, _)| p.starts_with(&bundle)) {
                fresh.built.output.files.insert(path.clone(), bytes.clone());
            }
        }
        let old = std::mem::replace(self, fresh);
        let mut update = Update { kind: "full", rendered: self.built.output.files.len(), ..Update::default() };
        for (path, bytes) in &self.built.output.files {
            if old.built.output.files.get(path) != Some(bytes) {
                update.changed.push(path.clone());
            }
        }
        for (path, source) in &self.built.output.copies {
            if old.built.output.copies.get(path) != Some(source) {
                update.changed.push(path.clone());
            }
        }
        update.removed = old
            .built
            .output
            .files
            .keys()
            .chain(old.built.output.copies.keys())
            .filter(|p| !self.built.output.files.contains_key(*p) && !self.built.output.copies.contains_key(*p))
            .cloned()
            .collect();
        Ok(update)
    }
}

/// The page keeps its URL, language, translations, listing position and taxonomy terms.
fn same_place(a: &content::Page, b: &content::Page) -> bool {
    a.title == b.title
        && a.date == b.date
        && a.updated == b.updated
        && a.front.slug == b.front.slug
        && a.front.weight == b.front.weight
        && a.front.draft == b.front.draft
        && a.front.taxonomies == b.front.taxonomies
        && a.front.template == b.front.template
        && a.front.aliases == b.front.aliases
        && a.front.translation_key == b.front.translation_key
}

fn classify(path: &Path, theme: Option<&str>, live: bool) -> Edit {
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let name = parts.last().map(String::as_str).unwrap_or("");
    if is_editor_temp_file(name) {
        return Edit::Ignored;
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let in_theme = |dir: &str| theme.is_some_and(|t| parts.len() > 3 && parts[0] == "themes" && parts[1] == t && parts[2] == dir);
    match parts.as_slice() {
        [crate::config::CONFIG_FILE] => Edit::Full,
        ["content", ..] if name.ends_with(".md") => Edit::Page(path.to_path_buf()),
        ["content", ..] => Edit::Full,
        ["templates", ..] => Edit::Templates,
        _ if in_theme("templates") => Edit::Templates,
        ["locales", lang, ..] if name.ends_with(".ftl") => Edit::Locales(Some(lang.to_string())),
        _ if in_theme("locales") && name.ends_with(".ftl") => Edit::Locales(Some(parts[3].to_string())),
        // CSS and JS get fingerprinted names that templates print: every page may change,
        // unless serving live, where names stay put.
        _ if (parts.first() == Some(&"static") || in_theme("static")) && (name.ends_with(".css") || name.ends_with(".js")) => {
            if live {
                Edit::Assets
            } else {
                Edit::Full
            }
        }
        ["static", ..] => Edit::Static,
        _ if in_theme("static") => Edit::Static,
        _ if parts.first() == Some(&"sass") || in_theme("sass") => {
            if live {
                Edit::Assets
            } else {
                Edit::Full
            }
        }
        _ => Edit::Ignored,
    }
}

/// Swap, backup and lock files editors write next to the real one.
pub fn is_editor_temp_file(name: &str) -> bool {
    name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".goutputstream")
}

fn is_static_source(root: &Path, source: &Path) -> bool {
    let rel = source.strip_prefix(root).unwrap_or(source);
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    match parts.next().as_deref() {
        Some("static") => true,
        Some("themes") => parts.nth(1).as_deref() == Some("static"),
        _ => false,
    }
}

/// Templates that are in `changed` or name one of them (extends, include, import), transitively.
fn templates_depending_on(sources: &TemplateSources, changed: &[&String]) -> std::collections::HashSet<String> {
    let mut affected: std::collections::HashSet<String> = changed.iter().map(|s| s.to_string()).collect();
    loop {
        let before = affected.len();
        for (name, (_, text)) in &sources.files {
            if !affected.contains(name)
                && affected.iter().any(|a| text.contains(&format!("\"{a}\"")) || text.contains(&format!("'{a}'")))
            {
                affected.insert(name.clone());
            }
        }
        if affected.len() == before {
            return affected;
        }
    }
}

fn load_localizer(root: &Path, config: &SiteConfig) -> Result<Arc<Localizer>, Diagnostics> {
    let theme_dir = config.theme.as_ref().map(|t| root.join("themes").join(t));
    Localizer::load(root, theme_dir.as_deref(), config).map(Arc::new)
}

/// Compiles the templates with every function and filter they may call.
fn compile(
    templates: &TemplateSources,
    localizer: &Arc<Localizer>,
    assets: &render::assets::Assets,
) -> Result<tera::Tera, Diagnostics> {
    templates.compile(&|tera| {
        render::register_placeholders(tera);
        assets.register(tera);
        crate::i18n::register(tera, localizer.clone());
    })
}

/// Compiles without UI strings (their files are broken) so template errors still show.
fn compile_without_localizer(templates: &TemplateSources, assets: &render::assets::Assets) -> Result<tera::Tera, Diagnostics> {
    templates.compile(&|tera| {
        render::register_placeholders(tera);
        assets.register(tera);
        crate::i18n::register_placeholders(tera);
    })
}

fn direction_of(localizer: &Arc<Localizer>) -> impl Fn(&str) -> &'static str + Sync + use<> {
    let localizer = localizer.clone();
    move |lang: &str| localizer.direction(lang).as_str()
}

/// A page or section asking for a template that neither the site nor the theme has.
fn check_page_templates(site: &Site, templates: &TemplateSources, errors: &mut Diagnostics) {
    let asked = site
        .pages
        .iter()
        .map(|p| (&p.file, &p.front))
        .chain(site.sections.iter().filter_map(|s| s.file.as_ref().map(|f| (f, &s.front))));
    for (file, front) in asked {
        if let Some(t) = &front.template {
            if !templates.files.contains_key(t) {
                errors.push(Diagnostic::new(
                    file,
                    1,
                    1,
                    format!("`template: {t}` names no template in templates/ or the theme's templates/"),
                ));
            }
        }
    }
}

/// `@/path.md` links: the linked content in the reader's language, else the file it names.
struct Links {
    by_path: HashMap<(String, String), String>,
    key_of_path: HashMap<String, String>,
    by_key: HashMap<(String, String), String>,
    any_by_path: HashMap<String, String>,
}

impl Links {
    fn new(site: &Site) -> Links {
        let mut links =
            Links { by_path: HashMap::new(), key_of_path: HashMap::new(), by_key: HashMap::new(), any_by_path: HashMap::new() };
        for p in &site.pages {
            links.by_path.insert((p.content_path.clone(), p.lang.clone()), p.url.clone());
            links.key_of_path.insert(p.content_path.clone(), p.translation_key.clone());
            links.by_key.insert((p.translation_key.clone(), p.lang.clone()), p.url.clone());
            links.any_by_path.entry(p.content_path.clone()).or_insert_with(|| p.url.clone());
        }
        for s in &site.sections {
            links.by_path.insert(
                (format!("{}/_index", s.content_path).trim_start_matches('/').to_string(), s.lang.clone()),
                s.url.clone(),
            );
            links
                .any_by_path
                .entry(format!("{}/_index", s.content_path).trim_start_matches('/').to_string())
                .or_insert_with(|| s.url.clone());
        }
        links
    }
}

impl LinkResolver for Links {
    fn resolve(&self, path: &str, lang: &str) -> Option<String> {
        self.by_path
            .get(&(path.to_string(), lang.to_string()))
            .or_else(|| self.key_of_path.get(path).and_then(|k| self.by_key.get(&(k.clone(), lang.to_string()))))
            .or_else(|| self.any_by_path.get(path))
            .cloned()
    }
}

fn render_markdown(site: &Site, links: &Links, errors: &mut Diagnostics) -> (Vec<Rendered>, Vec<Rendered>) {
    let md = &site.config.markdown;
    let one = |file: &Path, body: &str, body_line: usize, lang: &str| -> Result<Rendered, Vec<Diagnostic>> {
        markdown::render(body, lang, md, links)
            .map_err(|errs| errs.into_iter().map(|e| Diagnostic::new(file, body_line + e.line - 1, 1, e.message)).collect())
    };
    let pages: Vec<_> = site.pages.par_iter().map(|p| one(&p.file, &p.body, p.body_line, &p.lang)).collect();
    let sections: Vec<_> = site
        .sections
        .par_iter()
        .map(|s| one(s.file.as_deref().unwrap_or(Path::new("content")), &s.body, s.body_line, &s.lang))
        .collect();
    let mut unwrap = |results: Vec<Result<Rendered, Vec<Diagnostic>>>| -> Vec<Rendered> {
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    e.into_iter().for_each(|d| errors.push(d));
                    Rendered::default()
                })
            })
            .collect()
    };
    let pages = unwrap(pages);
    let sections = unwrap(sections);
    (pages, sections)
}

/// Files under the theme's `static/` then the site's `static/` are copied as they are.
fn copy_static(root: &Path, config: &SiteConfig, output: &mut Output) {
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        dirs.push(root.join("themes").join(theme).join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
                output.copies.insert(rel, entry.path().to_path_buf());
            }
        }
    }
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

pub fn build_command(options: &BuildOptions) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let out = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let out = crate::output::check_output_dir(&options.root, &out)?;
    match build_site(&options.root, options.base_url.as_deref(), options.drafts) {
        Ok(built) => {
            print_warnings(&built.warnings);
            crate::output::write(&built.output, &out)?;
            println!(
                "built {} pages in {} languages into {} ({} files) in {} ms",
                built.site.pages.len(),
                built.site.config.languages.len(),
                out.display(),
                built.output.files.len() + built.output.copies.len(),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("nothing was written; {} is unchanged", out.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn check_command(root: &Path, drafts: bool, strict: bool) -> anyhow::Result<ExitCode> {
    match build_site(root, None, drafts) {
        Ok(built) => {
            print_warnings(&built.warnings);
            let sources: Vec<(String, String)> =
                built.templates.files.iter().map(|(n, (_, text))| (n.clone(), text.clone())).collect();
            let used = crate::i18n::keys_used_by_templates(&sources).into_keys().collect();
            let coverage = built.localizer.coverage(&used);
            println!("UI strings per language:\n{}", coverage.table());
            let untranslated = untranslated_pages(&built.site);
            println!("{untranslated}");
            println!("ok: {} pages, {} files would be written", built.site.pages.len(), built.output.files.len());
            let incomplete = coverage.has_missing() || !built.warnings.is_empty();
            Ok(if strict && incomplete { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Err(errors) => {
            eprintln!("{errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Per section and language: how many of the section's pages have no translation there.
fn untranslated_pages(site: &Site) -> String {
    use std::collections::{BTreeMap, BTreeSet};
    let mut keys: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let present: BTreeSet<(&str, &str)> = site.pages.iter().map(|p| (p.translation_key.as_str(), p.lang.as_str())).collect();
    for p in &site.pages {
        keys.entry(site.sections[p.section].content_path.as_str()).or_default().insert(&p.translation_key);
    }
    let mut out = String::from("Untranslated pages per section:\n");
    out.push_str(&format!("{:<20}", "section"));
    for l in &site.config.languages {
        out.push_str(&format!("{:>8}", l.code));
    }
    out.push('\n');
    for (section, ks) in &keys {
        let name = if section.is_empty() { "(home)" } else { section };
        out.push_str(&format!("{name:<20}"));
        for l in &site.config.languages {
            let missing = ks.iter().filter(|k| !present.contains(&(**k, l.code.as_str()))).count();
            out.push_str(&format!("{missing:>8}"));
        }
        out.push('\n');
    }
    out
}

pub fn new_site(dir: &Path) -> anyhow::Result<ExitCode> {
    crate::scaffold::new_site(dir)?;
    println!(
        "created a site in {}: run `tessera build --root {}` or `tessera serve --watch --root {}`",
        dir.display(),
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
