//! The orchestrator: config -> content -> markdown -> render -> output. `tessera build`,
//! `tessera check` and `tessera serve` all run [`build_site`]; only `build` writes to disk.

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkResolver, Rendered};
use crate::render::{self, Output, RenderInput, templates::TemplateSources};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use crate::i18n::Localizer;
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
    let mut config = SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let mut errors = Diagnostics::default();
    let theme_dir = config.theme.as_ref().map(|t| root.join("themes").join(t));
    let localizer = Localizer::load(root, theme_dir.as_deref(), &config).map_err(|e| errors.extend(e)).ok().map(Arc::new);
    let templates = TemplateSources::load(root, config.theme.as_deref()).map_err(|e| errors.extend(e)).ok();
    let assets = render::assets::Assets::build(root, &config).map_err(|e| errors.extend(e)).unwrap_or_default();
    let register = |tera: &mut tera::Tera| {
        render::register_placeholders(tera);
        assets.register(tera);
        if let Some(localizer) = &localizer {
            crate::i18n::register(tera, localizer.clone());
        }
    };
    let compiled = templates.as_ref().and_then(|t| t.compile(&register).map_err(|e| errors.extend(e)).ok());
    let (site, content_errors) = content::load(root, config, &LoadOptions { drafts });
    errors.extend(content_errors);
    if let Some(templates) = &templates {
        check_page_templates(&site, templates, &mut errors);
    }
    let (pages, sections) = render_markdown(&site, &mut errors);
    let (Some(templates), Some(tera), Some(localizer)) = (templates, compiled.filter(|_| errors.is_empty()), localizer) else {
        return Err(errors.sorted());
    };
    let direction = |lang: &str| localizer.direction(lang).as_str();
    let output = render::render(tera, &RenderInput {
        site: &site,
        pages: &pages,
        sections: &sections,
        templates: &templates,
        direction: &direction,
    })?;
    let mut output = output;
    copy_static(root, &site.config, &mut output);
    output.files.extend(assets.files);
    let search = crate::search::index(&site.config, &output)?;
    output.files.extend(search);
    let warnings = localizer.warnings();
    Ok(Built { site, output, warnings, templates, localizer })
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
        let mut links = Links { by_path: HashMap::new(), key_of_path: HashMap::new(), by_key: HashMap::new(), any_by_path: HashMap::new() };
        for p in &site.pages {
            links.by_path.insert((p.content_path.clone(), p.lang.clone()), p.url.clone());
            links.key_of_path.insert(p.content_path.clone(), p.translation_key.clone());
            links.by_key.insert((p.translation_key.clone(), p.lang.clone()), p.url.clone());
            links.any_by_path.entry(p.content_path.clone()).or_insert_with(|| p.url.clone());
        }
        for s in &site.sections {
            links.by_path.insert((format!("{}/_index", s.content_path).trim_start_matches('/').to_string(), s.lang.clone()), s.url.clone());
            links.any_by_path.entry(format!("{}/_index", s.content_path).trim_start_matches('/').to_string()).or_insert_with(|| s.url.clone());
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

fn render_markdown(site: &Site, errors: &mut Diagnostics) -> (Vec<Rendered>, Vec<Rendered>) {
    let links = Links::new(site);
    let md = &site.config.markdown;
    let one = |file: &Path, body: &str, body_line: usize, lang: &str| -> Result<Rendered, Vec<Diagnostic>> {
        markdown::render(body, lang, md, &links).map_err(|errs| {
            errs.into_iter().map(|e| Diagnostic::new(file, body_line + e.line - 1, 1, e.message)).collect()
        })
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

pub fn new_site(_dir: &Path) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
