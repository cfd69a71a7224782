//! Search: a Pagefind index of the rendered HTML, built in process (no Node.js) and written
//! under `/pagefind/` with Pagefind's own JS, CSS and WebAssembly. Pagefind keeps one index per
//! `<html lang>` and stems the languages it knows (English, Hindi, Arabic; Azerbaijani is
//! indexed unstemmed). When any page marks an element `data-pagefind-body`, only those elements
//! are indexed, and pages without one are left out.
//!
//! Each language is indexed on its own, languages in parallel, and its part of the bundle is
//! kept in `.tessera-cache/search/` under a hash of its pages: a rebuild indexes again only the
//! languages whose indexed pages changed, and merges their parts into one bundle.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Files, Output};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder of the search bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Where each language's part of the last bundle is kept, under the site root.
const CACHE_DIR: &str = ".tessera-cache/search";

/// The file of the bundle that lists its languages: merged from every language's part.
const ENTRY: &str = "pagefind-entry.json";

/// What a build's search stage did, language by language.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    /// Languages indexed again, because one of their indexed pages changed.
    pub indexed: Vec<String>,
    /// Languages whose kept part was reused.
    pub reused: Vec<String>,
}

/// One language's pages to index, with the key of its kept part.
pub struct Language<'a> {
    pub lang: String,
    key: String,
    pages: Vec<Page<'a>>,
}

/// A page to index: (URL, HTML), the HTML owned when the site may change while indexing (the
/// live server).
type Page<'a> = (String, Cow<'a, [u8]>);

/// The search work of one build: languages whose part is kept, and languages to index.
pub struct Plan<'a> {
    cache: Option<PathBuf>,
    kept: Vec<(String, Files)>,
    pending: Vec<Language<'a>>,
}

/// Indexes the generated HTML pages of `output` (see [`plan`] and [`Plan::run`]).
pub fn index(root: &Path, config: &SiteConfig, output: &Output) -> Result<(Files, Stats), Diagnostics> {
    plan(Some(root), config, output).run()
}

/// Groups the pages to index by language and looks up each language's kept part under `root`
/// (`None`: keep nothing). Only the pages of languages to index again are borrowed.
pub fn plan<'a>(root: Option<&Path>, config: &SiteConfig, output: &'a Output) -> Plan<'a> {
    let cache = root.map(|r| r.join(CACHE_DIR));
    let (mut kept, mut pending) = (Vec::new(), Vec::new());
    for language in languages(config, output) {
        match cache.as_deref().and_then(|c| read_kept(c, &language)) {
            Some(files) => kept.push((language.lang, files)),
            None => pending.push(language),
        }
    }
    Plan { cache, kept, pending }
}

impl<'a> Plan<'a> {
    /// Copies the pages still to index, so the plan outlives the output it was made from.
    pub fn into_owned(self) -> Plan<'static> {
        let pending = self
            .pending
            .into_iter()
            .map(|l| Language {
                lang: l.lang,
                key: l.key,
                pages: l.pages.into_iter().map(|(url, html)| (url, Cow::Owned(html.into_owned()))).collect(),
            })
            .collect();
        Plan { cache: self.cache, kept: self.kept, pending }
    }

    /// Indexes the pending languages in parallel, keeps their parts and returns the merged
    /// bundle as (path in the output, bytes).
    pub fn run(self) -> Result<(Files, Stats), Diagnostics> {
        let cache = self.cache;
        // Threads of their own, not rayon's: Pagefind uses rayon's pool inside, which a rayon
        // worker blocked on it would starve.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(self.pending.len().max(1));
        let queue = std::sync::Mutex::new(self.pending.into_iter());
        let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
        let results: Vec<Result<(String, Files), Diagnostics>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        while let Some(language) = next() {
                            let files = index_language(language.pages);
                            if let (Some(dir), Ok(files)) = (&cache, &files) {
                                keep(dir, &language.lang, &language.key, files);
                            }
                            done.push(files.map(|files| (language.lang, files)));
                        }
                        done
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        let mut fresh = results.into_iter().collect::<Result<Vec<_>, Diagnostics>>()?;
        fresh.sort_by(|a, b| a.0.cmp(&b.0));
        let stats = Stats {
            indexed: fresh.iter().map(|(lang, _)| lang.clone()).collect(),
            reused: self.kept.iter().map(|(lang, _)| lang.clone()).collect(),
        };
        Ok((merge(self.kept.into_iter().chain(fresh).map(|(_, files)| files)), stats))
    }
}

