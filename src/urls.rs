//! Every URL path the site writes, built in one place from the configuration's base path and
//! language roots: sections, pages, stand-ins, taxonomies and terms, listing pages, feeds,
//! sitemaps, 404 pages, and where each lands in the output folder.

use crate::config::SiteConfig;
use crate::slug::slugify;
use std::path::Path;

/// File name of every Atom feed.
pub const FEED_FILE: &str = "atom.xml";

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// URL of the section at `content_path` (`""` for the home) in `lang`.
pub fn section(config: &SiteConfig, lang: &str, content_path: &str) -> String {
    let mut url = config.language_root(lang);
    // A folder whose name has no letter or digit adds no segment (never an empty one).
    for slug in content_path.split('/').map(|part| slugify(part, lang)).filter(|s| !s.is_empty()) {
        url.push_str(&slug);
        url.push('/');
    }
    url
}

/// URL of a page with `slug` in the section at `section_url`.
pub fn page(section_url: &str, slug: &str) -> String {
    format!("{section_url}{slug}/")
}

/// URL of a taxonomy's list of terms in `lang`.
pub fn taxonomy(config: &SiteConfig, lang: &str, taxonomy: &str) -> String {
    format!("{}{}/", config.language_root(lang), slugify(taxonomy, lang))
}

/// URL of a taxonomy term (whose slug in `lang` is `term_slug`).
pub fn term(config: &SiteConfig, lang: &str, taxonomy_name: &str, term_slug: &str) -> String {
    format!("{}{term_slug}/", taxonomy(config, lang, taxonomy_name))
}

/// URL of listing page `n` (1-based) of a listing at `url`.
pub fn pager(url: &str, n: usize) -> String {
    if n <= 1 { url.to_string() } else { format!("{url}page/{n}/") }
}

/// The Atom feed of a listing (a language's home or a term) at `url`.
pub fn feed(url: &str) -> String {
    format!("{url}{FEED_FILE}")
}

/// The 404 page of a language.
pub fn not_found(config: &SiteConfig, lang: &str) -> String {
    format!("{}404.html", config.language_root(lang))
}

/// The sitemap of one language, e.g. `/network/sitemap-ar.xml`.
pub fn sitemap(config: &SiteConfig, lang: &str) -> String {
    format!("{}sitemap-{lang}.xml", config.base_path())
}

/// The sitemap index listing every language's sitemap.
pub fn sitemap_index(config: &SiteConfig) -> String {
    format!("{}sitemap.xml", config.base_path())
}

/// A file at the root of the published site, e.g. `robots.txt` or `favicon.svg`.
pub fn root_file(config: &SiteConfig, name: &str) -> String {
    format!("{}{}", config.base_path(), name.trim_start_matches('/'))
}

/// `/network/ar/news/x/` -> `ar/news/x/`: where a URL path lands inside the output folder.
pub fn output_path(config: &SiteConfig, url: &str) -> String {
    url.strip_prefix(&config.base_path()).unwrap_or(url.trim_start_matches('/')).to_string()
}

/// The file a URL path is written to: `ar/news/x/index.html` for a folder URL.
pub fn output_file(config: &SiteConfig, url: &str) -> String {
    let mut path = output_path(config, url);
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "base_url: https://org.github.io/network\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: az, name: Azərbaycan}\n",
            Path::new("site.yaml"),
        )
        .unwrap()
    }

    #[test]
    fn urls_carry_the_base_path_and_language_root() {
        let c = config();
        assert_eq!(section(&c, "az", "news/İqlim"), "/network/az/news/iqlim/");
        assert_eq!(term(&c, "en", "topics", "trade"), "/network/topics/trade/");
        assert_eq!(pager("/network/news/", 2), "/network/news/page/2/");
        assert_eq!(pager("/network/news/", 1), "/network/news/");
        assert_eq!(output_file(&c, "/network/az/news/x/"), "az/news/x/index.html");
        assert_eq!(output_file(&c, &not_found(&c, "az")), "az/404.html");
        assert_eq!(output_path(&c, &sitemap_index(&c)), "sitemap.xml");
    }
}
