//! What a page gives the search index, read from its HTML by Pagefind's rules: the text of its
//! `<html>` (or of its `data-pagefind-body` elements), less what Pagefind leaves out (`head`,
//! `nav`, `footer`, `script`, `form`, ..., and `data-pagefind-ignore`); headings weighted;
//! elements with an `id` as anchors; its title (first `<h1>`, else `<title>`) and first image
//! after the title as metadata. [`Reading::words`] then gives each word's place and weight.
//!
//! Pages that use Pagefind's other attributes (filters, sorts, metadata, weights) are left to
//! Pagefind: [`plain`] says which can be read here.

use super::words::Forms;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::LazyLock;

/// Block elements: their text is a sentence of its own, ended by a full stop if it has none.
const SENTENCE_TAGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section"];
/// Inline elements: they share the anchors of the element they are in.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i", "img", "input", "kbd", "label",
    "map", "object", "output", "q", "samp", "script", "select", "small", "span", "strong", "sub", "sup", "textarea", "time",
    "tt", "var",
];
/// Elements whose text is not indexed.
const LEFT_OUT: &[&str] = &["head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe", "template"];

/// Markers the reading puts in the text, read back by [`Reading::words`].
const ANCHOR: &str = "___PAGEFIND_ANCHOR___";
const AUTO_WEIGHT: &str = "___PAGEFIND_AUTO_WEIGHT___";
const WEIGHT: &str = "___PAGEFIND_WEIGHT___";
const END_WEIGHT: &str = "___END_PAGEFIND_WEIGHT___";

/// Whether a page uses no Pagefind attribute but `data-pagefind-body` and `data-pagefind-ignore`.
pub fn plain(html: &[u8]) -> bool {
    memchr::memmem::find_iter(html, b"data-pagefind-").all(|at| {
        let rest = &html[at + b"data-pagefind-".len()..];
        rest.starts_with(b"body") || rest.starts_with(b"ignore")
    })
}

/// What was read of a page.
#[derive(Debug, Default)]
pub struct Reading {
    /// The text, with markers of anchors and weights.
    text: String,
    pub meta: BTreeMap<String, String>,
    anchor_text: BTreeMap<String, String>,
    /// Whether its text came from `data-pagefind-body` elements.
    pub has_body: bool,
    /// The `lang` of its `<html>`, lowercased (`unknown` without).
    pub lang: String,
}

/// One anchor of a page: an element with an `id`, and the place of the word it comes before.
#[derive(Debug, serde::Serialize)]
pub struct Anchor {
    pub element: String,
    pub id: String,
    pub text: String,
    pub location: u32,
}

/// A word of the page's text: where it is, how much it weighs, and the form it is indexed under
/// (an index into [`Words::forms`]).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub position: u32,
    pub weight: u8,
}

/// The page's words as the index takes them.
#[derive(Debug, Default)]
pub struct Words {
    /// The text shown in results: the page's words, one space apart.
    pub content: String,
    pub word_count: usize,
    pub anchors: Vec<Anchor>,
    /// Each word's place, by the number of its form in [`Forms::named`].
    pub places: Vec<(u32, Place)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Indexing,
    /// Its text is not indexed (its metadata is read).
    Ignored,
    /// Nothing of it is read.
    Excluded,
    Body,
    /// A `data-pagefind-body` element is inside it: only that element's text counts.
    ParentOfBody,
}

#[derive(Debug)]
struct Node {
    serial: u64,
    text: String,
    status: Status,
    anchors: Option<Vec<String>>,
}

#[derive(Debug, Default)]
struct State {
    /// The open elements, the outermost (a node standing for the document) first.
    open: Vec<Node>,
    serial: u64,
    anchors: u64,
    reading: Reading,
    lang: Option<String>,
}

impl State {
    fn top(&mut self) -> &mut Node {
        self.open.last_mut().expect("the document's node stays open")
    }

