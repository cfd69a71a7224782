//! Markdown: renders page bodies with pulldown-cmark into HTML with script-preserving heading
//! ids, a table of contents, prefixed footnotes, resolved `@/` internal links, a summary, and
//! word counts that are right for Devanagari and Arabic as well as Latin text. With [`Media`],
//! images become responsive `<picture>`s (see [`crate::images`]), relative links point at the
//! page bundle from anywhere (listings, feeds, search), and shortcodes are rendered.

mod media;
pub mod shortcodes;

pub use media::{Media, image_value};

use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use unicode_normalization::char::is_combining_mark;

const MORE_MARKER: &str = "<!-- more -->";

/// A heading of the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What the markdown stage gives back for one body.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: String,
    pub summary: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    pub reading_time: usize,
    /// The front matter's `image`, processed: the page's cover on cards and its hero.
    #[serde(skip)]
    pub image: Option<std::sync::Arc<crate::images::Processed>>,
    /// The body or front matter showed a resized image: the build publishes its files only
    /// when it renders this Markdown.
    #[serde(skip)]
    pub images: bool,
}

/// A broken internal link: the 1-based line inside the body and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub line: usize,
    pub message: String,
}

/// Resolves `@/section/page.md` links: content path (without `.md`) -> URL in the page's language.
pub trait LinkResolver {
    fn resolve(&self, content_path: &str, lang: &str) -> Option<String>;
}

impl LinkResolver for HashMap<String, String> {
    fn resolve(&self, content_path: &str, _lang: &str) -> Option<String> {
        self.get(content_path).cloned()
    }
}

/// One Markdown document of the site: its body, its language and where it starts in which file.
pub struct Source<'a> {
    pub file: &'a Path,
    pub body: &'a str,
    /// Line of `file` where `body` starts (1-based).
    pub body_line: usize,
    pub lang: &'a str,
    /// The page's URL: relative links and images in the body are made relative to the root
    /// with it, so they work wherever the body is shown.
    pub url: &'a str,
    /// The front matter's `image`.
    pub image: Option<&'a str>,
}

/// Renders one document; broken `@/` links, missing images and shortcode errors become
/// diagnostics on the file's real lines.
pub fn render_source(
    doc: &Source,
    config: &MarkdownConfig,
    links: &dyn LinkResolver,
    media: Option<&Media>,
) -> Result<Rendered, Diagnostics> {
    let result = match media {
        Some(media) => media.render(doc, config, links),
        None => render(doc.body, doc.lang, config, links),
    };
    let mut errors = match &result {
        Ok(_) => Diagnostics::default(),
        Err(errs) => Diagnostics(
            errs.iter().map(|e| Diagnostic::new(doc.file, doc.body_line + e.line - 1, 1, e.message.clone())).collect(),
        ),
    };
    let cover = match media.map(|m| m.cover(doc)) {
        Some(Ok(cover)) => cover,
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    match result {
        Ok(mut rendered) if errors.is_empty() => {
            rendered.images |= cover.is_some();
            rendered.image = cover;
            Ok(rendered)
        }
        _ => Err(errors),
    }
}

/// Renders every document in parallel; one with broken links renders empty, its problems
/// join `errors`.
pub fn render_all(
    docs: &[Source],
    config: &MarkdownConfig,
    links: &(dyn LinkResolver + Sync),
    media: Option<&Media>,
    errors: &mut Diagnostics,
) -> Vec<Rendered> {
    let results: Vec<Result<Rendered, Diagnostics>> = docs.par_iter().map(|d| render_source(d, config, links, media)).collect();
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.extend(e);
                Rendered::default()
            })
        })
        .collect()
}

/// Double quotation marks as `lang` writes them (CLDR `quotationStart`/`quotationEnd`): smart
/// punctuation makes English “ ” marks; French, Spanish and Azerbaijani use « », French with a
/// no-break space inside, and Arabic ” “.
fn quoted(text: &str, lang: &str) -> String {
    let (open, close) = match lang.split('-').next().unwrap_or(lang) {
        "fr" => ("«\u{a0}", "\u{a0}»"),
        "es" | "az" => ("«", "»"),
        "ar" | "fa" | "ur" => ("”", "“"),
        _ => return text.to_string(),
    };
    text.chars().fold(String::with_capacity(text.len()), |mut out, c| {
        match c {
            '“' => out.push_str(open),
            '”' => out.push_str(close),
            c => out.push(c),
        }
        out
    })
}

/// Renders `body` written in `lang`.
pub fn render(body: &str, lang: &str, config: &MarkdownConfig, links: &dyn LinkResolver) -> Result<Rendered, Vec<LinkError>> {
    render_with(body, lang, config, links, None)
}

