//! CLDR dates and numbers through ICU4X: a language's locale (with its configured numbering
//! system), long/medium/short Gregorian dates, grouped decimals, and the hook that makes Fluent
//! print `{ $count }` with the same digits and grouping.
//!
//! ICU4X formatters are not `Send`/`Sync` here (icu_provider's `sync` feature is off), so they
//! are built per call from compiled data, which is cheap; what the `Localizer` keeps is the
//! plain `Locale`.

use fluent_bundle::FluentValue;
use fluent_bundle::types::{FluentNumber, FluentNumberStyle};
use icu::calendar::{Date, Gregorian};
use icu::datetime::FixedCalendarDateTimeFormatter;
use icu::datetime::fieldsets::YMD;
use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu::locale::Locale;
use icu::locale::extensions::unicode::{Value, key};
use intl_memoizer::Memoizable;
use intl_memoizer::concurrent::IntlLangMemoizer;
use unic_langid::LanguageIdentifier;

/// How much of a date to spell out, as CLDR's date lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateLength {
    /// `December 22, 2024`
    Long,
    /// `Dec 22, 2024`
    Medium,
    /// `12/22/24`
    Short,
}

impl DateLength {
    /// `long`, `medium` or `short`, as written in templates.
    pub fn parse(name: &str) -> Option<DateLength> {
        match name {
            "long" => Some(DateLength::Long),
            "medium" => Some(DateLength::Medium),
            "short" => Some(DateLength::Short),
            _ => None,
        }
    }
}

/// Decimal numbering systems a language may select with `numbering_system:`. Index 0 means "the
/// locale's CLDR default"; the index is baked into the Fluent number hook (see [`number_hook`]).
pub(crate) const NUMBERING_SYSTEMS: &[&str] = &[
    "", "latn", "arab", "arabext", "beng", "deva", "gujr", "guru", "knda", "khmr", "laoo", "mlym", "mymr", "orya", "tamldec",
    "telu", "thai", "tibt", "hanidec", "olck",
];

/// The ICU locale for a language code, with `-u-nu-<numbering>` when one is configured.
pub(crate) fn icu_locale(code: &str, numbering: Option<&str>) -> Result<Locale, String> {
    let mut locale: Locale = code.parse().map_err(|e| format!("`{code}` is not a BCP 47 language code ({e})"))?;
    if let Some(nu) = numbering.filter(|nu| !nu.is_empty()) {
        if !NUMBERING_SYSTEMS.contains(&nu) {
            return Err(format!("numbering system `{nu}` is not supported; use one of {}", NUMBERING_SYSTEMS[1..].join(", ")));
        }
        let value = Value::try_from_str(nu).map_err(|e| format!("numbering system `{nu}`: {e}"))?;
        locale.extensions.unicode.keywords.set(key!("nu"), value);
    }
    Ok(locale)
}

/// Index of a configured numbering system in [`NUMBERING_SYSTEMS`] (0 when none).
pub(crate) fn numbering_index(numbering: Option<&str>) -> usize {
    numbering.and_then(|nu| NUMBERING_SYSTEMS.iter().position(|known| *known == nu)).unwrap_or(0)
}

/// Parses `YYYY-MM-DD`, RFC 3339 (`2024-12-22T10:00:00+05:30`, the date as written, not moved to
/// UTC) or a local date-time (`2024-12-22T10:00:00`, `2024-12-22 10:00:00`).
pub(crate) fn parse_date(input: &str) -> Result<chrono::NaiveDate, String> {
    let input = input.trim();
    // The formats front matter accepts, then local date-times.
    if let Some(d) = crate::content::parse_date(input) {
        return Ok(d);
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(input, fmt) {
            return Ok(dt.date());
        }
    }
    Err(format!("`{input}` is not a date; expected `YYYY-MM-DD` or RFC 3339 such as `2024-12-22T10:00:00+05:30`"))
}