    /// Adds a finished element's text to the element it is in.
    fn merge(&mut self, node: Node) {
        let parent = self.top();
        if parent.status == Status::ParentOfBody && !matches!(node.status, Status::Body | Status::ParentOfBody) {
            return;
        }
        match node.status {
            Status::Ignored | Status::Excluded => {}
            Status::Indexing => parent.text.push_str(&node.text),
            Status::Body | Status::ParentOfBody => {
                if parent.status != Status::ParentOfBody {
                    parent.text.clear();
                }
                parent.text.push_str(&node.text);
                parent.status = Status::ParentOfBody;
            }
        }
    }
}

/// Reads a page's HTML.
pub fn read(html: &[u8]) -> Reading {
    use lol_html::{HtmlRewriter, Settings, doc_text, element};
    let state = Rc::new(RefCell::new(State {
        open: vec![Node { serial: 0, text: String::new(), status: Status::Indexing, anchors: None }],
        serial: 1,
        ..State::default()
    }));
    let (on_html, on_element, on_text) = (state.clone(), state.clone(), state.clone());
    let handlers = vec![
        element!("html", move |el| {
            if let Some(lang) = el.get_attribute("lang") {
                on_html.borrow_mut().lang = Some(lang.to_lowercase());
            }
            Ok(())
        }),
        // Every element in `<html>`, matched by hand: a selector lol_html matches costs more.
        element!("*", move |el| {
            let tag = el.tag_name();
            if tag != "html" && on_element.borrow().open.len() == 1 {
                return Ok(());
            }
            let ignore = el.get_attribute("data-pagefind-ignore").map(|value| match value.to_ascii_lowercase().as_str() {
                "" | "index" | "true" => Status::Ignored,
                _ => Status::Excluded,
            });
            let status = match (el.has_attribute("data-pagefind-body"), ignore) {
                (true, _) => Status::Body,
                (false, Some(ignore)) => ignore,
                (false, None) => Status::Indexing,
            };
            let id = el.get_attribute("id").map(|id| id.chars().filter(|c| !c.is_whitespace()).collect::<String>());
            let mut guard = on_element.borrow_mut();
            let state = &mut *guard;
            let mut anchor = None;
            if let (Some(id), false) = (id, matches!(status, Status::Excluded | Status::Ignored)) {
                let parent = state.open.last_mut().expect("the document's node stays open");
                if !(parent.status == Status::ParentOfBody && status != Status::Body) {
                    parent.text.push_str(&format!(" {ANCHOR}{tag}:{}:{id} ", state.anchors));
                    anchor = Some(format!("{}:{id}", state.anchors));
                    state.anchors += 1;
                }
            }
            let parent = state.top();
            if status != Status::Excluded && tag == "br" {
                parent.text.push(' ');
            }
            let mut anchors = parent.anchors.clone().filter(|_| INLINE_TAGS.contains(&tag.as_str()));
            if let Some(anchor) = anchor {
                anchors.get_or_insert_with(Vec::new).push(anchor);
            }
            let status = match (parent.status, LEFT_OUT.contains(&tag.as_str())) {
                (Status::Excluded, _) => Status::Excluded,
                (_, true) => Status::Ignored,
                (_, false) => status,
            };
            let serial = state.serial;
            state.serial += 1;
            state.open.push(Node { serial, text: String::new(), status, anchors });
            drop(guard);

            let Some(handlers) = el.end_tag_handlers() else {
                // A void element: it ends here.
                let mut state = on_element.borrow_mut();
                let node = state.open.pop().expect("just opened");
                let meta = &mut state.reading.meta;
                let titled = meta.contains_key("auto_title") || meta.contains_key("title");
                if node.status != Status::Excluded
                    && tag == "img"
                    && titled
                    && !meta.contains_key("auto_image")
                    && let Some(src) = el.get_attribute("src")
                {
                    meta.insert("auto_image".into(), normalize(&src));
                    if let Some(alt) = el.get_attribute("alt") {
                        meta.insert("auto_image_alt".into(), normalize(&alt));
                    }
                }
                return Ok(());
            };
            let state = on_element.clone();
            let on_end: lol_html::EndTagHandler<'static> = Box::new(move |end: &mut lol_html::html_content::EndTag| {
                let mut state = state.borrow_mut();
                let Some(at) = state.open.iter().rposition(|n| n.serial == serial) else { return Ok(()) };
                state.open.truncate(at + 1);
                let mut node = state.open.pop().expect("found above");
                if node.status == Status::Excluded {
                    return Ok(());
                }
                let meta = &mut state.reading.meta;
                if tag == "h1" && !meta.contains_key("auto_title") && !node.text.trim().is_empty() {
                    meta.insert("auto_title".into(), normalize(&node.text));
                }
                if tag == "title" && !meta.contains_key("auto_page_title") {
                    meta.insert("auto_page_title".into(), normalize(&node.text));
                }
                if node.status == Status::Ignored {
                    return Ok(());
                }
                let name = end.name();
                if SENTENCE_TAGS.contains(&name.as_str()) {
                    node.text.insert(0, ' ');
                    if node.text.chars().last().is_some_and(ends_sentence) {
                        node.text.push('.');
                    }
                    node.text.push(' ');
                }
                let weight = match name.as_str() {
                    "h1" => Some(7),
                    "h2" => Some(6),
                    "h3" => Some(5),
                    "h4" => Some(4),
                    "h5" => Some(3),
                    "h6" => Some(2),
                    _ => None,
                };
                if let Some(weight) = weight {
                    node.text = format!(" {AUTO_WEIGHT}{weight} {} {END_WEIGHT} ", node.text);
                }
                state.merge(node);
                Ok(())
            });
            handlers.push(on_end);
            Ok(())
        }),
    ];
    let texts = vec![doc_text!(move |chunk| {
        let mut guard = on_text.borrow_mut();
        let state = &mut *guard;
        if state.open.len() == 1 {
            return Ok(());
        }
        let node = state.open.last_mut().expect("the document's node stays open");
        node.text.push_str(chunk.as_str());
        if !matches!(node.status, Status::Ignored | Status::Excluded)
            && let Some(anchors) = &node.anchors
        {
            for anchor in anchors {
                state.reading.anchor_text.entry(anchor.clone()).or_default().push_str(chunk.as_str());
            }
        }
        Ok(())
    })];
    let settings = handlers.into_iter().fold(Settings::new().with_strict(false), |s, h| s.append_element_content_handler(h));
    let settings = texts.into_iter().fold(settings, |s, h| s.append_document_content_handler(h));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // A page lol_html cannot read gives what was read up to there, as Pagefind's reading does.
    let _ = rewriter.write(html);
    let _ = rewriter.end();
    let mut state =
        Rc::try_unwrap(state).map(RefCell::into_inner).unwrap_or_else(|shared| std::mem::take(&mut *shared.borrow_mut()));
    // Elements left open give their text to the elements they are in.
    while state.open.len() > 1 {
        let node = state.open.pop().expect("more than one");
        if state.top().status != Status::ParentOfBody {
            state.merge(node);
        }
    }
    let root = state.open.pop().unwrap_or(Node { serial: 0, text: String::new(), status: Status::Indexing, anchors: None });
    let mut reading = state.reading;
    let meta = &mut reading.meta;
    if let Some(image) = meta.remove("auto_image") {
        let alt = meta.remove("auto_image_alt").unwrap_or_default();
        if !meta.contains_key("image") {
            meta.insert("image".into(), image);
            meta.insert("image_alt".into(), alt);
        }
    }
    for title in ["auto_title", "auto_page_title"] {
        if let Some(title) = meta.remove(title) {
            meta.entry("title".into()).or_insert(title);
        }
    }
    static PRIVATE: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new("___PAGEFIND_[\\S]+\\s?").expect("a valid pattern"));
    for value in meta.values_mut() {
        if let std::borrow::Cow::Owned(tidy) = PRIVATE.replace_all(value, "") {
            *value = tidy;
        }
    }
    reading.has_body = root.status == Status::ParentOfBody;
    reading.text = root.text;
    reading.lang = state.lang.filter(|l| !l.is_empty()).unwrap_or_else(|| "unknown".into());
    reading
}

