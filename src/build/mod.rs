//! The orchestrator: one linear pipeline that `tessera build`, `tessera check` and
//! `tessera serve` all run. Only `build` writes to disk, through [`crate::output`];
//! [`Session`] keeps a built site in memory and brings it up to date after edits.

mod changes;
mod session;

pub use session::{Session, Update, UpdateKind};

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions, Site, links::Links};
use crate::diagnostics::Diagnostics;
use crate::i18n::Localizer;
use crate::markdown::{self, Rendered};
use crate::output::Output;
use crate::render::{self, RenderInput, assets::Assets, templates::TemplateSources};
use std::path::Path;
use std::sync::Arc;

/// The result of a successful build, before anything is written.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<String>,
    pub templates: TemplateSources,
    pub localizer: Arc<Localizer>,
}

/// A finished build and the intermediate results an incremental update reuses.
struct Pipeline {
    built: Built,
    pages_md: Vec<Rendered>,
    sections_md: Vec<Rendered>,
    renderer: render::Renderer,
    assets: Assets,
    links: Links,
}

/// Runs every stage on the site in `root`; returns every problem found when any stage fails.
pub fn build_site(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Built, Diagnostics> {
    Session::start(root, base_url, drafts).map(|s| s.built)
}

/// config → i18n → templates and assets → content → markdown → render → static → search.
/// Each stage reports all its problems; the site renders only when no stage found any.
/// `live` (the dev server) keeps asset names stable and leaves search indexing for later.
fn run(root: &Path, base_url: Option<&str>, drafts: bool, live: bool) -> Result<Pipeline, Diagnostics> {
    let mut config = SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let mut errors = Diagnostics::default();
    let localizer = Localizer::for_site(root, &config).map_err(|e| errors.extend(e)).ok();
    let templates = TemplateSources::load(root, config.theme.as_deref()).map_err(|e| errors.extend(e)).ok();
    let assets = Assets::build(root, &config, !live).map_err(|e| errors.extend(e)).unwrap_or_default();
    let tera =
        templates.as_ref().and_then(|t| render::compile(t, localizer.as_ref(), &assets).map_err(|e| errors.extend(e)).ok());

    let (site, content_errors) = content::load(root, config, &LoadOptions { drafts });
    errors.extend(content_errors);
    if let Some(templates) = &templates {
        templates.check_asked_for(&site, &mut errors);
    }
    let links = Links::new(&site);
    let (pages_md, sections_md) = render_markdown(&site, &links, &mut errors);

    let (Some(templates), Some(tera), Some(localizer)) = (templates, tera.filter(|_| errors.is_empty()), localizer) else {
        return Err(errors.sorted());
    };
    let directions = localizer.directions();
    let input =
        RenderInput { site: &site, pages: &pages_md, sections: &sections_md, templates: &templates, directions: &directions };
    let mut renderer = render::Renderer::new(tera, &input)?;
    let mut output = renderer.render_all(&input)?;
    crate::output::collect_static(root, &site.config, &mut output);
    output.files.extend(assets.files.clone());
    if !live && site.config.search {
        output.files.extend(crate::search::index(&site.config, &output)?);
    }
    let warnings = site.warnings.iter().cloned().chain(localizer.warnings()).collect();
    let built = Built { site, output, warnings, templates, localizer };
    Ok(Pipeline { built, pages_md, sections_md, renderer, assets, links })
}

/// Every page's and section's Markdown, rendered in parallel.
fn render_markdown(site: &Site, links: &Links, errors: &mut Diagnostics) -> (Vec<Rendered>, Vec<Rendered>) {
    let pages: Vec<markdown::Source> = site.pages.iter().map(content::Page::markdown_source).collect();
    let sections: Vec<markdown::Source> = site.sections.iter().map(content::Section::markdown_source).collect();
    let md = &site.config.markdown;
    (markdown::render_all(&pages, md, links, errors), markdown::render_all(&sections, md, links, errors))
}
