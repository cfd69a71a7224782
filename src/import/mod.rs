//! Import: raw article text (copied from websites and PDFs) becomes clean localised content
//! pages. `run` reads every input, turns each into an `Article` (plain data) step by step,
//! groups translations across the run and the pages already in the section, then writes and
//! reports what it found and removed.

mod clean;
mod dates;
mod detect;
mod formats;
mod partners;
mod repair;
mod structure;
mod text;
mod translations;
mod write;

use crate::config::SiteConfig;
use anyhow::Context;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `tessera import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub inputs: Vec<PathBuf>,
    pub section: String,
    pub lang: Option<String>,
    pub dry_run: bool,
    pub force: bool,
}

/// One article after every step, before translation grouping.
#[derive(Debug, Clone)]
struct Article {
    /// The input's file name, e.g. `001_ee403e6c1a04f4df.txt`.
    file: String,
    detection: detect::Detection,
    title: String,
    /// Why the title is provisional, when it is.
    title_evidence: Option<String>,
    /// The agency, and where it was found.
    source: Option<(String, &'static str)>,
    place: Option<dates::Place>,
    date: dates::DateFinding,
    removed: Vec<clean::Removed>,
    disclaimers: Vec<String>,
    joins: Vec<repair::Join>,
    body: String,
    partners: Vec<partners::Mention>,
    /// The page, relative to the site root: `content/<section>/<slug>.<lang>.md`, or
    /// `content/<section>/<slug>/index.<lang>.md` (a page bundle) when it has images.
    page: PathBuf,
    /// Files of the page bundle (images from a Word file, web page or Markdown file).
    images: Vec<formats::Image>,
}

impl Article {
    /// Undated, or the language or title is a guess: written as a draft for an editor.
    fn draft(&self) -> bool {
        self.date.date.is_none() || !self.detection.reliable || self.title_evidence.is_some()
    }

    fn review(&self) -> Vec<String> {
        let mut review = Vec::new();
        if !self.detection.reliable {
            review.push("language".to_string());
        }
        if self.title_evidence.is_some() {
            review.push("title".to_string());
        }
        if self.date.review {
            review.push("date".to_string());
        }
        review
    }
}

/// Files named on the command line, folders expanded (sorted, the formats `formats` reads, not
/// hidden).
fn collect_inputs(inputs: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(input) {
                Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    files.push(Err((input.clone(), format!("cannot read the folder: {e}"))));
                    continue;
                }
            };
            found.retain(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                p.is_file()
                    && !name.starts_with('.')
                    && p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| formats::EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            });
            found.sort();
            files.extend(found.into_iter().map(Ok));
        } else if input.is_file() {
            files.push(Ok(input.clone()));
        } else {
            files.push(Err((input.clone(), "no such file or folder".to_string())));
        }
    }
    files
}

/// The file as UTF-8 text, or an error a person can act on. UTF-16 (with or without a byte
/// order mark) is read too.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if let Some(little_endian) = utf16(&bytes) {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| if little_endian { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        let text =
            String::from_utf16(&units).map_err(|_| "UTF-16 text that is not valid; save it as UTF-8 and import it again")?;
        return Ok(text.trim_start_matches('\u{feff}').to_string());
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("the file is empty; nothing to import".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("not UTF-8 text (invalid byte at offset {at}, line {line}); save it as UTF-8 and import it again")
    })
}

/// Whether `bytes` are UTF-16, and little-endian: a byte order mark, or (without one) NUL
/// bytes, which UTF-8 text never holds, mostly at odd offsets (little-endian) or even ones.
fn utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xff, 0xfe, ..] => return Some(true),
        [0xfe, 0xff, ..] => return Some(false),
        _ if !bytes.len().is_multiple_of(2) || !bytes.contains(&0) => return None,
        _ => {}
    }
    let zeros_at = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    Some(zeros_at(1) >= zeros_at(0))
}

/// The steps for one article, up to (not including) translation grouping.
fn prepare(
    file: &str,
    doc: formats::Document,
    config: &SiteConfig,
    options: &ImportOptions,
    rules: &clean::Rules,
    detection: detect::Detection,
    today: NaiveDate,
) -> Result<Article, String> {
    let lang = detection.code.clone();
    let lines = text::normalize(&doc.text);
    let mut cleaned = clean::clean(&lines, rules);
    let published = take_publication_line(&mut cleaned, &lang);

    // Title: a short opening line without final punctuation; otherwise the lead paragraph
    // opens the article and the title is derived from it (and marked for review).
    let mut body_lines = cleaned.lines.clone();
    let mut first = body_lines.iter().position(|l| !l.trim().is_empty()).ok_or("the article is empty after cleaning")?;
    // A title the format states (Word's Title style, `<h1>`, front matter) comes first.
    // A section label above the headline (`ÉCONOMIE`, `WORLD NEWS`): one or two words in
    // capitals, followed by a title-like line.
    let next = body_lines[first + 1..].iter().position(|l| !l.trim().is_empty()).map(|n| first + 1 + n);
    let label = body_lines[first].trim();
    let letters: Vec<char> = label.chars().filter(|c| c.is_alphabetic()).collect();
    if doc.title.is_none()
        && label.split_whitespace().count() <= 2
        && letters.len() >= 3
        && letters.iter().all(|c| c.is_uppercase())
        && let Some(next) = next
        && structure::is_title_like(&body_lines[next], structure::TITLE_MAX_WORDS)
        && body_lines[next].split_whitespace().count() > 2
    {
        cleaned.removed.push(clean::Removed { rule: "section-label".into(), line: label.to_string() });
        body_lines[first].clear();
        first = next;
    }
    let more_follows = body_lines[first + 1..].iter().any(|l| !l.trim().is_empty());
    // A dateline on a line of its own is not a headline.
    let first_is_dateline =
        dates::dateline(&body_lines[first], &lang).is_some_and(|d| d.text.len() + 2 >= body_lines[first].trim().len());
    let stated_title = match doc.title.clone() {
        Some(t) => {
            if body_lines[first].trim() == t.trim() {
                body_lines[first].clear();
            }
            Some(t)
        }
        None => (more_follows && !first_is_dateline && structure::is_title_like(&body_lines[first], structure::TITLE_MAX_WORDS))
            .then(|| std::mem::take(&mut body_lines[first]).trim().to_string()),
    };

    let (body_lines, joins) = repair::repair(&body_lines);
    let mut blocks = structure::blocks(&body_lines, &doc.headings);
    // The first paragraph is the page's summary in listings, where an image's relative path
    // does not resolve: pictures above the lead move below it.
    let is_image = |b: &structure::Block| matches!(b, structure::Block::Paragraph(t) if t.starts_with("!["));
    let leading = blocks.iter().take_while(|b| is_image(b)).count();
    if leading > 0 && blocks.len() > leading {
        let images: Vec<structure::Block> = blocks.drain(..leading).collect();
        let at = blocks.iter().position(|b| matches!(b, structure::Block::Paragraph(_))).map_or(0, |i| i + 1);
        blocks.splice(at..at, images);
    }
    let paragraphs: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            structure::Block::Paragraph(t) if !t.starts_with("![") => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let mut lead = paragraphs.first().copied().unwrap_or("");
    let body = structure::to_markdown(&blocks);

    let mut dateline = dates::dateline(lead, &lang);
    // A dateline on a line of its own (`الرياض - واس`): the lead is the next paragraph.
    if let Some(d) = &dateline
        && d.text.len() + 2 >= lead.trim().len()
        && let Some(next) = paragraphs.get(1)
    {
        lead = next;
    }
    // An agency the rules know, in brackets after a place alone: `ACCRA (Reuters) -`.
    if let Some(d) = dateline.as_mut()
        && d.agency.is_none()
    {
        d.agency = dates::brackets(&d.text).into_iter().map(|(_, name)| name).find(|name| rules.is_credit(name));
    }
    let place = dateline
        .as_ref()
        .and_then(|d| d.place.clone().map(|name| dates::Place { name, evidence: format!("dateline \"{}\"", d.text) }))
        .or_else(|| {
            (lang == "ar")
                .then(|| dates::arabic_place(lead).map(|p| dates::Place { evidence: format!("lead \"{}\"", p.evidence), ..p }))
                .flatten()
        });
    // The source: a leading credit line, else the agency of the dateline, else the one a
    // disclaimer names.
    let source = doc
        .source
        .clone()
        .map(|s| (s, "front matter"))
        .or_else(|| cleaned.source.clone().map(|s| (s, "leading credit line")))
        .or_else(|| dateline.as_ref().and_then(|d| d.agency.clone()).map(|s| (s, "agency in the dateline")))
        .or_else(|| cleaned.disclaimer_source.clone().map(|s| (s, "named in the disclaimer")));
    let date = match doc.date {
        Some(date) => dates::DateFinding { date: Some(date), candidates: vec![], evidence: "front matter".into(), review: false },
        None => {
            let found = dates::article_date(lead, dateline.as_ref(), &body, &lang, today);
            match published {
                // A stated publication date beats a year inferred from the text.
                Some((date, line)) if found.review => dates::DateFinding {
                    date: Some(date),
                    candidates: vec![],
                    evidence: format!("publication line \"{line}\""),
                    review: false,
                },
                _ => found,
            }
        }
    };
    let place = match doc.place.clone() {
        Some(name) => Some(dates::Place { name, evidence: "front matter".into() }),
        None => place,
    };

    let (title, title_evidence) = match stated_title {
        Some(t) => (t, None),
        None => {
            let t = structure::provisional_title(lead, dateline.as_ref().map(|d| d.text.as_str()));
            if t.is_empty() {
                return Err("no title line and no lead paragraph to derive one from".into());
            }
            (t, Some("the text opens with a lead paragraph, not a title line; this title is its first clause".to_string()))
        }
    };
    let partners = partners::find(&format!("{title}\n{body}"), &config.partners);
    let slug = page_slug(&title, file, &lang);
    let section = Path::new("content").join(&options.section);
    let page = if doc.images.is_empty() {
        section.join(format!("{slug}.{lang}.md"))
    } else {
        section.join(&slug).join(format!("index.{lang}.md"))
    };
    Ok(Article {
        file: file.to_string(),
        detection,
        title,
        title_evidence,
        source,
        place,
        date,
        removed: cleaned.removed,
        disclaimers: cleaned.disclaimers,
        joins,
        body,
        partners,
        page,
        images: doc.images,
    })
}

/// Lines between the title and the lead that only say when the page was published or updated
/// (`Posted on March 12, 2025 by admin`): the first is taken out of the body, its date kept.
fn take_publication_line(cleaned: &mut clean::Cleaned, lang: &str) -> Option<(NaiveDate, String)> {
    let content: Vec<usize> = (0..cleaned.lines.len()).filter(|&i| !cleaned.lines[i].trim().is_empty()).collect();
    for &i in content.iter().skip(1) {
        let line = cleaned.lines[i].trim().to_string();
        if line.split_whitespace().count() >= 17 {
            break;
        }
        if let Some((date, _)) = dates::publication_line(&line, lang) {
            cleaned.removed.push(clean::Removed { rule: "publication-date".into(), line: line.clone() });
            cleaned.lines[i].clear();
            return Some((date, line));
        }
    }
    None
}

/// The slug of a page: from its title; for a title without a letter or digit (emoji,
/// punctuation) from the input file's name, else a hash of the title, so a page is never a
/// hidden or nameless file.
fn page_slug(title: &str, file: &str, lang: &str) -> String {
    let slug = write::slugify(title, lang);
    if !slug.is_empty() {
        return slug;
    }
    let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let from_file = write::slugify(stem, lang);
    if from_file.is_empty() { format!("article-{}", crate::slug::hashed(title)) } else { from_file }
}

/// `news/slug.en.md` -> `news/slug-2.en.md`; `news/slug/index.en.md` -> `news/slug-2/index.en.md`.
fn numbered_page(page: &Path, n: usize) -> PathBuf {
    let name = page.file_name().and_then(|s| s.to_str()).unwrap_or_default();
    let (stem, rest) = name.split_once('.').unwrap_or((name, "md"));
    if stem == "index"
        && let Some(dir) = page.parent()
        && let Some(slug) = dir.file_name().and_then(|s| s.to_str())
    {
        return dir.with_file_name(format!("{slug}-{n}")).join(name);
    }
    page.with_file_name(format!("{stem}-{n}.{rest}"))
}

/// An input that was not imported, and why: (file, reason).
type Failure = (String, String);

/// A translation group as one article sees it.
#[derive(Debug, Clone)]
struct Membership {
    key: String,
    with: Vec<(String, String)>,
    numbers: Vec<String>,
    names: Vec<String>,
}

fn front_matter(config: &SiteConfig, article: &Article, membership: Option<&Membership>) -> write::FrontMatter {
    let mut taxonomies = BTreeMap::new();
    if !article.partners.is_empty() {
        let taxonomy = config.taxonomy_with_role(crate::config::TaxonomyRole::Partners).map_or("partners", |t| t.name.as_str());
        taxonomies.insert(taxonomy.to_string(), article.partners.iter().map(|p| p.key.clone()).collect());
    }
    write::FrontMatter {
        title: article.title.clone(),
        date: article.date.date.map(|d| d.format("%Y-%m-%d").to_string()),
        place: article.place.as_ref().map(|p| p.name.clone()),
        source: article.source.as_ref().map(|(s, _)| s.clone()),
        draft: article.draft(),
        translation_key: membership.map(|m| m.key.clone()),
        review: article.review(),
        taxonomies,
        extra: write::Extra {
            import: write::ImportRecord {
                file: article.file.clone(),
                detected_language: write::DetectedLanguage {
                    code: article.detection.code.clone(),
                    confidence: article.detection.confidence,
                    reliable: article.detection.reliable,
                },
                title_evidence: article.title_evidence.clone(),
                place_evidence: article.place.as_ref().map(|p| p.evidence.clone()),
                date_evidence: article.date.evidence.clone(),
                date_candidates: article.date.candidates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect(),
                removed: article
                    .removed
                    .iter()
                    .map(|r| write::RemovedLine { rule: r.rule.clone(), line: r.line.clone() })
                    .collect(),
                disclaimers: article.disclaimers.clone(),
                page_breaks: article.joins.iter().map(|j| j.describe()).collect(),
                translation: membership.map(|m| write::TranslationRecord {
                    with: m.with.iter().map(|(p, _)| p.clone()).collect(),
                    numbers: m.numbers.clone(),
                    names: m.names.clone(),
                }),
            },
        },
    }
}

fn report(out: &mut dyn Write, a: &Article, m: Option<&Membership>) -> std::io::Result<()> {
    writeln!(out, "{}", a.file)?;
    let d = &a.detection;
    let how = if d.given { "given with --lang".to_string() } else { format!("detected, confidence {:.2}", d.confidence) };
    writeln!(out, "  language:    {} ({how})", d.code)?;
    if !d.reliable {
        writeln!(out, "  warning:     low confidence in the language; check it (review: language)")?;
    }
    match &a.title_evidence {
        Some(why) => writeln!(out, "  title:       {} (provisional: {why}; review: title)", a.title)?,
        None => writeln!(out, "  title:       {}", a.title)?,
    }
    match &a.source {
        Some((s, how)) => writeln!(out, "  source:      {s} ({how})")?,
        None => writeln!(out, "  source:      none found")?,
    }
    match &a.place {
        Some(p) => writeln!(out, "  place:       {} ({})", p.name, p.evidence)?,
        None => writeln!(out, "  place:       none found")?,
    }
    let review = if a.date.review { " (review: date)" } else { "" };
    match a.date.date {
        Some(date) => writeln!(out, "  date:        {date}{review}: {}", a.date.evidence)?,
        None => writeln!(out, "  date:        none{review}: {}", a.date.evidence)?,
    }
    for r in &a.removed {
        writeln!(out, "  removed:     [{}] {}", r.rule, r.line)?;
    }
    for j in &a.joins {
        writeln!(out, "  page break:  {}", j.describe())?;
    }
    match m {
        Some(m) => {
            let with: Vec<String> = m.with.iter().map(|(p, l)| format!("{p} ({l})")).collect();
            writeln!(out, "  translation: {} with {}", m.key, with.join(", "))?;
            writeln!(out, "               shared numbers: {}; shared names: {}", m.numbers.join(", "), m.names.join(", "))?;
        }
        None => writeln!(out, "  translation: none found")?,
    }
    if a.partners.is_empty() {
        writeln!(out, "  partners:    none found")?;
    } else {
        let p: Vec<String> = a.partners.iter().map(|p| format!("{} ({})", p.key, p.name)).collect();
        writeln!(out, "  partners:    {}", p.join(", "))?;
    }
    Ok(())
}

/// Imports every input into `root/content/<section>/`, printing a report per article to `out`.
/// Returns the number of inputs that failed (each one is reported, the others still import).
pub fn run(root: &Path, config: &SiteConfig, options: &ImportOptions, out: &mut dyn Write) -> anyhow::Result<usize> {
    let languages = config.language_codes();
    if let Some(lang) = &options.lang
        && !languages.contains(&lang.as_str())
    {
        anyhow::bail!("--lang {lang} is not one of the site's languages ({})", languages.join(", "));
    }
    if options.section.is_empty() || options.section.contains(['/', '\\']) || options.section.starts_with('.') {
        anyhow::bail!("--section `{}` must be a single folder name under content/", options.section);
    }
    let (mut articles, mut failed) = read_articles(root, config, options, out)?;
    let section_dir = root.join("content").join(&options.section);
    let (existing, warnings) = write::existing_pages(&section_dir, &languages);
    for w in warnings {
        writeln!(out, "warning: {w}")?;
    }
    let targets: BTreeSet<PathBuf> = articles.iter().map(|a| root.join(&a.page)).collect();
    let existing: Vec<write::ExistingPage> = existing.into_iter().filter(|p| !targets.contains(&p.path)).collect();
    let (memberships, notes) = group_translations(root, config, &articles, &existing);
    unify_group_dates(&mut articles, &memberships);
    for (i, article) in articles.iter().enumerate() {
        let membership = memberships.get(&i);
        report(out, article, membership)?;
        let content = write::render(&front_matter(config, article, membership), &article.body)?;
        match write::write_page(&root.join(&article.page), &content, &article.file, options.dry_run, options.force) {
            Ok((outcome, at)) => {
                let shown = at.strip_prefix(root).unwrap_or(&at);
                writeln!(out, "  page:        {} {}", outcome.describe(), crate::urls::slash_path(shown))?;
                if !options.dry_run && matches!(outcome, write::Outcome::Written | write::Outcome::Overwritten) {
                    for image in &article.images {
                        let path = at.with_file_name(&image.name);
                        std::fs::write(&path, &image.bytes).with_context(|| format!("cannot write {}", path.display()))?;
                        writeln!(out, "  image:       {}", crate::urls::slash_path(path.strip_prefix(root).unwrap_or(&path)))?;
                    }
                }
            }
            Err(e) => {
                writeln!(out, "error: {}: {e:#}", article.file)?;
                failed.push((article.file.clone(), format!("{e:#}")));
            }
        }
    }

    // Existing pages that joined a group but have no key: they are the editor's files.
    for (e, key) in notes {
        let page = &existing[e];
        let shown = crate::urls::slash_path(page.path.strip_prefix(root).unwrap_or(&page.path));
        if options.force && !options.dry_run {
            write::add_translation_key(&page.path, &key).with_context(|| format!("adding translation_key to {shown}"))?;
            writeln!(out, "{shown}: added translation_key: {key} (--force)")?;
        } else {
            writeln!(
                out,
                "note: {shown} is a translation in group {key} but has no translation_key; add `translation_key: {key}` to it (or re-run with --force to add it)"
            )?;
        }
    }
    summary(out, &articles, &failed)?;
    Ok(failed.len())
}

/// One story, one date: when a member of a translation group is dated by strong evidence (its
/// dateline or lead gives the year), the members whose date is missing or inferred take it.
/// Members with strong dates that disagree are left as they are.
fn unify_group_dates(articles: &mut [Article], memberships: &HashMap<usize, Membership>) {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in memberships {
        groups.entry(m.key.as_str()).or_default().push(*i);
    }
    for members in groups.values_mut() {
        members.sort();
        let strong: Vec<(NaiveDate, usize)> =
            members.iter().filter_map(|&i| (!articles[i].date.review).then_some((articles[i].date.date?, i))).collect();
        let Some(&(date, from)) = strong.first() else { continue };
        if strong.iter().any(|(d, _)| *d != date) {
            continue;
        }
        let witness = format!(
            "its translation {} is dated {date} ({})",
            crate::urls::slash_path(&articles[from].page),
            articles[from].date.evidence
        );
        for &i in members.iter() {
            let own = &articles[i].date;
            if own.review {
                let evidence = format!("{witness}; own evidence: {}", own.evidence);
                articles[i].date = dates::DateFinding { date: Some(date), candidates: vec![], evidence, review: false };
            }
        }
    }
}

/// The closing table: every input, what it became and what an editor must check.
fn summary(out: &mut dyn Write, articles: &[Article], failed: &[Failure]) -> std::io::Result<()> {
    let cut = |s: &str, n: usize| {
        if s.chars().count() > n { format!("{}…", s.chars().take(n - 1).collect::<String>()) } else { s.to_string() }
    };
    let width = articles.iter().map(|a| a.file.chars().count()).chain([4]).max().unwrap_or(4).min(40);
    writeln!(
        out,
        "\nsummary: {} imported ({} drafts for review), {} not imported",
        articles.len(),
        articles.iter().filter(|a| a.draft()).count(),
        failed.len()
    )?;
    writeln!(out, "{:<width$}  {:<4}  {:<10}  {:<44}  review", "file", "lang", "date", "title")?;
    for a in articles {
        let date = a.date.date.map_or("none".to_string(), |d| d.format("%Y-%m-%d").to_string());
        let mut review = a.review();
        if a.draft() {
            review.insert(0, "draft".to_string());
        }
        let review = if review.is_empty() { "-".to_string() } else { review.join(", ") };
        writeln!(
            out,
            "{:<width$}  {:<4}  {:<10}  {:<44}  {review}",
            cut(&a.file, width),
            a.detection.code,
            date,
            cut(&a.title, 44)
        )?;
    }
    for (file, why) in failed {
        let name = Path::new(file).file_name().map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        writeln!(out, "{:<width$}  not imported: {why}", cut(&name, width))?;
    }
    Ok(())
}

/// Reads, detects and prepares every input; inputs that fail are reported and returned with
/// the reason.
fn read_articles(
    root: &Path,
    config: &SiteConfig,
    options: &ImportOptions,
    out: &mut dyn Write,
) -> anyhow::Result<(Vec<Article>, Vec<Failure>)> {
    let languages = config.language_codes();
    let today = chrono::Local::now().date_naive();
    let mut failed = Vec::new();
    let mut rules: HashMap<String, clean::Rules> = HashMap::new();
    let mut articles: Vec<Article> = Vec::new();

    for input in collect_inputs(&options.inputs) {
        let path = match input {
            Ok(p) => p,
            Err((path, message)) => {
                writeln!(out, "error: {}: {message}", path.display())?;
                failed.push((path.display().to_string(), message));
                continue;
            }
        };
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let doc = match formats::read(&path, read_text) {
            Ok(d) => d,
            Err(message) => {
                writeln!(out, "error: {}: {message}", path.display())?;
                failed.push((path.display().to_string(), message));
                continue;
            }
        };
        // A language stated in Markdown front matter counts as given.
        let stated = doc.lang.as_deref().filter(|l| path.extension().is_some_and(|e| e == "md") && languages.contains(l));
        let sample = format!("{}\n{}", doc.title.as_deref().unwrap_or(""), text::normalize(&doc.text).join("\n"));
        let detection = match detect::detect(&sample, &languages, options.lang.as_deref().or(stated)) {
            Ok(d) => d,
            Err(message) => {
                writeln!(out, "error: {}: {message}", path.display())?;
                failed.push((path.display().to_string(), message));
                continue;
            }
        };
        if !rules.contains_key(&detection.code) {
            rules.insert(detection.code.clone(), clean::Rules::load(root, &detection.code)?);
        }
        match prepare(&file, doc, config, options, &rules[&detection.code], detection, today) {
            Ok(mut article) => {
                // Two articles of one run with the same title and language get distinct pages.
                let mut n = 2;
                let base = article.page.clone();
                while articles.iter().any(|a| a.page == article.page) {
                    article.page = numbered_page(&base, n);
                    n += 1;
                }
                articles.push(article);
            }
            Err(message) => {
                writeln!(out, "error: {}: {message}", path.display())?;
                failed.push((path.display().to_string(), message));
            }
        }
    }

    Ok((articles, failed))
}

/// Translation groups across this run's articles and the pages already in the section: the
/// group of each article, and the existing pages that joined a group without a key.
fn group_translations(
    root: &Path,
    config: &SiteConfig,
    articles: &[Article],
    existing: &[write::ExistingPage],
) -> (HashMap<usize, Membership>, Vec<(usize, String)>) {
    let mut candidates: Vec<translations::Candidate> = articles
        .iter()
        .map(|a| translations::Candidate {
            lang: a.detection.code.clone(),
            evidence: translations::evidence(&format!("{}\n{}", a.title, a.body))
                .with_partners(a.partners.iter().map(|p| p.key.clone()))
                .with_dates(&format!("{}\n{}", a.title, a.body), &a.detection.code),
            key: None,
            new: true,
        })
        .collect();
    candidates.extend(existing.iter().map(|p| {
        translations::Candidate {
            lang: p.lang.clone(),
            evidence: translations::evidence(&p.body)
                .with_partners(partners::find(&p.body, &config.partners).into_iter().map(|m| m.key))
                .with_dates(&p.body, &p.lang),
            key: p.translation_key.clone(),
            new: false,
        }
    }));
    let label = |i: usize| -> (String, String) {
        if i < articles.len() {
            (crate::urls::slash_path(&articles[i].page), articles[i].detection.code.clone())
        } else {
            let p = &existing[i - articles.len()];
            (crate::urls::slash_path(p.path.strip_prefix(root).unwrap_or(&p.path)), p.lang.clone())
        }
    };
    let mut memberships: HashMap<usize, Membership> = HashMap::new();
    let mut notes = Vec::new();
    for group in translations::group(&candidates) {
        for &i in &group.members {
            let mut numbers = BTreeSet::new();
            let mut names = BTreeSet::new();
            for link in group.links.iter().filter(|l| l.a == i || l.b == i) {
                numbers.extend(link.shared.numbers.iter().cloned());
                names.extend(link.shared.names.iter().cloned());
                names.extend(link.shared.partners.iter().map(|p| format!("partner {p}")));
            }
            let with = group.members.iter().filter(|&&j| j != i).map(|&j| label(j)).collect();
            let mut numbers: Vec<String> = numbers.into_iter().collect();
            numbers.sort_by_key(|n| (n.len(), n.clone()));
            let membership = Membership { key: group.key.clone(), with, numbers, names: names.into_iter().collect() };
            if i < articles.len() {
                memberships.insert(i, membership);
            } else if candidates[i].key.is_none() {
                notes.push((i - articles.len(), group.key.clone()));
            }
        }
    }

    (memberships, notes)
}
