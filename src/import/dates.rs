//! Dates and places: the dateline (`New Delhi [India], January 27:`), the dates an article
//! reports (`16 से 22 दिसंबर`, `يوم الجمعة 7 أكتوبر`, `Noyabrın 14-də`), and the article's date.
//! A missing year is inferred only from evidence in the text, and then always marked for review.

use crate::import::text::{self, words};
use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;

/// The `Place, Date:` opening of a lead paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// As written, without the colon: `New Delhi [India], January 27`.
    pub text: String,
    pub place: Option<String>,
    /// The news agency the dateline credits: `(AFP)`, `(ومع)`, `, AZƏRTAC`.
    pub agency: Option<String>,
}

/// Where the article says it happened, and why we think so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub name: String,
    pub evidence: String,
}

/// The article's date, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DateFinding {
    pub date: Option<NaiveDate>,
    /// Years that fit the evidence, when more than one does.
    pub candidates: Vec<NaiveDate>,
    pub evidence: String,
    /// The date was inferred or is missing: an editor must check it.
    pub review: bool,
}

/// Years considered when only a weekday fixes the year.
const FIRST_YEAR: i32 = 2015;

#[rustfmt::skip]
const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6),
    ("july", 7), ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9),
    ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12),
    // Hindi
    ("जनवरी", 1), ("फ़रवरी", 2), ("फरवरी", 2), ("मार्च", 3), ("अप्रैल", 4), ("मई", 5), ("जून", 6),
    ("जुलाई", 7), ("अगस्त", 8), ("सितंबर", 9), ("सितम्बर", 9), ("अक्टूबर", 10), ("अक्तूबर", 10),
    ("नवंबर", 11), ("नवम्बर", 11), ("दिसंबर", 12), ("दिसम्बर", 12),
    // Arabic (Egyptian/Gulf, Maghreb and Levantine single-word names)
    ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("ابريل", 4), ("إبريل", 4), ("مايو", 5),
    ("ماي", 5), ("يونيو", 6), ("يونيه", 6), ("يوليو", 7), ("يوليوز", 7), ("أغسطس", 8), ("اغسطس", 8),
    ("غشت", 8), ("سبتمبر", 9), ("شتنبر", 9), ("أكتوبر", 10), ("اكتوبر", 10), ("نوفمبر", 11),
    ("نونبر", 11), ("ديسمبر", 12), ("دجنبر", 12), ("شباط", 2), ("آذار", 3), ("نيسان", 4),
    ("أيار", 5), ("حزيران", 6), ("تموز", 7), ("آب", 8), ("أيلول", 9),
    // French
    ("janvier", 1), ("février", 2), ("fevrier", 2), ("mars", 3), ("avril", 4), ("mai", 5), ("juin", 6),
    ("juillet", 7), ("août", 8), ("aout", 8), ("septembre", 9), ("octobre", 10), ("novembre", 11),
    ("décembre", 12), ("decembre", 12), ("janv", 1), ("févr", 2), ("avr", 4), ("juil", 7),
    // Spanish
    ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5), ("junio", 6), ("julio", 7),
    ("agosto", 8), ("septiembre", 9), ("setiembre", 9), ("octubre", 10), ("noviembre", 11),
    ("diciembre", 12), ("abr", 4), ("ene", 1), ("dic", 12),
];

/// Azerbaijani month stems; the word may carry a case ending (`Noyabrın`).
#[rustfmt::skip]
const AZ_MONTH_STEMS: &[(&str, u32)] = &[
    ("yanvar", 1), ("fevral", 2), ("mart", 3), ("aprel", 4), ("may", 5), ("iyun", 6), ("iyul", 7),
    ("avqust", 8), ("sentyabr", 9), ("oktyabr", 10), ("noyabr", 11), ("dekabr", 12),
];

