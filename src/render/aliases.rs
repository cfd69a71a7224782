//! Alias redirects: each path in a page's front matter `aliases` gets a small HTML page that
//! sends readers (meta refresh, link) and search engines (canonical) to the page's URL.
//! Alias paths are relative to the base path: `/2019/old-summit/` and `old.html` both work.

use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::output::plan::{Origin, Plan};

/// Plans every alias redirect: an alias that is not a plain path inside the site is an error
/// on the line that names it; one that another output also writes is caught by the plan.
pub fn plan(site: &Site, plan: &mut Plan) {
    plan.add(REDIRECTS_FILE, Origin::new(crate::config::CONFIG_FILE, 0, "the host redirects file (_redirects)"));
    for page in &site.pages {
        for alias in &page.front.aliases {
            let line = crate::content::front_matter_line(&site.root, &page.file, &["aliases:", alias]);
            let what = format!("the alias `{}` of {}", alias.escape_debug(), page.file.display());
            match alias_file(alias) {
                Some(path) => plan.add(&path, Origin::new(&page.file, line, what)),
                None => plan.errors.push(Diagnostic::new(
                    &page.file,
                    line,
                    0,
                    format!("{what} is not a path inside the site: write it like `/2019/old-title/` or `old.html`"),
                )),
            }
        }
    }
}

/// The `_redirects` file Netlify and Cloudflare Pages read: a real 301 for every alias, then
/// each language's 404 page for the misses under its root (the longest roots first).
pub const REDIRECTS_FILE: &str = "_redirects";

pub fn redirects(site: &Site) -> crate::output::Files {
    let config = &site.config;
    let base = config.base_path();
    let mut lines = String::from("# Written by tessera: alias redirects, then each language's 404 page.\n");
    for page in &site.pages {
        for alias in page.front.aliases.iter().filter(|a| alias_file(a).is_some()) {
            lines.push_str(&format!("{base}{} {} 301\n", alias.trim().trim_start_matches('/'), page.url));
        }
    }
    let mut roots: Vec<(String, &str)> = config.language_codes().into_iter().map(|l| (config.language_root(l), l)).collect();
    roots.sort_by_key(|(root, _)| std::cmp::Reverse(root.len()));
    for (root, lang) in roots {
        lines.push_str(&format!("{root}* {} 404\n", crate::urls::not_found(config, lang)));
    }
    vec![(crate::urls::output_path(config, &format!("{base}{REDIRECTS_FILE}")), lines.into_bytes())]
}

/// Redirect pages as (path in the output, bytes), for aliases [`plan`] accepted.
pub fn render(site: &Site) -> crate::output::Files {
    let config = &site.config;
    let mut files = Vec::new();
    for page in &site.pages {
        let target = config.absolute(&page.url);
        for path in page.front.aliases.iter().filter_map(|a| alias_file(a)) {
            files.push((path, redirect_page(&page.lang, &target).into_bytes()));
        }
    }
    files
}

/// `/2019/old/` -> `2019/old/index.html`; `old.html` -> `old.html`; `old` -> `old/index.html`.
fn alias_file(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() || trimmed.contains("://") || trimmed.contains('\\') {
        return None;
    }
    // A path, not a URL with a query or fragment. Names no file system takes (`..`, empty
    // parts, control characters, parts over 255 bytes) are the output plan's errors.
    if trimmed.contains(['?', '#']) {
        return None;
    }
    let last = trimmed.rsplit('/').next().unwrap_or("");
    Some(if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else if last.ends_with(".html") || last.ends_with(".htm") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    })
}

fn redirect_page(lang: &str, target: &str) -> String {
    let lang = crate::escape::xml(lang);
    let target = crate::escape::xml(target);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{target}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n\
         <body data-pagefind-ignore=\"all\"><a href=\"{target}\">{target}</a></body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths_become_files() {
        assert_eq!(alias_file("/2019/old/").as_deref(), Some("2019/old/index.html"));
        assert_eq!(alias_file("old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_file("/old").as_deref(), Some("old/index.html"));
        let unwritable = |a: &str| crate::output::plan::name_problem(&alias_file(a).unwrap()).is_some();
        assert!(unwritable("../etc/") && unwritable("a//b/") && unwritable("old\u{e}/"));
        assert_eq!(alias_file("https://x.org/a/"), None);
        assert_eq!(alias_file("/"), None);
        assert_eq!(alias_file("old?id=3"), None);
    }
}
