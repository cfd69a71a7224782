//! Search: a Pagefind index of the rendered HTML, built in process (no Node.js) and written
//! under `/pagefind/` with Pagefind's own JS, CSS and WebAssembly. Pagefind keeps one index per
//! `<html lang>` and stems the languages it knows (English, Hindi, Arabic; Azerbaijani is
//! indexed unstemmed). When any page marks an element `data-pagefind-body`, only those elements
//! are indexed.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::path::Path;

/// Folder of the search bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Where the last search bundle is kept, under the site root.
const CACHE_FILE: &str = ".tessera-cache/search/bundle";

/// Indexes every generated HTML page of `output` and returns the bundle's files as
/// (path in the output, bytes), and whether they were reused: when no indexed page changed
/// since the last build of the site in `root`, its bundle is reused without indexing anything.
pub fn index(root: &Path, config: &SiteConfig, output: &Output) -> Result<(crate::output::Files, bool), Diagnostics> {
    let pages = pages(config, output);
    let key = key(&pages);
    let cache = root.join(CACHE_FILE);
    if let Some(files) = std::fs::read(&cache).ok().and_then(|bytes| cached::read(&bytes, &key)) {
        return Ok((files, true));
    }
    let files = index_pages(pages)?;
    // Best effort: failing to keep the bundle only costs the next build its reuse.
    if let Some(dir) = cache.parent() {
        let _ = std::fs::create_dir_all(dir).and_then(|_| {
            let mut file = tempfile::NamedTempFile::new_in(dir)?;
            std::io::Write::write_all(&mut file, &cached::write(&key, &files))?;
            file.persist(&cache).map(|_| ()).map_err(|e| e.error)
        });
    }
    Ok((files, false))
}

/// A hash of every indexed page (URL and HTML) and of the indexer's version.
fn key(pages: &[(String, String)]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(concat!("tessera ", env!("CARGO_PKG_VERSION"), "\0").as_bytes());
    for (url, html) in pages {
        hasher.update(url.as_bytes());
        hasher.update(b"\0");
        hasher.update(html.as_bytes());
        hasher.update(b"\0");
    }
    format!("{:032x}", hasher.digest128())
}

/// The kept bundle's file: the key's line, then each file as its name's length (u32), its
/// name, its length (u64) and its bytes, little-endian.
mod cached {
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

    /// The files, when `bytes` is a whole bundle kept for `key`.
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

    #[cfg(test)]
    mod tests {
        #[test]
        fn a_kept_bundle_reads_back_only_for_its_key() {
            let files = vec![("pagefind/a.js".to_string(), b"x".to_vec()), ("pagefind/b".to_string(), vec![0, 1, 2])];
            let bytes = super::write("k1", &files);
            assert_eq!(super::read(&bytes, "k1"), Some(files));
            assert_eq!(super::read(&bytes, "k2"), None);
            assert_eq!(super::read(&bytes[..bytes.len() - 1], "k1"), None);
        }
    }
}

/// The pages to index as (URL, HTML): a copy, so indexing can run while the site changes.
pub fn pages(config: &SiteConfig, output: &Output) -> Vec<(String, String)> {
    let base_path = config.base_path();
    output
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html") && !path.ends_with("404.html"))
        .map(|(path, bytes)| {
            let url = format!("{base_path}{}", path.strip_suffix("index.html").unwrap_or(path));
            (url, String::from_utf8_lossy(bytes).into_owned())
        })
        .collect()
}

/// Builds the search bundle from (URL, HTML) pages.
pub fn index_pages(pages: Vec<(String, String)>) -> Result<crate::output::Files, Diagnostics> {
    // Pagefind is async. A thread of its own keeps its runtime apart from any runtime the caller
    // runs in (`tessera serve` builds from inside one).
    let result = std::thread::scope(|scope| {
        scope
            .spawn(|| -> anyhow::Result<crate::output::Files> {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                runtime.block_on(build_bundle(pages))
            })
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the search indexer panicked")))
    });
    result.map_err(|e| Diagnostic::whole_file(crate::config::CONFIG_FILE, format!("cannot build the search index: {e:#}")).into())
}

async fn build_bundle(pages: Vec<(String, String)>) -> anyhow::Result<crate::output::Files> {
    let options = PagefindServiceConfig::builder().keep_index_url(false).build();
    let mut index = PagefindIndex::new(Some(options))?;
    for (url, html) in pages {
        index.add_html_file(None, Some(url.clone()), html).await.map_err(|e| e.context(format!("indexing {url}")))?;
    }
    let files = index.get_files().await?;
    Ok(files
        .into_iter()
        .map(|f| {
            let name = crate::urls::slash_path(&f.filename);
            (format!("{BUNDLE_DIR}/{name}"), f.contents)
        })
        .collect())
}