#[rustfmt::skip]
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon), ("tuesday", Weekday::Tue), ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu), ("friday", Weekday::Fri), ("saturday", Weekday::Sat), ("sunday", Weekday::Sun),
    ("सोमवार", Weekday::Mon), ("मंगलवार", Weekday::Tue), ("बुधवार", Weekday::Wed), ("गुरुवार", Weekday::Thu),
    ("बृहस्पतिवार", Weekday::Thu), ("शुक्रवार", Weekday::Fri), ("शनिवार", Weekday::Sat), ("रविवार", Weekday::Sun),
    ("الاثنين", Weekday::Mon), ("الإثنين", Weekday::Mon), ("الثلاثاء", Weekday::Tue), ("الأربعاء", Weekday::Wed),
    ("الاربعاء", Weekday::Wed), ("الخميس", Weekday::Thu), ("الجمعة", Weekday::Fri), ("السبت", Weekday::Sat),
    ("الأحد", Weekday::Sun), ("الاحد", Weekday::Sun),
    ("cümə", Weekday::Fri), ("şənbə", Weekday::Sat), ("bazar", Weekday::Sun),
    ("lundi", Weekday::Mon), ("mardi", Weekday::Tue), ("mercredi", Weekday::Wed), ("jeudi", Weekday::Thu),
    ("vendredi", Weekday::Fri), ("samedi", Weekday::Sat), ("dimanche", Weekday::Sun),
    ("lunes", Weekday::Mon), ("martes", Weekday::Tue), ("miércoles", Weekday::Wed), ("jueves", Weekday::Thu),
    ("viernes", Weekday::Fri), ("sábado", Weekday::Sat), ("domingo", Weekday::Sun),
];

pub fn month_of(word: &str, lang: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if let Some((_, m)) = MONTHS.iter().find(|(n, _)| *n == w) {
        return Some(*m);
    }
    if lang == "az"
        && let Some((_, m)) = AZ_MONTH_STEMS.iter().find(|(s, _)| w.starts_with(s) && (s.len() > 3 || w == *s))
    {
        return Some(*m);
    }
    // Arabic prefixes: ب، و، ل، ف (`بأكتوبر`).
    if text::is_arabic_word(w) {
        for p in ['ب', 'و', 'ل', 'ف'] {
            if let Some(rest) = w.strip_prefix(p)
                && let Some((_, m)) = MONTHS.iter().find(|(n, _)| *n == rest)
            {
                return Some(*m);
            }
        }
    }
    None
}

pub fn weekday_of(word: &str) -> Option<Weekday> {
    let w = word.to_lowercase();
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

fn day_of(word: &str) -> Option<u32> {
    // `1er mars`
    let word = word.strip_suffix("er").unwrap_or(word);
    word.parse::<u32>().ok().filter(|d| (1..=31).contains(d) && word.len() <= 2)
}

/// Words that join a day, month and year without being part of them: `12 de marzo de 2025`,
/// `le 3 mars`.
fn is_date_joiner(word: &str, lang: &str) -> bool {
    match lang {
        "es" => matches!(word, "de" | "del"),
        _ => false,
    }
}

fn year_of(word: &str) -> Option<i32> {
    word.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y) && word.len() == 4)
}

/// A day and month the text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the first word of the mention.
    pub at: usize,
    pub month: u32,
    pub day: u32,
    pub year: Option<i32>,
    pub weekday: Option<Weekday>,
    /// The end of a range (`16 to 22 December`): an event, not a publication date.
    pub range: bool,
    /// The words as written, e.g. `يوم الجمعة 7 أكتوبر`.
    pub text: String,
}

