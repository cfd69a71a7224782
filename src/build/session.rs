//! The incremental session: a built site kept in memory with what is needed to bring it up to
//! date after edits, re-rendering only the outputs an edit can change. `serve --watch` lives
//! on it; the proptest in `tests/incremental.rs` holds it to a fresh build, byte for byte.

use super::changes::{self, Edit, Place};
use super::{Built, Pipeline};
use crate::content::{self, links::Links};
use crate::diagnostics::Diagnostics;
use crate::i18n::Localizer;
use crate::images::Images;
use crate::markdown::{self, Rendered};
use crate::output::{Bytes, Files};
use crate::render::{self, RenderInput, assets::Assets, templates::TemplateSources};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every listing's entries: each section's, then each taxonomy term's.
fn listings(site: &content::Site) -> Vec<Vec<content::Entry>> {
    let terms = site.taxonomies.values().flat_map(|terms| terms.values().map(|t| t.entries.clone()));
    site.sections.iter().map(|s| s.listing.clone()).chain(terms).collect()
}

/// A built site kept in memory with what is needed to bring it up to date after an edit,
/// re-rendering only the outputs the edit can change. `serve --watch` lives on this.
pub struct Session {
    /// The site's folder.
    pub root: PathBuf,
    base_url: Option<String>,
    drafts: bool,
    pub built: Built,
    pages_md: Vec<Rendered>,
    sections_md: Vec<Rendered>,
    renderer: render::Renderer,
    /// Compiled Sass and fingerprinted CSS/JS, behind `asset_url`.
    assets: Assets,
    /// Where `@/` links point; kept while edits leave URLs alone.
    links: Links,
    /// The image processor: images already processed are not processed again.
    images: Arc<Images>,
    /// Edited files of an update that failed; tried again with the next update.
    pending: Vec<PathBuf>,
    /// Serving live: stable asset names, and the search index renewed on request
    /// ([`Session::refresh_search`]) instead of on every edit.
    live: bool,
    /// The search index does not reflect the latest edits yet.
    pub search_stale: bool,
}

/// Which kind of update brought the site up to date.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    /// Nothing the site reads changed.
    #[default]
    None,
    /// Edited pages patched in place.
    Page,
    Templates,
    Locales,
    Static,
    /// Sass, CSS or JS while serving live.
    Assets,
    /// The search index was renewed.
    Search,
    /// Everything was built again.
    Full,
}

impl std::fmt::Display for UpdateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let name = match self {
            UpdateKind::None => "none",
            UpdateKind::Page => "page",
            UpdateKind::Templates => "templates",
            UpdateKind::Locales => "locales",
            UpdateKind::Static => "static",
            UpdateKind::Assets => "assets",
            UpdateKind::Search => "search",
            UpdateKind::Full => "full",
        };
        f.write_str(name)
    }
}

