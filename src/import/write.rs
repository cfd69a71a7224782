//! Pages on disk: the slug, the page text (YAML front matter + Markdown body), reading the pages
//! already in a section, and writing — the only step that touches the disk, which never
//! replaces a page without `--force`.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SLUG_MAX_CHARS: usize = 80;

/// Lowercase NFC; letters, marks and digits of any script kept; other runs become `-`.
pub fn slugify(title: &str, lang: &str) -> String {
    let mut slug = crate::slug::slugify(title, lang);
    if slug.chars().count() > SLUG_MAX_CHARS {
        let cut: String = slug.chars().take(SLUG_MAX_CHARS + 1).collect();
        slug = match cut.rfind('-') {
            Some(i) if i > 0 => cut[..i].to_string(),
            _ => cut.chars().take(SLUG_MAX_CHARS).collect(),
        };
    }
    slug
}

/// The front matter the importer writes; the keys are a subset of what the content loader accepts.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Undated or low-confidence imports stay out of the built site until an editor checks them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: Extra,
}

#[derive(Debug, Clone, Serialize)]
pub struct Extra {
    pub import: ImportRecord,
}

/// What the importer found and did, kept with the page for the editor.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    pub file: String,
    pub detected_language: DetectedLanguage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_evidence: Option<String>,
    pub date_evidence: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_candidates: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedLine>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disclaimers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub page_breaks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<TranslationRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DetectedLanguage {
    pub code: String,
    pub confidence: f64,
    pub reliable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemovedLine {
    pub rule: String,
    pub line: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranslationRecord {
    /// The other pages of the group, relative to the site root.
    pub with: Vec<String>,
    pub numbers: Vec<String>,
    pub names: Vec<String>,
}

/// The page file's text.
pub fn render(front: &FrontMatter, body: &str) -> anyhow::Result<String> {
    let yaml = crate::yaml::to_string(front)?;
    Ok(format!("---\n{yaml}---\n\n{body}"))
}

/// The keys of an existing page the importer needs; everything else is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExistingFront {
    translation_key: Option<String>,
    #[serde(default)]
    extra: Option<ExistingExtra>,
}

#[derive(Debug, Deserialize)]
struct ExistingExtra {
    import: Option<ExistingImport>,
}

#[derive(Debug, Deserialize)]
struct ExistingImport {
    file: Option<String>,
}

/// The source file an existing page was imported from (its `extra.import.file`), if any.
fn recorded_source(path: &Path, text: &str) -> Option<String> {
    let (yaml, _, _) = crate::content::split_front_matter_text(text)?;
    let front: ExistingFront = crate::yaml::parse(yaml, path, 2).ok()?;
    front.extra?.import?.file
}

/// A page already in the section.
#[derive(Debug, Clone)]
pub struct ExistingPage {
    pub path: PathBuf,
    pub lang: String,
    pub translation_key: Option<String>,
    pub body: String,
}

/// The pages `<slug>.<lang>.md` in `dir` (sorted by path). Pages that cannot be read are
/// returned as warnings; they take no part in grouping.
pub fn existing_pages(dir: &Path, languages: &[&str]) -> (Vec<ExistingPage>, Vec<String>) {
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (pages, warnings);
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        // A page bundle: `<slug>/index.<lang>.md`.
        if path.is_dir()
            && let Ok(inner) = std::fs::read_dir(&path)
        {
            paths.extend(
                inner
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("index."))),
            );
        } else {
            paths.push(path);
        }
    }
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".md") else { continue };
        let Some(lang) = stem.rsplit_once('.').map(|(_, l)| l).filter(|l| languages.contains(l)) else {
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("{}: cannot read ({e}); not compared for translations", path.display()));
                continue;
            }
        };
        let Some((yaml, body, _)) = crate::content::split_front_matter_text(&text) else {
            continue;
        };
        let front: ExistingFront = match crate::yaml::parse(yaml, &path, 2) {
            Ok(f) => f,
            Err(e) => {
                warnings.push(format!("{e}; not compared for translations"));
                continue;
            }
        };
        let lang = lang.to_string();
        pages.push(ExistingPage { path, lang, translation_key: front.translation_key, body: body.to_string() });
    }
    (pages, warnings)
}