pub fn mentions(text: &str, lang: &str) -> Vec<Mention> {
    let w: Vec<String> = words(text).into_iter().filter(|w| !is_date_joiner(w, lang)).collect();
    let mut found = Vec::new();
    let is_day = |i: usize| w.get(i).and_then(|x| day_of(x));
    for i in 0..w.len() {
        let Some(month) = month_of(&w[i], lang) else { continue };
        // `22 December`, `7 أكتوبر`
        if let Some(day) = i.checked_sub(1).and_then(is_day) {
            let start = i - 1;
            let range = start.checked_sub(1).and_then(is_day).is_some() || start.checked_sub(2).and_then(is_day).is_some();
            let year = w.get(i + 1).and_then(|x| year_of(x));
            let weekday = start.checked_sub(1).and_then(|j| weekday_of(&w[j]));
            let from = if range {
                if start.checked_sub(1).and_then(is_day).is_some() { start - 1 } else { start - 2 }
            } else if weekday.is_some() {
                start - 1
            } else {
                start
            };
            let from = if from > 0 && matches!(w[from - 1].as_str(), "يوم" | "اليوم") { from - 1 } else { from };
            let to = if year.is_some() { i + 1 } else { i };
            found.push(Mention { at: start, month, day, year, weekday, range, text: w[from..=to].join(" ") });
        } else if let Some(day) = is_day(i + 1) {
            // `January 27`, `Noyabrın 14-də`, `Friday, October 7, 2022`
            let year = w.get(i + 2).and_then(|x| year_of(x));
            let range = is_day(i + 2).is_some() || (w.get(i + 2).is_some() && is_day(i + 3).is_some() && year.is_none());
            let weekday = i.checked_sub(1).and_then(|j| weekday_of(&w[j]));
            let from = if weekday.is_some() { i - 1 } else { i };
            let to = if year.is_some() { i + 2 } else { i + 1 };
            found.push(Mention { at: i, month, day, year, weekday, range, text: w[from..=to].join(" ") });
        }
    }
    found
}

/// Years the text names (`2024` in `The 2024 International Conference`).
pub fn years(text: &str) -> Vec<i32> {
    let mut y: Vec<i32> = words(text).iter().filter_map(|w| year_of(w)).collect();
    y.sort();
    y.dedup();
    y
}

/// Where a dateline may end: `:`, a dash between spaces, `.-`, `।`, or a full stop followed by
/// a capital (or a letter of a script without case). Byte ranges of the separator.
fn dateline_ends(lead: &str) -> Vec<(usize, usize, bool)> {
    let chars: Vec<(usize, char)> = lead.char_indices().take(160).collect();
    let mut ends = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        let after = |n: usize| chars.get(k + n).map_or(lead.len(), |x| x.0);
        match c {
            ':' | '：' | '।' => ends.push((i, after(1), false)),
            // `पुणे, 7 अप्रैल 2025 (पीटीआई) महाराष्ट्र`, `Quba, 12 oktyabr 2024 /APA/ Qubada`: the
            // agency's bracket closes the dateline.
            ')' | '/' if next == Some(' ') && chars.get(k + 2).is_some_and(|x| x.1.is_alphabetic()) => {
                ends.push((after(1), after(1), false))
            }
            '-' | '–' | '—' if prev == Some(' ') && next == Some(' ') => ends.push((i, after(1), false)),
            // `QUITO, 17 de febrero de 2025 (Xinhua) -- El`
            '-' if prev == Some(' ') && next == Some('-') && chars.get(k + 2).map(|x| x.1) == Some(' ') => {
                ends.push((i, after(2), false))
            }
            '.' if matches!(next, Some('-' | '–' | '—')) => ends.push((i, after(2), false)),
            '.' if next == Some(' ') => {
                let starts = chars.get(k + 2).is_some_and(|x| x.1.is_uppercase() || (x.1.is_alphabetic() && !x.1.is_lowercase()));
                if starts {
                    ends.push((i, after(1), true));
                }
            }
            _ => {}
        }
    }
    ends
}

/// Bracketed parts: `[India]`, `(AFP)`, with their byte offset.
pub fn brackets(prefix: &str) -> Vec<(usize, String)> {
    let re = Regex::new(r"[\[(/]([^\])\[(/]*)[\])/]").expect("constant regex");
    re.captures_iter(prefix).map(|c| (c.get(0).map_or(0, |m| m.start()), c[1].trim().to_string())).collect()
}

