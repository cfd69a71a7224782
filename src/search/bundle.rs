//! A part's search bundle in Pagefind's format, made here from the pages [`page`] reads, so that
//! Pagefind's own scripts and WebAssembly search it: a metadata file listing the pages and the
//! chunks of the word index, the chunks (each word's pages, places and weights), and a fragment
//! per page (its URL, text, title and anchors), each gzipped behind Pagefind's signature. Each
//! distinct word's forms are worked out once ([`Forms`]), where Pagefind works out each
//! occurrence. The scripts, styles and WebAssembly come from Pagefind, from a bundle of one
//! page in the language, made once.

use super::page::{self, Place};
use super::words::Forms;
use crate::output::Files;
use minicbor::Encode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// Names the way bundles are made here: a part kept from a build that made its bundle another
/// way is made again.
pub const FORMAT: &str = "bundle 2";

/// A chunk of the word index ends once it holds about this many places, as Pagefind's do.
const CHUNK_PLACES: usize = 20_000;

/// Every file begins, inside its gzip, with this signature, which Pagefind's scripts check.
const SIGNATURE: &[u8] = b"pagefind_dcd";

#[derive(Encode)]
struct WordIndex {
    #[n(0)]
    words: Vec<PackedWord>,
}

#[derive(Encode, Clone, Debug, PartialEq)]
struct PackedWord {
    #[n(0)]
    word: String,
    #[n(1)]
    pages: Vec<PackedPage>,
    #[n(2)]
    variants: Vec<PackedVariant>,
}

/// The word with other diacritics (`café` of `cafe`).
#[derive(Encode, Clone, Debug, PartialEq)]
struct PackedVariant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<PackedPage>,
}

#[derive(Encode, Clone, Debug, PartialEq)]
struct PackedPage {
    #[n(0)]
    page: usize,
    /// Places in the text, delta-encoded; a negative number `-w - 1` starts the places of weight `w`.
    #[n(1)]
    locs: Vec<i32>,
    /// Places in the metadata; a negative number `-f - 1` starts those of field `f`.
    #[n(2)]
    meta_locs: Vec<i32>,
}

#[derive(Encode)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Encode, Debug, PartialEq)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Encode)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: String,
}

#[derive(Encode)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(Encode)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<usize>,
}

/// A page's fragment, as Pagefind's scripts read it.
#[derive(serde::Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: &'a [page::Anchor],
}

/// A word of the index as it is gathered: its pages in order, and its variants.
#[derive(Default)]
struct Gathered {
    pages: Vec<PackedPage>,
    variants: Vec<(String, Vec<PackedPage>)>,
}

