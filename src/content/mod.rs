//! Content loading: walks `content/`, reads front matter, decides each page's language,
//! translation group, slug and URL, and produces the plain-data `Site` every later stage reads.
//! Problems in any file are collected so one run reports them all.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub mod links;
pub mod network;
pub mod taxonomies;

pub const CONTENT_DIR: &str = "content";

/// Front matter keys a page or section may set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `YYYY-MM-DD` or RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Old URL paths that should redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Links pages in different languages whose paths differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    /// Agency or publication the text came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where the reported events happened (from a dateline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// What an editor still has to check (e.g. `[title, date]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<String>,
    /// Sections only: pages per listing page (default: `paginate_by` in site.yaml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginate_by: Option<usize>,
    /// Sections only: list articles that have no translation in the section's language, with
    /// their original title and a language badge (default: yes, when the site renders
    /// stand-ins). `false` keeps each language's listing to its own articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_untranslated: Option<bool>,
    /// Sections only: whether the section's pages are articles (news: dated, in feeds, listed
    /// across languages). Default: yes for every section but the home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub articles: Option<bool>,
    /// Headline and summary (and place) in languages the page has no full translation in,
    /// e.g. `localised: {en: {title: ..., summary: ...}}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localised: BTreeMap<String, Localised>,
    /// Translations only: the version of the original this page was translated from, to tell
    /// when the original changed since (see `translation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_from: Option<TranslatedFrom>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `translated_from: {lang: en, version: 3f2a9c1b0d4e}`: the original's language and the
/// fingerprint of its title and text when the translation was made or last brought up to date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslatedFrom {
    pub lang: String,
    pub version: String,
}

/// A headline and summary an original carries for a language it is not translated into.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
}

/// Front matter a translation shares with its translation group: its own value, else the
/// value of the first page in site language order that sets it (see `network`).
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Shared {
    pub date: Option<String>,
    pub updated: Option<String>,
    pub place: Option<String>,
    pub image: Option<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
}

impl Shared {
    /// The page's `date` and `updated`, parsed.
    fn dates(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.date.as_deref().and_then(parse_date), self.updated.as_deref().and_then(parse_date))
    }

    fn of(front: &FrontMatter) -> Shared {
        Shared {
            date: front.date.clone(),
            updated: front.updated.clone(),
            place: front.place.clone(),
            image: front.image.clone(),
            taxonomies: front.taxonomies.clone(),
        }
    }
}

/// One content page in one language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/news/visit.ar.md`.
    pub file: PathBuf,
    pub lang: String,
    /// Pages sharing a translation key are translations of each other.
    pub translation_key: String,
    /// Path of the page inside `content/` without language and extension, e.g. `news/visit`.
    pub content_path: String,
    pub front: FrontMatter,
    pub title: String,
    pub slug: String,
    /// URL path including the base path, e.g. `/network/ar/news/visit/`.
    pub url: String,
    /// `date`, `updated`, `place`, `image` and taxonomies after inheritance from translations.
    pub shared: Shared,
    pub date: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    /// A news article (listed across languages, in feeds) rather than a standalone page.
    pub is_article: bool,
    /// Index of the section (in `Site::sections`) this page belongs to.
    pub section: usize,
    pub body: String,
    /// Line of the file where `body` starts (1-based).
    pub body_line: usize,
    /// The body is not read yet: the page was made from what the last build read of its
    /// unchanged file ([`Known`]); [`read_bodies`] reads it when a stage needs it.
    pub unread: bool,
    /// Files next to a bundle's `index.<lang>.md`, copied beside the rendered page.
    pub assets: Vec<PathBuf>,
}

/// A folder of content in one language, from its `_index.<lang>.md` or implied by its pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// `None` when the section has no `_index` file in this language.
    pub file: Option<PathBuf>,
    pub lang: String,
    /// Folder inside `content/`, `""` for the home section.
    pub content_path: String,
    pub front: FrontMatter,
    pub title: String,
    pub url: String,
    pub body: String,
    pub body_line: usize,
    pub parent: Option<usize>,
    /// The section's own pages in its language, in listing order.
    pub pages: Vec<usize>,
    /// What the section lists: its own pages and, when it lists untranslated articles, the
    /// stand-ins of the network's other articles, in listing order.
    pub listing: Vec<Entry>,
    pub subsections: Vec<usize>,
}

/// One item of a listing in some language: a page in that language, or the stand-in of an
/// article that has no translation there (`page` is then the original shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    pub page: usize,
    pub stand_in: bool,
}

