//! Search: a Pagefind index of the rendered HTML, built in process (no Node.js) and written
//! under `/pagefind/` with Pagefind's own JS, CSS and WebAssembly. The index is written here
//! ([`bundle`], from what [`page`] reads of each page and the [`words`] forms), in Pagefind's
//! format and by its rules; a part with a page using Pagefind's other attributes is indexed by
//! Pagefind itself. There is one index per `<html lang>`, stemmed in the languages Pagefind
//! stems (English, Hindi, Arabic; Azerbaijani is indexed unstemmed). When any page marks an
//! element `data-pagefind-body`, only those elements are indexed, and pages without one are
//! left out.
//!
//! A language is indexed in parts of at most about [`PART_PAGES`] pages, each part a bundle of
//! its own, parts in parallel. A page's part follows from its URL alone, so an edit changes one
//! part. Each part is kept in `.tessera-cache/search/` under a hash of its pages: a rebuild
//! indexes again only the parts whose indexed pages changed. A language's first part goes into
//! the main bundle (`/pagefind/`), so any Pagefind UI finds it; its other parts go into folders
//! of their own (`/pagefind/en-3/`), listed in `/pagefind/tessera-parts.json`, which the
//! theme's search script passes to Pagefind's `mergeIndex`.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Files, Output};
use anyhow::Context;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod bundle;
mod page;
mod words;

/// Folder of the search bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Where each part of the last bundle is kept, under the site root.
const CACHE_DIR: &str = ".tessera-cache/search";

/// The file of the bundle that lists its languages: merged from every language's first part.
const ENTRY: &str = "pagefind-entry.json";

/// The file of the bundle that lists, per language, the folders of its other parts.
const PARTS: &str = "tessera-parts.json";

/// How many pages a part holds at most, on average. Indexing a part costs time and memory in
/// proportion to its pages; searching costs a request per part.
pub const PART_PAGES: usize = 1000;

/// What a build's search stage did, part by part (`en`, or `en 3/16` for a language in parts).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    /// Parts indexed again, because one of their indexed pages changed.
    pub indexed: Vec<String>,
    /// What was reused: languages whose every part was (`ar`), and how many of the other
    /// parts of a language partly indexed again (`15 other parts of en`).
    pub reused: Vec<String>,
}

/// One part of a language's pages, with the key of its kept bundle; its pages are read only
/// when it must be indexed again.
pub struct Part<'a> {
    lang: String,
    /// Which part (from 0) of how many the language is split into.
    number: usize,
    count: usize,
    key: String,
    pages: Vec<Page<'a>>,
}

/// Where a page is and what it holds: (path in the output, URL, fingerprint of its HTML).
type PagePlace = (String, String, u128);

/// A page to index: (URL, fingerprint of its HTML, HTML).
type Page<'a> = (String, u128, Html<'a>);

/// A page's HTML: its bytes (owned when the site may change while indexing: the live server),
/// or the file holding them, read only when the page is indexed.
enum Html<'a> {
    Bytes(Cow<'a, [u8]>),
    File(PathBuf),
}

/// The search work of one build: parts whose bundle is kept, and parts to index.
pub struct Plan<'a> {
    cache: Option<PathBuf>,
    /// Parts whose file keeps their bundle: the bundle is read when the plan runs.
    kept: Vec<Part<'a>>,
    pending: Vec<Part<'a>>,
    /// What every page said of itself, kept for the next build when the plan runs, and what
    /// the last build's pages said (dropped then too).
    facts: (facts::Known, facts::Known),
}

/// A search index being made on a thread of its own ([`Plan::run`]). Dropped unfinished, it
/// waits for the thread, which may be writing the cache.
pub struct Indexing(Option<std::thread::JoinHandle<Result<(Files, Stats), Diagnostics>>>);

impl Indexing {
    /// Starts running `plan`.
    pub fn start(plan: Plan<'static>) -> Indexing {
        Indexing(Some(std::thread::spawn(move || plan.run())))
    }

