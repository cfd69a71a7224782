//! One language's UI strings: the `.ftl` files of the site and of the theme merged into a single
//! Fluent bundle (the site's message wins over the theme's), syntax errors as diagnostics with
//! file:line:col, and formatting of one message with template arguments.

use super::format::number_hook;
use crate::diagnostics::{Diagnostic, Diagnostics};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Bundle = FluentBundle<FluentResource>;

/// The UI strings of one language.
pub(crate) struct LanguageStrings {
    bundle: Bundle,
    /// Ids of the messages defined (site and theme), not terms.
    message_ids: BTreeSet<String>,
    /// Messages that other messages reference (`{ brand-name }`); they count as used.
    referenced: BTreeSet<String>,
}

/// What formatting one key produced.
pub(crate) struct Formatted {
    pub text: String,
    /// Fluent's complaints, e.g. an unknown variable; the text still has a placeholder.
    pub errors: Vec<String>,
}

impl LanguageStrings {
    /// Loads `<dir>/*.ftl` (recursively, sorted) for each of `layers`, highest priority first.
    /// `numbering` is an index from `format::numbering_index`.
    pub(crate) fn load(code: &str, numbering: usize, layers: &[PathBuf], diagnostics: &mut Diagnostics) -> LanguageStrings {
        let langid: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
        let mut bundle = Bundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(number_hook(numbering)));
        bundle.add_builtins().expect("a new bundle has no functions to clash with NUMBER");
        let mut strings = LanguageStrings { bundle, message_ids: BTreeSet::new(), referenced: BTreeSet::new() };
        for layer in layers {
            strings.add_layer(layer, diagnostics);
        }
        strings.add_built_in(code);
        strings
    }

    /// The strings of tessera's built-in shortcodes, below every layer: in the language when
    /// tessera has them, else in English.
    fn add_built_in(&mut self, code: &str) {
        let text = match code.split('-').next().unwrap_or(code) {
            "fr" => include_str!("builtin/fr.ftl"),
            "es" => include_str!("builtin/es.ftl"),
            "ar" => include_str!("builtin/ar.ftl"),
            "hi" => include_str!("builtin/hi.ftl"),
            "az" => include_str!("builtin/az.ftl"),
            _ => include_str!("builtin/en.ftl"),
        };
        // The files are part of tessera and parse (see the tests); ids a layer defines stay.
        // They are not the site's strings, so translation coverage leaves them out.
        let Ok(resource) = FluentResource::try_new(text.to_string()) else { return };
        let _ = self.bundle.add_resource(resource);
    }

    fn add_layer(&mut self, dir: &Path, diagnostics: &mut Diagnostics) {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "ftl"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        // Within one layer an id may be defined once: (id -> file, line) of its first definition.
        let mut first_seen: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
        for file in files {
            let source = match std::fs::read_to_string(&file) {
                Ok(s) => s,
                Err(e) => {
                    diagnostics.push(Diagnostic::whole_file(&file, format!("cannot read: {e}")));
                    continue;
                }
            };
            let resource = match FluentResource::try_new(source) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for error in errors {
                        let at = error_offset(resource.source(), &error);
                        let (line, col) = line_col(resource.source(), at);
                        diagnostics.push(Diagnostic::new(&file, line, col, format!("Fluent syntax error: {error}")));
                    }
                    continue;
                }
            };
            let mut duplicate = false;
            for entry in resource.entries() {
                let (id, prefix) = match entry {
                    ast::Entry::Message(m) => (m.id.name, ""),
                    ast::Entry::Term(t) => (t.id.name, "-"),
                    _ => continue,
                };
                let line = offset_in(resource.source(), id).map_or(0, |o| line_col(resource.source(), o).0);
                let full_id = format!("{prefix}{id}");
                if let Some((first_file, first_line)) = first_seen.get(&full_id) {
                    duplicate = true;
                    diagnostics.push(Diagnostic::new(
                        &file,
                        line,
                        1,
                        format!(
                            "`{full_id}` is defined twice; first at {}:{first_line}. Remove or rename one",
                            first_file.display()
                        ),
                    ));
                } else {
                    first_seen.insert(full_id, (file.clone(), line));
                }
            }
            if duplicate {
                continue;
            }
            for entry in resource.entries() {
                match entry {
                    ast::Entry::Message(m) => {
                        self.message_ids.insert(m.id.name.to_string());
                        if let Some(value) = &m.value {
                            collect_references(value, &mut self.referenced);
                        }
                        for attribute in &m.attributes {
                            collect_references(&attribute.value, &mut self.referenced);
                        }
                    }
                    ast::Entry::Term(t) => {
                        collect_references(&t.value, &mut self.referenced);
                    }
                    _ => {}
                }
            }
            // Ids already defined by a higher layer stay as they are: Fluent reports them as
            // `Overriding` and keeps the first. Same-layer duplicates were rejected above.
            let _ = self.bundle.add_resource(resource);
        }
    }

    pub(crate) fn message_ids(&self) -> &BTreeSet<String> {
        &self.message_ids
    }

    pub(crate) fn referenced(&self) -> &BTreeSet<String> {
        &self.referenced
    }

    /// Whether `key` (`id` or `id.attribute`) resolves in this language itself.
    pub(crate) fn has(&self, key: &str) -> bool {
        let (id, attribute) = split_key(key);
        let Some(message) = self.bundle.get_message(id) else { return false };
        match attribute {
            Some(attribute) => message.get_attribute(attribute).is_some(),
            None => message.value().is_some(),
        }
    }

    /// Formats `key` with `args`, or `None` when this language does not define it.
    pub(crate) fn format(&self, key: &str, args: &[(&str, serde_json::Value)]) -> Option<Formatted> {
        let (id, attribute) = split_key(key);
        let message = self.bundle.get_message(id)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, fluent_value(value));
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(Formatted { text: strip_isolation(&text), errors: errors.iter().map(|e| e.to_string()).collect() })
    }
}

