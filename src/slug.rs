//! Unicode-preserving slugs: letters, marks and digits of every script survive (Devanagari
//! viramas, Arabic letters, ZWJ/ZWNJ), everything else becomes `-`, lowercasing follows the
//! language (Azerbaijani and Turkish dotted and dotless i).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// Lowercases `text` the way `lang` does it.
pub fn lowercase(text: &str, lang: &str) -> String {
    let turkic = matches!(lang.split('-').next(), Some("az" | "tr" | "crh" | "tt" | "kk" | "gag"));
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
        match c {
            'İ' => out.push('i'),
            'I' if turkic => out.push('ı'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Turns a title or file name into a URL segment in `lang`.
pub fn slugify(text: &str, lang: &str) -> String {
    let lower = lowercase(text, lang);
    let mut slug = String::with_capacity(lower.len());
    let mut dash = false;
    for c in lower.nfc() {
        if c.is_alphanumeric() || is_combining_mark(c) || c == ZWJ || c == ZWNJ {
            // A mark or joiner right after a dash has nothing to attach to.
            if dash && !slug.is_empty() && !(is_combining_mark(c) || c == ZWJ || c == ZWNJ) {
                slug.push('-');
            }
            if !(slug.is_empty() && (is_combining_mark(c) || c == ZWJ || c == ZWNJ)) {
                slug.push(c);
            }
            dash = false;
        } else {
            dash = true;
        }
    }
    // Dropping characters between marks can leave them out of canonical order.
    slug.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_devanagari_with_viramas() {
        assert_eq!(slugify("WASME की ऐतिहासिक जीत", "hi"), "wasme-की-ऐतिहासिक-जीत");
        assert_eq!(slugify("अंतर्राष्ट्रीय सम्मेलन", "hi"), "अंतर्राष्ट्रीय-सम्मेलन");
    }

    #[test]
    fn keeps_arabic_letters() {
        assert_eq!(slugify("شبكة وليلي (Volubilis)", "ar"), "شبكة-وليلي-volubilis");
    }

    #[test]
    fn azerbaijani_dotted_and_dotless_i() {
        assert_eq!(slugify("İqlim IRAN", "az"), "iqlim-ıran");
        assert_eq!(slugify("İqlim IRAN", "en"), "iqlim-iran");
    }

    #[test]
    fn keeps_zero_width_joiners() {
        assert_eq!(slugify("می\u{200C}خواهم", "fa"), "می\u{200C}خواهم");
    }

    #[test]
    fn marks_on_both_sides_of_a_dropped_space_end_up_in_canonical_order() {
        let slug = slugify("I\u{64d} \u{64b}", "en");
        assert_eq!(slugify(&slug, "en"), slug);
    }

    #[test]
    fn punctuation_becomes_single_dashes() {
        assert_eq!(slugify("  Hello, World!! 2024 ", "en"), "hello-world-2024");
        assert_eq!(slugify("NGO-UNESCO", "en"), "ngo-unesco");
    }
}
