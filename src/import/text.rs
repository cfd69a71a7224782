//! Text helpers the import steps share: NFC input, word tokens, digits of any script, scripts.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The article as lines: NFC, no BOM, no carriage returns, no trailing spaces.
pub fn normalize(text: &str) -> Vec<String> {
    let text: String = text.trim_start_matches('\u{feff}').nfc().collect();
    text.replace("\r\n", "\n").replace('\r', "\n").lines().map(|l| l.trim_end().replace('\u{a0}', " ")).collect()
}

/// Words in the UAX #29 sense (`COP29-da` is `COP29`, `da`), digits made ASCII.
pub fn words(text: &str) -> Vec<String> {
    text.unicode_words().map(ascii_digits).collect()
}

/// Arabic-Indic, Persian and Devanagari digits as ASCII digits.
pub fn ascii_digits(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            '\u{966}'..='\u{96f}' => char::from(b'0' + (c as u32 - 0x966) as u8),
            c => c,
        })
        .collect()
}

/// A number as one canonical string, whatever its digits and grouping: `1,400`, `1400`,
/// `١٤٠٠`, `१,४००` and `1 400` are all `1400`; `2.4`, `2,4` and `٢٫٤` are `2.4`. None for a
/// word that is not a number.
pub fn number(word: &str) -> Option<String> {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    // An Arabic conjunction or preposition written onto the number: `و1400`, `ب200`.
    let word = match word.strip_prefix(['و', 'ب', 'ل', 'ف']) {
        Some(rest) if rest.starts_with(|c: char| c.is_numeric()) => rest,
        _ => word,
    };
    let ascii = ascii_digits(word);
    let mut chars = ascii.chars().peekable();
    if !chars.peek().is_some_and(char::is_ascii_digit) {
        return None;
    }
    let parts: Vec<&str> = ascii.split([',', '.', '\u{66b}', '\u{66c}', '\u{202f}', '\u{a0}', ' ']).collect();
    if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    // Groups of three after the first part are thousands; a last part of another length is a
    // decimal fraction (`2.4`, `4,5`).
    let (last, head) = parts.split_last()?;
    if parts.len() > 1 && last.len() != 3 {
        return Some(format!("{}.{last}", head.concat()));
    }
    if parts.len() > 1 && head.iter().skip(1).any(|p| p.len() != 3) {
        return None;
    }
    let whole = parts.concat();
    let trimmed = whole.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() })
}

pub fn is_latin_word(word: &str) -> bool {
    word.chars().any(|c| c.is_alphabetic()) && word.chars().all(|c| c.is_ascii_alphanumeric() || is_latin_letter(c))
}

fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x250
}

/// The consonant skeleton of a name, in coarse sound classes shared by Latin, Arabic and
/// Devanagari spellings: `Nairobi`, `نيروبي` and `नैरोबी` are all `NRB`; `Sanjiv`, `سانجيف`
/// and `संजीव` are `SNJF`. Vowels, `h`, `w`, `y` and their letters are dropped, doubled
/// classes collapse. Used to match transliterated names, never to compare ordinary words.
pub fn skeleton(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut word: &str = &lower;
    // The Arabic article and the conjunction/prepositions before it.
    for prefix in ["وال", "بال", "لل", "ال"] {
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.chars().count() >= 3
        {
            word = rest;
            break;
        }
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (class, used) = match (c, next) {
            ('s' | 'c', Some('h')) => (Some('S'), 2),
            ('k' | 'g', Some('h')) => (Some('K'), 2),
            ('t', Some('h')) => (Some('T'), 2),
            ('p', Some('h')) => (Some('F'), 2),
            ('c', Some('e' | 'i' | 'y')) => (Some('S'), 1),
            ('g', Some('e' | 'i')) => (Some('J'), 1),
            ('x', _) => (Some('K'), 1),
            _ => (sound_class(c), 1),
        };
        if let Some(class) = class
            && !out.ends_with(class)
        {
            out.push(class);
        }
        i += used;
    }
    out
}

fn sound_class(c: char) -> Option<char> {
    Some(match c {
        'b' | 'p' | 'ب' | 'پ' | 'ब' | 'भ' | 'प' => 'B',
        'f' | 'v' | 'ف' | 'ڤ' | 'फ' | 'व' => 'F',
        'c' | 'k' | 'q' | 'g' | 'ك' | 'ق' | 'غ' | 'خ' | 'گ' | 'क' | 'ख' | 'ग' | 'घ' => 'K',
        'j' | 'ج' | 'ज' | 'झ' => 'J',
        't' | 'd' | 'ت' | 'ط' | 'د' | 'ض' | 'ث' | 'ذ' | 'ट' | 'ठ' | 'ड' | 'ढ' | 'त' | 'थ' | 'द' | 'ध' => {
            'T'
        }
        's' | 'z' | 'ç' | 'ş' | 'س' | 'ص' | 'ز' | 'ش' | 'ظ' | 'च' | 'छ' | 'श' | 'ष' | 'स' => 'S',
        'l' | 'ل' | 'ल' => 'L',
        'm' | 'م' | 'म' => 'M',
        'n' | 'ن' | 'न' | 'ण' | 'ङ' | 'ञ' | 'ं' | 'ँ' => 'N',
        'r' | 'ر' | 'र' => 'R',
        _ => return None,
    })
}

pub fn is_arabic_word(word: &str) -> bool {
    word.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c))
}

/// Mostly Latin letters (English, Azerbaijani, French...) rather than another script.
pub fn is_latin_text(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (mut latin, mut all) = (0, 0);
    for c in letters {
        all += 1;
        if is_latin_letter(c) {
            latin += 1;
        }
    }
    all > 0 && latin * 2 > all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_becomes_nfc_lines_without_bom_or_carriage_returns() {
        // `e` + combining acute and `U` + diaeresis become their composed forms.
        let lines = normalize("\u{feff}Cafe\u{301}  \r\nU\u{308}\r\n");
        assert_eq!(lines, ["Caf\u{e9}", "\u{dc}"]);
    }

    #[test]
    fn names_keep_their_skeleton_across_scripts() {
        for (a, b) in [
            ("Nairobi", "نيروبي"),
            ("Nairobi", "नैरोबी"),
            ("Sanjiv", "سانجيف"),
            ("Sanjiv", "संजीव"),
            ("Valencia", "فالنسيا"),
            ("Marseille", "مرسيليا"),
            ("Chennai", "चेन्नई"),
            ("Uganda", "أوغندا"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} {b}");
        }
        assert_ne!(skeleton("Nairobi"), skeleton("Valencia"));
    }

    #[test]
    fn numbers_in_any_digits_and_grouping_are_one_number() {
        for n in ["1,400", "1400", "١٤٠٠", "१,४००", "1.400", "١٬٤٠٠"] {
            assert_eq!(number(n).as_deref(), Some("1400"), "{n}");
        }
        assert_eq!(number("2.4").as_deref(), Some("2.4"));
        assert_eq!(number("4,5").as_deref(), Some("4.5"));
        assert_eq!(number("٢٫٤").as_deref(), Some("2.4"));
        assert_eq!(number("WASME"), None);
        assert_eq!(number("2025-ci"), None);
    }
}