/// `id.attribute` -> (`id`, `Some(attribute)`); Fluent ids cannot contain dots.
fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (key, None),
    }
}

/// Template values as Fluent variables; numbers stay numbers so plural selection works.
fn fluent_value(value: &serde_json::Value) -> FluentValue<'static> {
    match value {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) => FluentValue::from(f),
            None => FluentValue::from(n.to_string()),
        },
        serde_json::Value::String(s) => FluentValue::from(s.clone()),
        serde_json::Value::Bool(b) => FluentValue::from(b.to_string()),
        serde_json::Value::Null => FluentValue::None,
        other => FluentValue::from(other.to_string()),
    }
}

/// Removes FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which tessera never emits even
/// when a translator or an argument carries them.
pub(crate) fn strip_isolation(text: &str) -> String {
    if text.contains(['\u{2068}', '\u{2069}']) { text.replace(['\u{2068}', '\u{2069}'], "") } else { text.to_string() }
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Where to point for a parser error: where the parser stopped, except for what is left open
/// (a `{` or a string never closed is noticed on the next entry's line): then just after the
/// last text before it, when only whitespace and line breaks lie between.
fn error_offset(source: &str, error: &fluent_syntax::parser::ParserError) -> usize {
    use fluent_syntax::parser::ErrorKind;
    let pos = error.pos.start.min(source.len());
    let left_open = matches!(
        error.kind,
        ErrorKind::ExpectedToken(_) | ErrorKind::UnterminatedStringLiteral | ErrorKind::ExpectedInlineExpression
    );
    if !left_open {
        return pos;
    }
    let Some(before) = source.get(..pos) else { return pos };
    let trimmed = before.trim_end();
    if before[trimmed.len()..].contains('\n') && !trimmed.is_empty() { trimmed.len() } else { pos }
}

/// Byte offset of `part` inside `source`, when `part` is a slice of it (the Fluent AST borrows
/// its identifiers from the resource's source).
fn offset_in(source: &str, part: &str) -> Option<usize> {
    let start = source.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    (at >= start && at + part.len() <= start + source.len()).then(|| at - start)
}

fn collect_references(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_in_expression(expression, out);
        }
    }
}

