//! Language: which of the site's languages an article is written in (whatlang, restricted to
//! the site's languages), or the one given with `--lang`. Low confidence is reported, not hidden.

use whatlang::{Detector, Lang};

#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The site's language code, e.g. `hi`.
    pub code: String,
    /// whatlang's confidence, 0..1 (1 when given with `--lang`).
    pub confidence: f64,
    /// whatlang considers the guess reliable, or the language was given.
    pub reliable: bool,
    pub given: bool,
}

/// whatlang's ISO 639-3 code for a BCP 47 tag's language (`en-GB` -> `eng`).
fn whatlang_lang(code: &str) -> Option<Lang> {
    let primary = code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase();
    #[rustfmt::skip]
    let three = match primary.as_str() {
        "en" => "eng", "hi" => "hin", "az" => "aze", "ar" => "ara", "fr" => "fra", "es" => "spa",
        "pt" => "por", "de" => "deu", "ru" => "rus", "ur" => "urd", "fa" => "pes", "tr" => "tur",
        "bn" => "ben", "zh" => "cmn", "ja" => "jpn", "ko" => "kor", "it" => "ita", "nl" => "nld",
        "uz" => "uzb", "kk" => "kaz", "id" => "ind", "ms" => "zsm", "sw" => "swa", "ne" => "nep",
        "mr" => "mar", "ta" => "tam", "te" => "tel", "uk" => "ukr", "pl" => "pol", "he" => "heb",
        "am" => "amh", "th" => "tha", "vi" => "vie", "ka" => "kat", "hy" => "hye", "el" => "ell",
        other => other,
    };
    Lang::from_code(three)
}

/// Below this, a detection is printed as a warning and the page is marked for review.
const MIN_CONFIDENCE: f64 = 0.5;

/// Languages the network receives articles in, detected even when the site does not publish
/// them, so that such an article is named and refused rather than imported as a look-alike
/// (French as English, Spanish as Azerbaijani).
const WATCHED: &[&str] = &["fr", "es"];

pub fn detect(text: &str, site_languages: &[&str], given: Option<&str>) -> Result<Detection, String> {
    if let Some(code) = given {
        return Ok(Detection { code: code.to_string(), confidence: 1.0, reliable: true, given: true });
    }
    let known: Vec<(&str, Lang)> = site_languages.iter().filter_map(|c| whatlang_lang(c).map(|l| (*c, l))).collect();
    let watched: Vec<(&str, Lang)> = WATCHED
        .iter()
        .filter_map(|c| whatlang_lang(c).map(|l| (*c, l)))
        .filter(|(_, l)| !known.iter().any(|(_, k)| k == l))
        .collect();
    if known.is_empty() {
        return Err(format!(
            "none of the site's languages ({}) can be detected; give the language with --lang",
            site_languages.join(", ")
        ));
    }
    let detector = Detector::with_allowlist(known.iter().chain(&watched).map(|(_, l)| *l).collect());
    let mut info = detector
        .detect(text)
        .ok_or_else(|| "the language could not be detected (too little text?); give it with --lang".to_string())?;
    // A text that only looks a little French or Spanish (too short, mixed) is judged among the
    // site's languages, as before; a reliable detection is refused below.
    if !info.is_reliable()
        && watched.iter().any(|(_, l)| *l == info.lang())
        && let Some(own) = Detector::with_allowlist(known.iter().map(|(_, l)| *l).collect()).detect(text)
    {
        info = own;
    }
    if let Some((code, lang)) = watched.iter().find(|(_, l)| *l == info.lang()) {
        return Err(format!(
            "written in {} ({code}, confidence {:.2}), which the site does not publish ({}); not imported (add {code} to the site's languages, or give another with --lang)",
            lang.eng_name(),
            info.confidence(),
            site_languages.join(", ")
        ));
    }
    let code = known.iter().find(|(_, l)| *l == info.lang()).map(|(c, _)| c.to_string()).ok_or_else(|| {
        format!("detected {} which is not a site language; give the language with --lang", info.lang().eng_name())
    })?;
    let confidence = (info.confidence() * 100.0).round() / 100.0;
    Ok(Detection { code, confidence, reliable: info.is_reliable() && confidence >= MIN_CONFIDENCE, given: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_is_restricted_to_the_site_languages() {
        let d = detect(
            "Noyabrın 14-də BMT-nin İqlim Dəyişmələri üzrə Çərçivə Konvensiyasının Tərəflər Konfransının sessiyası keçirilib.",
            &["en", "hi", "az", "ar"],
            None,
        )
        .unwrap();
        assert_eq!(d.code, "az");
        let d = detect("نظمت الشبكة ندوة تعلن من خلالها عن انطلاقها رسمياً", &["en", "ar"], None).unwrap();
        assert_eq!(d.code, "ar");
    }

    #[test]
    fn french_and_spanish_are_recognised_even_when_the_site_does_not_publish_them() {
        let site = ["en", "hi", "az", "ar"];
        let fr = detect(
            "Le forum commercial des PME s'est ouvert lundi au Palais des Nations en présence de plus de mille délégués.",
            &site,
            None,
        );
        assert!(fr.unwrap_err().contains("written in French (fr"));
        let es = detect(
            "Las pequeñas y medianas empresas españolas que exportan de forma regular superaron por primera vez esa cifra.",
            &site,
            None,
        );
        assert!(es.unwrap_err().contains("written in Spanish (es"));
        let d = detect("Le forum commercial des PME s'est ouvert lundi au Palais des Nations.", &["en", "fr"], None).unwrap();
        assert_eq!(d.code, "fr");
    }

    #[test]
    fn a_short_ambiguous_text_is_not_reliable() {
        let d = detect("Salam, forum", &["en", "az"], None).unwrap();
        assert!(!d.reliable, "{d:?}");
    }
}