/// The loaded site: immutable after loading, read by every later stage.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// Translation key -> indexes of its pages, in site language order.
    pub translations: HashMap<String, Vec<usize>>,
    /// (translation key, language) -> URL of the stand-in shown for a language the content
    /// has no translation in (`missing_translation: fallback | notice`).
    pub stand_ins: BTreeMap<(String, String), String>,
    /// Taxonomy terms per language, each term with its key shared across languages.
    pub taxonomies: taxonomies::Taxonomies,
    /// Problems worth a look that do not stop the build (e.g. translations disagreeing).
    pub warnings: Vec<String>,
    /// Pages left out because they are drafts (`draft: true`), relative to the root.
    pub drafts: Vec<PathBuf>,
    /// Translations whose original changed since they were made: page -> original.
    pub stale: BTreeMap<usize, usize>,
}

impl Page {
    /// When the page was first published, as RFC 3339.
    pub fn published(&self) -> Option<String> {
        self.shared.date.as_deref().and_then(rfc3339)
    }

    /// When the page last changed (its `updated`, else its `date`), as RFC 3339.
    pub fn modified(&self) -> Option<String> {
        self.shared.updated.as_deref().and_then(rfc3339).or_else(|| self.published())
    }

    pub fn markdown_source(&self) -> crate::markdown::Source<'_> {
        crate::markdown::Source {
            file: &self.file,
            body: &self.body,
            body_line: self.body_line,
            lang: &self.lang,
            url: &self.url,
            image: self.shared.image.as_deref(),
        }
    }
}

impl Section {
    pub fn markdown_source(&self) -> crate::markdown::Source<'_> {
        let file = self.file.as_deref().unwrap_or(Path::new(CONTENT_DIR));
        crate::markdown::Source {
            file,
            body: &self.body,
            body_line: self.body_line,
            lang: &self.lang,
            url: &self.url,
            image: None,
        }
    }
}

impl Site {
    /// The page read from `file` (relative to the root). Paths are compared as bytes first:
    /// comparing them part by part takes ~20 ms at 40,000 pages.
    pub fn page_index(&self, file: &Path) -> Option<usize> {
        let found = self.pages.iter().position(|p| p.file.as_os_str() == file.as_os_str());
        found.or_else(|| self.pages.iter().position(|p| p.file == file))
    }

    /// Pages that are translations of `page` (including itself), in site language order.
    pub fn translations_of(&self, key: &str) -> Vec<&Page> {
        self.translations.get(key).map(|group| group.iter().map(|&i| &self.pages[i]).collect()).unwrap_or_default()
    }

    pub fn section(&self, content_path: &str, lang: &str) -> Option<&Section> {
        self.section_index(content_path, lang).map(|i| &self.sections[i])
    }

    pub fn section_index(&self, content_path: &str, lang: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.content_path == content_path && s.lang == lang)
    }
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// What the last build read of the page files unchanged since: taken as it is instead of
    /// reading and parsing them again; their bodies are read only when needed.
    pub known: Option<std::sync::Arc<Known>>,
}

/// A page file's front matter and the line its body starts on, by file (relative to the root):
/// all of it but the body, which later stages read for the few pages they render.
pub type Known = HashMap<PathBuf, (FrontMatter, usize)>;

/// What every page's file holds but its body, for the next build's [`LoadOptions::known`].
pub fn known(site: &Site) -> impl Iterator<Item = (&Path, &FrontMatter, usize)> {
    site.pages.iter().map(|p| (p.file.as_path(), &p.front, p.body_line))
}

/// Reads the bodies of the `pages` loaded unread ([`Page::unread`]).
pub fn read_bodies(site: &mut Site, pages: impl IntoIterator<Item = usize>) -> Result<(), Diagnostics> {
    let unread: Vec<usize> = pages.into_iter().filter(|&i| site.pages[i].unread).collect();
    let root = &site.root;
    let read: Vec<Result<(usize, String), Diagnostic>> = unread
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            let text = without_nul(read_text(&root.join(&page.file), &page.file)?);
            let body = match split_front_matter_text(&text) {
                Some((_, body, _)) => body,
                None => text.strip_prefix('\u{feff}').unwrap_or(&text),
            };
            Ok((i, without_nul(body.to_string())))
        })
        .collect();
    let mut errors = Diagnostics::default();
    for result in read {
        match result {
            Ok((i, body)) => {
                site.pages[i].body = body;
                site.pages[i].unread = false;
            }
            Err(e) => errors.push(e),
        }
    }
    errors.into_result(())
}