fn collect_in_expression(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            collect_in_inline(selector, out);
            for variant in variants {
                collect_references(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => collect_in_inline(inline, out),
    }
}

fn collect_in_inline(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::MessageReference { id, .. } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => collect_in_arguments(arguments, out),
        ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => collect_in_arguments(arguments, out),
        ast::InlineExpression::Placeable { expression } => collect_in_expression(expression, out),
        _ => {}
    }
}

fn collect_in_arguments(arguments: &ast::CallArguments<&str>, out: &mut BTreeSet<String>) {
    for inline in &arguments.positional {
        collect_in_inline(inline, out);
    }
    for named in &arguments.named {
        collect_in_inline(&named.value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strings(code: &str, numbering: Option<&str>, files: &[(&str, &str)]) -> (LanguageStrings, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut diagnostics = Diagnostics::default();
        let nu = super::super::format::numbering_index(numbering);
        let s = LanguageStrings::load(code, nu, &[dir.path().to_path_buf()], &mut diagnostics);
        (s, diagnostics)
    }

    fn fmt(s: &LanguageStrings, key: &str, args: &[(&str, serde_json::Value)]) -> String {
        let f = s.format(key, args).unwrap();
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        f.text
    }

    #[test]
    fn line_and_column_from_byte_offset() {
        let src = "a = 1\nbé = 2\nc";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 3)); // after `bé`, é is two bytes
        assert_eq!(line_col(src, src.len()), (3, 2));
    }

    #[test]
    fn attributes_and_message_references() {
        let (s, d) =
            strings("en", None, &[("main.ftl", "brand = Tessera\nabout = About { brand }\n    .title = All about { brand }\n")]);
        assert!(d.is_empty());
        assert_eq!(fmt(&s, "about", &[]), "About Tessera");
        assert_eq!(fmt(&s, "about.title", &[]), "All about Tessera");
        assert!(s.has("about.title") && !s.has("about.missing") && !s.has("nope"));
        assert!(s.referenced().contains("brand"));
    }

    #[test]
    fn unknown_variable_is_reported_not_fatal() {
        let (s, _) = strings("en", None, &[("main.ftl", "hello = Hello { $name }\n")]);
        let f = s.format("hello", &[]).unwrap();
        assert_eq!(f.text, "Hello {$name}");
        assert_eq!(f.errors.len(), 1);
    }

    #[test]
    fn number_variables_use_cldr_formatting() {
        let ftl = "count = { $n } items\nprice = { NUMBER($n, minimumFractionDigits: 2) }\nplain = { NUMBER($n, useGrouping: \"false\") }\n";
        let (hi, _) = strings("hi", None, &[("main.ftl", ftl)]);
        assert_eq!(fmt(&hi, "count", &[("n", json!(1234567))]), "12,34,567 items");
        assert_eq!(fmt(&hi, "price", &[("n", json!(1234567.5))]), "12,34,567.50");
        assert_eq!(fmt(&hi, "plain", &[("n", json!(1234567))]), "1234567");
        let (ar, _) = strings("ar", Some("arab"), &[("main.ftl", ftl)]);
        assert_eq!(fmt(&ar, "count", &[("n", json!(1234567))]), "١٬٢٣٤٬٥٦٧ items");
        let (en, _) = strings("en", None, &[("main.ftl", "r = { NUMBER($n, maximumFractionDigits: 1) }\n")]);
        assert_eq!(fmt(&en, "r", &[("n", json!(12345.678))]), "12,345.7");
        assert_eq!(fmt(&en, "r", &[("n", json!(2))]), "2");
        let (az, _) = strings("az", None, &[("main.ftl", ftl)]);
        assert_eq!(fmt(&az, "price", &[("n", json!(3.5))]), "3,50");
    }

    #[test]
    fn strings_and_booleans_pass_through() {
        let (s, _) = strings("en", None, &[("main.ftl", "x = { $a }/{ $b }\n")]);
        assert_eq!(fmt(&s, "x", &[("a", json!("text")), ("b", json!(true))]), "text/true");
    }
}