/// What happened to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Overwritten,
    Unchanged,
    /// Exists with other content and `--force` was not given.
    Skipped,
    WouldWrite,
    WouldOverwrite,
}

impl Outcome {
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::Written => "wrote",
            Outcome::Overwritten => "overwrote",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "exists, skipped (use --force)",
            Outcome::WouldWrite => "would write",
            Outcome::WouldOverwrite => "would overwrite",
        }
    }
}

/// Writes the page imported from `source` at `path`, or beside it: a page there from another
/// article (another source file, or written by hand) is never replaced and the page goes to
/// `<slug>-2.<lang>.md` (or `-3`, ...); the page `source` produced before is replaced only with
/// `force`. New files get the usual mode (0644 under umask 022), replaced files keep theirs.
/// Returns what happened and where.
pub fn write_page(path: &Path, content: &str, source: &str, dry_run: bool, force: bool) -> anyhow::Result<(Outcome, PathBuf)> {
    let mut target = path.to_path_buf();
    for n in 2.. {
        let existing = match std::fs::read(&target) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
        };
        let outcome = match existing {
            Some(old) if old == content.as_bytes() => return Ok((Outcome::Unchanged, target)),
            Some(old) if recorded_source(&target, &String::from_utf8_lossy(&old)).as_deref() != Some(source) => {
                target = numbered(path, n);
                continue;
            }
            Some(_) if !force => return Ok((Outcome::Skipped, target)),
            Some(_) if dry_run => Outcome::WouldOverwrite,
            Some(_) => Outcome::Overwritten,
            None if dry_run => Outcome::WouldWrite,
            None => Outcome::Written,
        };
        if !dry_run {
            replace_file(&target, content)?;
        }
        return Ok((outcome, target));
    }
    unreachable!("the loop returns")
}

/// `news/slug.en.md` -> `news/slug-2.en.md`.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (stem, rest) = name.split_once('.').unwrap_or((name, "md"));
    path.with_file_name(format!("{stem}-{n}.{rest}"))
}

/// Writes `content` to `path` through a file beside it renamed over it: the page is whole or
/// untouched. A new file gets the umask's mode; a replaced one keeps its own.
fn replace_file(path: &Path, content: &str) -> anyhow::Result<()> {
    let dir = path.parent().context("page path has no folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("page");
    let temporary = dir.join(format!(".{name}.tessera-import"));
    std::fs::write(&temporary, content).with_context(|| format!("cannot write in {}", dir.display()))?;
    if let Ok(old) = std::fs::metadata(path) {
        std::fs::set_permissions(&temporary, old.permissions()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })?;
    Ok(())
}

/// Adds `translation_key: key` to an existing page's front matter, changing nothing else.
pub fn add_translation_key(path: &Path, key: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rest = text.strip_prefix("---\n").with_context(|| format!("{}: no front matter", path.display()))?;
    let line = crate::yaml::to_string(&BTreeMap::from([("translation_key", key)]))?;
    let updated = format!("---\n{line}{rest}");
    std::fs::write(path, updated).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_every_script() {
        assert_eq!(slugify("Historic Win for WASME!", "en"), "historic-win-for-wasme");
        assert_eq!(slugify("WASME की ऐतिहासिक जीत", "hi"), "wasme-की-ऐतिहासिक-जीत");
        assert_eq!(slugify("\"ASAN xidmət\" COP29-da", "az"), "asan-xidmət-cop29-da");
        assert_eq!(slugify("لقاء جهوي بوجدة", "ar"), "لقاء-جهوي-بوجدة");
        assert!(slugify(&"word ".repeat(40), "en").chars().count() <= 80);
    }

    #[test]
    fn front_matter_splits_from_body() {
        let (yaml, body, _) = crate::content::split_front_matter_text("\u{feff}---\r\ntitle: x\r\n---\r\n\nBody\n").unwrap();
        assert_eq!(yaml, "title: x\r\n");
        assert_eq!(body, "\nBody\n");
    }
}
