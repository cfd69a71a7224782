//! Atom feeds: one per language at `<language root>atom.xml`, and one per taxonomy term at
//! `<term url>atom.xml` for taxonomies declared with `feed: true`. Entries are the dated pages,
//! newest first, with absolute links.

use super::Taxonomies;
use crate::escape::xml as escape;
use crate::urls;
use crate::content::Site;
use crate::markdown::Rendered;

/// Entries per feed; readers only look at the newest.
pub const FEED_LIMIT: usize = 50;
pub const FEED_FILE: &str = "atom.xml";

/// The feeds `select` picks, by language and, for a term's feed, (taxonomy, term slug), as
/// (path in the output, bytes).
pub fn render(
    site: &Site,
    rendered: &[Rendered],
    taxonomies: &Taxonomies,
    select: &dyn Fn(&str, Option<(&str, &str)>) -> bool,
) -> crate::output::Files {
    let config = &site.config;
    let mut feeds = Vec::new();
    for lang in config.language_codes().into_iter().filter(|l| select(l, None)) {
        let pages: Vec<usize> = (0..site.pages.len()).filter(|&i| site.pages[i].lang == lang).collect();
        let url = format!("{}{FEED_FILE}", config.language_root(lang));
        let title = config.language_title(lang).to_string();
        feeds.push((urls::output_path(config, &url), feed(site, rendered, lang, &title, &config.language_root(lang), &url, &pages)));
    }
    for ((lang, taxonomy), terms) in taxonomies {
        if !config.taxonomy(taxonomy).is_some_and(|t| t.feed) {
            continue;
        }
        for term in terms.values().filter(|t| select(lang, Some((taxonomy, &t.slug)))) {
            let url = format!("{}{FEED_FILE}", term.url);
            let title = format!("{} — {}", config.language_title(lang), term.name);
            feeds.push((urls::output_path(config, &url), feed(site, rendered, lang, &title, &term.url, &url, &term.pages)));
        }
    }
    feeds
}

/// One Atom document over `pages` (indexes into `site.pages`, already newest first).
fn feed(site: &Site, rendered: &[Rendered], lang: &str, title: &str, home: &str, self_url: &str, pages: &[usize]) -> Vec<u8> {
    let config = &site.config;
    let entries: Vec<&usize> = pages.iter().filter(|&&i| site.pages[i].date.is_some()).take(FEED_LIMIT).collect();
    let updated =
        entries.iter().filter_map(|&&i| site.pages[i].modified()).max().unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let self_abs = config.absolute(self_url);
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", escape(lang)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    if let Some(d) = config.language(lang).and_then(|l| l.description.as_deref()) {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
    }
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(&self_abs)));
    xml.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&config.absolute(home))));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&self_abs)));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", escape(&config.title)));
    xml.push_str("  <generator>tessera</generator>\n");
    for &&i in &entries {
        let page = &site.pages[i];
        let permalink = config.absolute(&page.url);
        let published = page.published().unwrap_or_else(|| updated.clone());
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape(&page.title)));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&permalink)));
        xml.push_str(&format!("    <id>{}</id>\n", escape(&permalink)));
        xml.push_str(&format!("    <published>{published}</published>\n"));
        xml.push_str(&format!("    <updated>{}</updated>\n", page.modified().unwrap_or(published)));
        for (taxonomy, terms) in &page.front.taxonomies {
            for term in terms {
                let label = config.term_name(&page.lang, taxonomy, term);
                xml.push_str(&format!("    <category term=\"{}\" label=\"{}\"/>\n", escape(term), escape(&label)));
            }
        }
        let summary = page.front.description.clone().unwrap_or_default();
        if !summary.is_empty() {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        }
        let html = &rendered[i].html;
        xml.push_str(&format!("    <content type=\"html\" xml:base=\"{}\">{}</content>\n", escape(&permalink), escape(html)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;


}