    /// The bundle, once made.
    pub fn finish(mut self) -> Result<(Files, Stats), Diagnostics> {
        let thread = self.0.take().expect("an index is finished once");
        thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl Drop for Indexing {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// Indexes the generated HTML pages of `output` (see [`plan`] and [`Plan::run`]).
pub fn index(root: &Path, config: &SiteConfig, output: &Output) -> Result<(Files, Stats), Diagnostics> {
    plan(Some(root), config, output).run()
}

/// The files of every bundle whatever its pages (Pagefind's scripts, styles and WebAssembly, and
/// its entry file): the ones templates link to. Known by making a bundle of no page, once.
pub fn fixed_files() -> &'static BTreeSet<String> {
    static FILES: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    FILES
        .get_or_init(|| index_part("", vec![]).map(|files| files.into_iter().map(|(path, _)| path).collect()).unwrap_or_default())
}

/// Splits the pages to index into parts and looks up each part's kept bundle under `root`
/// (`None`: keep nothing). Only the pages of parts to index again are read for indexing.
pub fn plan<'a>(root: Option<&Path>, config: &SiteConfig, output: &'a Output) -> Plan<'a> {
    let cache = root.map(|r| r.join(CACHE_DIR));
    let known = cache.as_deref().map(facts::read).unwrap_or_default();
    let (parts, facts) = parts(config, output, part_pages(), &known);
    let (mut kept, mut pending) = (Vec::new(), Vec::new());
    for (mut part, urls) in parts {
        match cache.as_deref().is_some_and(|c| kept_for(c, &part)) {
            true => kept.push(part),
            false => {
                let html = |path: &String| match (output.files.get(path), output.kept.get(path)) {
                    (Some(bytes), _) => Some(Html::Bytes(Cow::Borrowed(bytes.as_slice()))),
                    (None, Some(kept)) => Some(Html::File(kept.file.clone())),
                    (None, None) => None,
                };
                part.pages = urls.into_iter().filter_map(|(path, url, print)| Some((url, print, html(&path)?))).collect();
                pending.push(part);
            }
        }
    }
    Plan { cache, kept, pending, facts: (facts, known) }
}

/// Pages per part: [`PART_PAGES`], or `TESSERA_TEST_SEARCH_PART_PAGES` when set (for tests,
/// which need parts on small sites).
fn part_pages() -> usize {
    std::env::var("TESSERA_TEST_SEARCH_PART_PAGES").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(PART_PAGES)
}

impl<'a> Part<'a> {
    /// Parts sort by language, then number.
    fn order(&self) -> (&str, usize) {
        (&self.lang, self.number)
    }

    /// `en` for a language in one part, `en 3/16` for its third of sixteen.
    fn label(&self) -> String {
        if self.count == 1 { self.lang.clone() } else { format!("{} {}/{}", self.lang, self.number + 1, self.count) }
    }

    /// The file its bundle is kept in: the language tag reduced to letters, digits and `-`,
    /// then the part.
    fn cache_file(&self) -> String {
        format!("{}-{}-of-{}.bundle", safe_tag(&self.lang), self.number + 1, self.count)
    }

    /// The folder, under the bundle, of a part other than its language's first.
    fn folder(&self) -> String {
        format!("{}-{}/", safe_tag(&self.lang), self.number + 1)
    }
}