/// Loads every page and section under `root/content`. Broken files are left out of the site and
/// reported; the rest still loads so later stages can report their problems in the same run.
pub fn load(root: &Path, config: SiteConfig, options: &LoadOptions) -> (Site, Diagnostics) {
    let mut errors = Diagnostics::default();
    let content_root = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    if content_root.is_dir() {
        for entry in walkdir::WalkDir::new(&content_root).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => errors.push(Diagnostic::whole_file(
                    e.path().map(Path::to_path_buf).unwrap_or_else(|| content_root.clone()),
                    format!("cannot read: {e}"),
                )),
            }
        }
    }

    let bundle_dirs: HashSet<&Path> =
        files.iter().filter(|f| file_stem_kind(f).is_some_and(|(stem, _)| stem == "index")).filter_map(|f| f.parent()).collect();
    let mut bundle_assets: HashMap<&Path, Vec<PathBuf>> = HashMap::new();
    for f in &files {
        if let Some(dir) = f.parent().filter(|d| bundle_dirs.contains(d))
            && f.extension().and_then(|e| e.to_str()) != Some("md")
        {
            bundle_assets.entry(dir).or_default().push(f.clone());
        }
    }

    // Reading and parsing is independent per file: done in parallel, results kept in file order.
    // Meanwhile, when all are read (no last build's front matter is known), the system is asked
    // to bring them from disk.
    let parsed: Vec<Result<Option<(String, RawFile)>, Diagnostics>> = std::thread::scope(|scope| {
        if options.known.is_none() {
            scope.spawn(|| prefetch(files.iter().filter(|f| f.extension().is_some_and(|e| e == "md"))));
        }
        files.par_iter().map(|file| read_file(root, &content_root, &config, options, file)).collect()
    });
    let mut raw_sections = Vec::new();
    let mut raw_pages = Vec::with_capacity(files.len());
    let mut drafts = Vec::new();
    for (file, result) in files.iter().zip(parsed) {
        let (stem, mut raw) = match result {
            Ok(Some(parsed)) => parsed,
            // A Markdown file read as nothing is a draft.
            Ok(None) if file_stem_kind(file).is_some() => {
                drafts.push(file.strip_prefix(root).unwrap_or(file).to_path_buf());
                continue;
            }
            Ok(None) => continue,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        let dir = file.parent().unwrap_or(&content_root);
        if stem == "_index" {
            raw_sections.push(raw);
        } else if stem == "index" && !raw.content_path.is_empty() {
            raw.assets = bundle_assets.get(dir).cloned().unwrap_or_default();
            raw_pages.push(raw);
        } else if !bundle_dirs.is_empty() && bundle_dirs.contains(dir) {
            // A Markdown file next to a bundle's index is part of the bundle, not a page.
            continue;
        } else {
            raw.content_path = if raw.content_path.is_empty() { stem } else { format!("{}/{stem}", raw.content_path) };
            raw_pages.push(raw);
        }
    }

    let mut site = Site {
        root: root.to_path_buf(),
        config,
        pages: vec![],
        sections: vec![],
        translations: HashMap::new(),
        stand_ins: BTreeMap::new(),
        taxonomies: BTreeMap::new(),
        warnings: vec![],
        drafts,
        stale: BTreeMap::new(),
    };
    build_sections(&mut site, raw_sections, &raw_pages);
    site.warnings.extend(sections_missing_in_a_language(&site));
    build_pages(&mut site, raw_pages, &mut errors);
    network::connect(&mut site);
    let mut warnings = std::mem::take(&mut site.warnings);
    site.taxonomies = taxonomies::collect(&site, &mut errors, &mut warnings);
    site.warnings = warnings;
    // The originals translations were made from: their text tells whether those are stale.
    let originals: Vec<usize> = site.pages.iter().filter_map(|p| network::translated_from(&site, p).map(|(i, _)| i)).collect();
    if let Err(e) = read_bodies(&mut site, originals) {
        errors.extend(e);
    }
    site.stale = network::stale(&site, &mut errors);
    (site, errors)
}

/// A partner's own page: in the folder named after the `role: partners` taxonomy.
pub fn is_partner_page(site: &Site, page: &Page) -> bool {
    in_partners_folder(&site.config, &site.sections[page.section].content_path)
}

fn in_partners_folder(config: &SiteConfig, content_path: &str) -> bool {
    config
        .taxonomy_with_role(crate::config::TaxonomyRole::Partners)
        .is_some_and(|t| content_path == t.name || content_path.starts_with(&format!("{}/", t.name)))
}

/// The section's pages are articles: `articles:` in its front matter, else every section but
/// the home and the partners' pages (the folder named after the `role: partners` taxonomy).
fn section_has_articles(config: &SiteConfig, section: &Section) -> bool {
    let partners = config
        .taxonomy_with_role(crate::config::TaxonomyRole::Partners)
        .is_some_and(|t| section.content_path == t.name || section.content_path.starts_with(&format!("{}/", t.name)));
    section.front.articles.unwrap_or(!section.content_path.is_empty() && !partners)
}

