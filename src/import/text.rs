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

pub fn is_latin_word(word: &str) -> bool {
    word.chars().any(|c| c.is_alphabetic()) && word.chars().all(|c| c.is_ascii_alphanumeric() || is_latin_letter(c))
}

fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x250
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
}
