//! Alias redirects: each path in a page's front matter `aliases` gets a small HTML page that
//! sends readers (meta refresh, link) and search engines (canonical) to the page's URL.
//! Alias paths are relative to the base path: `/2019/old-summit/` and `old.html` both work.

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::urls;
use std::collections::BTreeMap;

/// Redirect pages as (path in the output, bytes). An alias that is not a plain path, or that
/// would replace a file the build already writes, is an error naming the page.
pub fn render(site: &Site, written: &BTreeMap<String, Vec<u8>>) -> Result<crate::output::Files, Diagnostics> {
    let config = &site.config;
    let mut errors = Diagnostics::default();
    let mut files: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    for page in &site.pages {
        let target = config.absolute(&page.url);
        for alias in &page.front.aliases {
            let Some(path) = alias_file(alias) else {
                errors.push(Diagnostic::whole_file(
                    &page.file,
                    format!("alias `{alias}` is not a path inside the site: write it like `/2019/old-title/` or `old.html`"),
                ));
                continue;
            };
            if written.contains_key(&path) {
                errors.push(Diagnostic::whole_file(
                    &page.file,
                    format!("alias `{alias}` would replace {path}, which the site already has: remove the alias"),
                ));
                continue;
            }
            if let Some((other, _)) = files.get(&path) {
                errors.push(Diagnostic::whole_file(
                    &page.file,
                    format!("alias `{alias}` is also an alias of {other}: keep it on one page"),
                ));
                continue;
            }
            let url = format!("{}{}", config.base_path(), path);
            debug_assert_eq!(urls::output_path(config, &url), path);
            files.insert(path, (page.file.display().to_string(), redirect_page(&page.lang, &target).into_bytes()));
        }
    }
    errors.into_result(files.into_iter().map(|(p, (_, bytes))| (p, bytes)).collect())
}

/// `/2019/old/` -> `2019/old/index.html`; `old.html` -> `old.html`; `old` -> `old/index.html`.
fn alias_file(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() || trimmed.contains("://") || trimmed.contains('\\') {
        return None;
    }
    // Plain path segments only: no `.`/`..`, no empty segment, no control character or URL
    // query/fragment, each short enough for a file name.
    let parts: Vec<&str> = trimmed.strip_suffix('/').unwrap_or(trimmed).split('/').collect();
    if parts.iter().any(|part| matches!(*part, "" | "." | "..") || part.len() > 255)
        || trimmed.chars().any(|c| c.is_control() || c == '?' || c == '#')
    {
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
        assert_eq!(alias_file("../etc/"), None);
        assert_eq!(alias_file("https://x.org/a/"), None);
        assert_eq!(alias_file("/"), None);
        assert_eq!(alias_file("a//b/"), None);
        assert_eq!(alias_file("old\u{e}/"), None);
        assert_eq!(alias_file("old?id=3"), None);
    }
}