/// What an update did.
#[derive(Debug, Default, Clone)]
pub struct Update {
    pub kind: UpdateKind,
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
        let Pipeline { built, indexing: _, pages_md, sections_md, renderer, assets, links, images } =
            super::run(root, base_url, drafts, super::How { live, spool: None, search: true }, None)?;
        let search_stale = live && built.site.config.search;
        Ok(Session {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            drafts,
            built,
            pages_md,
            sections_md,
            renderer,
            assets,
            links,
            images,
            pending: vec![],
            search_stale,
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
        let edits = self.classify(paths);
        if edits.is_empty() {
            return Ok(Update { kind: UpdateKind::None, ..Update::default() });
        }
        if edits.contains(&Edit::Full) {
            return self.rebuild();
        }
        let mut update = Update { kind: UpdateKind::Page, ..Update::default() };
        let mut files = Vec::new();
        let mut patched = false;
        for edit in &edits {
            match edit {
                Edit::Page(path) => match self.patch_page(path)? {
                    Some(f) => {
                        patched = true;
                        files.extend(f);
                    }
                    None => return self.rebuild(),
                },
                Edit::Templates => {
                    update.kind = UpdateKind::Templates;
                    match self.reload_templates()? {
                        Some(f) => files.extend(f),
                        None => return self.rebuild(),
                    }
                }
                Edit::Locales(lang) => {
                    update.kind = UpdateKind::Locales;
                    files.extend(self.reload_locales(lang.as_deref())?);
                }
                Edit::Static => self.recopy_static(paths, &mut update),
                Edit::Assets => {
                    if !self.rebuild_assets(&mut update)? {
                        return self.rebuild();
                    }
                }
                Edit::Full | Edit::Ignored => {}
            }
        }
        update.rendered = files.len();
        let pages_changed = !files.is_empty();
        self.merge_files(files, &mut update);
        if patched {
            self.refresh_feeds(&mut update);
        }
        if pages_changed {
            self.refresh_or_mark_search(&mut update)?;
        }
        self.built.warnings = self.built.site.warnings.iter().cloned().chain(self.built.localizer.warnings()).collect();
        Ok(update)
    }

    /// What the edited paths ask for, without duplicates; a file that came and went (an
    /// editor's or tool's temporary file) asks for nothing.
    fn classify(&self, paths: &[PathBuf]) -> Vec<Edit> {
        let theme = self.built.site.config.theme.as_deref();
        let mut edits: Vec<Edit> = paths
            .iter()
            .map(|p| match changes::classify(p, theme, self.live) {
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
        edits
    }

    /// Copies static files again, noting what changed or went.
    fn recopy_static(&mut self, paths: &[PathBuf], update: &mut Update) {
        update.kind = UpdateKind::Static;
        let mut output = std::mem::take(&mut self.built.output);
        let before = output.copies.clone();
        output.copies.retain(|_, source| !changes::is_static_source(&self.root, source));
        crate::output::collect_static(&self.root, &self.built.site.config, &mut output);
        for (path, source) in &output.copies {
            if before.get(path) != Some(source) || paths.iter().any(|p| self.root.join(p) == *source) {
                update.changed.push(path.clone());
            }
        }
        update.removed.extend(before.keys().filter(|p| !output.copies.contains_key(*p)).cloned());
        self.built.output = output;
    }

    /// Compiles Sass and fingerprints CSS/JS again while serving live; `false` when asset URLs
    /// changed (every page prints them: the caller rebuilds).
    fn rebuild_assets(&mut self, update: &mut Update) -> Result<bool, Diagnostics> {
        update.kind = UpdateKind::Assets;
        let assets = Assets::build(&self.root, &self.built.site.config, false)?;
        if assets.urls != self.assets.urls {
            return Ok(false);
        }
        for (path, bytes) in &assets.files {
            if self.built.output.files.get(path).map(|b| b.as_slice()) != Some(bytes.as_slice()) {
                update.changed.push(path.clone());
                self.built.output.files.insert(path.clone(), Bytes::new(bytes.clone()));
            }
        }
        self.assets = assets;
        Ok(true)
    }

    /// Renews the feeds: a patched article appears in every language's feed (as a stand-in
    /// where it has no translation), and feeds are few and short.
    fn refresh_feeds(&mut self, update: &mut Update) {
        let fresh = render::feeds::render(&self.built.site, self.renderer.values());
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
    fn merge_files(&mut self, files: Files, update: &mut Update) {
        for (path, bytes) in files {
            if self.built.output.files.get(&path).map(|b| b.as_slice()) != Some(bytes.as_slice()) {
                update.changed.push(path.clone());
                self.built.output.files.insert(path, Bytes::new(bytes));
            }
        }
    }

    /// Indexes the current pages for search again (slow on a large site: the live server calls
    /// it once edits pause).
    pub fn refresh_search(&mut self) -> Result<Update, Diagnostics> {
        let fresh = crate::search::index(&self.root, &self.built.site.config, &self.built.output)?.0;
        Ok(self.replace_search(fresh))
    }

    /// Puts a search bundle made from this site's pages into the output.
    pub fn replace_search(&mut self, fresh: Files) -> Update {
        let mut update = Update { kind: UpdateKind::Search, ..Update::default() };
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
        let directions = self.built.localizer.directions();
        let input = RenderInput {
            site: &self.built.site,
            pages: &self.pages_md,
            sections: &self.sections_md,
            templates: &self.built.templates,
            directions: &directions,
        };
        f(&mut self.renderer, &input)
    }

    /// Re-reads one edited page. `None` when the edit changes the page's place in the site
    /// (date, URL, taxonomies, translations…; a new title only moves it among pages of the same
    /// date, which is patched) or the file is new or gone.
    fn patch_page(&mut self, path: &Path) -> Result<Option<Files>, Diagnostics> {
        let Some(i) = self.built.site.page_index(path) else { return Ok(None) };
        let Some(page) = content::reload_page(&self.built.site, i, self.drafts)? else { return Ok(None) };
        // Translations made from this page may have become (or stopped being) stale.
        let site = &self.built.site;
        let tracked = site.translations_of(&page.translation_key).iter().any(|p| p.front.translated_from.is_some());
        let place = changes::place(site, i, &page);
        if tracked || place == Place::Moved {
            return Ok(None);
        }
        let media = markdown::Media { images: &self.images, shortcodes: Some((self.renderer.tera(), &self.built.templates)) };
        let rendered =
            markdown::render_source(&page.markdown_source(), &self.built.site.config.markdown, &self.links, Some(&media))?;
        self.built.output.copies.extend(self.images.files());
        self.built.site.pages[i] = page;
        self.pages_md[i] = rendered;
        let (i, moved) = if place == Place::Reordered { self.reorder(i) } else { (i, HashSet::new()) };
        let mut files = self.with_renderer(|renderer, input| renderer.patch_page(input, i, &input.pages[i], &moved))?;
        if place == Place::Reordered {
            // Redirects list pages' aliases in the site's order.
            files.extend(render::aliases::redirects(&self.built.site));
        }
        Ok(Some(files))
    }

    /// Puts page `i`, whose new title moved it among pages of the same date, in its new place:
    /// the site's order, listings and terms, the Markdown and the renderer follow. Returns the
    /// page's new index and the pages whose position in a listing changed (an output that read
    /// one shows another order now).
    fn reorder(&mut self, i: usize) -> (usize, HashSet<u32>) {
        let site = &mut self.built.site;
        let before = listings(site);
        let shift = content::reorder(site, i);
        shift.apply(&mut self.pages_md);
        let mut moved = HashSet::from([shift.to as u32]);
        for (old, new) in before.iter().zip(listings(site)) {
            for k in 0..old.len().max(new.len()) {
                let was = old.get(k).map(|e| (shift.index(e.page) as u32, e.stand_in));
                let is = new.get(k).map(|e| (e.page as u32, e.stand_in));
                if was != is {
                    moved.extend(was.into_iter().chain(is).map(|(p, _)| p));
                }
            }
        }
        self.renderer.reorder(site, shift);
        (shift.to, moved)
    }

    /// Recompiles the templates and renders again the outputs whose template changed or
    /// extends, includes or imports one that did. `None` when templates were added or removed.
    fn reload_templates(&mut self) -> Result<Option<Files>, Diagnostics> {
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
        let affected = changes::templates_depending_on(&new, &changed);
        let tera = render::compile(&new, Some(&self.built.localizer), &self.assets, &self.images)?;
        self.built.templates = new;
        self.with_renderer(|renderer, input| renderer.rerender(tera, input, &|t, _| affected.contains(t))).map(Some)
    }

    /// Reloads UI strings and renders again the outputs in languages whose strings (or whose
    /// fallback languages' strings) changed.
    fn reload_locales(&mut self, lang: Option<&str>) -> Result<Files, Diagnostics> {
        let localizer = Localizer::for_site(&self.root, &self.built.site.config)?;
        let tera = render::compile(&self.built.templates, Some(&localizer), &self.assets, &self.images)?;
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
        let mut update = Update { kind: UpdateKind::Full, rendered: self.built.output.files.len(), ..Update::default() };
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
