//! The localisation functions and filters templates call: `t()`, `dir()`, `| date` and
//! `| number`, each reading the page's language from the context variable `lang` unless given
//! `lang=` explicitly.

use super::{DateLength, Localizer};
use std::sync::Arc;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

/// Registers on `tera`:
/// - `t(key="read-more", count=3, …)`: the UI string in the context's `lang` (or `lang=`);
///   every other argument is a Fluent variable. Warnings name the context's `template_name`.
/// - `dir(lang=…)`: `ltr` or `rtl`.
/// - `value | date(length="long")`: a `YYYY-MM-DD` or RFC 3339 string as a CLDR date
///   (`long`, `medium`, `short`; default `long`).
/// - `value | number`: a number with CLDR grouping and digits.
///
/// Outputs are plain strings, escaped like any other value; a UI string holding markup needs
/// `| safe`.
pub fn register(tera: &mut Tera, localizer: Arc<Localizer>) {
    let l = localizer.clone();
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let key: String = kwargs.must_get::<&str>("key")?.to_string();
        let lang = language(&kwargs, state, "t")?;
        let template = state.get::<String>("template_name")?.unwrap_or_else(|| "(unknown)".to_string());
        let mut args = Vec::new();
        for (name, value) in kwargs.iter() {
            let Some(name) = name.as_str() else { continue };
            if name == "key" || name == "lang" {
                continue;
            }
            let json = serde_json::to_value(value).map_err(|e| Error::message(format!("t(): argument `{name}`: {e}")))?;
            args.push((name, json));
        }
        Ok(l.translate(&lang, &key, &args, &template))
    });

    let l = localizer.clone();
    tera.register_function("dir", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let lang = language(&kwargs, state, "dir")?;
        Ok(l.direction(&lang).as_str().to_string())
    });

    let l = localizer.clone();
    tera.register_filter("date", move |value: &Value, kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let lang = language(&kwargs, state, "date")?;
        let length = match kwargs.get::<&str>("length")? {
            None => DateLength::Long,
            Some(name) => DateLength::parse(name)
                .ok_or_else(|| Error::message(format!("date: `length` is `{name}`; use `long`, `medium` or `short`")))?,
        };
        let text = value.as_str().ok_or_else(|| Error::message(format!("date: expected a date string, got {}", value.name())))?;
        l.format_date(&lang, text, length).map_err(|e| Error::message(format!("date: {e}")))
    });

    let l = localizer;
    tera.register_filter("number", move |value: f64, kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let lang = language(&kwargs, state, "number")?;
        Ok(l.format_number(&lang, value))
    });
}

/// `lang=` when given, else the context's `lang`.
fn language(kwargs: &Kwargs, state: &State, what: &str) -> TeraResult<String> {
    if let Some(lang) = kwargs.get::<&str>("lang")? {
        return Ok(lang.to_string());
    }
    state.get::<String>("lang")?.ok_or_else(|| Error::message(format!("{what}: no `lang` in the context; pass `lang=\"…\"`")))
}

/// Registers `t`, `dir`, `date` and `number` with no localizer behind them, so templates still
/// compile (and report their own errors) when the UI string files are broken.
pub fn register_placeholders(tera: &mut Tera) {
    for name in ["t", "dir"] {
        tera.register_function(name, |_: Kwargs, _: &State| -> TeraResult<String> { Ok(String::new()) });
    }
    for name in ["date", "number"] {
        tera.register_filter(name, |_: &Value, _: Kwargs, _: &State| -> TeraResult<String> { Ok(String::new()) });
    }
}