/// An agency's name as datelines write it: an acronym (`AFP`, `AZƏRTAC`) or a short word in a
/// script without case (`ومع`, `भाषा`).
fn agency_like(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let words = s.split_whitespace().count();
    letters.len() >= 2
        && ((letters.iter().all(|c| c.is_uppercase()) && words == 1)
            || (letters.iter().all(|c| !c.is_uppercase() && !c.is_lowercase()) && words == 1 && letters.len() <= 8))
}

/// `NEW DELHI` -> `New Delhi`; other spellings as they are.
fn place_case(place: &str) -> String {
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 4 || !letters.iter().all(|c| c.is_uppercase()) {
        return place.to_string();
    }
    place
        .split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or(String::new(), |f| f.to_string() + &cs.as_str().to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `Place, Date:` opening of a lead paragraph, if it has one, in each language's
/// conventions: `Geneva [Switzerland], March 3 (PNN):`, `PARIS, November 18 (AFP) -`,
/// `Valencia, 6 de febrero de 2025 (EFE).-`, `الرباط، الأربعاء 5 فبراير -`,
/// `Bakı, 10 fevral (AZƏRTAC).`, `लखनऊ, १५ जनवरी (भाषा)।`, a place alone (`मुंबई।`).
pub fn dateline(lead: &str, lang: &str) -> Option<Dateline> {
    // The Gulf agencies' form: `أبوظبي في 12 فبراير/ وام/`.
    let gulf = Regex::new(r"^(\p{L}+(?:\s\p{L}+)?)\s+في\s+([0-9٠-٩]{1,2}\s+\p{L}+(?:\s+[0-9٠-٩]{4})?)\s*/\s*(\p{L}{2,12})\s*/")
        .expect("constant regex");
    if let Some(c) = gulf.captures(lead)
        && !mentions(&c[2], lang).is_empty()
    {
        let text = c[0].trim_end_matches(['/', ' ']).to_string();
        return Some(Dateline { text, place: Some(c[1].to_string()), agency: Some(c[3].to_string()) });
    }
    // The Levant agencies' form, on a line of its own: `دمشق-سانا`.
    let levant = Regex::new(r"^(\p{Arabic}{2,}(?:\s\p{Arabic}{2,})?)\s*[-–]\s*(\p{Arabic}{2,8})$").expect("constant regex");
    if let Some(c) = levant.captures(lead.trim()) {
        return Some(Dateline { text: lead.trim().to_string(), place: Some(c[1].to_string()), agency: Some(c[2].to_string()) });
    }
    // A dateline on a line of its own: `Bakı. 5 mart. REPORT.AZ`.
    let short = lead.split_whitespace().count() <= 8;
    if short && !mentions(lead, lang).is_empty() {
        let first = lead.split([',', '،']).next().and_then(|s| SEGMENT.split(s).next()).unwrap_or("").trim();
        let place_like = !first.is_empty()
            && first.split_whitespace().count() <= 3
            && mentions(first, lang).is_empty()
            && first.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_lowercase());
        if place_like {
            return Some(parse_dateline(lead.trim_end_matches(['.', ':', '-', '–', '—', ' ', '।']), lead, lang));
        }
    }
    let mut named_only = None;
    for (start, end, full_stop) in dateline_ends(lead) {
        let prefix = lead[..start].trim();
        let rest = &lead[end..];
        let separator = lead[start..end].trim();
        let ok = !prefix.is_empty()
            && prefix.chars().count() <= 90
            && prefix.split_whitespace().count() <= 12
            && !prefix.contains(['!', '?', '؟', '।', '"', '“', '”', '«', '»'])
            && rest.split_whitespace().count() >= 5;
        if !ok {
            continue;
        }
        let bare = strip_brackets(prefix);
        let dated = !mentions(prefix, lang).is_empty();
        if dated {
            return Some(parse_dateline(prefix, lead, lang));
        }
        if full_stop || bare.contains('.') || named_only.is_some() {
            break;
        }
        // A place alone (`New Delhi नई दिल्ली:`, `القاهرة -`, `मुंबई।`), not `WASME proposed:`
        // or `قال الوزير:`.
        let latin: Vec<String> = words(&bare).into_iter().filter(|w| text::is_latin_word(w)).collect();
        let n = bare.split_whitespace().count();
        let named = if latin.is_empty() {
            n <= 2 && separator != ":" && separator != "：" && !bare.contains(',')
        } else {
            // `LONDON, UK –`: a place and its country.
            n <= 4 && latin.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)) && bare.matches(',').count() <= 1
        };
        if !(named && n > 0) {
            // The first separator that is no dateline ends the search.
            break;
        }
        // A dated dateline may still follow (`القاهرة - الثلاثاء 18 مارس 2025 -`).
        named_only = Some(parse_dateline(prefix, lead, lang));
    }
    named_only
}