/// The pages to index, grouped by `<html lang>` as Pagefind groups them, each group with a hash
/// of its pages' URLs and HTML and of the indexer's version. When any page marks an element
/// `data-pagefind-body`, pages without one are left out, as Pagefind would leave them out.
fn languages<'a>(config: &SiteConfig, output: &'a Output) -> Vec<Language<'a>> {
    let base_path = config.base_path();
    let paths: Vec<&String> = output.generated().filter(|path| path.ends_with(".html") && !path.ends_with("404.html")).collect();
    let mut html: Vec<(&String, Cow<'a, [u8]>)> =
        paths.into_par_iter().filter_map(|path| Some((path, output.read(path)?))).collect();
    html.sort_by(|a, b| a.0.cmp(b.0));
    let marks_body = |bytes: &[u8]| memchr::memmem::find(bytes, b"data-pagefind-body").is_some();
    let some_mark_body = html.par_iter().any(|(_, bytes)| marks_body(bytes));
    let mut groups: BTreeMap<String, Vec<Page<'a>>> = BTreeMap::new();
    for (path, bytes) in html {
        if some_mark_body && !marks_body(&bytes) {
            continue;
        }
        let url = format!("{base_path}{}", path.strip_suffix("index.html").unwrap_or(path));
        groups.entry(html_lang(&bytes)).or_default().push((url, bytes));
    }
    groups
        .into_par_iter()
        .map(|(lang, pages)| {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hasher.update(concat!("tessera ", env!("CARGO_PKG_VERSION"), "\0").as_bytes());
            for (url, html) in &pages {
                hasher.update(url.as_bytes());
                hasher.update(b"\0");
                hasher.update(html);
                hasher.update(b"\0");
            }
            Language { lang, key: format!("{:032x}", hasher.digest128()), pages }
        })
        .collect()
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

/// Indexes one language's pages into its own bundle. Pagefind is async: each language runs on
/// a thread of its own with its own runtime, apart from any runtime the caller runs in.
fn index_language(pages: Vec<Page>) -> Result<Files, Diagnostics> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> anyhow::Result<Files> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(build_bundle(pages))
    }))
    .unwrap_or_else(|_| Err(anyhow::anyhow!("the search indexer panicked")));
    result.map_err(|e| Diagnostic::whole_file(crate::config::CONFIG_FILE, format!("cannot build the search index: {e:#}")).into())
}

async fn build_bundle(pages: Vec<Page<'_>>) -> anyhow::Result<Files> {
    let options = PagefindServiceConfig::builder().keep_index_url(false).build();
    let mut index = PagefindIndex::new(Some(options))?;
    for (url, html) in pages {
        // One page's HTML is copied at a time: Pagefind takes it as a String.
        let html = String::from_utf8_lossy(&html).into_owned();
        index.add_html_file(None, Some(url.clone()), html).await.map_err(|e| e.context(format!("indexing {url}")))?;
    }
    let files = index.get_files().await?;
    Ok(files.into_iter().map(|f| (format!("{BUNDLE_DIR}/{}", crate::urls::slash_path(&f.filename)), f.contents)).collect())
}

/// One bundle from each language's part: their files side by side (Pagefind names a
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

/// The kept part of `language`, when it was kept for its current pages.
fn read_kept(dir: &Path, language: &Language) -> Option<Files> {
    let bytes = std::fs::read(dir.join(file_name(&language.lang))).ok()?;
    kept::read(&bytes, &language.key)
}

/// Keeps a language's part for the next build. Best effort: failing to keep it only costs the
/// next build its reuse.
fn keep(dir: &Path, lang: &str, key: &str, files: &Files) {
    let _ = std::fs::create_dir_all(dir).and_then(|_| {
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut file, &kept::write(key, files))?;
        file.persist(dir.join(file_name(lang))).map(|_| ()).map_err(|e| e.error)
    });
}

/// The cache file of a language: its tag, reduced to letters, digits and `-`.
fn file_name(lang: &str) -> String {
    let safe: String = lang.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("{safe}.bundle")
}

/// A kept part's file: the key's line, then each file as its name's length (u32), its name,
/// its length (u64) and its bytes, little-endian.
mod kept {
    pub fn write(key: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut out = format!("{key}\n").into_bytes();
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
        let mut rest = bytes.strip_prefix(format!("{key}\n").as_bytes())?;
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
