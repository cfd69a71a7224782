//! Sitemaps and robots.txt: `/sitemap.xml` is an index of one `/sitemap-<lang>.xml` per language.
//! Every page with hreflang alternates is listed with exactly the alternates its head prints
//! (both come from [`jobs::alternates`]); stand-ins, 404 pages and the language chooser are not.
//! `robots.txt` points at the index.

use super::jobs::{self, Job};
use crate::content::Site;
use crate::escape::xml as escape;
use crate::output::plan::{Origin, Plan};
use crate::urls;

/// The files [`render`] writes, for the output plan.
pub fn plan(site: &Site, plan: &mut Plan) {
    let config = &site.config;
    let origin = |what: &str| Origin::new(crate::config::CONFIG_FILE, 0, what);
    for lang in config.language_codes() {
        plan.add(&urls::output_path(config, &urls::sitemap(config, lang)), origin(&format!("the `{lang}` sitemap")));
    }
    plan.add(&urls::output_path(config, &urls::sitemap_index(config)), origin("the sitemap index"));
    plan.add(&urls::output_path(config, &urls::root_file(config, "robots.txt")), origin("robots.txt"));
}

/// Every sitemap file and robots.txt as (path in the output, bytes).
pub fn render(site: &Site, all: &[Job]) -> crate::output::Files {
    let config = &site.config;
    let mut files = Vec::new();
    let mut listings = std::collections::HashMap::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for lang in config.language_codes() {
        let url = urls::sitemap(config, lang);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", escape(&config.absolute(&url))));
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        // By address: the file stays as it is when pages only change order.
        let mut entries: Vec<(String, &Job)> =
            all.iter().filter(|j| jobs::language(site, j) == Some(lang)).map(|job| (jobs::url(site, job), job)).collect();
        entries.sort_unstable();
        for (url, job) in entries {
            let alternates = jobs::alternates(site, job);
            if alternates.is_empty() {
                continue;
            }
            xml.push_str("  <url>\n");
            xml.push_str(&format!("    <loc>{}</loc>\n", escape(&config.absolute(&url))));
            if let Some(m) = jobs::last_modified(site, job, &mut listings) {
                xml.push_str(&format!("    <lastmod>{m}</lastmod>\n"));
            }
            for a in alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(&a.hreflang),
                    escape(&a.href)
                ));
            }
            xml.push_str("  </url>\n");
        }
        xml.push_str("</urlset>\n");
        files.push((urls::output_path(config, &url), xml.into_bytes()));
    }
    index.push_str("</sitemapindex>\n");
    let index_url = urls::sitemap_index(config);
    files.push((urls::output_path(config, &index_url), index.into_bytes()));
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", config.absolute(&index_url));
    files.push((urls::output_path(config, &urls::root_file(config, "robots.txt")), robots.into_bytes()));
    files
}
