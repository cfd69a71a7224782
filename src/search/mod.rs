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

/// Folder of the search bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Indexes every generated HTML page of `output` and returns the bundle's files as
/// (path in the output, bytes).
pub fn index(config: &SiteConfig, output: &Output) -> Result<crate::output::Files, Diagnostics> {
    index_pages(pages(config, output))
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
