//! Atom feeds: one per language at `<language root>atom.xml` listing the whole network's
//! articles (stand-ins for those without a translation), and one per taxonomy term at
//! `<term url>atom.xml` for taxonomies declared with `feed: true`. Newest first, with absolute
//! links; an article without a date comes last, updated on the build date.

use super::views::SiteValues;
use crate::content::{Entry, Site, network};
use crate::escape::xml as escape;
use crate::output::plan::{Origin, Plan};
use crate::urls;
use std::collections::HashSet;

/// Entries per feed; readers only look at the newest.
pub const FEED_LIMIT: usize = 50;

/// Every feed, as (path in the output, bytes).
pub fn render(site: &Site, values: &SiteValues) -> crate::output::Files {
    let config = &site.config;
    let today = format!("{}T00:00:00Z", chrono::Utc::now().date_naive());
    feeds(site)
        .into_iter()
        .map(|feed| {
            let doc = Feed { site, values, lang: feed.lang, title: &feed.title, home: &feed.home, today: &today };
            (urls::output_path(config, &urls::feed(&feed.home)), doc.write(&feed.entries))
        })
        .collect()
}

/// The pages the feeds show (whose Markdown they print).
pub fn pages(site: &Site) -> impl Iterator<Item = usize> {
    feeds(site).into_iter().flat_map(|feed| feed.entries.into_iter().map(|e| e.page))
}

/// One feed: its language, title, listing and newest entries.
struct Listing<'a> {
    lang: &'a str,
    title: String,
    home: String,
    entries: Vec<Entry>,
}

/// Every feed: each language's news, and each term's where its taxonomy has feeds.
fn feeds(site: &Site) -> Vec<Listing<'_>> {
    let config = &site.config;
    let mut feeds = Vec::new();
    for lang in config.language_codes() {
        let mut seen = HashSet::new();
        let entries: Vec<Entry> = site
            .pages
            .iter()
            .filter(|p| p.is_article && seen.insert(p.translation_key.as_str()))
            .filter_map(|p| network::entry_in(site, p, lang))
            .take(FEED_LIMIT)
            .collect();
        feeds.push(Listing { lang, title: config.language_title(lang).to_string(), home: config.language_root(lang), entries });
    }
    for ((lang, taxonomy), terms) in &site.taxonomies {
        if !config.taxonomy(taxonomy).is_some_and(|t| t.feed) {
            continue;
        }
        for term in terms.values().filter(|t| !t.url.is_empty()) {
            let title = format!("{} — {}", config.language_title(lang), term.name);
            let entries: Vec<Entry> = term.entries.iter().take(FEED_LIMIT).copied().collect();
            feeds.push(Listing { lang, title, home: term.url.clone(), entries });
        }
    }
    feeds
}

/// The feeds [`render`] writes, for the output plan.
pub fn plan(site: &Site, plan: &mut Plan) {
    let config = &site.config;
    let origin = |what: String| Origin::new(crate::config::CONFIG_FILE, 0, what);
    for lang in config.language_codes() {
        let path = urls::output_path(config, &urls::feed(&config.language_root(lang)));
        plan.add(&path, origin(format!("the `{lang}` news feed")));
    }
    for ((lang, taxonomy), terms) in &site.taxonomies {
        if config.taxonomy(taxonomy).is_some_and(|t| t.feed) {
            for term in terms.values().filter(|t| !t.url.is_empty()) {
                let path = urls::output_path(config, &urls::feed(&term.url));
                plan.add(&path, origin(format!("the `{lang}` feed of the `{taxonomy}` term `{}`", term.key)));
            }
        }
    }
}

/// One Atom document in `lang` for the listing at `home`.
struct Feed<'a> {
    site: &'a Site,
    values: &'a SiteValues,
    lang: &'a str,
    title: &'a str,
    home: &'a str,
    /// The build date, for articles without one.
    today: &'a str,
}