/// Renders `body`; `page` turns images into `<picture>`s and relative links into root-relative
/// ones.
fn render_with(
    body: &str,
    lang: &str,
    config: &MarkdownConfig,
    links: &dyn LinkResolver,
    page: Option<&media::PageMedia>,
) -> Result<Rendered, Vec<LinkError>> {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let line_starts: Vec<usize> = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);

    let mut events: Vec<Event> = Vec::new();
    // Where each event starts in `body`, for errors found after the parse.
    let mut starts: Vec<usize> = Vec::new();
    let mut errors = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let start = range.start;
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if dest_url.starts_with("@/") => {
                let (path, fragment) = match dest_url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (&*dest_url, None),
                };
                let content_path = path.trim_start_matches("@/").trim_end_matches(".md");
                match links.resolve(content_path, lang) {
                    Some(url) => {
                        let url = match fragment {
                            Some(f) => format!("{url}#{f}"),
                            None => url,
                        };
                        events.push(Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id }));
                    }
                    None => {
                        errors.push(LinkError {
                            line: line_of(range.start),
                            message: format!("internal link `{dest_url}` points to no page: check the path under content/"),
                        });
                        events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                    }
                }
            }
            Event::Text(text) if config.smart_punctuation && text.contains(['“', '”']) => {
                events.push(Event::Text(quoted(&text, lang).into()));
            }
            other => events.push(other),
        }
        starts.resize(events.len(), start);
    }
    if let Some(page) = page {
        events = page.rewrite(events, &starts, &mut errors, &line_of);
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let footnote_ids = number_footnotes(&mut events);
    let toc = assign_heading_ids(&mut events, lang, footnote_ids);
    let word_count = count_words(&events);

    let summary_end = events.iter().position(|e| matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER));
    let summary_events: Vec<Event> = match summary_end {
        Some(end) => events[..end].to_vec(),
        None => first_paragraph(&events),
    };
    let summary = html_of(summary_events);
    let html = html_of(events);
    let reading_time = word_count.div_ceil(config.words_per_minute.max(1));
    Ok(Rendered { html, summary, toc, word_count, reading_time, image: None, images: false })
}

/// The HTML of `events`, in a string of exactly its size: it stays with the page, so it is
/// written into a buffer each thread keeps, then copied, not grown in place by doubling.
fn html_of(events: Vec<Event>) -> String {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = std::cell::RefCell::default();
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        pulldown_cmark::html::push_html(buffer, events.into_iter());
        buffer.as_str().to_owned()
    })
}

/// Replaces footnote references and definitions with HTML whose ids start with `fn-`/`fnref-`,
/// numbered in order of first reference. Returns the ids used, so headings avoid them.
fn number_footnotes(events: &mut [Event]) -> HashSet<String> {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut used = HashSet::new();
    let id_for = |label: &str, numbers: &mut HashMap<String, usize>| {
        let next = numbers.len() + 1;
        let n = *numbers.entry(label.to_string()).or_insert(next);
        (n, slugify(label, "en"))
    };
    for e in events.iter_mut() {
        match e {
            Event::FootnoteReference(label) => {
                let (n, id) = id_for(label, &mut numbers);
                used.insert(format!("fn-{id}"));
                used.insert(format!("fnref-{id}"));
                *e = Event::InlineHtml(
                    format!(r##"<sup class="footnote-reference" id="fnref-{id}"><a href="#fn-{id}">{n}</a></sup>"##).into(),
                );
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, id) = id_for(label, &mut numbers);
                used.insert(format!("fn-{id}"));
                *e = Event::Html(
                    format!(
                        r##"<div class="footnote-definition" id="fn-{id}"><sup class="footnote-definition-label"><a href="#fnref-{id}">{n}</a></sup>"##
                    )
                    .into(),
                );
            }
            Event::End(TagEnd::FootnoteDefinition) => *e = Event::Html("</div>\n".into()),
            _ => {}
        }
    }
    used
}

/// Gives every heading an id (its own `{#id}` or a slug of its text in `lang`), unique on the page.
fn assign_heading_ids(events: &mut [Event], lang: &str, mut used: HashSet<String>) -> Vec<Heading> {
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = slugify(&title, lang);
                if s.is_empty() { "section".to_string() } else { s }
            });
            let mut unique = base.clone();
            let mut n = 1;
            while !used.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            toc.push(Heading { level: heading_number(level), id: unique, title });
            i = j;
        }
        i += 1;
    }
    toc
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Words as runs of letters, digits and combining marks, so a Devanagari word with its viramas
/// and vowel signs or an Arabic word with its harakat counts once, and punctuation such as `।`
/// counts as none. Joiners (ZWJ/ZWNJ), apostrophes between letters and separators between
/// digits stay inside a word, as in Unicode word segmentation (UAX #29), which this matches for
/// space-separated scripts at a fraction of its cost.
pub fn count_words_in(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let part_of_word = is_word_char(c)
            || (in_word && matches!(c, '\'' | '’') && previous.is_alphabetic() && next.is_alphabetic())
            || (in_word && matches!(c, '.' | ',') && previous.is_numeric() && next.is_numeric());
        if part_of_word && !in_word {
            words += 1;
        }
        in_word = part_of_word;
        previous = c;
    }
    words
}

