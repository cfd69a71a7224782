//! Input formats: pasted text (`.txt`), Markdown (`.md`, its front matter respected), Word
//! (`.docx`: paragraph styles for the title and headings, numbered and bulleted lists, links,
//! images) and saved web pages (`.html`/`.htm`: the main content chosen readability-style,
//! keeping headings, lists, links and images). Each becomes a `Document`: the article as lines
//! in the shape the rest of the importer reads, what the format states outright, and the images
//! that go into the page bundle.

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One input, whatever its format.
#[derive(Debug, Default, Clone)]
pub struct Document {
    /// The article as lines: paragraphs, `- item` / `1. item` list lines, `![alt](file)`.
    pub text: String,
    /// A title the format states (a Word `Title` or first `Heading 1`, `<h1>`, front matter).
    pub title: Option<String>,
    /// Lines the format marks as headings.
    pub headings: Vec<String>,
    /// From Markdown front matter.
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    /// Files for the page bundle, referred to by name from `text`.
    pub images: Vec<Image>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The formats `tessera import` reads, by extension.
pub const EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "docx", "html", "htm"];

/// Reads `path` in the format its extension names; `read_text` reads plain text files.
pub fn read(path: &Path, read_text: impl Fn(&Path) -> Result<String, String>) -> Result<Document, String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "docx" => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
            docx(&bytes)
        }
        "html" | "htm" => Ok(html(&read_text(path)?, path.parent().unwrap_or(Path::new(".")))),
        "md" | "markdown" => Ok(markdown(&read_text(path)?, path.parent().unwrap_or(Path::new(".")))),
        _ => Ok(Document { text: read_text(path)?, ..Document::default() }),
    }
}

/// An image file of the input's folder, for the bundle; `None` for a remote or missing one.
fn local_image(base: &Path, src: &str) -> Option<Image> {
    if src.contains("://") || src.starts_with("data:") || src.starts_with('/') || src.contains("..") {
        return None;
    }
    let path = base.join(src.split(['?', '#']).next()?);
    let bytes = std::fs::read(&path).ok()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some(Image { name, bytes })
}

// --- Markdown ---------------------------------------------------------------------------------

#[derive(Debug, Default, serde::Deserialize)]
struct MarkdownFront {
    title: Option<String>,
    date: Option<String>,
    place: Option<String>,
    source: Option<String>,
    lang: Option<String>,
}

/// Markdown: the front matter's title, date, place, source and language are taken as stated; a
/// leading `# Title` is the title, `##` lines are headings, local images go into the bundle.
pub fn markdown(text: &str, base: &Path) -> Document {
    let mut doc = Document::default();
    let mut body = text;
    if let Some((yaml, rest, _)) = crate::content::split_front_matter_text(text) {
        if let Ok(front) = crate::yaml::parse::<MarkdownFront>(yaml, Path::new("front matter"), 2) {
            doc.title = front.title.filter(|t| !t.trim().is_empty());
            doc.date = front.date.and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(&d), "%Y-%m-%d").ok());
            doc.place = front.place;
            doc.source = front.source;
            doc.lang = front.lang;
        }
        body = rest;
    }
    let image = regex::Regex::new(r"!\[([^\]]*)\]\(([^)\s]+)\)").expect("constant regex");
    let mut lines = Vec::new();
    for line in body.lines() {
        let trimmed = line.trim();
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            let heading = trimmed[hashes..].trim().to_string();
            if hashes == 1 && doc.title.is_none() {
                doc.title = Some(heading);
                continue;
            }
            doc.headings.push(heading.clone());
            lines.push(heading);
            continue;
        }
        for caps in image.captures_iter(trimmed) {
            if let Some(img) = local_image(base, &caps[2])
                && !doc.images.contains(&img)
            {
                doc.images.push(img);
            }
        }
        lines.push(line.to_string());
    }
    doc.text = lines.join("\n");
    doc
}

// --- HTML -------------------------------------------------------------------------------------

/// Elements that are never article content.
const FURNITURE: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "script",
    "style",
    "noscript",
    "form",
    "button",
    "iframe",
    "svg",
    "figcaption",
    "template",
];

