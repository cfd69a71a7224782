//! Link check: after rendering, every internal `href`, `src` and `srcset` of every HTML output
//! (theme links included) must name an output file, and every `#fragment` an element id of
//! the page it points to. `check` and `build` both run it; a broken link is an error naming the
//! content file and line it was written on, or the template that wrote it (one error per
//! template and target, however many pages it is on). External links are collected for
//! `check --external` ([`external`]).

pub mod external;
mod scan;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::output::plan::Origin;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where an HTML output came from, to say where a broken link on it was written.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub origin: &'a Origin,
    /// The template the page was rendered with (`None` for redirects and other generated files).
    pub template: Option<&'a str>,
    /// The HTML of the page's own Markdown, to tell its links from the template's.
    pub content_html: Option<&'a str>,
}

/// What the link check found: broken internal links, as errors, and the links with a fragment
/// between pages, for a later check of part of the site ([`Scope::Only`]).
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Diagnostics,
    pub fragments: Vec<Fragment>,
    /// A page left unchecked links to a fragment a checked page no longer has: only a check of
    /// every page says where.
    pub stale: bool,
}

/// A link from one page to an element of another (`/ar/news/x/#budget`): when only the target
/// is rendered again, the element must still be there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub from: String,
    pub to: String,
    pub id: String,
}

/// Which HTML outputs the check reads.
pub enum Scope<'a> {
    All,
    /// Only `pages`: the others are as a check of every page found them, with the links with a
    /// fragment it found on them in `fragments`.
    Only {
        pages: &'a HashSet<&'a str>,
        fragments: &'a [Fragment],
    },
}

/// One link as written on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    /// As written in the attribute, entities decoded.
    written: String,
    /// Output path and fragment it resolves to; `None` for a link outside the site.
    target: Option<(String, Option<String>)>,
}

/// Checks the HTML files of `output` that `scope` names; `sources` says where each came from,
/// `templates` maps template names to their files, and `later` says which files not yet in
/// `output` the build writes too (the search index's scripts, made while the pages are written).
pub fn check(
    root: &Path,
    config: &SiteConfig,
    output: &Output,
    later: &(dyn Fn(&str) -> bool + Sync),
    sources: &HashMap<&str, Source>,
    templates: &BTreeMap<String, (PathBuf, String)>,
    scope: Scope,
) -> Report {
    let (origin, base) = (site_origin(&config.base_url), config.base_path());
    let checked = |path: &str| match &scope {
        Scope::All => true,
        Scope::Only { pages, .. } => pages.contains(path),
    };
    let exists = |path: &str| output.contains(path) || later(path);
    let pages: Vec<&String> = output.generated().filter(|p| is_html(p) && checked(p)).collect();
    // Pages on disk are read one at a time, each dropped once scanned; of its links, a page
    // keeps those that are broken or point into a page (the others are fine as they are).
    let scanned: Vec<(&String, scan::Scan)> = pages
        .par_iter()
        .filter_map(|path| {
            let mut scan = scan::scan(&output.read(path)?, &page_url(&base, path), &origin);
            scan.links.retain(|link| !matches!(resolve(&base, link, &exists), Ok(None)));
            Some((*path, scan))
        })
        .collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let scanned: Vec<(&String, Vec<Link>)> = scanned
        .into_iter()
        .map(|(path, scan)| {
            ids.insert(path.clone(), scan.ids);
            (path, scan.links)
        })
        .collect();
    // Whether page `path` has an element `id`; a page not scanned is read when a link points
    // into it, and a file that is not HTML has no ids to check.
    let mut has_id = |path: &str, id: &str| -> bool {
        if !ids.contains_key(path) {
            let Some(bytes) = output.read(path).filter(|_| is_html(path)) else { return true };
            ids.insert(path.to_string(), scan::scan(&bytes, &page_url(&base, path), &origin).ids);
        }
        ids[path].contains(id)
    };

    let mut report = Report::default();
    if let Scope::Only { fragments, .. } = &scope {
        for f in fragments.iter().filter(|f| !checked(&f.from)) {
            report.stale |= checked(&f.to) && !has_id(&f.to, &f.id);
            report.fragments.push(f.clone());
        }
    }
    // Template -> broken link as written -> (problem, pages it is on).
    let mut from_templates: BTreeMap<&str, BTreeMap<&str, (String, Vec<&str>)>> = BTreeMap::new();
    for (path, links) in &scanned {
        for link in links {
            let problem = match resolve(&base, link, &exists) {
                Err(problem) => problem,
                Ok(None) => continue,
                Ok(Some((file, fragment))) => {
                    if has_id(&file, fragment) {
                        if file != **path {
                            report.fragments.push(Fragment { from: path.to_string(), to: file, id: fragment.to_string() });
                        }
                        continue;
                    }
                    let (target, _) = link.target.as_ref().expect("a resolved link has a target");
                    format!("points to #{fragment}, but {target} has no element with id `{fragment}`")
                }
            };
            let source = sources.get(path.as_str());
            let in_content = source.and_then(|s| s.content_html).is_some_and(|html| html.contains(&link.written));
            match source {
                Some(s) if in_content || s.template.is_none() => report.errors.push(content_error(root, s, path, link, &problem)),
                Some(s) => {
                    let template = writing_template(templates, &link.written).unwrap_or(s.template.unwrap_or_default());
                    let links = from_templates.entry(template).or_default();
                    links.entry(&link.written).or_insert_with(|| (problem, vec![])).1.push(path);
                }
                None => report.errors.push(Diagnostic::whole_file(path, format!("the link `{}` {problem}", link.written))),
            }
        }
    }
    for (template, links) in from_templates {
        let (file, line) = match templates.get(template) {
            Some((file, text)) => (file.clone(), links.keys().find_map(|w| line_in(text, w)).unwrap_or(0)),
            None => (PathBuf::from("templates").join(template), 0),
        };
        report.errors.push(Diagnostic::new(file, line, 0, template_error(template, &links)));
    }
    report
}