impl<'a> Plan<'a> {
    /// Copies the pages still to index, so the plan outlives the output it was made from.
    pub fn into_owned(self) -> Plan<'static> {
        let owned = |part: Part<'a>| Part {
            pages: part
                .pages
                .into_iter()
                .map(|(url, print, html)| match html {
                    Html::Bytes(bytes) => (url, print, Html::Bytes(Cow::Owned(bytes.into_owned()))),
                    Html::File(file) => (url, print, Html::File(file)),
                })
                .collect(),
            lang: part.lang,
            number: part.number,
            count: part.count,
            key: part.key,
        };
        Plan {
            cache: self.cache,
            kept: self.kept.into_iter().map(owned).collect(),
            pending: self.pending.into_iter().map(owned).collect(),
            facts: self.facts,
        }
    }

    /// Indexes the pending parts in parallel, keeps their bundles, forgets kept bundles of
    /// parts the site no longer has, and returns the whole bundle as (path in the output,
    /// bytes). The kept bundles are read, and what the pages said of themselves kept, while
    /// the pending parts are indexed.
    pub fn run(self) -> Result<(Files, Stats), Diagnostics> {
        let cache = self.cache;
        // Threads of their own, not rayon's: Pagefind uses rayon's pool inside, which a rayon
        // worker blocked on it would starve.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(self.pending.len().max(1));
        let queue = std::sync::Mutex::new(self.pending.into_iter());
        let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
        let (facts, known) = self.facts;
        let (kept, results) = std::thread::scope(|scope| {
            let kept = scope.spawn(|| {
                if let Some(dir) = &cache {
                    facts::write(dir, &facts);
                }
                drop((facts, known));
                self.kept.into_iter().map(|part| read_kept(cache.as_deref(), part)).collect::<Result<Vec<_>, _>>()
            });
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        while let Some(mut part) = next() {
                            let files = index_part(&part.lang, std::mem::take(&mut part.pages));
                            if let (Some(dir), Ok(files)) = (&cache, &files) {
                                keep(dir, &part, files);
                            }
                            done.push(files.map(|files| (part, files)));
                        }
                        done
                    })
                })
                .collect();
            let results: Vec<Result<(Part, Files), Diagnostics>> =
                handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect();
            (kept.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), results)
        });
        let kept = kept?;
        crate::timings::mark("search parts indexed");
        let mut fresh = results.into_iter().collect::<Result<Vec<_>, Diagnostics>>()?;
        fresh.sort_by(|a, b| a.0.order().cmp(&b.0.order()));
        let mut reused: BTreeMap<&str, usize> = BTreeMap::new();
        for (part, _) in &kept {
            *reused.entry(&part.lang).or_default() += 1;
        }
        let partly = |lang: &str| fresh.iter().any(|(part, _)| part.lang == lang);
        let reused = reused
            .into_iter()
            .map(|(lang, n)| match partly(lang) {
                true => format!("{n} other part{} of {lang}", if n == 1 { "" } else { "s" }),
                false => lang.to_string(),
            })
            .collect();
        let stats = Stats { indexed: fresh.iter().map(|(part, _)| part.label()).collect(), reused };
        let mut all: Vec<(Part, Files)> = kept.into_iter().chain(fresh).collect();
        all.sort_by(|a, b| a.0.order().cmp(&b.0.order()));
        if let Some(dir) = &cache {
            forget_others(dir, &all);
        }
        Ok((assemble(all), stats))
    }
}