/// Reads one Markdown file: its stem (`_index`, `index` or the page name) and contents, with
/// `content_path` set to its folder. `None` for files that are not pages (not Markdown, drafts).
fn read_file(
    root: &Path,
    content_root: &Path,
    config: &SiteConfig,
    options: &LoadOptions,
    file: &Path,
) -> Result<Option<(String, RawFile)>, Diagnostics> {
    let relative = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    let Some((stem, suffix)) = file_stem_kind(file) else { return Ok(None) };
    let lang = match suffix {
        None => config.default_language.clone(),
        Some(code) if config.language(&code).is_some() => code,
        Some(code) => {
            return Err(Diagnostic::whole_file(
                &relative,
                format!(
                    "unknown language suffix `.{code}`: the site's languages are {} (add `{code}` to `languages` in site.yaml or rename the file)",
                    config.language_codes().join(", ")
                ),
            )
            .into());
        }
    };
    let dir = file.parent().unwrap_or(content_root);
    let content_path = crate::urls::slash_path(dir.strip_prefix(content_root).unwrap_or(Path::new("")));
    if let Some((front, body_line)) = options.known.as_ref().and_then(|known| known.get(&relative)) {
        let (front, body_line, unread) = (front.clone(), *body_line, true);
        return Ok(Some((
            stem,
            RawFile { relative, lang, content_path, front, body: String::new(), body_line, unread, assets: vec![] },
        )));
    }
    let text = without_nul(read_text(file, &relative)?);
    let (front, body_start, body_line) = split_front_matter(&text, &relative)?;
    check_dates(&front, front_matter_text(&text), &relative)?;
    if front.draft && !options.drafts {
        return Ok(None);
    }
    let body = body_at(text, body_start);
    Ok(Some((stem, RawFile { relative, lang, content_path, front, body, body_line, unread: false, assets: vec![] })))
}

struct RawFile {
    relative: PathBuf,
    lang: String,
    content_path: String,
    front: FrontMatter,
    body: String,
    body_line: usize,
    unread: bool,
    assets: Vec<PathBuf>,
}

/// `news/visit.ar.md` -> (`visit`, Some(`ar`)); `news/visit.md` -> (`visit`, None); non-Markdown -> None.
fn file_stem_kind(file: &Path) -> Option<(String, Option<String>)> {
    let stem = file.file_name()?.to_str()?.strip_suffix(".md")?;
    let (base, code) = split_language_suffix(stem);
    Some((base.to_string(), code.map(str::to_string)))
}

/// `visit.ar` -> (`visit`, Some(`ar`)); `visit` -> (`visit`, None): the one rule for a
/// language code at the end of a content file's name (also in `@/` links).
pub fn split_language_suffix(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, code)) if looks_like_language(code) => (base, Some(code)),
        _ => (stem, None),
    }
}

fn looks_like_language(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn front_matter_text(text: &str) -> &str {
    split_front_matter_text(text).map(|(yaml, _, _)| yaml).unwrap_or("")
}

/// The one front matter splitter (BOM and CRLF allowed): the YAML between the `---` lines,
/// the body, and the line the body starts on. `None` when the text opens no front matter or
/// never closes it.
pub fn split_front_matter_text(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let (end, body_start) = find_closing_fence(rest)?;
    Some((&rest[..end], &rest[body_start..], 2 + rest[..body_start].matches('\n').count()))
}

/// Finds the line `---` closing the front matter: (start of that line, start of the body).
fn find_closing_fence(rest: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// A content file as text with `\n` line ends: Windows (`\r\n`) and old Mac (`\r`) line ends
/// are read too, so front matter is never taken for body text. Bytes that are not UTF-8 are an
/// error at their line and byte offset.
/// Asks the system to start reading `files` into memory, without waiting for the disk. The
/// threads that read and parse the files block on the disk one file at a time each: with two
/// cores, a cold page cache and 40,000 files, reading took 2.5 s where it takes 1 s with the
/// reads asked for ahead. Failures are left to the read itself.
fn prefetch<'a>(files: impl Iterator<Item = &'a PathBuf>) {
    #[cfg(target_os = "linux")]
    for file in files {
        use std::os::fd::AsRawFd;
        if let Ok(f) = std::fs::File::open(file) {
            // SAFETY: a hint on an open file descriptor; it reads nothing into this process.
            unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = files;
}

pub fn read_text(file: &Path, relative: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(file).map_err(|e| Diagnostic::whole_file(relative, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(
            relative,
            line,
            at - line_start + 1,
            format!("byte 0x{:02X} at byte offset {at} is not UTF-8: save the file as UTF-8 text", bytes[at]),
        )
    })?;
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
}

/// NUL characters never reach a page: each becomes U+FFFD, as CommonMark asks.
fn without_nul(text: String) -> String {
    if text.contains('\0') { text.replace('\0', "\u{FFFD}") } else { text }
}

/// Splits a Markdown file into its front matter, where its body starts (a byte offset into
/// `text`, for [`body_at`]) and the body's first line number.
/// NUL characters written as YAML escapes (`"\0"`, `"\x00"`) become U+FFFD too.
pub fn split_front_matter(text: &str, file: &Path) -> Result<(FrontMatter, usize, usize), Diagnostic> {
    let at = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
    if let Some((yaml, body, body_line)) = split_front_matter_text(text) {
        let mut front: FrontMatter = crate::yaml::parse(yaml, file, 2)?;
        if yaml.contains('\\') {
            front = scrub_nul(front);
        }
        return Ok((front, at(body), body_line));
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.starts_with("---\n") || body.starts_with("---\r\n") {
        return Err(Diagnostic::new(file, 1, 1, "front matter opened with `---` is never closed: add a line `---` after it"));
    }
    Ok((FrontMatter::default(), at(body), 1))
}

/// The body of a file's `text`, from byte `start`, kept in the text's own memory: a site's
/// bodies are most of what it holds, and fresh memory costs the system a zeroed page.
fn body_at(mut text: String, start: usize) -> String {
    text.drain(..start);
    without_nul(text)
}

/// Replaces NUL in every string of the front matter (through its JSON form, which has the
/// same shape).
fn scrub_nul(front: FrontMatter) -> FrontMatter {
    fn scrub(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', "\u{FFFD}"),
            serde_json::Value::Array(items) => items.iter_mut().for_each(scrub),
            serde_json::Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut v) in entries {
                    scrub(&mut v);
                    map.insert(key.replace('\0', "\u{FFFD}"), v);
                }
            }
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::to_value(&front) else { return front };
    scrub(&mut value);
    serde_json::from_value(value).unwrap_or(front)
}

/// `2024-12-22` -> `2024-12-22T00:00:00Z`; an RFC 3339 timestamp keeps its time and offset.
pub fn rfc3339(text: &str) -> Option<String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|d| format!("{d}T00:00:00Z"))
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc3339(text).ok().map(|d| d.date_naive()))
}

