//! `tessera check` as the editor's dashboard: what is left to do on a site that builds, per
//! language. Untranslated articles (by the path of a version that exists), pages whose
//! front matter still lists `review:` items (an import's open questions), articles without a
//! date or a description, and missing UI strings. `check --strict` fails while any is open.

use crate::content::Site;
use crate::i18n::Coverage;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What is left to do on the site.
#[derive(Debug, Default, Serialize)]
pub struct Dashboard {
    pub languages: Vec<LanguageTodo>,
    pub warnings: Vec<String>,
}

/// What is left to do in one language.
#[derive(Debug, Default, Serialize)]
pub struct LanguageTodo {
    pub language: String,
    /// Articles the network has in other languages but not in this one: a version that exists.
    pub untranslated: Vec<PathBuf>,
    /// Pages with open `review:` items, and the items.
    pub review: Vec<(PathBuf, Vec<String>)>,
    pub missing_date: Vec<PathBuf>,
    pub missing_description: Vec<PathBuf>,
    /// UI string ids the templates use and this language does not define.
    pub missing_ui_strings: Vec<String>,
    /// Translations whose original changed since they were made.
    pub stale: Vec<StaleTranslation>,
    /// Started translations (drafts, not published): paragraphs left of all.
    pub in_progress: Vec<(PathBuf, usize, usize)>,
}

/// A translation made from an older version of its original.
#[derive(Debug, Serialize)]
pub struct StaleTranslation {
    pub file: PathBuf,
    pub original: PathBuf,
    /// The words that changed, e.g. "3 word(s) added, 1 removed: +billion -million".
    pub changes: String,
}

impl LanguageTodo {
    pub fn open(&self) -> usize {
        self.untranslated.len()
            + self.review.len()
            + self.missing_date.len()
            + self.missing_description.len()
            + self.missing_ui_strings.len()
            + self.stale.len()
            + self.in_progress.len()
    }
}

impl Dashboard {
    /// The dashboard of a built site, with the UI-string coverage it counts.
    pub fn of_built(built: &crate::build::Built) -> (Dashboard, Coverage) {
        let sources: Vec<(String, String)> =
            built.templates.files.iter().map(|(n, (_, text))| (n.clone(), text.clone())).collect();
        let used = crate::i18n::keys_used_by_templates(&sources).into_keys().collect();
        let coverage = built.localizer.coverage(&used);
        (Dashboard::new(&built.site, &coverage, &built.warnings), coverage)
    }

    pub fn new(site: &Site, coverage: &Coverage, warnings: &[String]) -> Dashboard {
        let languages = site.config.language_codes().into_iter().map(|lang| language_todo(site, coverage, lang)).collect();
        Dashboard { languages, warnings: warnings.to_vec() }
    }

    /// Items open in all languages, warnings included.
    pub fn open(&self) -> usize {
        self.languages.iter().map(LanguageTodo::open).sum::<usize>() + self.warnings.len()
    }
}

/// Whether a content file's name carries the language suffix `lang` (`x.hi.md`).
fn in_language(file: &std::path::Path, lang: &str) -> bool {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    crate::content::split_language_suffix(stem).1 == Some(lang)
}