/// The bundle of `pages` ((URL, HTML) in order) in the language `lang`, or `None` when a page
/// needs Pagefind's own reading: it uses other Pagefind attributes, or its `<html lang>` is not
/// `lang`, or the language is `unknown` (Pagefind gives such pages to the site's main language).
pub fn make<'p>(
    lang: &str,
    pages: impl Iterator<Item = anyhow::Result<(&'p str, std::borrow::Cow<'p, [u8]>)>>,
) -> Option<anyhow::Result<Files>> {
    if lang == "unknown" {
        return None;
    }
    let mut readings = Vec::new();
    for page in pages {
        let (url, html) = match page {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        if !page::plain(&html) {
            return None;
        }
        let reading = page::read(&html);
        if reading.lang != lang {
            return None;
        }
        readings.push((url.to_string(), reading));
    }
    Some(write(lang, readings))
}

fn write(lang: &str, readings: Vec<(String, page::Reading)>) -> anyhow::Result<Files> {
    let mut forms = Forms::new(lang);
    let some_body = readings.iter().any(|(_, r)| r.has_body);
    let mut pages = Vec::new();
    for (url, reading) in readings {
        if some_body && !reading.has_body {
            continue;
        }
        let words = reading.words(&mut forms);
        if !words.places.is_empty() {
            pages.push((url, reading, words));
        }
    }
    let meta_fields: Vec<String> =
        pages.iter().flat_map(|(_, r, _)| r.meta.keys().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    let mut gathered: Vec<Option<Gathered>> = Vec::new();
    let mut meta_pages = Vec::new();
    let mut fragment_files = Vec::new();
    let mut fragment_names = NameSet::default();
    for (number, (url, reading, mut words)) in pages.into_iter().enumerate() {
        let mut meta_places: Vec<(u32, (u16, u32))> = Vec::new();
        for (field, value) in &reading.meta {
            let field = meta_fields.iter().position(|f| f == field).unwrap_or_default() as u16;
            for (position, word) in value.split_whitespace().enumerate() {
                for (form, _) in forms.of_meta_word(word).iter() {
                    meta_places.push((*form, (field, position as u32)));
                }
            }
        }
        gather(&forms, &mut gathered, number, std::mem::take(&mut words.places), meta_places);

        let fragment = Fragment {
            url: &url,
            content: &words.content,
            word_count: words.word_count,
            filters: BTreeMap::new(),
            meta: &reading.meta,
            anchors: &words.anchors,
        };
        let json = serde_json::to_vec(&fragment)?;
        let name = fragment_names.name(lang, &json);
        meta_pages.push(MetaPage { hash: name.clone(), word_count: words.word_count as u32, group_hash: String::new() });
        fragment_files.push((format!("fragment/{name}.pf_fragment"), json));
    }
    let page_count = meta_pages.len();
    let mut words: Vec<PackedWord> = gathered
        .into_iter()
        .enumerate()
        .filter_map(|(number, word)| {
            let word = word?;
            Some(PackedWord {
                word: forms.words[number].clone(),
                pages: word.pages,
                variants: word.variants.into_iter().map(|(form, pages)| PackedVariant { form, pages }).collect(),
            })
        })
        .collect();
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    let chunks = chunk(words);
    let mut chunk_meta = chunk_bounds(&chunks);
    let mut files = fragment_files;
    let mut chunk_names = NameSet::default();
    for (chunk, meta) in chunks.into_iter().zip(&mut chunk_meta) {
        let chunk: Vec<PackedWord> = chunk.into_iter().map(delta_pages).collect();
        let bytes = minicbor::to_vec(WordIndex { words: chunk })?;
        meta.hash = chunk_names.name(lang, &bytes);
        files.push((format!("index/{}.pf_index", meta.hash), bytes));
    }
    let fixed = fixed(lang)?;
    let meta = MetaIndex {
        version: fixed.version.clone(),
        pages: meta_pages,
        chunks: chunk_meta,
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields,
    };
    let bytes = minicbor::to_vec(meta)?;
    let meta_name = NameSet::default().name(lang, &bytes);
    files.push((format!("pagefind.{meta_name}.pf_meta"), bytes));
    let mut files: Files =
        files.into_iter().map(|(name, bytes)| (format!("{}/{name}", super::BUNDLE_DIR), gzip(&bytes))).collect();
    let entry = serde_json::json!({
        "version": fixed.version,
        "languages": { lang: { "hash": meta_name, "wasm": fixed.wasm.then_some(lang), "page_count": page_count } },
        "include_characters": fixed.include_characters,
    });
    files.push((format!("{}/{}", super::BUNDLE_DIR, super::ENTRY), entry.to_string().into_bytes()));
    files.extend(fixed.files.iter().cloned());
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Adds a page's places in its text and in its metadata ((form, field, place)) to the words
/// gathered so far.
fn gather(
    forms: &Forms,
    gathered: &mut Vec<Option<Gathered>>,
    page: usize,
    text: Vec<(u32, Place)>,
    meta: Vec<(u32, (u16, u32))>,
) {
    for (word, plain, variants) in by_word(forms, text) {
        let gathered = word_of(gathered, word);
        if !plain.is_empty() {
            gathered.pages.push(PackedPage { page, locs: text_locs(plain), meta_locs: Vec::new() });
        }
        for (original, found) in variants {
            let packed = PackedPage { page, locs: text_locs(found), meta_locs: Vec::new() };
            match gathered.variants.iter_mut().find(|(form, _)| form == original) {
                Some((_, pages)) => pages.push(packed),
                None => gathered.variants.push((original.to_string(), vec![packed])),
            }
        }
    }
    for (word, plain, variants) in by_word(forms, meta) {
        let gathered = word_of(gathered, word);
        if !plain.is_empty() {
            set_meta_locs(&mut gathered.pages, page, meta_locs(plain));
        }
        for (original, found) in variants {
            let locs = meta_locs(found);
            match gathered.variants.iter_mut().find(|(form, _)| form == original) {
                Some((_, pages)) => set_meta_locs(pages, page, locs),
                None => {
                    gathered.variants.push((original.to_string(), vec![PackedPage { page, locs: Vec::new(), meta_locs: locs }]))
                }
            }
        }
    }
}

/// What is gathered for the word numbered `word`, made empty if there is nothing yet.
fn word_of(gathered: &mut Vec<Option<Gathered>>, word: usize) -> &mut Gathered {
    if gathered.len() <= word {
        gathered.resize_with(word + 1, || None);
    }
    gathered[word].get_or_insert_with(Gathered::default)
}

/// A page's places (form, place) by indexed word: for each word, its places in the word's own
/// form, and in each of its variants (by their original, in order). Places keep their order
/// within a form.
type ByWord<'f, T> = Vec<(usize, Vec<T>, Vec<(&'f str, Vec<T>)>)>;

fn by_word<T: Copy>(forms: &Forms, places: Vec<(u32, T)>) -> ByWord<'_, T> {
    let word = |form: u32| forms.named[form as usize].0;
    // Ordered by word, then form, then place: each key worked out once, compared as a number.
    let mut order: Vec<(u64, u32)> =
        places.iter().enumerate().map(|(i, (form, _))| ((u64::from(word(*form)) << 32) | u64::from(*form), i as u32)).collect();
    order.sort_unstable();
    let places: Vec<(u32, T)> = order.into_iter().map(|(_, i)| places[i as usize]).collect();
    places
        .chunk_by(|a, b| word(a.0) == word(b.0))
        .map(|group| {
            let (mut plain, mut variants) = (Vec::new(), Vec::new());
            for in_form in group.chunk_by(|a, b| a.0 == b.0) {
                let found: Vec<T> = in_form.iter().map(|(_, place)| *place).collect();
                match &forms.named[in_form[0].0 as usize].1 {
                    None => plain = found,
                    Some(original) => variants.push((original.as_str(), found)),
                }
            }
            variants.sort_by(|a: &(&str, Vec<T>), b| a.0.cmp(b.0));
            (word(group[0].0) as usize, plain, variants)
        })
        .collect()
}