fn check_dates(front: &FrontMatter, front_text: &str, file: &Path) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    for (key, value) in [("date", &front.date), ("updated", &front.updated)] {
        if let Some(v) = value
            && parse_date(v).is_none()
        {
            let line = key_line(front_text, key).map(|l| l + 1).unwrap_or(1);
            errors.push(Diagnostic::new(
                file,
                line,
                1,
                format!("`{key}: {v}` is not a date: expected YYYY-MM-DD or RFC 3339 (2024-12-22T10:00:00+01:00)"),
            ));
        }
    }
    errors.into_result(())
}

/// 1-based line of `file`'s front matter (`file` relative to `root`) mentioning the needles in
/// turn: the first line holding `needles[0]`, then the first from there holding `needles[1]`,
/// and so on; the line of the last needle found, 1 if none is. The file is read again: only to
/// place an error or a warning.
pub fn front_matter_line(root: &Path, file: &Path, needles: &[&str]) -> usize {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let front: Vec<&str> = text.lines().skip(1).take_while(|l| l.trim_end() != "---").collect();
    let mut found = 0;
    for needle in needles {
        match front.iter().skip(found).position(|l| l.contains(needle)) {
            Some(i) => found += i,
            None => break,
        }
    }
    // `found` counts lines after the opening `---`, which is line 1.
    if needles.first().is_some_and(|n| front.iter().any(|l| l.contains(n))) { found + 2 } else { 1 }
}

/// 1-based line (within the front matter text) of a top-level `key:`.
fn key_line(front_text: &str, key: &str) -> Option<usize> {
    front_text.lines().position(|l| l.starts_with(&format!("{key}:"))).map(|i| i + 1)
}

fn folder_title(content_path: &str) -> String {
    content_path.rsplit('/').next().unwrap_or("").to_string()
}

/// (folder, language) of every section: every language's home, every folder with an `_index`
/// or with pages (in every language when stand-ins list the other languages' articles), and
/// their ancestors.
fn wanted_sections(site: &Site, raw: &[RawFile], pages: &[RawFile]) -> Vec<(String, String)> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for l in &site.config.languages {
        wanted.push((String::new(), l.code.clone()));
    }
    for r in raw {
        wanted.push((r.content_path.clone(), r.lang.clone()));
    }
    let everywhere = site.config.missing_translation != crate::config::MissingTranslation::Hide;
    for p in pages {
        let dir = parent_path(&p.content_path);
        if everywhere {
            wanted.extend(site.config.languages.iter().map(|l| (dir.clone(), l.code.clone())));
        } else {
            wanted.push((dir, p.lang.clone()));
        }
    }
    let mut all = Vec::new();
    for (path, lang) in wanted {
        let mut p = path.as_str();
        loop {
            all.push((p.to_string(), lang.clone()));
            if p.is_empty() {
                break;
            }
            p = p.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
        }
    }
    all.sort();
    all.dedup();
    all
}