fn parse_dateline(prefix: &str, lead: &str, lang: &str) -> Dateline {
    let lead_is_latin = crate::import::text::is_latin_text(lead);
    let first_date = mentions(prefix, lang).first().map(|m| m.text.clone()).and_then(|t| {
        let first_word = t.split_whitespace().next()?.to_string();
        prefix.find(&first_word)
    });
    // The agency: a bracket after the date, or one that looks like an agency's name; else a
    // last segment in capitals (`Lənkəran, 15 may 2025, AZƏRTAC`).
    let segments: Vec<&str> =
        prefix.split([',', '،']).flat_map(|s| SEGMENT.split(s)).map(str::trim).filter(|s| !s.is_empty()).collect();
    let mut agency = brackets(prefix)
        .into_iter()
        .find(|(at, name)| first_date.is_some_and(|d| *at > d) || agency_like(name))
        .map(|(_, name)| name);
    if agency.is_none()
        && segments.len() > 1
        && let Some(last) = segments.last()
        && agency_like(last)
        && mentions(last, lang).is_empty()
    {
        agency = Some(last.to_string());
    }
    let place = prefix
        .split([',', '،'])
        .flat_map(|s| SEGMENT.split(s))
        .map(|s| strip_brackets(s.trim()))
        .find(|s| {
            !s.is_empty()
                && mentions(s, lang).is_empty()
                && years(s).is_empty()
                && words(s).iter().all(|w| weekday_of(w).is_none())
        })
        .filter(|s| agency.as_deref() != Some(s.as_str()))
        .map(|s| {
            // A bilingual dateline (`New Delhi नई दिल्ली`): keep the words in the article's script.
            let all: Vec<&str> = s.split_whitespace().collect();
            let own: Vec<&str> = all.iter().copied().filter(|w| text::is_latin_word(w) == lead_is_latin).collect();
            place_case(&if own.is_empty() { all.join(" ") } else { own.join(" ") })
        });
    Dateline { text: prefix.to_string(), place, agency }
}

/// Where a dateline's parts meet besides commas: a dash between spaces, a full stop and a space.
static SEGMENT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r" [-–—] |\.\s+").expect("constant regex"));