/// A Gregorian date in `locale`'s CLDR pattern for `length`.
pub(crate) fn format_date(locale: &Locale, input: &str, length: DateLength) -> Result<String, String> {
    use chrono::Datelike;
    let date = parse_date(input)?;
    let month = u8::try_from(date.month()).expect("chrono months are 1..=12");
    let day = u8::try_from(date.day()).expect("chrono days are 1..=31");
    let icu_date = Date::try_new_gregorian(date.year(), month, day).map_err(|e| format!("`{input}` is out of range: {e}"))?;
    let fields = match length {
        DateLength::Long => YMD::long(),
        DateLength::Medium => YMD::medium(),
        DateLength::Short => YMD::short(),
    };
    let formatter = FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(locale.into(), fields)
        .map_err(|e| format!("no CLDR date patterns for `{locale}`: {e}"))?;
    Ok(formatter.format(&icu_date).to_string())
}

/// `n` with `locale`'s digits, decimal separator and grouping (`12,34,567` in Hindi).
pub(crate) fn format_number(locale: &Locale, n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    // f64's Display is the shortest round-trip form and never uses an exponent.
    match Decimal::try_from_str(&n.to_string()) {
        Ok(decimal) => format_decimal(locale, &decimal, true).unwrap_or_else(|| n.to_string()),
        Err(_) => n.to_string(),
    }
}

fn format_decimal(locale: &Locale, decimal: &Decimal, grouping: bool) -> Option<String> {
    let mut options = DecimalFormatterOptions::default();
    if !grouping {
        options.grouping_strategy = Some(GroupingStrategy::Never);
    }
    let formatter = DecimalFormatter::try_new(locale.into(), options).ok()?;
    Some(formatter.format(decimal).to_string())
}

/// What a Fluent bundle's memoizer keeps for its language: the ICU locale with the numbering
/// system baked into the hook that asked for it.
pub(crate) struct FluentNumbers {
    locale: Locale,
}

impl Memoizable for FluentNumbers {
    /// Index into [`NUMBERING_SYSTEMS`].
    type Args = (usize,);
    type Error = String;

    fn construct(lang: LanguageIdentifier, (numbering,): Self::Args) -> Result<Self, String> {
        let nu = NUMBERING_SYSTEMS.get(numbering).copied().filter(|nu| !nu.is_empty());
        Ok(FluentNumbers { locale: icu_locale(&lang.to_string(), nu)? })
    }
}

/// Fluent's rendering of `number` redone with CLDR digits and grouping, or `None` for the styles
/// (currency, percent, significant digits) left to Fluent.
fn format_fluent_number(locale: &Locale, number: &FluentNumber) -> Option<String> {
    let opts = &number.options;
    if opts.style != FluentNumberStyle::Decimal
        || opts.minimum_significant_digits.is_some()
        || opts.maximum_significant_digits.is_some()
        || !number.value.is_finite()
    {
        return None;
    }
    // `as_string` honours minimumFractionDigits, which `Decimal` keeps as trailing zeros.
    let mut decimal = Decimal::try_from_str(&number.as_string()).ok()?;
    if let Some(max) = opts.maximum_fraction_digits {
        decimal.round(-(i16::try_from(max).ok()?));
        if let Some(min) = opts.minimum_fraction_digits {
            decimal.pad_end(-(i16::try_from(min).ok()?));
        } else {
            decimal.trim_end();
        }
    }
    if let Some(min) = opts.minimum_integer_digits {
        decimal.pad_start(i16::try_from(min).ok()?);
    }
    format_decimal(locale, &decimal, opts.use_grouping)
}

/// A `FluentBundle::set_formatter` hook. It must be a plain `fn`, so the numbering system is a
/// const parameter and the language comes from the bundle's memoizer.
fn fluent_number<const NU: usize>(value: &FluentValue, intls: &IntlLangMemoizer) -> Option<String> {
    match value {
        FluentValue::Number(number) => {
            // Copy the locale out so the memoizer's lock is not held while formatting.
            let locale = intls.with_try_get::<FluentNumbers, _, _>((NU,), |numbers| numbers.locale.clone()).ok()?;
            format_fluent_number(&locale, number)
        }
        _ => None,
    }
}

pub(crate) type NumberHook = fn(&FluentValue, &IntlLangMemoizer) -> Option<String>;

/// One hook per entry of [`NUMBERING_SYSTEMS`], in the same order.
const NUMBER_HOOKS: [NumberHook; 20] = [
    fluent_number::<0>,
    fluent_number::<1>,
    fluent_number::<2>,
    fluent_number::<3>,
    fluent_number::<4>,
    fluent_number::<5>,
    fluent_number::<6>,
    fluent_number::<7>,
    fluent_number::<8>,
    fluent_number::<9>,
    fluent_number::<10>,
    fluent_number::<11>,
    fluent_number::<12>,
    fluent_number::<13>,
    fluent_number::<14>,
    fluent_number::<15>,
    fluent_number::<16>,
    fluent_number::<17>,
    fluent_number::<18>,
    fluent_number::<19>,
];