fn build_sections(site: &mut Site, raw: Vec<RawFile>, pages: &[RawFile]) {
    let all = wanted_sections(site, &raw, pages);
    let mut raw_by_key: HashMap<(String, String), RawFile> =
        raw.into_iter().map(|r| ((r.content_path.clone(), r.lang.clone()), r)).collect();
    for (path, lang) in all {
        let url = crate::urls::section(&site.config, &lang, &path);
        let section = match raw_by_key.remove(&(path.clone(), lang.clone())) {
            Some(r) => Section {
                title: r.front.title.clone().unwrap_or_else(|| folder_title(&path)),
                file: Some(r.relative),
                lang,
                content_path: path,
                front: r.front,
                url,
                body: r.body,
                body_line: r.body_line,
                parent: None,
                pages: vec![],
                listing: vec![],
                subsections: vec![],
            },
            None => Section {
                file: None,
                title: folder_title(&path),
                lang,
                content_path: path,
                front: FrontMatter::default(),
                url,
                body: String::new(),
                body_line: 1,
                parent: None,
                pages: vec![],
                listing: vec![],
                subsections: vec![],
            },
        };
        site.sections.push(section);
    }
    let index: HashMap<(String, String), usize> =
        site.sections.iter().enumerate().map(|(i, s)| ((s.content_path.clone(), s.lang.clone()), i)).collect();
    for i in 0..site.sections.len() {
        let s = &site.sections[i];
        if s.content_path.is_empty() {
            continue;
        }
        let parent = index[&(parent_path(&s.content_path), s.lang.clone())];
        site.sections[i].parent = Some(parent);
        site.sections[parent].subsections.push(i);
    }
}

/// A section with an `_index` file in some languages but not in others (a language added late)
/// shows its folder name as title there: a warning naming the file to write.
fn sections_missing_in_a_language(site: &Site) -> Vec<String> {
    let with_file: HashSet<&str> = site.sections.iter().filter(|s| s.file.is_some()).map(|s| s.content_path.as_str()).collect();
    site.sections
        .iter()
        .filter(|s| s.file.is_none() && with_file.contains(s.content_path.as_str()))
        .map(|s| {
            let folder = if s.content_path.is_empty() { String::new() } else { format!("{}/", s.content_path) };
            format!(
                "{CONTENT_DIR}/{folder}_index.{}.md: warning: missing, so this section has no title or text in `{}` (it shows `{}`): write it",
                s.lang,
                s.lang,
                if s.title.is_empty() { "nothing" } else { &s.title }
            )
        })
        .collect()
}

fn parent_path(content_path: &str) -> String {
    content_path.rsplit_once('/').map(|(a, _)| a.to_string()).unwrap_or_default()
}

/// The one place a `Page` is made from a file, for a full load and for a reload alike; with a
/// warning when the page's slug was too long for a file name and was shortened.
fn make_page(section_url: &str, section: usize, r: RawFile) -> Result<(Page, Option<String>), Diagnostic> {
    let name = r.content_path.rsplit('/').next().unwrap_or("").to_string();
    let whole = crate::slug::slugify_whole(r.front.slug.as_deref().unwrap_or(&name), &r.lang);
    let shortened = crate::slug::shorten(&whole);
    let warning = shortened.as_ref().map(|slug| {
        format!(
            "{}: warning: the slug is {} bytes, longer than a file name may be; it is published as `{slug}`: set a shorter `slug:` to choose it",
            r.relative.display(),
            whole.len(),
        )
    });
    let slug = shortened.unwrap_or(whole);
    if slug.is_empty() {
        return Err(Diagnostic::whole_file(&r.relative, "the page's slug is empty: set `slug:` in the front matter"));
    }
    let page = Page {
        file: r.relative,
        lang: r.lang,
        translation_key: r.front.translation_key.clone().unwrap_or_else(|| r.content_path.clone()),
        content_path: r.content_path,
        // Inherited from its translations: see `network::inherit`.
        date: None,
        updated: None,
        shared: Shared::default(),
        is_article: false,
        title: r.front.title.clone().unwrap_or(name),
        url: crate::urls::page(section_url, &slug),
        slug,
        section,
        body: r.body,
        body_line: r.body_line,
        unread: r.unread,
        assets: r.assets,
        front: r.front,
    };
    Ok((page, warning))
}

/// Newest first, then by weight and title: the order of the site's pages, and of every listing
/// (which sorts titles as its language does).
pub fn page_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    order_key(a).cmp(&order_key(b))
}

/// What [`page_order`] compares.
fn order_key(page: &Page) -> (std::cmp::Reverse<Option<NaiveDate>>, Option<i64>, &str, &Path) {
    (std::cmp::Reverse(page.date), page.front.weight, &page.title, &page.file)
}

/// Sorts pages into [`page_order`]. The order is found on their keys side by side, and each
/// page moved once into place: a page is large, and sorting the pages themselves moved each
/// many times.
fn sort_pages(pages: &mut [Page]) {
    let mut keys: Vec<_> = pages.par_iter().enumerate().map(|(i, page)| (order_key(page), i)).collect();
    keys.par_sort_unstable();
    let mut order: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    // Each cycle of the order in turn, in place: the page for place `k` is `order[k]`.
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let from = std::mem::replace(&mut order[k], k);
            if from == start || from == k {
                break;
            }
            pages.swap(k, from);
            k = from;
        }
    }
}