/// Letters, digits, combining marks and joiners; the scripts of the network's languages are
/// decided by block without the general Unicode tables, which dominate word counting otherwise.
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // Latin-1 and Latin Extended letters (not × and ÷).
        '\u{00C0}'..='\u{024F}' => c != '\u{00D7}' && c != '\u{00F7}',
        // Devanagari, except the dandas and the abbreviation sign.
        '\u{0900}'..='\u{097F}' => !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}'),
        // Arabic, except its signs and punctuation (comma, semicolon, question mark, percent,
        // separators, full stop, end of ayah).
        '\u{0600}'..='\u{06FF}' => !matches!(
            c,
            '\u{0600}'..='\u{060F}' | '\u{061B}'..='\u{061F}' | '\u{066A}'..='\u{066D}' | '\u{06D4}' | '\u{06DD}' | '\u{06DE}' | '\u{06E9}'
        ),
        '\u{200C}' | '\u{200D}' => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

fn count_words(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => count_words_in(t),
            _ => 0,
        })
        .sum()
}

fn first_paragraph<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let Some(start) = events.iter().position(|e| matches!(e, Event::Start(Tag::Paragraph))) else { return vec![] };
    let end = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .map(|e| start + e + 1)
        .unwrap_or(events.len());
    events[start..end].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, lang: &str) -> Rendered {
        let links: HashMap<String, String> = [("news/visit".to_string(), "/ar/news/visit/".to_string())].into();
        render(body, lang, &MarkdownConfig::default(), &links).unwrap()
    }

    #[test]
    fn heading_ids_keep_their_script_and_are_unique() {
        let r = md("## ऐतिहासिक जीत\n\n## ऐतिहासिक जीत\n\n## الشبكة\n", "hi");
        assert!(r.html.contains(r#"<h2 id="ऐतिहासिक-जीत">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="ऐतिहासिक-जीत-1">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="الشبكة">"#), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn words_in_devanagari_and_arabic() {
        assert_eq!(count_words_in("WASME ने NGO के 2024 अंतर्राष्ट्रीय सम्मेलन में।"), 8);
        assert_eq!(count_words_in("نظمت شبكة وليلي ندوة"), 4);
        assert_eq!(count_words_in("WASME's 66 votes, 3.5 percent; NGO-UNESCO"), 7);
        assert_eq!(count_words_in("Noyabrın 14-də BMT-nin İqlim"), 6);
    }

    #[test]
    fn footnotes_are_prefixed_and_numbered() {
        let r = md("Text[^a].\n\n[^a]: Note.\n", "en");
        assert!(r.html.contains(r##"href="#fn-a""##), "{}", r.html);
        assert!(r.html.contains(r#"id="fn-a""#), "{}", r.html);
    }

    #[test]
    fn internal_links_resolve_and_missing_ones_are_errors() {
        assert!(md("[x](@/news/visit.md)", "ar").html.contains(r#"href="/ar/news/visit/""#));
        let links: HashMap<String, String> = HashMap::new();
        let err = render("a\n\n[x](@/news/nope.md)", "en", &MarkdownConfig::default(), &links).unwrap_err();
        assert_eq!(err[0].line, 3);
    }

    #[test]
    fn quotation_marks_follow_the_language() {
        let config = MarkdownConfig { smart_punctuation: true, ..MarkdownConfig::default() };
        let links: HashMap<String, String> = HashMap::new();
        let render = |lang| super::render("He said \"yes\".", lang, &config, &links).unwrap().html;
        assert_eq!(render("en"), "<p>He said “yes”.</p>\n");
        assert_eq!(render("ar"), "<p>He said ”yes“.</p>\n");
        assert_eq!(render("az"), "<p>He said «yes».</p>\n");
        assert_eq!(render("fr"), "<p>He said «\u{a0}yes\u{a0}».</p>\n");
    }

    #[test]
    fn summary_is_the_part_before_more_or_the_first_paragraph() {
        assert_eq!(md("One.\n\nTwo.", "en").summary, "<p>One.</p>\n");
        assert!(md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.", "en").summary.contains("Two."));
    }
}
