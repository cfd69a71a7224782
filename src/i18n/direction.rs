//! Text direction of a language: the site's `dir:` override when given, otherwise CLDR's
//! likely-script data (`ar` → Arab → right-to-left).

use crate::config::Direction;
use icu::locale::{LanguageIdentifier, LocaleDirectionality};
use std::collections::BTreeMap;

/// The text direction of every site language, decided once per build.
#[derive(Debug, Clone, Default)]
pub struct Directions(pub(crate) BTreeMap<String, Direction>);

impl Directions {
    /// The language's direction; CLDR's for a language the site does not have.
    pub fn of(&self, lang: &str) -> Direction {
        self.0.get(lang).copied().unwrap_or_else(|| cldr_direction(lang))
    }
}

/// CLDR's direction for a language code; left-to-right when the code is unknown or unparsable.
pub(crate) fn cldr_direction(code: &str) -> Direction {
    let Ok(langid) = code.parse::<LanguageIdentifier>() else {
        return Direction::Ltr;
    };
    // The extended likely-subtags data covers every CLDR language, not just the common ones.
    if LocaleDirectionality::new_extended().is_right_to_left(&langid) { Direction::Rtl } else { Direction::Ltr }
}

/// The configured direction, else CLDR's.
pub(crate) fn direction(code: &str, configured: Option<Direction>) -> Direction {
    configured.unwrap_or_else(|| cldr_direction(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_languages_come_from_script_data() {
        for code in ["ar", "fa", "he", "ur", "ar-EG", "ps", "sd", "yi", "dv"] {
            assert_eq!(cldr_direction(code), Direction::Rtl, "{code}");
        }
        for code in ["en", "hi", "az", "az-Latn", "tr", "ru", "zh", "not a code"] {
            assert_eq!(cldr_direction(code), Direction::Ltr, "{code}");
        }
    }

    #[test]
    fn script_subtag_decides_over_language() {
        // Azerbaijani in Arabic script (Iran) is right-to-left; Punjabi in Shahmukhi too.
        assert_eq!(cldr_direction("az-Arab"), Direction::Rtl);
        assert_eq!(cldr_direction("pa-Arab"), Direction::Rtl);
        assert_eq!(cldr_direction("pa"), Direction::Ltr);
    }

    #[test]
    fn configuration_overrides_cldr() {
        assert_eq!(direction("ar", Some(Direction::Ltr)), Direction::Ltr);
        assert_eq!(direction("en", Some(Direction::Rtl)), Direction::Rtl);
        assert_eq!(direction("ar", None), Direction::Rtl);
    }
}
