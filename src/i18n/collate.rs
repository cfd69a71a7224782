//! Sorting by name the way a language sorts (CLDR collation through ICU): Azerbaijani puts
//! `ç` after `c` and `ı` before `i`, and no language sorts capitals before small letters.

use icu::collator::{Collator, options::CollatorOptions};

/// Sorts `items` by `name` in `lang`'s order; by code point when ICU knows no such language.
pub fn sort_by_name<'a, T>(lang: &str, items: &mut [T], name: impl Fn(&T) -> &'a str) {
    match collator(lang) {
        Some(c) => items.sort_by(|a, b| c.compare(name(a), name(b))),
        None => items.sort_by(|a, b| name(a).cmp(name(b))),
    }
}

/// How `lang` orders two names (as [`sort_by_name`] does).
pub fn compare(lang: &str, a: &str, b: &str) -> std::cmp::Ordering {
    match collator(lang) {
        Some(c) => c.compare(a, b),
        None => a.cmp(b),
    }
}

fn collator(lang: &str) -> Option<icu::collator::CollatorBorrowed<'static>> {
    let locale = lang.parse::<icu::locale::Locale>().ok()?;
    Collator::try_new(locale.into(), CollatorOptions::default()).ok()
}

/// Re-sorts each run of neighbours of the already sorted `items` that `tie` holds equal, by
/// `name` in `lang`'s order (stable, so equal names keep their order).
pub fn sort_ties_by_name<'a, T>(lang: &str, items: &mut [T], tie: impl Fn(&T, &T) -> bool, name: impl Fn(&T) -> &'a str) {
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && tie(&items[start], &items[end]) {
            end += 1;
        }
        if end - start > 1 {
            sort_by_name(lang, &mut items[start..end], &name);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani_order_is_not_code_point_order() {
        let mut names = vec!["Çin", "Zimbabve", "İran", "Cənubi Afrika", "Ispaniya", "Əfqanıstan", "Almaniya"];
        sort_by_name("az", &mut names, |n| n);
        assert_eq!(names, ["Almaniya", "Cənubi Afrika", "Çin", "Əfqanıstan", "Ispaniya", "İran", "Zimbabve"]);
        let mut english = vec!["b", "A", "a", "B"];
        sort_by_name("en", &mut english, |n| n);
        assert_eq!(english, ["a", "A", "b", "B"]);
    }
}
