//! The forms a word of a page is found under, as Pagefind's search reads its index: the word
//! lowercased without punctuation, with diacritics taken off and stemmed for the languages
//! Pagefind stems; the parts of a compound word (`hand-made`, `camelCase`, `a.b_c`); emoji.
//! A page's words repeat: [`Forms`] works out each distinct word once.

use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Pagefind indexes at most this many characters of katakana suffix and dotted tail.
const MOST_SUFFIX_CHARS: usize = 16;
const MOST_TAIL_CHARS: usize = 64;

/// One form a word is indexed under.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// What the index holds: normalised and stemmed.
    pub indexed: String,
    /// Part of a compound word (it counts for less).
    pub part: bool,
    /// The word before its diacritics were taken off, when it had any.
    pub original: Option<String>,
}

/// The stemmer Pagefind uses for a language tag, if it stems it.
pub fn stemmer(lang: &str) -> Option<Stemmer> {
    let algorithm = match lang.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The forms of each distinct word of one language, worked out once, and each distinct form
/// (with its original) numbered.
pub struct Forms {
    stemmer: Option<Stemmer>,
    text_words: HashMap<String, Rc<[(u32, Form)]>>,
    meta_words: HashMap<String, Rc<[(u32, Form)]>>,
    numbers: HashMap<(String, Option<String>), u32>,
    /// Each form by its number: (number of its indexed word in [`Forms::words`], original).
    pub named: Vec<(u32, Option<String>)>,
    word_numbers: HashMap<String, u32>,
    /// Each indexed word by its number.
    pub words: Vec<String>,
}

impl Forms {
    pub fn new(lang: &str) -> Forms {
        Forms {
            stemmer: stemmer(lang),
            text_words: HashMap::default(),
            meta_words: HashMap::default(),
            numbers: HashMap::default(),
            named: Vec::new(),
            word_numbers: HashMap::default(),
            words: Vec::new(),
        }
    }

    /// The forms of a word of a page's text (a run without white space), its dotted tails
    /// included, each with its number.
    pub fn of_text_word(&mut self, word: &str) -> Rc<[(u32, Form)]> {
        if let Some(forms) = self.text_words.get(word) {
            return forms.clone();
        }
        let mut forms = indexable(word, self.stemmer.as_ref());
        let tails = dotted_tails(word, self.stemmer.as_ref(), &forms);
        forms.extend(tails);
        let forms = self.numbered(forms);
        self.text_words.insert(word.to_string(), forms.clone());
        forms
    }

    /// The forms of a word of a page's metadata (its title): no dotted tails.
    pub fn of_meta_word(&mut self, word: &str) -> Rc<[(u32, Form)]> {
        if let Some(forms) = self.meta_words.get(word) {
            return forms.clone();
        }
        let forms = indexable(word, self.stemmer.as_ref());
        let forms = self.numbered(forms);
        self.meta_words.insert(word.to_string(), forms.clone());
        forms
    }

    fn numbered(&mut self, forms: Vec<Form>) -> Rc<[(u32, Form)]> {
        forms
            .into_iter()
            .map(|form| {
                let key = (form.indexed.clone(), form.original.clone());
                let next = self.named.len() as u32;
                let number = *self.numbers.entry(key.clone()).or_insert(next);
                if number == next {
                    let next_word = self.words.len() as u32;
                    let word = *self.word_numbers.entry(key.0.clone()).or_insert(next_word);
                    if word == next_word {
                        self.words.push(key.0);
                    }
                    self.named.push((word, key.1));
                }
                (number, form)
            })
            .collect()
    }
}

/// The word, its katakana suffixes, its compound parts and its emoji.
fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Form> {
    let mut forms = Vec::new();
    let normalized = normalize(raw);
    if !normalized.is_empty() {
        forms.push(stem(&normalized, stemmer, false));
    }
    for suffix in katakana_suffixes(raw) {
        let plain = without_diacritics(suffix);
        forms.push(Form {
            indexed: plain.clone().unwrap_or_else(|| suffix.to_string()),
            original: plain.map(|_| suffix.to_string()),
            part: true,
        });
    }
    let maybe_compound = raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if !maybe_compound {
        return forms;
    }
    let (parts, emoji) = discrete_words(raw);
    if !normalized.is_empty() && (parts.contains(char::is_whitespace) || !normalized.starts_with(&parts)) {
        for part in parts.split_whitespace().filter(|w| w.len() > 1) {
            let plain = without_diacritics(part);
            let base = plain.as_deref().unwrap_or(part);
            let indexed = match stemmer {
                Some(stemmer) => stemmer.stem(base).into_owned(),
                None => base.to_string(),
            };
            forms.push(Form { indexed, original: plain.map(|_| part.to_string()), part: true });
        }
    }
    forms.extend(emoji.into_iter().flatten().map(|e| Form { indexed: e, original: None, part: false }));
    forms
}

/// The compound tails after each dot (`is_python_build` of `sysconfig.is_python_build`) not
/// already among `existing`.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Form]) -> Vec<Form> {
    let mut tails: Vec<Form> = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(MOST_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric()) || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let form = stem(&normalized, stemmer, true);
        let seen = existing.iter().chain(&tails).any(|f| f.indexed == form.indexed);
        if !seen {
            tails.push(form);
        }
    }
    tails
}

