//! Edit classification for incremental rebuilds: what an edited path asks for (a page patch,
//! templates, UI strings, static files, assets, or a full rebuild) and whether an edited page
//! keeps its place in the site.

use crate::content;
use crate::render::templates::TemplateSources;
use std::collections::HashSet;
use std::path::Path;

/// What one edited path asks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Edit {
    Page(std::path::PathBuf),
    Templates,
    Locales(Option<String>),
    Static,
    /// Sass, CSS or JS edited while serving live.
    Assets,
    Full,
    Ignored,
}

/// Where an edited page stands in the site compared with before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// The page keeps its URL, language, translations, listing position and taxonomy terms,
    /// and what its translations inherit from it or show of it elsewhere (shared front matter,
    /// localised headlines): only the outputs that read the page need rendering again. A new
    /// title keeps the page's place when it does not reorder anything ([`keeps_order`]).
    Same,
    /// As [`Place::Same`], but a new title moves the page among pages of the same date and
    /// weight: listings that show it, or pages beside it, change order.
    Reordered,
    /// Anything else: the site is laid out again.
    Moved,
}

/// Where page `i`, edited into `b`, stands compared with before.
pub(super) fn place(site: &content::Site, i: usize, b: &content::Page) -> Place {
    let a = &site.pages[i];
    if !same_but_title(a, b) {
        Place::Moved
    } else if a.title == b.title || keeps_order(site, i, b) {
        Place::Same
    } else {
        Place::Reordered
    }
}

/// Everything that places a page or shows elsewhere is equal, the title aside.
fn same_but_title(a: &content::Page, b: &content::Page) -> bool {
    let (x, y) = (&a.front, &b.front);
    a.url == b.url
        && x.date == y.date
        && x.updated == y.updated
        && x.place == y.place
        && x.image == y.image
        && x.localised == y.localised
        && x.slug == y.slug
        && x.weight == y.weight
        && x.draft == y.draft
        && x.taxonomies == y.taxonomies
        && x.template == y.template
        && x.aliases == y.aliases
        && x.translation_key == y.translation_key
}

/// Page `i` retitled as `new` stays where it is: a title only orders pages of the same date
/// and weight, so it must still sort between its neighbours in the site's order and in every
/// listing that shows it (where each language sorts titles its own way).
fn keeps_order(site: &content::Site, i: usize, new: &content::Page) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    let pages = &site.pages;
    let before = i.checked_sub(1).is_none_or(|p| content::page_order(&pages[p], new) == Less);
    let after = pages.get(i + 1).is_none_or(|p| content::page_order(new, p) == Less);
    if !(before && after) {
        return false;
    }
    let tie = |a: &content::Page, b: &content::Page| a.date == b.date && a.front.weight == b.front.weight;
    site.sections.iter().all(|section| {
        let listing = &section.listing;
        let Some(k) = listing.iter().position(|e| e.page == i) else { return true };
        let title = |e: &content::Entry| pages[e.page].title.as_str();
        // Equal names keep their order (the listing's sort is stable).
        let ordered = |a: &content::Entry, a_title: &str, b: &content::Entry, b_title: &str| match crate::i18n::compare(
            &section.lang,
            a_title,
            b_title,
        ) {
            Less => true,
            Greater => false,
            _ => a < b,
        };
        let me = &listing[k];
        let before = k.checked_sub(1).map(|p| &listing[p]).filter(|p| tie(&pages[p.page], new));
        let after = listing.get(k + 1).filter(|n| tie(&pages[n.page], new));
        before.is_none_or(|p| ordered(p, title(p), me, &new.title)) && after.is_none_or(|n| ordered(me, &new.title, n, title(n)))
    })
}

pub(super) fn classify(path: &Path, theme: Option<&str>, live: bool) -> Edit {
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

pub(super) fn is_static_source(root: &Path, source: &Path) -> bool {
    let rel = source.strip_prefix(root).unwrap_or(source);
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    match parts.next().as_deref() {
        Some("static") => true,
        Some("themes") => parts.nth(1).as_deref() == Some("static"),
        _ => false,
    }
}

/// Templates that are in `changed` or name one of them (extends, include, import), transitively.
pub(super) fn templates_depending_on(sources: &TemplateSources, changed: &[&String]) -> HashSet<String> {
    let mut affected: HashSet<String> = changed.iter().map(|s| s.to_string()).collect();
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