/// Elements that start a block of their own.
const BLOCKS: &str =
    "p, h1, h2, h3, h4, h5, h6, ul, ol, li, div, section, article, main, figure, table, blockquote, pre, img, dl";

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("constant selector")
}

/// Text of an element with links kept as Markdown links, spaces collapsed.
fn inline_text(el: ElementRef) -> String {
    let mut out = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let Some(child) = ElementRef::wrap(child) else { continue };
                let name = e.name();
                if FURNITURE.contains(&name) || name == "img" {
                    continue;
                }
                if name == "br" {
                    out.push(' ');
                } else if name == "a"
                    && let Some(href) = e.attr("href").filter(|h| !h.starts_with('#') && !h.starts_with("javascript:"))
                {
                    let text = inline_text(child);
                    if text.trim().is_empty() {
                        continue;
                    }
                    out.push_str(&format!("[{}]({href})", text.trim()));
                } else {
                    out.push_str(&inline_text(child));
                }
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How much article text an element holds: the text of its paragraphs, less link text (menus
/// and link lists are mostly links), with a bonus for `article`/`main` and content-like names.
fn content_score(el: ElementRef) -> i64 {
    let p = selector("p");
    let a = selector("a");
    let mut score: i64 = 0;
    for para in el.select(&p) {
        let text: usize = para.text().map(|t| t.trim().chars().count()).sum();
        let links: usize = para.select(&a).flat_map(|l| l.text()).map(|t| t.trim().chars().count()).sum();
        if text > 25 {
            score += text as i64 - 2 * links as i64;
        }
    }
    let marks = format!("{} {}", el.value().attr("class").unwrap_or(""), el.value().attr("id").unwrap_or("")).to_lowercase();
    if ["comment", "sidebar", "related", "footer", "menu", "share", "promo", "cookie"].iter().any(|m| marks.contains(m)) {
        score /= 4;
    }
    if matches!(el.value().name(), "article" | "main")
        || ["article", "content", "story", "post", "entry"].iter().any(|m| marks.contains(m))
    {
        score += score / 4;
    }
    score
}

/// The element holding the article: the best scored of `article`, `main`, `[role=main]` and the
/// `div`/`section` blocks, preferring the innermost when a parent adds little.
fn main_content(document: &Html) -> Option<ElementRef<'_>> {
    let candidates = selector("article, main, [role=main], div, section, td");
    let mut best: Option<(i64, ElementRef)> = None;
    for el in document.select(&candidates) {
        let score = content_score(el);
        // A parent scores at least as much as its child; take the child unless the parent has
        // clearly more (the child is then one part of the article).
        let better = match best {
            None => score > 0,
            Some((s, _)) => score > s + s / 5,
        };
        if better {
            best = Some((score, el));
        }
    }
    best.map(|(_, el)| el)
}

fn walk_html(el: ElementRef, base: &Path, doc: &mut Document, lines: &mut Vec<String>) {
    for child in el.children() {
        let Some(child) = ElementRef::wrap(child) else {
            if let Node::Text(t) = child.value() {
                let t = t.trim();
                if !t.is_empty() {
                    lines.push(t.to_string());
                }
            }
            continue;
        };
        let name = child.value().name();
        if FURNITURE.contains(&name) {
            continue;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = inline_text(child);
                if text.is_empty() {
                    continue;
                }
                if name == "h1" && doc.title.is_none() {
                    doc.title = Some(text);
                } else {
                    doc.headings.push(text.clone());
                    lines.push(String::new());
                    lines.push(text);
                    lines.push(String::new());
                }
            }
            "p" | "blockquote" | "pre" | "dd" | "dt" => {
                for img in child.select(&selector("img")) {
                    image_line(img, base, doc, lines);
                }
                let text = inline_text(child);
                if !text.is_empty() {
                    lines.push(String::new());
                    lines.push(text);
                }
            }
            "ul" | "ol" => {
                lines.push(String::new());
                let mut n = 0;
                for item in child.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
                    n += 1;
                    let text = inline_text(item);
                    if text.is_empty() {
                        continue;
                    }
                    lines.push(if name == "ol" { format!("{n}. {text}") } else { format!("- {text}") });
                }
                lines.push(String::new());
            }
            "img" => image_line(child, base, doc, lines),
            // A block holding only inline content (`<div class="byline">By …</div>`) is one line.
            _ if !child.select(&selector(BLOCKS)).any(|_| true) => {
                let text = inline_text(child);
                if !text.is_empty() {
                    lines.push(String::new());
                    lines.push(text);
                }
            }
            _ => walk_html(child, base, doc, lines),
        }
    }
}