/// One page moved from `from` to `to` in the site's order, the pages between shifting by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub from: usize,
    pub to: usize,
}

impl Shift {
    /// A page's index after the shift, given its index before.
    pub fn index(&self, old: usize) -> usize {
        let Shift { from, to } = *self;
        if old == from {
            to
        } else if from < to && (from + 1..=to).contains(&old) {
            old - 1
        } else if to < from && (to..from).contains(&old) {
            old + 1
        } else {
            old
        }
    }

    /// Moves `items`, one per page in the site's order, as the pages moved.
    pub fn apply<T>(&self, items: &mut [T]) {
        if self.from < self.to {
            items[self.from..=self.to].rotate_left(1);
        } else {
            items[self.to..=self.from].rotate_right(1);
        }
    }
}

/// Puts page `i` back in page order after an edit moved it without changing anything else
/// about it (a new title among pages of the same date), and renumbers what is indexed by page:
/// sections' pages and listings, translation groups, taxonomy terms and stale translations.
/// Listings and terms are sorted again; what they hold is the same.
pub fn reorder(site: &mut Site, i: usize) -> Shift {
    let pages = &site.pages;
    let before = |p: &Page| page_order(p, &pages[i]) == std::cmp::Ordering::Less;
    let to = if i > 0 && !before(&pages[i - 1]) {
        pages[..i].partition_point(before)
    } else {
        i + pages[i + 1..].partition_point(before)
    };
    let shift = Shift { from: i, to };
    shift.apply(&mut site.pages);
    let renumber = |e: &mut Entry| e.page = shift.index(e.page);
    for s in &mut site.sections {
        s.pages.iter_mut().for_each(|p| *p = shift.index(*p));
        s.pages.sort_unstable();
        s.listing.iter_mut().for_each(renumber);
    }
    for s in 0..site.sections.len() {
        let mut listing = std::mem::take(&mut site.sections[s].listing);
        network::sort_listing(site, &mut listing, &site.sections[s].lang);
        site.sections[s].listing = listing;
    }
    for group in site.translations.values_mut() {
        group.iter_mut().for_each(|p| *p = shift.index(*p));
    }
    for term in site.taxonomies.values_mut().flat_map(|terms| terms.values_mut()) {
        term.entries.iter_mut().for_each(renumber);
        term.entries.sort();
    }
    site.stale = std::mem::take(&mut site.stale).into_iter().map(|(p, o)| (shift.index(p), shift.index(o))).collect();
    shift
}

/// Reads page `i`'s file again and makes it as loading does. `None` when the file is gone or
/// is now a draft: the caller loads the whole site again.
pub fn reload_page(site: &Site, i: usize, drafts: bool) -> Result<Option<Page>, Diagnostics> {
    let old = &site.pages[i];
    let file = site.root.join(&old.file);
    if !file.is_file() {
        return Ok(None);
    }
    let content_root = site.root.join(CONTENT_DIR);
    let Some((_, mut raw)) = read_file(&site.root, &content_root, &site.config, &LoadOptions { drafts, known: None }, &file)?
    else {
        return Ok(None);
    };
    raw.content_path = old.content_path.clone();
    raw.assets = old.assets.clone();
    let (mut page, _) = make_page(&site.sections[old.section].url, old.section, raw)?;
    // What the group shares and where the page sits stay as loading made them; a caller that
    // sees the page's own shared values change loads the site again.
    let own = Shared::of(&page.front);
    if own == Shared::of(&old.front) {
        (page.shared, page.date, page.updated) = (old.shared.clone(), old.date, old.updated);
    } else {
        (page.date, page.updated) = own.dates();
        page.shared = own;
    }
    page.is_article = old.is_article;
    Ok(Some(page))
}