impl Dashboard {
    /// The translation status as one self-contained HTML page: per language, how many pages
    /// are translated, stale, missing, in review and in progress, with each file linked to its
    /// source and, when built, its page.
    pub fn html(&self, site: &Site) -> String {
        use crate::escape::html as esc;
        let url_of = |file: &std::path::Path| site.page_index(file).map(|i| site.config.absolute(&site.pages[i].url));
        let link = |file: &std::path::Path| {
            let source = format!("file://{}", site.root.join(file).display());
            let page = url_of(file).map(|u| format!(" · <a href=\"{}\">page</a>", esc(&u))).unwrap_or_default();
            format!("<a href=\"{}\"><code>{}</code></a>{page}", esc(&source), esc(&file.display().to_string()))
        };
        let mut out = String::from(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Translation status</title>\n\
             <style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}\
             table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .75rem;text-align:end}\
             th:first-child,td:first-child{text-align:start}li{margin:.25rem 0}</style>\n</head>\n<body>\n<h1>Translation status</h1>\n\
             <table>\n<tr><th>language</th><th>translated</th><th>stale</th><th>missing</th><th>in review</th><th>in progress</th></tr>\n",
        );
        for l in &self.languages {
            let translated = site.pages.iter().filter(|p| p.lang == l.language && p.is_article).count();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{translated}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&l.language),
                l.stale.len(),
                l.untranslated.len(),
                l.review.len(),
                l.in_progress.len()
            ));
        }
        out.push_str("</table>\n");
        for l in &self.languages {
            out.push_str(&format!("<h2 id=\"{0}\">{0}</h2>\n<ul>\n", esc(&l.language)));
            for s in &l.stale {
                out.push_str(&format!("<li>stale: {} (from {}): {}</li>\n", link(&s.file), link(&s.original), esc(&s.changes)));
            }
            for f in &l.untranslated {
                out.push_str(&format!("<li>missing: {}</li>\n", link(f)));
            }
            for (f, items) in &l.review {
                out.push_str(&format!("<li>in review: {} ({})</li>\n", link(f), esc(&items.join(", "))));
            }
            for (f, left, of) in &l.in_progress {
                out.push_str(&format!("<li>in progress: {}: {left} of {of} paragraphs left</li>\n", link(f)));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }

    /// [`Dashboard::html`] that reloads itself whenever the live server rebuilds.
    pub fn live_html(&self, site: &Site, events: &str) -> String {
        let script = format!(
            "<script>new EventSource(\"{events}\").onmessage=function(e){{if(e.data!==\"ok\")location.reload()}};</script>\n</body>"
        );
        self.html(site).replacen("</body>", &script, 1)
    }
}

fn language_todo(site: &Site, coverage: &Coverage, lang: &str) -> LanguageTodo {
    let mut todo = LanguageTodo { language: lang.to_string(), ..LanguageTodo::default() };
    let present: BTreeSet<&str> = site.pages.iter().filter(|p| p.lang == lang).map(|p| p.translation_key.as_str()).collect();
    let mut listed = BTreeSet::new();
    for page in site.pages.iter().filter(|p| p.is_article) {
        if !present.contains(page.translation_key.as_str()) && listed.insert(page.translation_key.as_str()) {
            todo.untranslated.push(page.file.clone());
        }
    }
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        if !page.front.review.is_empty() {
            todo.review.push((page.file.clone(), page.front.review.clone()));
        }
        if page.is_article && page.shared.date.is_none() {
            todo.missing_date.push(page.file.clone());
        }
        if page.is_article && page.front.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
            todo.missing_description.push(page.file.clone());
        }
    }
    for (&i, &original) in &site.stale {
        let (page, original) = (&site.pages[i], &site.pages[original]);
        if page.lang == lang {
            let version = page.front.translated_from.as_ref().map_or("", |f| f.version.as_str());
            let changes = crate::translation::changes_since(&site.root, original, version);
            todo.stale.push(StaleTranslation { file: page.file.clone(), original: original.file.clone(), changes });
        }
    }
    for draft in site.drafts.iter().filter(|d| in_language(d, lang)) {
        let text = std::fs::read_to_string(site.root.join(draft)).unwrap_or_default();
        if let Some((left, of)) = crate::translation::progress(&text) {
            todo.in_progress.push((draft.clone(), left, of));
        }
    }
    todo.untranslated.sort();
    todo.review.sort();
    todo.missing_date.sort();
    todo.missing_description.sort();
    if let Some(ui) = coverage.languages.iter().find(|l| l.language == lang) {
        todo.missing_ui_strings = ui.missing.iter().cloned().collect();
    }
    todo
}