/// Gives the page's entry among `pages` its metadata places, adding the entry if it has none.
fn set_meta_locs(pages: &mut Vec<PackedPage>, page: usize, locs: Vec<i32>) {
    match pages.last_mut().filter(|p| p.page == page) {
        Some(entry) => entry.meta_locs = locs,
        None => pages.push(PackedPage { page, locs: Vec::new(), meta_locs: locs }),
    }
}

/// A page's places of a word: the usual weight (24, shown as 25 by Pagefind's count) first,
/// then by weight, each run delta-encoded after a marker of its weight.
fn text_locs(mut places: Vec<Place>) -> Vec<i32> {
    let order = |p: &Place| (if p.weight == 25 { 0 } else { p.weight }, p.position);
    // Places come in text order, most often all of one weight: already in order.
    if !places.is_sorted_by_key(order) {
        places.sort_by_key(order);
    }
    let mut weight = 25;
    let mut last = 0;
    let mut locs = Vec::with_capacity(places.len() + 2);
    for place in places {
        if place.weight != weight {
            locs.push(-i32::from(place.weight) - 1);
            locs.push(place.position as i32);
            weight = place.weight;
        } else {
            locs.push((place.position - last) as i32);
        }
        last = place.position;
    }
    locs
}

/// A page's places of a word in its metadata: by field, delta-encoded after a marker of the field.
fn meta_locs(mut places: Vec<(u16, u32)>) -> Vec<i32> {
    places.sort();
    let mut field = None;
    let mut last = 0;
    let mut locs = Vec::with_capacity(places.len() + 2);
    for (f, position) in places {
        if field != Some(f) {
            locs.push(-(i32::from(f) + 1));
            field = Some(f);
            last = 0;
        }
        locs.push((position - last) as i32);
        last = position;
    }
    locs
}

/// Each page number of a word made the difference from the one before it.
fn delta_pages(mut word: PackedWord) -> PackedWord {
    let delta = |pages: &mut Vec<PackedPage>| {
        let mut last = 0;
        for page in pages {
            let number = page.page;
            page.page -= last;
            last = number;
        }
    };
    delta(&mut word.pages);
    for variant in &mut word.variants {
        delta(&mut variant.pages);
    }
    word
}