fn build_pages(site: &mut Site, raw: Vec<RawFile>, errors: &mut Diagnostics) {
    let index: HashMap<(String, String), usize> =
        site.sections.iter().enumerate().map(|(i, s)| ((s.content_path.clone(), s.lang.clone()), i)).collect();
    // Making a page is independent per file: done in parallel, pages kept in file order.
    let sections = &site.sections;
    let made: Vec<_> = raw
        .into_par_iter()
        .map(|r| {
            let section = index[&(parent_path(&r.content_path), r.lang.clone())];
            make_page(&sections[section].url, section, r).map(|(page, shortened)| (shortened, page))
        })
        .collect();
    site.pages.reserve_exact(made.len());
    for result in made {
        match result {
            Ok((shortened, page)) => {
                site.warnings.extend(shortened);
                if !page.front.review.is_empty() {
                    site.warnings.push(format!(
                        "{}: warning: still to review before it is published: {} (remove `review:` once checked)",
                        page.file.display(),
                        page.front.review.join(", ")
                    ));
                }
                site.pages.push(page);
            }
            Err(e) => errors.push(e),
        }
    }
    network::inherit(site);
    for p in &mut site.pages {
        p.is_article = section_has_articles(&site.config, &site.sections[p.section]);
    }
    sort_pages(&mut site.pages);
    for (i, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(i);
        site.translations.entry(p.translation_key.clone()).or_default().push(i);
    }
    let order: HashMap<&str, usize> = site.config.languages.iter().enumerate().map(|(i, l)| (l.code.as_str(), i)).collect();
    for group in site.translations.values_mut() {
        group.sort_by_key(|&i| order.get(site.pages[i].lang.as_str()).copied().unwrap_or(usize::MAX));
    }
    let mut seen: HashMap<(&str, &str), &Path> = HashMap::new();
    for p in &site.pages {
        if let Some(other) = seen.insert((p.translation_key.as_str(), p.lang.as_str()), &p.file) {
            errors.push(Diagnostic::whole_file(
                &p.file,
                format!(
                    "two `{}` pages share the translation key `{}`: this one and {}; give one of them another `translation_key`",
                    p.lang,
                    p.translation_key,
                    other.display()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_become_replacement_characters() {
        let text = "---\ntitle: \"a\\0b\"\ntaxonomies:\n  topics: [\"x\\x00\"]\n---\nbody\0end\n";
        let (front, start, _) = split_front_matter(text, Path::new("a.md")).unwrap();
        let body = body_at(text.to_string(), start);
        assert_eq!(front.title.as_deref(), Some("a\u{FFFD}b"));
        assert_eq!(front.taxonomies["topics"], vec!["x\u{FFFD}".to_string()]);
        assert_eq!(body, "body\u{FFFD}end\n");
    }

    /// A site loaded from what the last build read of its files is the site loaded from the
    /// files, bodies aside: those are read on demand, and the originals of translations at once,
    /// so a current translation is not taken for stale.
    #[test]
    fn pages_known_from_the_last_build_load_as_read_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken/_base");
        std::fs::copy(base.join("site.yaml"), root.join("site.yaml")).unwrap();
        let news = root.join("content/news");
        std::fs::create_dir_all(&news).unwrap();
        std::fs::write(news.join("report.en.md"), "---\ntitle: Report\ndate: 2024-06-01\n---\nThe network grew.\n").unwrap();
        let load_with = |known| load(root, SiteConfig::load(root).unwrap(), &LoadOptions { drafts: false, known });
        let (site, _) = load_with(None);
        let version = network::version(&site.pages[0]);
        let translation = format!("---\ntitle: تقرير\ntranslated_from: {{lang: en, version: {version}}}\n---\nنمت الشبكة.\n");
        std::fs::write(news.join("report.ar.md"), translation).unwrap();
        std::fs::write(news.join("visit.en.md"), "---\ntitle: Visit\ndate: 2024-05-01\n---\n\nA visit.\n").unwrap();
        std::fs::write(news.join("note.en.md"), "\u{feff}A note without front matter.\n").unwrap();

        let (read, errors) = load_with(None);
        assert!(errors.is_empty() && read.stale.is_empty(), "{errors:?}");
        let known: Known = self::known(&read).map(|(file, front, line)| (file.to_path_buf(), (front.clone(), line))).collect();
        let (mut from_known, errors) = load_with(Some(std::sync::Arc::new(known)));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(from_known.stale.is_empty(), "the original's text was read: {:?}", from_known.stale);
        let unread = |site: &Site| site.pages.iter().filter(|p| p.unread).map(|p| p.file.clone()).collect::<Vec<_>>();
        let expected = ["content/news/report.ar.md", "content/news/visit.en.md", "content/news/note.en.md"];
        assert_eq!(unread(&from_known), expected.map(PathBuf::from));
        read_bodies(&mut from_known, 0..4).unwrap();
        let pages = |site: &Site| site.pages.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>();
        assert_eq!(pages(&from_known), pages(&read));
    }

    #[test]
    fn dates_become_rfc3339() {
        assert_eq!(rfc3339("2024-12-22").as_deref(), Some("2024-12-22T00:00:00Z"));
        assert_eq!(rfc3339("2024-12-22T10:00:00+01:00").as_deref(), Some("2024-12-22T10:00:00+01:00"));
        assert_eq!(rfc3339("22/12/2024"), None);
    }

    #[test]
    fn language_suffixes() {
        assert_eq!(split_language_suffix("visit.ar"), ("visit", Some("ar")));
        assert_eq!(split_language_suffix("visit.pt-BR"), ("visit", Some("pt-BR")));
        assert_eq!(split_language_suffix("visit.az-Arab"), ("visit", Some("az-Arab")));
        assert_eq!(split_language_suffix("v1.2"), ("v1.2", None));
    }
}