/// The one template whose text holds the link's last path segment, when only one does: the
/// template that wrote it, though a page's own template extends or includes it.
fn writing_template<'a>(templates: &'a BTreeMap<String, (PathBuf, String)>, written: &str) -> Option<&'a str> {
    let tail = tail(written).filter(|t| t.len() > 3)?;
    let mut holding = templates.iter().filter(|(_, (_, text))| text.contains(&tail));
    match (holding.next(), holding.next()) {
        (Some((name, _)), None) => Some(name),
        _ => None,
    }
}

/// 1-based line of `text` holding the last path segment of `written`.
fn line_in(text: &str, written: &str) -> Option<usize> {
    let tail = tail(written)?;
    text.lines().position(|l| l.contains(&tail)).map(|i| i + 1)
}

/// The last path segment of a link with the slash after it: `missing/` of `/ar/missing/`.
fn tail(written: &str) -> Option<String> {
    let path = written.split(['?', '#']).next().unwrap_or("");
    let last = path.trim_end_matches('/').rsplit('/').next().filter(|t| !t.is_empty())?;
    Some(if path.ends_with('/') { format!("{last}/") } else { last.to_string() })
}

/// Every link to another site on the HTML pages of `output`: URL -> output paths of the pages.
pub fn external_links(config: &SiteConfig, output: &Output) -> BTreeMap<String, Vec<String>> {
    let (origin, base) = (site_origin(&config.base_url), config.base_path());
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, bytes) in output.files.iter().filter(|(p, _)| is_html(p)) {
        for link in scan::scan(bytes, &page_url(&base, path), &origin).links.into_iter().filter(|l| l.target.is_none()) {
            if link.written.starts_with("http://") || link.written.starts_with("https://") {
                links.entry(link.written).or_default().push(path.clone());
            }
        }
    }
    links
}

/// One message for every broken link a template writes: each link, its problem and the first
/// pages it is on.
fn template_error(template: &str, links: &BTreeMap<&str, (String, Vec<&str>)>) -> String {
    let pages: usize = links.values().map(|(_, p)| p.len()).sum();
    let mut message = format!(
        "the template `{template}` (or a template it extends or includes) writes {} broken link{} on {pages} page{}:",
        links.len(),
        if links.len() == 1 { "" } else { "s" },
        if pages == 1 { "" } else { "s" }
    );
    for (written, (problem, on)) in links {
        let more = if on.len() > 2 { format!(" and {} more", on.len() - 2) } else { String::new() };
        message.push_str(&format!("\n    `{written}` {problem} (on {}{more})", on[..on.len().min(2)].join(", ")));
    }
    message
}

/// The output file `link` points to and the fragment it names (`None`: outside the site, or
/// no fragment to check), or why it is broken (links to other sites are for [`external`]).
/// `base` is the site's base path.
fn resolve<'l>(base: &str, link: &'l Link, exists: &dyn Fn(&str) -> bool) -> Result<Option<(String, &'l str)>, String> {
    let Some((target, fragment)) = link.target.as_ref() else { return Ok(None) };
    let Some(path) = target.strip_prefix(base) else {
        return Err(format!("points outside the site's base path {base}"));
    };
    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    let file = if exists(&file) {
        file
    } else if exists(&format!("{file}/index.html")) {
        format!("{file}/index.html")
    } else {
        return Err(format!("points to {target}, which the site does not have"));
    };
    Ok(fragment.as_deref().filter(|f| !f.is_empty() && *f != "top").map(|f| (file, f)))
}

/// An error on the content file a link was written in, at the line that holds it.
fn content_error(root: &Path, source: &Source, path: &str, link: &Link, problem: &str) -> Diagnostic {
    let file = &source.origin.file;
    let text = std::fs::read_to_string(root.join(file)).ok();
    let line =
        text.as_deref().and_then(|t| t.lines().position(|l| l.contains(&link.written))).map_or(source.origin.line, |i| i + 1);
    Diagnostic::new(file, line, 0, format!("the link `{}` on {path} {problem}", link.written))
}

/// `https://example.org/network/` -> `https://example.org`.
fn site_origin(base_url: &str) -> String {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(i) => base_url[..after_scheme + i].to_string(),
        None => base_url.to_string(),
    }
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// The URL path a file is served at below the site's base path `base`: `ar/news/x/index.html`
/// -> `/base/ar/news/x/`.
fn page_url(base: &str, path: &str) -> String {
    format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path))
}