/// The Fluent number hook for a numbering system index from [`numbering_index`].
pub(crate) fn number_hook(numbering: usize) -> NumberHook {
    const _: () = assert!(NUMBER_HOOKS.len() == NUMBERING_SYSTEMS.len());
    NUMBER_HOOKS[numbering.min(NUMBER_HOOKS.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(code: &str, nu: Option<&str>) -> Locale {
        icu_locale(code, nu).unwrap()
    }

    // Expected strings are CLDR's (as shipped in icu 2.4's compiled data), written out by hand.
    #[test]
    fn long_dates_in_four_languages() {
        let long = |code: &str| format_date(&loc(code, None), "2024-12-22", DateLength::Long).unwrap();
        assert_eq!(long("en"), "December 22, 2024");
        // CLDR 48 `hi` yMMMMd is `d MMMM, y` (with a comma).
        assert_eq!(long("hi"), "22 दिसंबर, 2024");
        assert_eq!(long("az"), "22 dekabr 2024");
        // CLDR's default numbering system for plain `ar` is `latn`.
        assert_eq!(long("ar"), "22 ديسمبر 2024");
    }

    #[test]
    fn arabic_with_arab_numbering_uses_arabic_indic_digits() {
        let d = format_date(&loc("ar", Some("arab")), "2024-12-22", DateLength::Long).unwrap();
        assert_eq!(d, "٢٢ ديسمبر ٢٠٢٤");
        assert_eq!(format_number(&loc("ar", Some("arab")), 1234567.5), "١٬٢٣٤٬٥٦٧٫٥");
        assert_eq!(format_number(&loc("ar", Some("latn")), 1234567.5), "1,234,567.5");
    }

    #[test]
    fn medium_and_short_dates() {
        assert_eq!(format_date(&loc("en", None), "2024-12-22", DateLength::Medium).unwrap(), "Dec 22, 2024");
        assert_eq!(format_date(&loc("en", None), "2024-12-22", DateLength::Short).unwrap(), "12/22/24");
        assert_eq!(format_date(&loc("az", None), "2024-12-22", DateLength::Short).unwrap(), "22.12.24");
    }

    #[test]
    fn rfc3339_keeps_the_date_as_written() {
        let en = loc("en", None);
        assert_eq!(format_date(&en, "2024-12-22T23:30:00+05:30", DateLength::Long).unwrap(), "December 22, 2024");
        assert_eq!(format_date(&en, "2024-12-22T00:10:00Z", DateLength::Long).unwrap(), "December 22, 2024");
        assert_eq!(format_date(&en, "2024-12-22 08:00:00", DateLength::Long).unwrap(), "December 22, 2024");
        let err = format_date(&en, "22/12/2024", DateLength::Long).unwrap_err();
        assert!(err.contains("`22/12/2024` is not a date"), "{err}");
    }

    #[test]
    fn hindi_uses_lakh_grouping() {
        assert_eq!(format_number(&loc("hi", None), 1234567.0), "12,34,567");
        assert_eq!(format_number(&loc("en", None), 1234567.0), "1,234,567");
        assert_eq!(format_number(&loc("az", None), 1234567.25), "1.234.567,25");
        assert_eq!(format_number(&loc("hi", Some("deva")), 1234567.0), "१२,३४,५६७");
    }

    #[test]
    fn unknown_numbering_system_is_an_error() {
        let err = icu_locale("ar", Some("klingon")).unwrap_err();
        assert!(err.contains("`klingon` is not supported"), "{err}");
        assert_eq!(numbering_index(Some("arab")), 2);
        assert_eq!(numbering_index(None), 0);
    }

    #[test]
    fn every_listed_numbering_system_formats_digits() {
        let without_digits: Vec<_> =
            NUMBERING_SYSTEMS[2..].iter().filter(|nu| format_number(&loc("en", Some(nu)), 7.0) == "7").collect();
        assert!(without_digits.is_empty(), "no ICU4X digits for {without_digits:?}");
    }
}