/// A line that states when the page was published or updated, not where the story happened:
/// `Posted on March 12, 2025 by admin`, `Publié le 14/03/2025 à 10h30`,
/// `अपडेटेड: 12 मार्च 2025, 10:45 AM IST`. Short, not a sentence, a full date (with its
/// year), and not `Place, date` (a dateline on its own line).
pub fn publication_line(line: &str, lang: &str) -> Option<(NaiveDate, String)> {
    let line = line.trim();
    let n = line.split_whitespace().count();
    if n > 16 || line.ends_with(['!', '?', '؟', '।']) || (n > 6 && line.ends_with('.')) {
        return None;
    }
    let ascii = text::ascii_digits(line);
    let numeric = Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b").expect("constant regex");
    let (date, at) = if let Some(c) = numeric.captures(&ascii) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = match (n(1), n(4)) {
            (Some(y), _) => NaiveDate::from_ymd_opt(y as i32, n(2)?, n(3)?),
            // Day first, except an American `3/14/2025`.
            (None, Some(a)) => {
                let (b, y) = (n(5)?, n(6)? as i32);
                if lang == "en" && b > 12 { NaiveDate::from_ymd_opt(y, a, b) } else { NaiveDate::from_ymd_opt(y, b, a) }
            }
            _ => None,
        }?;
        (date, c.get(0).map_or(0, |m| m.start()))
    } else {
        let m = mentions(line, lang).into_iter().find(|m| m.year.is_some() && !m.range)?;
        let date = NaiveDate::from_ymd_opt(m.year?, m.month, m.day)?;
        let first = m.text.split_whitespace().next()?;
        (date, ascii.find(&text::ascii_digits(first)).unwrap_or(0))
    };
    let before = ascii[..at].trim_end();
    if before.ends_with([',', '،']) {
        return None;
    }
    Some((date, line.to_string()))
}

fn strip_brackets(s: &str) -> String {
    let re = Regex::new(r"\s*(?:[\[(][^\])]*[\])]|/[^/]*/)").expect("constant regex");
    re.replace_all(s, "").trim().to_string()
}

/// `يوم الجمعة 7 أكتوبر بمكناس`, `اليوم الخميس بوجدة`: the place after a weekday, Arabic style.
pub fn arabic_place(lead: &str) -> Option<Place> {
    let re = Regex::new(
        r"(?:^|\s)(?:اليوم|يوم)\s+(?:الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد)(?:\s+[0-9٠-٩]{1,2}\s+\p{L}+(?:\s+[0-9٠-٩]{4})?)?\s*،?\s+ب(\p{L}{2,})",
    )
    .expect("constant regex");
    let caps = re.captures(lead)?;
    Some(Place { name: caps[1].to_string(), evidence: caps[0].trim().to_string() })
}