/// Whether a block's text needs a full stop: it ends in a word character, a quote, `)`, `$` or `*`.
fn ends_sentence(c: char) -> bool {
    static SENTENCE: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new("[\\w'\"\\)\\$\\*]").expect("a valid pattern"));
    let mut buffer = [0; 4];
    SENTENCE.is_match(c.encode_utf8(&mut buffer))
}

/// Text as Pagefind keeps it: entities decoded, trimmed, line breaks and runs of white space
/// made one space.
pub fn normalize(text: &str) -> String {
    static NEWLINES: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new("(\n|\r\n)+").expect("a valid pattern"));
    static SPACES: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new("\\s{2,}").expect("a valid pattern"));
    let decoded = html_escape::decode_html_entities(text);
    let trimmed = decoded.trim_matches(|c: char| c.is_whitespace());
    let text = NEWLINES.replace_all(trimmed, " ");
    SPACES.replace_all(&text, " ").into_owned()
}

impl Reading {
    /// The words of the text, each at its place with its weight, and its forms from `forms`.
    pub fn words(&self, forms: &mut Forms) -> Words {
        let mut words = Words::default();
        let text = html_escape::decode_html_entities(&self.text);
        words.content.reserve(text.len());
        let mut index: u32 = 0;
        let mut last: u32 = 0;
        // Weights are kept × 24: a weight of 1 is 24, 10 (the most) is 240.
        let mut weights: Vec<u8> = vec![24];
        // Zero-width spaces are taken out of words; looked for once, as few texts have one.
        let zero_width = text.contains('\u{200B}');
        for word in text.split_whitespace() {
            if word.starts_with('_') {
                if let Some(anchor) = word.strip_prefix(ANCHOR) {
                    if let Some((element, key)) = anchor.split_once(':') {
                        let text = self.anchor_text.get(key).map(|t| normalize(t)).unwrap_or_default();
                        if let Some((_, id)) = key.split_once(':') {
                            let text = normalize(&text);
                            words.anchors.push(Anchor { element: element.into(), id: id.into(), text, location: index });
                        }
                    }
                    continue;
                }
                if let Some(weight) = word.strip_prefix(WEIGHT) {
                    let weight = weight.parse::<f32>().unwrap_or(1.0);
                    weights.push(if weight <= 0.0 { 0 } else { ((weight.clamp(0.0, 10.0) * 24.0) as u8).max(1) });
                    continue;
                }
                if let Some(weight) = word.strip_prefix(AUTO_WEIGHT) {
                    let weight = match weights.len() {
                        1 => (weight.parse::<f32>().unwrap_or(1.0).clamp(0.0, 10.0) * 24.0) as u8,
                        _ => weights.last().copied().unwrap_or_default(),
                    };
                    weights.push(weight);
                    continue;
                }
                if word.starts_with(END_WEIGHT) {
                    weights.pop();
                    continue;
                }
            }
            let word: std::borrow::Cow<str> =
                if zero_width && word.contains('\u{200B}') { word.replace('\u{200B}', "").into() } else { word.into() };
            if word.is_empty() {
                continue;
            }
            words.content.push_str(&word);
            words.content.push(' ');
            let weight = weights.last().copied().unwrap_or(1);
            let found = forms.of_text_word(&word);
            let parts = found.iter().filter(|(_, f)| f.part).count();
            let part_weight = match (parts, weight) {
                (0, _) | (_, 0) => 0,
                (n, w) => (w / u8::try_from(n).unwrap_or(u8::MAX)).max(1),
            };
            for (number, form) in found.iter() {
                let weight = if form.part { part_weight } else { weight };
                words.places.push((*number, Place { position: index, weight }));
            }
            last = index;
            index += 1;
        }
        if words.content.ends_with(' ') {
            words.content.pop();
        }
        words.word_count = last as usize + 1;
        words
    }
}