/// Characters that join words (Unicode's connector punctuation), kept in them as letters are.
pub const JOINERS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Letters, digits and [`JOINERS`] only, lowercased.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| c.is_alphanumeric() || JOINERS.contains(c)) {
        let c = c.to_ascii_lowercase();
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Form {
    let plain = without_diacritics(normalized);
    let base = plain.as_deref().unwrap_or(normalized);
    let indexed = match stemmer {
        Some(stemmer) => stemmer.stem(base).into_owned(),
        None => base.to_string(),
    };
    Form { indexed, original: plain.map(|_| normalized.to_string()), part }
}

/// Runs of katakana of three characters or more are indexed by each suffix of two or more,
/// so that a search for part of one finds it.
fn katakana_suffixes(word: &str) -> Vec<&str> {
    let katakana = |c: char| matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F);
    if word.chars().count() < 3 || !word.chars().all(katakana) {
        return Vec::new();
    }
    let mut suffixes: Vec<&str> = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MOST_SUFFIX_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && !suffixes.contains(&suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes
}

/// The word without its combining marks (`café` → `cafe`), when that differs; kana sound
/// marks are kept, recomposed.
fn without_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !decomposes(word) {
        return None;
    }
    let sound_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word.nfd().filter(|&c| !unicode_normalization::char::is_combining_mark(c) || sound_mark(c)).collect();
    let plain = if stripped.chars().any(sound_mark) { stripped.nfc().collect() } else { stripped };
    (plain != word).then_some(plain)
}

fn decomposes(word: &str) -> bool {
    word.chars().any(|c| {
        let mut differs = unicode_normalization::char::is_combining_mark(c);
        unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
        differs
    })
}

/// The word split at ASCII punctuation and case changes, lowercased and joined by spaces, and
/// the emoji it holds.
fn discrete_words(raw: &str) -> (String, Option<Vec<String>>) {
    use convert_case::{Case, Casing};
    static EMOJI: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new("\\p{Emoji}").expect("a valid pattern"));
    let words = raw
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let emoji =
        EMOJI.is_match(raw).then(|| raw.graphemes(true).filter(|g| emojis::get(g).is_some()).map(str::to_string).collect());
    (words, emoji)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(word: &str, lang: &str) -> Vec<String> {
        Forms::new(lang).of_text_word(word).iter().map(|(_, f)| f.indexed.clone()).collect()
    }

    #[test]
    fn words_are_lowercased_stemmed_and_split_where_compound() {
        assert_eq!(indexed("Networks,", "en"), ["network"]);
        assert_eq!(indexed("hand-made", "en"), ["handmad", "hand", "made"]);
        assert_eq!(indexed("camelCase", "az"), ["camelcase", "camel", "case"]);
        assert_eq!(indexed("Café", "az")[0], "cafe");
        assert_eq!(Forms::new("az").of_text_word("Café")[0].1.original.as_deref(), Some("café"));
        assert_eq!(
            indexed("sysconfig.is_python_build", "az"),
            ["sysconfigis_python_build", "sysconfig", "is", "python", "build", "is_python_build"]
        );
    }
}