impl Feed<'_> {
    fn write(&self, entries: &[Entry]) -> Vec<u8> {
        let config = &self.site.config;
        let updated =
            entries.iter().filter_map(|e| self.site.pages[e.page].modified()).max().unwrap_or_else(|| self.today.to_string());
        let self_abs = config.absolute(&urls::feed(self.home));
        let mut xml = String::new();
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", escape(self.lang)));
        xml.push_str(&format!("  <title>{}</title>\n", escape(self.title)));
        if let Some(d) = config.language(self.lang).and_then(|l| l.description.as_deref()) {
            xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
        }
        xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(&self_abs)));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&config.absolute(self.home))
        ));
        xml.push_str(&format!("  <id>{}</id>\n", escape(&self_abs)));
        xml.push_str(&format!("  <updated>{updated}</updated>\n"));
        xml.push_str(&format!("  <author><name>{}</name></author>\n", escape(&config.title)));
        xml.push_str("  <generator>tessera</generator>\n");
        for &entry in entries {
            self.entry(&mut xml, entry);
        }
        xml.push_str("</feed>\n");
        xml.into_bytes()
    }

    /// One `<entry>`: the page, or for a stand-in the original (marked with its language) at the
    /// stand-in's URL with the headline and summary localised for the feed's language if any.
    fn entry(&self, xml: &mut String, entry: Entry) {
        let site = self.site;
        let config = &site.config;
        let page = &site.pages[entry.page];
        let key = (page.translation_key.clone(), self.lang.to_string());
        let url = if entry.stand_in { site.stand_ins.get(&key).cloned().unwrap_or_default() } else { page.url.clone() };
        let localised = if entry.stand_in { super::views::localised_for(site, page, self.lang) } else { None };
        let permalink = config.absolute(&url);
        let updated = page.modified().unwrap_or_else(|| self.today.to_string());
        match entry.stand_in {
            true => xml.push_str(&format!("  <entry xml:lang=\"{}\">\n", escape(&page.lang))),
            false => xml.push_str("  <entry>\n"),
        }
        let title = localised.and_then(|l| l.title.as_deref()).unwrap_or(&page.title);
        xml.push_str(&format!("    <title>{}</title>\n", escape(title)));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&permalink)));
        xml.push_str(&format!("    <id>{}</id>\n", escape(&permalink)));
        if let Some(published) = page.published() {
            xml.push_str(&format!("    <published>{published}</published>\n"));
        }
        xml.push_str(&format!("    <updated>{updated}</updated>\n"));
        for (taxonomy, terms) in &page.shared.taxonomies {
            for term in terms {
                let label = config.term_name(self.lang, taxonomy, term);
                xml.push_str(&format!("    <category term=\"{}\" label=\"{}\"/>\n", escape(term), escape(&label)));
            }
        }
        let summary = localised.and_then(|l| l.summary.clone()).or_else(|| page.front.description.clone()).unwrap_or_default();
        if !summary.is_empty() {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        }
        let base = config.absolute(&page.url);
        let body = self.values.page_body(entry.page);
        let html = absolute_urls(body.as_str().unwrap_or_default(), config, &base);
        xml.push_str(&format!("    <content type=\"html\" xml:base=\"{}\">{}</content>\n", escape(&base), escape(&html)));
        xml.push_str("  </entry>\n");
    }
}

/// `html` with every `src`, `href` and `srcset` URL made absolute against `base` (the page's
/// permalink): feed readers show entries away from the site and many ignore `xml:base`.
fn absolute_urls(html: &str, config: &crate::config::SiteConfig, base: &str) -> String {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let absolute = |url: &str| -> String {
        if url.starts_with("//") || url.contains("://") || url.starts_with(['#', '?']) || url.starts_with("mailto:") {
            url.to_string()
        } else if url.starts_with('/') {
            config.absolute(url)
        } else {
            format!("{base}{url}")
        }
    };
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("[src], [href], [srcset]", |el| {
        for name in ["src", "href"] {
            if let Some(value) = el.get_attribute(name) {
                el.set_attribute(name, &absolute(&value))?;
            }
        }
        if let Some(value) = el.get_attribute("srcset") {
            let list: Vec<String> = value
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    match candidate.split_once(' ') {
                        Some((url, size)) => format!("{} {size}", absolute(url)),
                        None => absolute(candidate),
                    }
                })
                .collect();
            el.set_attribute("srcset", &list.join(", "))?;
        }
        Ok(())
    }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn feed_urls_are_absolute() {
        let html = r##"<p><a href="/en/news/a/">a</a> <a href="#x">b</a> <img src="/processed_images/p.1.jpg" srcset="/p.480.jpg 480w, /p.800.jpg 800w"> <a href="report.pdf">r</a></p>"##;
        let yaml = "base_url: https://net.example/\ntitle: N\ndefault_language: en\nlanguages: [{code: en, name: English}]\n";
        let config = crate::config::SiteConfig::parse(yaml, std::path::Path::new("site.yaml")).unwrap();
        let out = super::absolute_urls(html, &config, "https://net.example/en/news/b/");
        assert!(out.contains(r#"href="https://net.example/en/news/a/""#), "{out}");
        assert!(out.contains(r##"href="#x""##), "{out}");
        assert!(out.contains(r#"src="https://net.example/processed_images/p.1.jpg""#), "{out}");
        assert!(out.contains("https://net.example/p.480.jpg 480w, https://net.example/p.800.jpg 800w"), "{out}");
        assert!(out.contains(r#"href="https://net.example/en/news/b/report.pdf""#), "{out}");
    }
}
