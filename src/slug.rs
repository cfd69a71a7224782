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

/// Longest slug kept as it is, in bytes. File systems take 255 bytes per name; a longer slug
/// keeps its first part and a hash of the whole (86 Devanagari letters are 258 bytes).
pub const MAX_SLUG_BYTES: usize = 240;

/// Turns a title or file name into a URL segment in `lang`, shortened (see [`shorten`]) when
/// longer than [`MAX_SLUG_BYTES`].
pub fn slugify(text: &str, lang: &str) -> String {
    let slug = slugify_whole(text, lang);
    shorten(&slug).unwrap_or(slug)
}

/// The slug of `text` shortened to fit a file name: its first letters up to a word boundary
/// and 8 hex digits of a hash of the whole, so two long titles sharing a start stay apart and
/// the same title gets the same slug in every build. `None` when it already fits.
pub fn shorten(slug: &str) -> Option<String> {
    if slug.len() <= MAX_SLUG_BYTES {
        return None;
    }
    let mut cut = MAX_SLUG_BYTES - 10;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &slug[..cut];
    let head = head.rsplit_once('-').map_or(head, |(start, _)| start);
    Some(format!("{head}-{}", hashed(slug)))
}

/// 8 hex digits of the SHA-256 of `text`: a stable stand-in for a slug that has no letter.
pub fn hashed(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// The slug of `text` however long, to tell whether [`slugify`] shortened it.
pub fn slugify_whole(text: &str, lang: &str) -> String {
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
    fn long_slugs_are_shortened_stably_at_a_word_boundary() {
        let title = "अंतर्राष्ट्रीय ".repeat(12);
        assert!(slugify_whole(&title, "hi").len() > MAX_SLUG_BYTES);
        let slug = slugify(&title, "hi");
        assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
        assert_eq!(slug, slugify(&title, "hi"));
        assert!(slugify_whole(&title, "hi").starts_with(slug.rsplit_once('-').unwrap().0));
        assert_ne!(slug, slugify(&format!("{title} b"), "hi"));
        assert_eq!(shorten("short"), None);
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