/// The words, in order, cut into chunks of about [`CHUNK_PLACES`] places.
fn chunk(words: Vec<PackedWord>) -> Vec<Vec<PackedWord>> {
    let mut chunks = Vec::new();
    let mut chunk = Vec::new();
    let mut size = 0;
    for word in words {
        size += word
            .pages
            .iter()
            .chain(word.variants.iter().flat_map(|v| &v.pages))
            .map(|p| p.locs.len() + p.meta_locs.len() + 1)
            .sum::<usize>()
            + word.variants.len();
        chunk.push(word);
        if size >= CHUNK_PLACES {
            chunks.push(std::mem::take(&mut chunk));
            size = 0;
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

/// Each chunk's first and last word, cut to the shortest prefixes that tell neighbours apart.
fn chunk_bounds(chunks: &[Vec<PackedWord>]) -> Vec<MetaChunk> {
    let mut bounds: Vec<MetaChunk> = chunks
        .iter()
        .map(|chunk| MetaChunk {
            from: chunk.first().map(|w| w.word.clone()).unwrap_or_default(),
            to: chunk.last().map(|w| w.word.clone()).unwrap_or_default(),
            hash: String::new(),
        })
        .collect();
    for i in 1..bounds.len() {
        let (to, from) = prefixes(&bounds[i - 1].to, &bounds[i].from);
        if to >= bounds[i - 1].from {
            bounds[i - 1].to = to;
        }
        bounds[i].from = from;
    }
    bounds
}

/// The shortest prefixes of `a` and `b` one character past what they share.
fn prefixes(a: &str, b: &str) -> (String, String) {
    let shared = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (a.chars().take(shared + 1).collect(), b.chars().take(shared + 1).collect())
}

/// Names from contents: the language, then the shortest prefix (7 hex digits or more) of the
/// contents' hash that no other file of the set has.
#[derive(Default)]
struct NameSet(HashMap<String, u128>);

impl NameSet {
    fn name(&mut self, lang: &str, bytes: &[u8]) -> String {
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let hex = format!("{hash:032x}");
        for len in 7..=hex.len() {
            let name = format!("{lang}_{}", &hex[..len]);
            match self.0.get(&name) {
                Some(other) if *other != hash => continue,
                _ => {
                    self.0.insert(name.clone(), hash);
                    return name;
                }
            }
        }
        format!("{lang}_{hex}")
    }
}

/// The file's bytes behind the signature, gzipped. Each thread keeps one deflate stream, reset
/// for the next file: a new one costs more than a fragment's compression.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    thread_local! {
        static DEFLATE: std::cell::RefCell<flate2::write::DeflateEncoder<Vec<u8>>> =
            std::cell::RefCell::new(flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default()));
    }
    // The header flate2's GzEncoder writes (no name, no time, unknown system), then the stream;
    // `reset` finishes it and hands back what it was written into.
    let mut out = DEFLATE
        .with_borrow_mut(|deflate| {
            deflate.get_mut().extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
            deflate.write_all(SIGNATURE)?;
            deflate.write_all(bytes)?;
            deflate.reset(Vec::new())
        })
        .expect("compressing in memory does not fail");
    let mut crc = flate2::Crc::new();
    crc.update(SIGNATURE);
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    out
}

/// What every bundle of a language holds whatever its pages: Pagefind's scripts, styles and
/// WebAssembly, and its version.
struct Fixed {
    version: String,
    /// The characters searches keep in words (the entry file lists them for the scripts).
    include_characters: serde_json::Value,
    /// Whether Pagefind has WebAssembly that stems the language (`wasm.<lang>.pagefind`).
    wasm: bool,
    files: Files,
}

/// The fixed files of `lang`'s bundles, from a bundle Pagefind makes of one page, once.
fn fixed(lang: &str) -> anyhow::Result<Arc<Fixed>> {
    static MADE: Mutex<BTreeMap<String, Arc<Fixed>>> = Mutex::new(BTreeMap::new());
    if let Some(fixed) = MADE.lock().unwrap_or_else(|e| e.into_inner()).get(lang) {
        return Ok(fixed.clone());
    }
    let html = format!("<!doctype html><html lang=\"{lang}\"><body><p>tessera</p></body></html>");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let files = runtime.block_on(async {
        let mut index = super::new_index()?;
        super::add(&mut index, "/", html).await?;
        index.get_files().await
    })?;
    let mut fixed = Fixed { version: String::new(), include_characters: serde_json::json!([]), wasm: false, files: Vec::new() };
    for file in files {
        let name = crate::urls::slash_path(&file.filename);
        if name == super::ENTRY {
            let entry: serde_json::Value = serde_json::from_slice(&file.contents)?;
            fixed.version = entry["version"].as_str().unwrap_or_default().to_string();
            fixed.include_characters = entry["include_characters"].clone();
            continue;
        }
        let per_page = name.ends_with(".pf_meta") || ["index/", "fragment/", "filter/"].iter().any(|d| name.starts_with(d));
        if !per_page {
            fixed.wasm |= name == format!("wasm.{lang}.pagefind");
            fixed.files.push((format!("{}/{name}", super::BUNDLE_DIR), file.contents));
        }
    }
    let fixed = Arc::new(fixed);
    MADE.lock().unwrap_or_else(|e| e.into_inner()).insert(lang.to_string(), fixed.clone());
    Ok(fixed)
}