/// The parts of the pages to index, each with the (output path, URL, fingerprint) of its pages,
/// in path order ([`split`]). When any page marks an element `data-pagefind-body`, pages without
/// one are left out, as Pagefind would leave them out. Also returns what every page said of
/// itself, for the next build (`known`: the last build's).
fn parts<'a>(
    config: &SiteConfig,
    output: &Output,
    per_part: usize,
    known: &facts::Known,
) -> (Vec<(Part<'a>, Vec<PagePlace>)>, facts::Known) {
    let paths: Vec<&String> = output.generated().filter(|path| path.ends_with(".html") && !path.ends_with("404.html")).collect();
    let marks_body = |bytes: &[u8]| memchr::memmem::find(bytes, b"data-pagefind-body").is_some();
    // What each page says of itself: known from the last build for a page kept as it was,
    // else read (its bytes dropped at once).
    let pages: Vec<(&String, facts::Facts)> = paths
        .into_par_iter()
        .filter_map(|path| {
            let kept = output.kept.get(path).map(|k| k.print);
            if let (Some(print), Some(facts)) = (kept, known.get(path))
                && facts.print == print
            {
                return Some((path, facts.clone()));
            }
            let bytes = output.read(path)?;
            let print = kept.unwrap_or_else(|| crate::output::fingerprint(&bytes));
            Some((path, facts::Facts { print, lang: html_lang(&bytes), marks_body: marks_body(&bytes) }))
        })
        .collect();
    let parts = split(&config.base_path(), per_part, pages.iter().map(|(path, facts)| (*path, facts)));
    (parts, pages.into_iter().map(|(path, facts)| (path.clone(), facts)).collect())
}

/// Splits pages (output path, what the page said) into parts, each with the (output path, URL,
/// fingerprint) of its pages in path order. Pages are grouped by `<html lang>` as Pagefind
/// groups them; a language of `n` pages is split into the power of two of parts nearest above
/// `n / per_part`, so a page changes part only when its language doubles or halves; empty parts
/// are left out. Each part's key hashes its pages' URLs and HTML and the indexer's version and
/// [`bundle::FORMAT`].
fn split<'a, 'f>(
    base_path: &str,
    per_part: usize,
    pages: impl Iterator<Item = (&'f String, &'f facts::Facts)>,
) -> Vec<(Part<'a>, Vec<PagePlace>)> {
    let mut pages: Vec<_> = pages.collect();
    pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let some_mark_body = pages.iter().any(|(_, facts)| facts.marks_body);
    let mut languages: BTreeMap<&str, Vec<PagePlace>> = BTreeMap::new();
    for (path, facts) in pages {
        if some_mark_body && !facts.marks_body {
            continue;
        }
        let url = format!("{base_path}{}", path.strip_suffix("index.html").unwrap_or(path));
        languages.entry(&facts.lang).or_default().push((path.clone(), url, facts.print));
    }
    let mut parts = Vec::new();
    for (lang, pages) in languages {
        let count = pages.len().div_ceil(per_part).max(1).next_power_of_two();
        let mut split: Vec<Vec<PagePlace>> = vec![Vec::new(); count];
        for page in pages {
            split[(xxhash_rust::xxh3::xxh3_64(page.1.as_bytes()) % count as u64) as usize].push(page);
        }
        for (number, pages) in split.into_iter().enumerate().filter(|(_, pages)| !pages.is_empty()) {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hasher.update(concat!("tessera ", env!("CARGO_PKG_VERSION"), "\0").as_bytes());
            hasher.update(bundle::FORMAT.as_bytes());
            for (_, url, print) in &pages {
                hasher.update(url.as_bytes());
                hasher.update(b"\0");
                hasher.update(&print.to_le_bytes());
            }
            let key = format!("{:032x}", hasher.digest128());
            parts.push((Part { lang: lang.to_string(), number, count, key, pages: Vec::new() }, pages));
        }
    }
    parts
}

/// The `lang` of a page's `<html>` element, lowercased as Pagefind reads it; `unknown` without one.
fn html_lang(html: &[u8]) -> String {
    let head = &html[..html.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let tag = memchr::memmem::find(&lower, b"<html").map(|start| {
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        &lower[start + 5..end]
    });
    let lang = tag.and_then(|tag| {
        let mut rest = tag;
        while let Some(at) = memchr::memmem::find(rest, b"lang") {
            let before = at.checked_sub(1).map(|i| rest[i]);
            let after = rest[at + 4..].iter().skip_while(|b| b.is_ascii_whitespace()).copied().collect::<Vec<u8>>();
            if before.is_some_and(|b| b.is_ascii_whitespace()) && after.first() == Some(&b'=') {
                let value = after[1..].iter().skip_while(|b| b.is_ascii_whitespace()).copied().collect::<Vec<u8>>();
                let (quote, body) = match value.first() {
                    Some(&q @ (b'"' | b'\'')) => (Some(q), &value[1..]),
                    _ => (None, &value[..]),
                };
                let end = body.iter().position(|&b| quote.map_or(b.is_ascii_whitespace() || b == b'/', |q| b == q));
                return Some(String::from_utf8_lossy(&body[..end.unwrap_or(body.len())]).into_owned());
            }
            rest = &rest[at + 4..];
        }
        None
    });
    lang.filter(|l| !l.is_empty()).unwrap_or_else(|| "unknown".to_string())
}

/// Indexes one part's pages into a bundle of its own: made here ([`bundle`]) when every page
/// can be read here, else by Pagefind. Pagefind is async: a part it indexes runs on a runtime
/// of its own, apart from any runtime the caller runs in.
fn index_part(lang: &str, pages: Vec<Page>) -> Result<Files, Diagnostics> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> anyhow::Result<Files> {
        if !pages.is_empty() {
            let html = pages.iter().map(|(url, _, html)| Ok((url.as_str(), html.bytes()?)));
            if let Some(made) = bundle::make(lang, html) {
                return made;
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(pagefind_bundle(pages))
    }))
    .unwrap_or_else(|_| Err(anyhow::anyhow!("the search indexer panicked")));
    result.map_err(|e| Diagnostic::whole_file(crate::config::CONFIG_FILE, format!("cannot build the search index: {e:#}")).into())
}

impl Html<'_> {
    /// The page's bytes, read from its file if need be.
    fn bytes(&self) -> anyhow::Result<Cow<'_, [u8]>> {
        match self {
            Html::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Html::File(file) => Ok(Cow::Owned(std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?)),
        }
    }
}

