//! The translation workflow: start a translation of a page (`tessera translate PAGE --to hi`),
//! record that a translation caught up with its original (`--mark-current`), and say what
//! changed in an original since a translation was made from it. A translation's
//! `translated_from: {lang, version}` names the original's language and the fingerprint of its
//! title and text ([`crate::content::network::version`]); the text of each version a
//! translation was made from is kept in `.tessera-cache/originals/` so `check` can show the
//! words that changed.

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions, Page, Site, network};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Where the text of each original version is kept, relative to the site root.
pub const ORIGINALS_DIR: &str = ".tessera-cache/originals";
/// The line in a started translation above each paragraph still in the original's language.
pub const TO_TRANSLATE: &str = "<!-- translate: replace the paragraph below, then remove this line -->";

/// Loads the site with drafts and finds the page at `file` (relative to the root or not).
fn load_with(root: &Path, file: &Path) -> Result<(Site, usize)> {
    let config = SiteConfig::load(root).map_err(|d| anyhow::anyhow!("{d}"))?;
    let (site, errors) = content::load(root, config, &LoadOptions { drafts: true, known: None });
    let relative = file.strip_prefix(root).unwrap_or(file);
    let Some(i) = site.page_index(relative) else {
        if !errors.is_empty() {
            bail!("{errors}");
        }
        bail!("{} is not a page of the site in {}", relative.display(), root.display());
    };
    Ok((site, i))
}

/// Writes a draft translation of the page at `file` into `lang` next to it and returns its
/// path: the translation key, `translated_from`, `review: [translation]` and `draft: true`, and
/// the original's paragraphs, each under a [`TO_TRANSLATE`] line.
pub fn start(root: &Path, file: &Path, lang: &str) -> Result<PathBuf> {
    let (site, i) = load_with(root, file)?;
    let original = &site.pages[i];
    if !site.config.language_codes().contains(&lang) {
        bail!("`{lang}` is not a language of the site: add it to `languages` in site.yaml first");
    }
    if let Some(existing) = site.translations_of(&original.translation_key).iter().find(|p| p.lang == lang) {
        bail!("the page already has a `{lang}` translation: {}", existing.file.display());
    }
    let name = original.file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.strip_suffix(".md").map(|n| content::split_language_suffix(n).0).unwrap_or(name);
    let target = original.file.with_file_name(format!("{stem}.{lang}.md"));
    let version = network::version(original);
    keep_original(root, original, &version)?;
    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", yaml_string(&original.title)));
    text.push_str(&format!("translation_key: {}\n", yaml_string(&original.translation_key)));
    text.push_str(&format!("translated_from: {{lang: {}, version: {version}}}\n", original.lang));
    text.push_str("review: [translation]\ndraft: true\n---\n");
    for paragraph in original.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        text.push_str(&format!("{TO_TRANSLATE}\n{paragraph}\n\n"));
    }
    let path = root.join(&target);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(target)
}

/// Records in the translation at `file` that it matches the current version of its original
/// (the language in its `translated_from`, else the site's first language the page has).
pub fn mark_current(root: &Path, file: &Path) -> Result<String> {
    let (site, i) = load_with(root, file)?;
    let page = &site.pages[i];
    let original = match network::translated_from(&site, page) {
        Some((_, original)) => original,
        None => site
            .translations_of(&page.translation_key)
            .into_iter()
            .find(|p| p.lang != page.lang)
            .with_context(|| format!("{} has no translation to be made from", page.file.display()))?,
    };
    let version = network::version(original);
    keep_original(root, original, &version)?;
    let path = root.join(&page.file);
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let line = format!("translated_from: {{lang: {}, version: {version}}}", original.lang);
    std::fs::write(&path, with_translated_from(&text, &line)).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(version)
}

/// `text` with its front matter's `translated_from` (one line or a block) replaced by `line`,
/// or `line` added at the end of the front matter.
fn with_translated_from(text: &str, line: &str) -> String {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut fences = 0;
    let mut written = false;
    while let Some(l) = lines.next() {
        if l.trim_end() == "---" {
            fences += 1;
            if fences == 2 && !written {
                out.push(line.to_string());
                written = true;
            }
            out.push(l.to_string());
        } else if fences == 1 && l.starts_with("translated_from:") {
            out.push(line.to_string());
            written = true;
            // A block form continues on indented lines.
            while lines.peek().is_some_and(|n| n.starts_with(' ')) {
                lines.next();
            }
        } else {
            out.push(l.to_string());
        }
    }
    out.join("\n") + "\n"
}

/// Keeps the original's title and text under its version, to show later what changed.
fn keep_original(root: &Path, original: &Page, version: &str) -> Result<()> {
    let dir = root.join(ORIGINALS_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let text = format!("{}\n{}", original.title.trim(), original.body.trim());
    std::fs::write(dir.join(format!("{version}.md")), text).with_context(|| format!("cannot write in {}", dir.display()))
}

/// What changed in `original` since `version`: words added and removed, with the first
/// changes, from the kept copy of that version.
pub fn changes_since(root: &Path, original: &Page, version: &str) -> String {
    let Ok(old) = std::fs::read_to_string(root.join(ORIGINALS_DIR).join(format!("{version}.md"))) else {
        return format!("changed since version {version} (no copy of that version in {ORIGINALS_DIR})");
    };
    let new = format!("{}\n{}", original.title.trim(), original.body.trim());
    let diff = similar::TextDiff::from_words(old.as_str(), new.as_str());
    let (mut added, mut removed, mut shown) = (0, 0, Vec::new());
    for change in diff.iter_all_changes().filter(|c| !c.value().trim().is_empty()) {
        let sign = match change.tag() {
            similar::ChangeTag::Insert => {
                added += 1;
                "+"
            }
            similar::ChangeTag::Delete => {
                removed += 1;
                "-"
            }
            similar::ChangeTag::Equal => continue,
        };
        if shown.len() < 6 {
            shown.push(format!("{sign}{}", change.value().trim()));
        }
    }
    format!("{added} word(s) added, {removed} removed: {}", shown.join(" "))
}

/// How far a started translation is: paragraphs still under a [`TO_TRANSLATE`] line, of all.
pub fn progress(text: &str) -> Option<(usize, usize)> {
    let left = text.matches(TO_TRANSLATE).count();
    let body = content::split_front_matter_text(text).map_or(text, |(_, body, _)| body);
    let paragraphs = body.split("\n\n").filter(|p| !p.trim().is_empty()).count();
    (left > 0).then_some((left, paragraphs))
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translated_from_is_replaced_or_added() {
        let line = "translated_from: {lang: en, version: abc}";
        let block = "---\ntitle: x\ntranslated_from:\n  lang: en\n  version: old\nreview: []\n---\nBody\n";
        assert_eq!(with_translated_from(block, line), format!("---\ntitle: x\n{line}\nreview: []\n---\nBody\n"));
        let none = "---\ntitle: x\n---\nBody\n";
        assert_eq!(with_translated_from(none, line), format!("---\ntitle: x\n{line}\n---\nBody\n"));
    }
}