fn image_line(img: ElementRef, base: &Path, doc: &mut Document, lines: &mut Vec<String>) {
    let Some(src) = img.value().attr("src").filter(|s| !s.is_empty()) else { return };
    let alt = img.value().attr("alt").unwrap_or("").trim().replace(['[', ']'], "");
    let target = match local_image(base, src) {
        Some(image) => {
            let name = image.name.clone();
            if !doc.images.iter().any(|i| i.name == name) {
                doc.images.push(image);
            }
            name
        }
        None => src.to_string(),
    };
    lines.push(String::new());
    lines.push(format!("![{alt}]({target})"));
}

/// A saved web page: its main content as lines; the `<h1>` (else the `<title>`, without the
/// site's name) is the title.
pub fn html(text: &str, base: &Path) -> Document {
    let document = Html::parse_document(text);
    let mut doc = Document::default();
    let mut lines = Vec::new();
    if let Some(main) = main_content(&document) {
        // An `<h1>` just before the content block (a page header) is the title.
        if !main.select(&selector("h1")).any(|_| true) {
            doc.title = document.select(&selector("h1")).map(inline_text).find(|t| !t.is_empty());
        }
        walk_html(main, base, &mut doc, &mut lines);
    }
    if doc.title.is_none() {
        doc.title = document.select(&selector("title")).next().map(|t| {
            let full = t.text().collect::<String>();
            let separator = regex::Regex::new(r" [|–—] ").expect("constant regex");
            let parts: Vec<&str> = separator.split(&full).collect();
            parts.iter().max_by_key(|p| p.chars().count()).unwrap_or(&"").trim().to_string()
        });
        doc.title = doc.title.take().filter(|t| !t.is_empty());
    }
    if let Some(lang) = document.select(&selector("html")).next().and_then(|h| h.value().attr("lang")) {
        doc.lang = Some(lang.split(['-', '_']).next().unwrap_or(lang).to_ascii_lowercase()).filter(|l| !l.is_empty());
    }
    doc.text = lines.join("\n");
    doc
}

// --- Word -------------------------------------------------------------------------------------

/// A part of a Word file larger than this once unpacked is not read (a compressed "zip bomb"
/// must not exhaust memory).
const PART_MAX_BYTES: u64 = 64 << 20;

fn zip_file(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let file = archive.by_name(name).ok()?;
    let mut bytes = Vec::new();
    file.take(PART_MAX_BYTES + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= PART_MAX_BYTES).then_some(bytes)
}

fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == name).map(|a| a.value())
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == name)
}

/// Targets of the document's relationships (`rId7` -> `media/image1.png` or a URL).
fn relationships(xml: &str) -> HashMap<String, String> {
    let Ok(tree) = roxmltree::Document::parse(xml) else { return HashMap::new() };
    tree.descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .filter_map(|n| Some((attr(n, "Id")?.to_string(), attr(n, "Target")?.to_string())))
        .collect()
}

/// Style id -> lowercase style name (`Heading1` -> `heading 1`).
fn style_names(xml: &str) -> HashMap<String, String> {
    let Ok(tree) = roxmltree::Document::parse(xml) else { return HashMap::new() };
    tree.descendants()
        .filter(|n| n.tag_name().name() == "style")
        .filter_map(|n| Some((attr(n, "styleId")?.to_string(), attr(child(n, "name")?, "val")?.to_lowercase())))
        .collect()
}