/// A new index, with the options every part is indexed with.
fn new_index() -> anyhow::Result<PagefindIndex> {
    PagefindIndex::new(Some(PagefindServiceConfig::builder().keep_index_url(false).build()))
}

/// Gives `index` a page. Pagefind takes the HTML as a String.
async fn add(index: &mut PagefindIndex, url: &str, html: String) -> anyhow::Result<()> {
    index.add_html_file(None, Some(url.to_string()), html).await.map(|_| ()).map_err(|e| e.context(format!("indexing {url}")))
}

/// Pagefind's bundle of the pages, given in order, one page's HTML copied or read at a time.
async fn pagefind_bundle(pages: Vec<Page<'_>>) -> anyhow::Result<Files> {
    let mut index = new_index()?;
    for (url, _, html) in pages {
        let html = text(html.bytes()?.into_owned());
        add(&mut index, &url, html).await?;
    }
    let files = index.get_files().await?;
    Ok(files.into_iter().map(|f| (format!("{BUNDLE_DIR}/{}", crate::urls::slash_path(&f.filename)), f.contents)).collect())
}

/// A page's bytes as text, without a copy when they are UTF-8.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The whole bundle from the parts, in (language, number) order: each language's first part
/// merged into the main bundle, its other parts' index files each in their folder, and the
/// list of those folders.
fn assemble(parts: Vec<(Part, Files)>) -> Files {
    let mut main = Vec::new();
    let mut others: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files = Vec::new();
    let mut langs = BTreeSet::new();
    for (part, bundle) in parts {
        if langs.insert(part.lang.clone()) {
            main.push(bundle);
            continue;
        }
        let folder = part.folder();
        for (path, bytes) in bundle {
            let Some(rel) = path.strip_prefix(&format!("{BUNDLE_DIR}/")) else { continue };
            // A merged index is searched with the main bundle's scripts and WebAssembly: it
            // needs only its entry, metadata and index files.
            let needed = rel == ENTRY
                || rel.ends_with(".pf_meta")
                || ["index/", "fragment/", "filter/"].iter().any(|d| rel.starts_with(d));
            if needed {
                files.push((format!("{BUNDLE_DIR}/{folder}{rel}"), bytes));
            }
        }
        others.entry(part.lang).or_default().push(folder);
    }
    let listed = serde_json::to_vec(&others).unwrap_or_default();
    files.push((format!("{BUNDLE_DIR}/{PARTS}"), listed));
    files.extend(merge(main.into_iter()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// One bundle from each language's first part: their files side by side (Pagefind names a
/// language's files after it; the scripts and styles are the same in every part) and one entry
/// file listing every language.
fn merge(parts: impl Iterator<Item = Files>) -> Files {
    let entry_path = format!("{BUNDLE_DIR}/{ENTRY}");
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut entry: Option<serde_json::Value> = None;
    for part in parts {
        for (path, bytes) in part {
            if path != entry_path {
                files.entry(path).or_insert(bytes);
                continue;
            }
            let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else { continue };
            match &mut entry {
                None => entry = Some(value),
                Some(merged) => {
                    if let (Some(all), Some(more)) = (merged["languages"].as_object_mut(), value["languages"].as_object_mut()) {
                        all.append(more);
                    }
                }
            }
        }
    }
    if let Some(entry) = entry {
        files.insert(entry_path, entry.to_string().into_bytes());
    }
    files.into_iter().collect()
}

/// Whether the file of `part` in the cache folder `dir` keeps its bundle for its current pages:
/// its first line is the part's key (its bundle is read by [`read_kept`]).
fn kept_for(dir: &Path, part: &Part) -> bool {
    use std::io::Read;
    let line = kept::key_line(&part.key);
    let mut start = vec![0; line.len()];
    let read = std::fs::File::open(dir.join(part.cache_file())).and_then(|mut file| file.read_exact(&mut start));
    read.is_ok() && start == line
}

/// The bundle kept for `part` ([`kept_for`]). Failing to read it now is a fault of the disk, or
/// another build of the site replaced it meanwhile: the file is removed and the build fails.
fn read_kept<'a>(dir: Option<&Path>, part: Part<'a>) -> Result<(Part<'a>, Files), Diagnostics> {
    let path = dir.map(|d| d.join(part.cache_file())).unwrap_or_default();
    match std::fs::read(&path).ok().and_then(|bytes| kept::read(&bytes, &part.key)) {
        Some(files) => Ok((part, files)),
        None => {
            let _ = std::fs::remove_file(&path);
            let message =
                format!("cannot read the search index kept in {}; it is removed: build again to make it anew", path.display());
            Err(Diagnostic::whole_file(crate::config::CONFIG_FILE, message).into())
        }
    }
}

/// Keeps a part's bundle for the next build. Best effort: failing to keep it only costs the
/// next build its reuse.
fn keep(dir: &Path, part: &Part, files: &Files) {
    write_cache(dir, &part.cache_file(), &kept::write(&part.key, files));
}

/// Writes `bytes` as `name` in the cache folder `dir`, whole or not at all. Best effort: the
/// cache only saves the next build work.
fn write_cache(dir: &Path, name: &str, bytes: &[u8]) {
    let _ = std::fs::create_dir_all(dir).and_then(|_| {
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.persist(dir.join(name)).map(|_| ()).map_err(|e| e.error)
    });
}

/// Removes the kept bundles of parts the site no longer has (a language gone, or split
/// differently). Best effort, like [`keep`].
fn forget_others(dir: &Path, parts: &[(Part, Files)]) {
    let current: BTreeSet<String> = parts.iter().map(|(part, _)| part.cache_file()).collect();
    for entry in std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".bundle") && !current.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A language tag reduced to letters, digits and `-`, for file and folder names.
fn safe_tag(lang: &str) -> String {
    lang.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// What each indexed page said of itself in the last build, kept beside the parts, so that a
/// rebuild need not read the pages it kept as they were: one line per page, its fingerprint,
/// whether it marks `data-pagefind-body`, its language and its path, tab-separated.
mod facts {
    use std::collections::HashMap;
    use std::path::Path;

    const FILE: &str = "pages";

    #[derive(Debug, Clone, PartialEq)]
    pub struct Facts {
        pub print: u128,
        pub lang: String,
        pub marks_body: bool,
    }

    /// Path in the output -> what the page said.
    pub type Known = HashMap<String, Facts>;

    pub fn read(dir: &Path) -> Known {
        let text = std::fs::read_to_string(dir.join(FILE)).unwrap_or_default();
        parse(&text)
    }

    pub fn parse(text: &str) -> Known {
        text.lines()
            .filter_map(|line| {
                let mut fields = line.splitn(4, '\t');
                let print = u128::from_str_radix(fields.next()?, 16).ok()?;
                let marks_body = fields.next()? == "1";
                let lang = fields.next()?.to_string();
                Some((fields.next()?.to_string(), Facts { print, lang, marks_body }))
            })
            .collect()
    }

    pub fn format(known: &Known) -> String {
        let mut lines: Vec<String> = known
            .iter()
            .filter(|(path, facts)| !path.contains(['\t', '\n']) && !facts.lang.contains(['\t', '\n']))
            .map(|(path, f)| format!("{:032x}\t{}\t{}\t{path}\n", f.print, u8::from(f.marks_body), f.lang))
            .collect();
        lines.sort();
        lines.concat()
    }

    /// Best effort, like the parts: without it the next build reads every page.
    pub fn write(dir: &Path, known: &Known) {
        super::write_cache(dir, FILE, format(known).as_bytes());
    }
}

/// A kept part's file: the key's line, then each file as its name's length (u32), its name,
/// its length (u64) and its bytes, little-endian.
mod kept {
    /// The line a kept part's file starts with.
    pub fn key_line(key: &str) -> Vec<u8> {
        format!("{key}\n").into_bytes()
    }

    pub fn write(key: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut out = key_line(key);
        for (name, bytes) in files {
            out.extend((name.len() as u32).to_le_bytes());
            out.extend(name.as_bytes());
            out.extend((bytes.len() as u64).to_le_bytes());
            out.extend(bytes);
        }
        out
    }

    /// The files, when `bytes` is a whole part kept for `key`.
    pub fn read(bytes: &[u8], key: &str) -> Option<Vec<(String, Vec<u8>)>> {
        let mut rest = bytes.strip_prefix(key_line(key).as_slice())?;
        let mut files = Vec::new();
        while !rest.is_empty() {
            let name_len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let name = String::from_utf8(rest.get(4..4 + name_len)?.to_vec()).ok()?;
            rest = &rest[4 + name_len..];
            let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
            files.push((name, rest.get(8..8 + len)?.to_vec()));
            rest = &rest[8 + len..];
        }
        Some(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_part_reads_back_only_for_its_key() {
        let files = vec![("pagefind/a.js".to_string(), b"x".to_vec()), ("pagefind/b".to_string(), vec![0, 1, 2])];
        let bytes = kept::write("k1", &files);
        assert_eq!(kept::read(&bytes, "k1"), Some(files));
        assert_eq!(kept::read(&bytes, "k2"), None);
        assert_eq!(kept::read(&bytes[..bytes.len() - 1], "k1"), None);
    }

    /// A kept file is chosen by its key's line alone; its bundle is read when the plan runs, and
    /// one that cannot be read then fails the build and goes, so the next build makes it anew.
    #[test]
    fn a_kept_part_is_chosen_by_its_key_and_a_damaged_one_goes() {
        let dir = tempfile::tempdir().unwrap();
        let part = |key: &str| Part { lang: "en".into(), number: 0, count: 2, key: key.into(), pages: Vec::new() };
        let files = vec![("pagefind/a.js".to_string(), b"abc".to_vec())];
        let bytes = kept::write("k1", &files);
        let path = dir.path().join(part("k1").cache_file());
        std::fs::write(&path, &bytes).unwrap();
        assert!(!kept_for(dir.path(), &part("k2")), "another key");
        assert!(kept_for(dir.path(), &part("k1")), "its key");
        assert_eq!(read_kept(Some(dir.path()), part("k1")).ok().map(|(_, f)| f), Some(files));

        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(kept_for(dir.path(), &part("k1")), "its key still");
        let error = read_kept(Some(dir.path()), part("k1")).err().expect("a damaged bundle").to_string();
        assert!(error.contains("cannot read the search index kept in") && error.contains("build again"), "{error}");
        assert!(!path.exists(), "the damaged file is removed");
    }

    #[test]
    fn the_language_is_read_from_the_html_element_as_pagefind_reads_it() {
        for (html, lang) in [
            ("<!doctype html><html lang=\"ar\" dir=\"rtl\"><body>", "ar"),
            ("<!DOCTYPE html>\n<HTML dir='ltr' LANG='EN-gb'>", "en-gb"),
            ("<html data-lang=\"x\" lang=hi>", "hi"),
            ("<html><body lang=\"az\">", "unknown"),
            ("<p>no html element</p>", "unknown"),
        ] {
            assert_eq!(html_lang(html.as_bytes()), lang, "{html}");
        }
    }

    #[test]
    fn a_language_s_other_parts_keep_only_their_index_files_in_folders_of_their_own() {
        let part =
            |lang: &str, number: usize| Part { lang: lang.into(), number, count: 4, key: String::new(), pages: Vec::new() };
        let bundle = |lang: &str, number: usize| {
            vec![
                (format!("{BUNDLE_DIR}/pagefind.js"), b"js".to_vec()),
                (format!("{BUNDLE_DIR}/wasm.{lang}.pagefind"), b"wasm".to_vec()),
                (format!("{BUNDLE_DIR}/{ENTRY}"), format!(r#"{{"version":"1","languages":{{"{lang}":{{}}}}}}"#).into_bytes()),
                (format!("{BUNDLE_DIR}/pagefind.{lang}_{number}.pf_meta"), vec![]),
                (format!("{BUNDLE_DIR}/index/{lang}_{number}.pf_index"), vec![]),
                (format!("{BUNDLE_DIR}/fragment/{lang}_{number}.pf_fragment"), vec![]),
            ]
        };
        // English in parts 2 and 4 of 4 (1 and 3 are empty), Arabic in part 1.
        let files =
            assemble(vec![(part("ar", 0), bundle("ar", 0)), (part("en", 1), bundle("en", 1)), (part("en", 3), bundle("en", 3))]);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "pagefind/en-4/fragment/en_3.pf_fragment",
                "pagefind/en-4/index/en_3.pf_index",
                "pagefind/en-4/pagefind-entry.json",
                "pagefind/en-4/pagefind.en_3.pf_meta",
                "pagefind/fragment/ar_0.pf_fragment",
                "pagefind/fragment/en_1.pf_fragment",
                "pagefind/index/ar_0.pf_index",
                "pagefind/index/en_1.pf_index",
                "pagefind/pagefind-entry.json",
                "pagefind/pagefind.ar_0.pf_meta",
                "pagefind/pagefind.en_1.pf_meta",
                "pagefind/pagefind.js",
                "pagefind/tessera-parts.json",
                "pagefind/wasm.ar.pagefind",
                "pagefind/wasm.en.pagefind",
            ]
        );
        let listed = &files.iter().find(|(p, _)| p.ends_with(PARTS)).unwrap().1;
        assert_eq!(String::from_utf8_lossy(listed), r#"{"en":["en-4/"]}"#);
        assert_eq!(part("en", 3).label(), "en 4/4");
    }

    #[test]
    fn what_pages_said_reads_back_as_written() {
        let mut known = facts::Known::new();
        known.insert("ar/news/x/index.html".into(), facts::Facts { print: 7 << 100, lang: "ar".into(), marks_body: true });
        known.insert("index.html".into(), facts::Facts { print: 1, lang: "unknown".into(), marks_body: false });
        known.insert("odd\tname.html".into(), facts::Facts { print: 2, lang: "en".into(), marks_body: false });
        let back = facts::parse(&facts::format(&known));
        known.remove("odd\tname.html");
        assert_eq!(back, known);
    }

    #[test]
    fn parts_merge_into_one_entry_listing_every_language() {
        let part = |lang: &str| {
            vec![
                (format!("{BUNDLE_DIR}/pagefind.js"), b"same".to_vec()),
                (format!("{BUNDLE_DIR}/pagefind.{lang}_1.pf_meta"), lang.as_bytes().to_vec()),
                (
                    format!("{BUNDLE_DIR}/{ENTRY}"),
                    format!(r#"{{"version":"1","languages":{{"{lang}":{{"hash":"{lang}_1","wasm":null,"page_count":2}}}},"include_characters":[]}}"#)
                        .into_bytes(),
                ),
            ]
        };
        let merged = merge([part("en"), part("ar")].into_iter());
        let names: Vec<&str> = merged.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "pagefind/pagefind-entry.json",
                "pagefind/pagefind.ar_1.pf_meta",
                "pagefind/pagefind.en_1.pf_meta",
                "pagefind/pagefind.js"
            ]
        );
        let entry: serde_json::Value = serde_json::from_slice(&merged[0].1).unwrap();
        assert_eq!(entry["languages"].as_object().unwrap().keys().collect::<Vec<_>>(), ["ar", "en"]);
        assert_eq!(entry["version"], "1");
    }
}