fn dmy(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The article's date from its dateline or dated lead sentence, with the year inferred only from
/// the text: a weekday narrows the year to a few candidates, and a dateline must come after the
/// latest date the text reports.
pub fn article_date(lead: &str, dateline: Option<&Dateline>, body: &str, lang: &str, today: NaiveDate) -> DateFinding {
    let from_dateline = dateline.and_then(|d| mentions(&d.text, lang).into_iter().next());
    let what = if from_dateline.is_some() { "dateline" } else { "lead" };
    let anchor =
        from_dateline.or_else(|| mentions(lead, lang).into_iter().find(|m| !m.range && (m.at <= 2 || m.weekday.is_some())));
    let reported = mentions(body, lang);
    let Some(anchor) = anchor else {
        let mut evidence = "no dateline date and no dated lead sentence; date left out".to_string();
        if let Some(m) = reported.first() {
            evidence.push_str(&format!(" (the text reports \"{}\", which dates the event, not the article)", m.text));
        }
        return DateFinding { date: None, candidates: vec![], evidence, review: true };
    };
    if let Some(year) = anchor.year
        && let Some(date) = NaiveDate::from_ymd_opt(year, anchor.month, anchor.day)
    {
        return DateFinding {
            date: Some(date),
            candidates: vec![],
            evidence: format!("{what} \"{}\"", anchor.text),
            review: false,
        };
    }
    // The latest date the text reports, other than the anchor itself; undated mentions take
    // the latest year the text names.
    let named_years = years(body);
    let latest_year = named_years.last().copied();
    let latest_reported = reported
        .iter()
        .filter(|m| !(m.month == anchor.month && m.day == anchor.day))
        .filter_map(|m| NaiveDate::from_ymd_opt(m.year.or(latest_year)?, m.month, m.day))
        .max();
    let floor = latest_reported.or_else(|| latest_year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)));

    if let Some(weekday) = anchor.weekday {
        return by_weekday(&anchor, weekday, what, floor, today);
    }
    // A lead that names one weekday (`on Wednesday`, `este miércoles`, `الأربعاء`) narrows the
    // year like a weekday in the dateline, when some year from the floor on fits it.
    let mut named: Vec<Weekday> = Vec::new();
    for day in words(lead).iter().filter_map(|w| weekday_of(w)) {
        if !named.contains(&day) {
            named.push(day);
        }
    }
    if let [weekday] = named[..]
        && floor.is_some()
    {
        let found = by_weekday(&anchor, weekday, what, floor, today);
        if found.date.is_some() {
            let evidence = format!("{} (the weekday is the one the lead names: {weekday:?})", found.evidence);
            return DateFinding { evidence, ..found };
        }
    }

    if let (Some(floor), Some(year)) = (floor, latest_year) {
        let date = (year..=year + 1)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, anchor.month, anchor.day))
            .find(|d| *d > floor && *d <= today);
        if let Some(date) = date {
            let evidence = format!(
                "{what} \"{}\" has no year; the latest date the text reports is {} (latest year named: {year}), so the {what} is the first {} after it: {}",
                anchor.text,
                dmy(floor),
                anchor.text,
                dmy(date)
            );
            return DateFinding { date: Some(date), candidates: vec![], evidence, review: true };
        }
    }
    DateFinding {
        date: None,
        candidates: vec![],
        evidence: format!(
            "{what} \"{}\" gives day and month, but the text names no year and no weekday; date left out",
            anchor.text
        ),
        review: true,
    }
}