/// (numId, level) -> whether the list is numbered (not bulleted).
fn numbering(xml: &str) -> HashMap<(String, String), bool> {
    let Ok(tree) = roxmltree::Document::parse(xml) else { return HashMap::new() };
    let mut abstract_formats: HashMap<String, HashMap<String, bool>> = HashMap::new();
    for a in tree.descendants().filter(|n| n.tag_name().name() == "abstractNum") {
        let Some(id) = attr(a, "abstractNumId") else { continue };
        let levels = a
            .children()
            .filter(|l| l.tag_name().name() == "lvl")
            .filter_map(|l| Some((attr(l, "ilvl")?.to_string(), attr(child(l, "numFmt")?, "val")? != "bullet")))
            .collect();
        abstract_formats.insert(id.to_string(), levels);
    }
    let mut out = HashMap::new();
    for num in tree.descendants().filter(|n| n.tag_name().name() == "num") {
        let (Some(id), Some(abs)) = (attr(num, "numId"), child(num, "abstractNumId").and_then(|a| attr(a, "val"))) else {
            continue;
        };
        for (level, numbered) in abstract_formats.get(abs).into_iter().flatten() {
            out.insert((id.to_string(), level.clone()), *numbered);
        }
    }
    out
}

/// A Word file: paragraphs in order; the `Title` style (else the first `Heading 1`) is the
/// title, `Heading n` styles are headings, numbered paragraphs are list items, hyperlinks become
/// Markdown links and embedded pictures go into the bundle.
pub fn docx(bytes: &[u8]) -> Result<Document, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word (.docx) file: {e}; save it as .docx or as text and import it again"))?;
    let main =
        zip_file(&mut archive, "word/document.xml").ok_or("a .docx file without word/document.xml; save it again from Word")?;
    let main = String::from_utf8(main).map_err(|_| "word/document.xml is not UTF-8")?;
    let text_of = |archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str| {
        zip_file(archive, name).and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
    };
    let rels = relationships(&text_of(&mut archive, "word/_rels/document.xml.rels"));
    let styles = style_names(&text_of(&mut archive, "word/styles.xml"));
    let lists = numbering(&text_of(&mut archive, "word/numbering.xml"));
    let tree = roxmltree::Document::parse(&main).map_err(|e| format!("word/document.xml is not valid XML: {e}"))?;

    let mut doc = Document::default();
    let mut lines: Vec<String> = Vec::new();
    let mut counters: HashMap<(String, String), usize> = HashMap::new();
    for p in tree.descendants().filter(|n| n.tag_name().name() == "p") {
        let props = child(p, "pPr");
        let style_id = props.and_then(|pr| child(pr, "pStyle")).and_then(|s| attr(s, "val")).unwrap_or("");
        let style = styles.get(style_id).cloned().unwrap_or_else(|| style_id.to_lowercase());
        let style = style.replace(' ', "");
        let list = props.and_then(|pr| child(pr, "numPr")).and_then(|n| {
            let id = attr(child(n, "numId")?, "val")?.to_string();
            let level = child(n, "ilvl").and_then(|l| attr(l, "val")).unwrap_or("0").to_string();
            (id != "0").then_some((id, level))
        });
        let mut text = String::new();
        let mut images = Vec::new();
        docx_runs(p, &rels, &mut archive, &mut text, &mut images);
        for (image, alt) in images {
            let name = image.name.clone();
            if !doc.images.iter().any(|i| i.name == name) {
                doc.images.push(image);
            }
            lines.push(String::new());
            lines.push(format!("![{alt}]({name})"));
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let heading = style.strip_prefix("heading").and_then(|n| n.parse::<u8>().ok());
        let first_heading = heading == Some(1) && lines.iter().all(|l| l.trim().is_empty());
        if (style == "title" || first_heading) && doc.title.is_none() {
            doc.title = Some(text);
            continue;
        }
        if heading.is_some() || style == "subtitle" {
            doc.headings.push(text.clone());
            lines.extend([String::new(), text, String::new()]);
        } else if let Some(key) = list {
            let numbered = lists.get(&key).copied().unwrap_or(false);
            let n = counters.entry(key).or_default();
            *n += 1;
            lines.push(if numbered { format!("{n}. {text}") } else { format!("- {text}") });
        } else {
            lines.extend([String::new(), text]);
        }
    }
    doc.text = lines.join("\n");
    Ok(doc)
}

