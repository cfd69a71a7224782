//! Sitemaps and robots.txt: `/sitemap.xml` is an index of one `/sitemap-<lang>.xml` per language;
//! every URL lists all its language versions as `xhtml:link` hreflang alternates plus
//! `x-default` (the default language's version, else the first that exists), so the sets are
//! reciprocal by construction. `robots.txt` points at the index.

use super::Taxonomies;
use crate::escape::xml as escape;
use crate::urls;
use crate::content::Site;
use crate::slug::slugify;
use std::collections::BTreeMap;

/// One URL in one language.
struct Entry {
    lang: String,
    url: String,
    lastmod: Option<String>,
}

/// Every sitemap file and robots.txt as (path in the output, bytes).
pub fn render(site: &Site, taxonomies: &Taxonomies) -> crate::output::Files {
    let config = &site.config;
    let groups = alternate_groups(site, taxonomies);
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for lang in config.language_codes() {
        let url = sitemap_url(config, lang);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", escape(&config.absolute(&url))));
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for group in &groups {
            for entry in group.iter().filter(|e| e.lang == lang) {
                xml.push_str("  <url>\n");
                xml.push_str(&format!("    <loc>{}</loc>\n", escape(&config.absolute(&entry.url))));
                if let Some(m) = &entry.lastmod {
                    xml.push_str(&format!("    <lastmod>{m}</lastmod>\n"));
                }
                for (hreflang, href) in alternates(site, group) {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        escape(&hreflang),
                        escape(&config.absolute(href))
                    ));
                }
                xml.push_str("  </url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        files.push((urls::output_path(config, &url), xml.into_bytes()));
    }
    index.push_str("</sitemapindex>\n");
    let index_url = format!("{}sitemap.xml", config.base_path());
    files.push((urls::output_path(config, &index_url), index.into_bytes()));
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", config.absolute(&index_url));
    files.push((urls::output_path(config, &format!("{}robots.txt", config.base_path())), robots.into_bytes()));
    files
}

/// URL path of the sitemap of one language, e.g. `/network/sitemap-ar.xml`.
pub fn sitemap_url(config: &crate::config::SiteConfig, lang: &str) -> String {
    format!("{}sitemap-{lang}.xml", config.base_path())
}

/// hreflang -> URL path for every language version in `group`, then `x-default`.
fn alternates<'a>(site: &Site, group: &'a [Entry]) -> Vec<(String, &'a str)> {
    let mut list: Vec<(String, &str)> = group.iter().map(|e| (e.lang.clone(), e.url.as_str())).collect();
    let default = group.iter().find(|e| e.lang == site.config.default_language).or_else(|| group.first());
    if let Some(d) = default {
        list.push(("x-default".to_string(), d.url.as_str()));
    }
    list
}

/// The site's URLs grouped by what they show, each group in site language order.
fn alternate_groups(site: &Site, taxonomies: &Taxonomies) -> Vec<Vec<Entry>> {
    let config = &site.config;
    let order = |lang: &str| config.languages.iter().position(|l| l.code == lang).unwrap_or(usize::MAX);
    let mut groups: BTreeMap<(u8, String), Vec<Entry>> = BTreeMap::new();
    for s in &site.sections {
        // Same rule as the section's translations: it exists when it has a file, pages, or is a home.
        if s.file.is_none() && s.pages.is_empty() && !s.content_path.is_empty() {
            continue;
        }
        let lastmod = s.pages.iter().filter_map(|&p| site.pages[p].modified()).max();
        groups.entry((0, s.content_path.clone())).or_default().push(Entry { lang: s.lang.clone(), url: s.url.clone(), lastmod });
    }
    for p in &site.pages {
        groups.entry((1, p.translation_key.clone())).or_default().push(Entry {
            lang: p.lang.clone(),
            url: p.url.clone(),
            lastmod: p.modified(),
        });
    }
    for ((lang, taxonomy), terms) in taxonomies.iter().filter(|((_, t), _)| config.taxonomy(t).is_some_and(|t| t.render)) {
        let list_url = format!("{}{}/", config.language_root(lang), slugify(taxonomy, lang));
        groups.entry((2, taxonomy.clone())).or_default().push(Entry { lang: lang.clone(), url: list_url, lastmod: None });
        for (slug, term) in terms {
            let lastmod = term.pages.iter().filter_map(|&p| site.pages[p].modified()).max();
            groups.entry((3, format!("{taxonomy}/{slug}"))).or_default().push(Entry {
                lang: lang.clone(),
                url: term.url.clone(),
                lastmod,
            });
        }
    }
    groups
        .into_values()
        .map(|mut g| {
            g.sort_by_key(|e| order(&e.lang));
            g
        })
        .collect()
}