/// The date of a dateline without a year from its weekday: the most recent year from
/// `FIRST_YEAR` until today where the day falls on that weekday, not before `floor`.
fn by_weekday(anchor: &Mention, weekday: chrono::Weekday, what: &str, floor: Option<NaiveDate>, today: NaiveDate) -> DateFinding {
    let candidates: Vec<NaiveDate> = (FIRST_YEAR..=today.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, anchor.month, anchor.day))
        .filter(|d| d.weekday() == weekday && *d <= today && floor.is_none_or(|f| *d >= f))
        .collect();
    let list = candidates.iter().map(|d| d.year().to_string()).collect::<Vec<_>>().join(", ");
    let Some(date) = candidates.last().copied() else {
        return DateFinding {
            date: None,
            candidates,
            evidence: format!(
                "{what} \"{}\" has no year, and no year from {FIRST_YEAR} until today fits its weekday; date left out",
                anchor.text
            ),
            review: true,
        };
    };
    let evidence = if candidates.len() == 1 {
        format!("{what} \"{}\" has no year; only {list} fits its weekday ({FIRST_YEAR} until today)", anchor.text)
    } else {
        format!(
            "{what} \"{}\" has no year; its weekday fits {list} ({FIRST_YEAR} until today); chose the most recent, {}",
            anchor.text,
            dmy(date)
        )
    };
    let candidates = if candidates.len() > 1 { candidates } else { vec![] };
    DateFinding { date: Some(date), candidates, evidence, review: true }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn dateline_after_the_reported_december_falls_in_the_next_year() {
        let lead = "New Delhi [India], January 27: The 2024 International Conference of NGOs, held in Paris from 16 to 22 December, served well.";
        let d = dateline(lead, "en").unwrap();
        assert_eq!(d.place.as_deref(), Some("New Delhi"));
        let found = article_date(lead, Some(&d), lead, "en", today());
        assert_eq!(found.date, NaiveDate::from_ymd_opt(2025, 1, 27));
        assert!(found.review);
    }

    #[test]
    fn a_clause_before_a_colon_is_no_dateline() {
        assert_eq!(dateline("Among its recommendations, WASME proposed: more training for small firms now.", "en"), None);
        assert_eq!(dateline("WASME proposed: more training for small firms and more.", "en"), None);
        assert_eq!(dateline("قال الوزير: إن التعاونيات تلعب دورا كبيرا في التنمية", "ar"), None);
        assert!(dateline("Baku, 14 November: The forum opened today with many guests.", "en").is_some());
    }

    #[test]
    fn datelines_of_many_shapes() {
        let d = dateline("LONDON, UK – 4 March 2025 – A digital trade finance platform for small exporters was launched.", "en")
            .unwrap();
        assert_eq!((d.place.as_deref(), d.agency.as_deref()), (Some("London"), None));
        let d = dateline("أبوظبي في 12 فبراير/ وام/ أطلقت وزارة الاقتصاد اليوم منصة رقمية جديدة", "ar").unwrap();
        assert_eq!((d.place.as_deref(), d.agency.as_deref()), (Some("أبوظبي"), Some("وام")));
        let d = dateline("Bakı. 5 mart. REPORT.AZ", "az").unwrap();
        assert_eq!((d.place.as_deref(), d.agency.as_deref()), (Some("Bakı"), Some("REPORT.AZ")));
        let d =
            dateline("MADRID, 12 Mar. (Europa Press) - Las pequeñas y medianas empresas españolas exportan más.", "es").unwrap();
        assert_eq!((d.place.as_deref(), d.agency.as_deref()), (Some("Madrid"), Some("Europa Press")));
    }

    #[test]
    fn publication_lines_give_a_date_and_datelines_are_not_publication_lines() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(publication_line("Posted on March 12, 2025 by admin", "en").unwrap().0, d(2025, 3, 12));
        assert_eq!(publication_line("Publié le 14/03/2025 à 10h30 | Mis à jour le 14/03/2025", "fr").unwrap().0, d(2025, 3, 14));
        assert_eq!(publication_line("अपडेटेड: 12 मार्च 2025, 10:45 AM IST", "hi").unwrap().0, d(2025, 3, 12));
        assert_eq!(publication_line("Bakı, 2 iyun 2025.", "az"), None);
        assert_eq!(publication_line("The forum opened in Geneva on 3 March 2025 with many delegates.", "en"), None);
    }

    #[test]
    fn weekday_narrows_the_year_to_candidates() {
        let lead = "نظمت الشبكة يوم الجمعة 7 أكتوبر بمكناس، ندوة تعلن من خلالها عن انطلاقها رسمياً.";
        let found = article_date(lead, None, lead, "ar", today());
        let years: Vec<i32> = found.candidates.iter().map(|d| d.year()).collect();
        assert_eq!(years, [2016, 2022]);
        assert_eq!(found.date, NaiveDate::from_ymd_opt(2022, 10, 7));
        assert_eq!(arabic_place(lead).unwrap().name, "مكناس");
    }

    #[test]
    fn day_and_month_without_year_evidence_leave_the_date_out() {
        let lead = "Noyabrın 14-də BMT-nin İqlim Dəyişmələri üzrə Konfransının 29-cu sessiyası keçirilib.";
        let found = article_date(lead, None, lead, "az", today());
        assert_eq!(found.date, None);
        assert!(found.evidence.contains("Noyabrın 14"), "{}", found.evidence);
    }

    #[test]
    fn bilingual_dateline_keeps_the_articles_script_and_a_range_is_no_date() {
        let lead = "New Delhi नई दिल्ली: 16 से 22 दिसंबर तक पेरिस में यूनेस्को मुख्यालय में आयोजित सम्मेलन हुआ।";
        let d = dateline(lead, "hi").unwrap();
        assert_eq!(d.place.as_deref(), Some("नई दिल्ली"));
        assert_eq!(article_date(lead, Some(&d), lead, "hi", today()).date, None);
    }
}