/// The text of a paragraph's runs (links as Markdown links) and its pictures with their alt text.
fn docx_runs(
    node: roxmltree::Node,
    rels: &HashMap<String, String>,
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    text: &mut String,
    images: &mut Vec<(Image, String)>,
) {
    for c in node.children() {
        match c.tag_name().name() {
            "t" => text.push_str(c.text().unwrap_or("")),
            "tab" | "br" | "cr" => text.push(' '),
            "pPr" | "rPr" => {}
            "hyperlink" => {
                let mut inner = String::new();
                docx_runs(c, rels, archive, &mut inner, images);
                match attr(c, "id").and_then(|id| rels.get(id)) {
                    Some(url) if !inner.trim().is_empty() => text.push_str(&format!("[{}]({url})", inner.trim())),
                    _ => text.push_str(&inner),
                }
            }
            "drawing" | "pict" => {
                let alt = c
                    .descendants()
                    .find(|d| d.tag_name().name() == "docPr")
                    .and_then(|d| attr(d, "descr").or_else(|| attr(d, "title")))
                    .unwrap_or("")
                    .replace(['[', ']'], "");
                let target = c
                    .descendants()
                    .find(|d| matches!(d.tag_name().name(), "blip" | "imagedata"))
                    .and_then(|b| attr(b, "embed").or_else(|| attr(b, "id")))
                    .and_then(|id| rels.get(id));
                if let Some(target) = target {
                    let path = format!("word/{}", target.trim_start_matches('/').trim_start_matches("word/"));
                    if let Some(bytes) = zip_file(archive, &path) {
                        let name = Path::new(target).file_name().map_or("image".into(), |n| n.to_string_lossy().into_owned());
                        images.push((Image { name, bytes }, alt));
                    }
                }
            }
            _ => docx_runs(c, rels, archive, text, images),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_web_page_keeps_its_article_and_drops_the_site_around_it() {
        let page = r#"<html lang="en"><head><title>Forum opens | Network News</title></head><body>
            <nav><a href="/">Home</a> | <a href="/news">News</a></nav>
            <div class="sidebar"><p><a href="/a">A much longer list of links to other stories on the site</a></p></div>
            <article><h1>Forum Opens in Geneva</h1>
              <p>Geneva, March 3, 2025 – The forum opened with <a href="https://example.org">1,400 delegates</a> from many countries.</p>
              <h2>What was agreed</h2>
              <ul><li>A help desk</li><li>Twelve agreements</li></ul>
              <figure><img src="https://example.org/a.jpg" alt="Delegates"><figcaption>Delegates. Photo: PNN</figcaption></figure>
              <p>The next forum will be held in Nairobi, organisers said on Monday evening.</p>
            </article><footer><p>Copyright 2025 Network News, all rights reserved worldwide.</p></footer></body></html>"#;
        let doc = html(page, Path::new("/nonexistent"));
        assert_eq!(doc.title.as_deref(), Some("Forum Opens in Geneva"));
        assert_eq!(doc.headings, ["What was agreed"]);
        assert_eq!(doc.lang.as_deref(), Some("en"));
        assert!(doc.text.contains("[1,400 delegates](https://example.org)"), "{}", doc.text);
        assert!(doc.text.contains("- A help desk\n- Twelve agreements"), "{}", doc.text);
        assert!(doc.text.contains("![Delegates](https://example.org/a.jpg)"), "{}", doc.text);
        assert!(
            !doc.text.contains("Home") && !doc.text.contains("Copyright") && !doc.text.contains("Photo: PNN"),
            "{}",
            doc.text
        );
    }

    #[test]
    fn a_file_that_is_not_a_word_file_is_a_clear_error() {
        let e = docx(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(e.contains("not a Word (.docx) file"), "{e}");
    }

    #[test]
    fn markdown_front_matter_is_taken_as_stated() {
        let doc =
            markdown("---\ntitle: Stated\ndate: 2025-03-03\nplace: Geneva\n---\n\n## Part\n\nText here.\n", Path::new("/x"));
        assert_eq!(doc.title.as_deref(), Some("Stated"));
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(doc.headings, ["Part"]);
    }
}
