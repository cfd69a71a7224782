//! Shortcodes: `{{ name(key="value", n=3) }}` on a line of its own (or inline), and
//! `{% name(key="value") %}` … `{% end %}` around a Markdown body, rendered by the Tera template
//! `shortcodes/<name>.html` (the site's, else the theme's, else tessera's built-in one).
//! `{{/* name() */}}` writes the shortcode itself as text. Fenced code is left alone.
//!
//! The body is rewritten with a marker where each shortcode stood, keeping its line count so
//! Markdown errors keep their lines; the markers are replaced with the rendered HTML after the
//! Markdown is rendered.

use serde_json::{Map, Value};

/// tessera's own shortcodes, replaced by a site's or theme's `shortcodes/<name>.html`.
pub const BUILT_IN: [(&str, &str); 6] = [
    ("figure", include_str!("builtin/figure.html")),
    ("video", include_str!("builtin/video.html")),
    ("youtube", include_str!("builtin/youtube.html")),
    ("vimeo", include_str!("builtin/vimeo.html")),
    ("document", include_str!("builtin/document.html")),
    ("quote", include_str!("builtin/quote.html")),
];

/// A shortcode found in a body: its name, arguments, inner body (block form) and 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Map<String, Value>,
    pub body: Option<String>,
    pub line: usize,
}

/// A body with its shortcodes replaced by markers, and the shortcodes in marker order.
#[derive(Debug, Default)]
pub struct Parsed<'a> {
    /// The body itself when it has no shortcode.
    pub text: std::borrow::Cow<'a, str>,
    pub calls: Vec<Call>,
}

/// A shortcode that cannot be read: 1-based line in the body and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// The marker standing for shortcode `n` in the Markdown text: letters and digits only, so
/// Markdown leaves it as one word.
pub fn marker(n: usize) -> String {
    format!("TESSERASHORTCODE{n}X")
}

/// Finds the shortcodes in `body`.
pub fn parse(body: &str) -> Result<Parsed<'_>, Vec<SyntaxError>> {
    if !body.contains("{{") && !body.contains("{%") {
        return Ok(Parsed { text: body.into(), calls: vec![] });
    }
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    let mut fence: Option<String> = None;
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            parsed.text.to_mut().push_str(line);
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let c = trimmed.chars().next().unwrap_or('`');
            fence = Some(trimmed.chars().take_while(|&x| x == c).collect());
            parsed.text.to_mut().push_str(line);
            i += 1;
            continue;
        }
        // A block shortcode opens on a line of its own and runs to `{% end %}`.
        if let Some(inner) = trimmed.trim_end().strip_prefix("{%").and_then(|s| s.strip_suffix("%}")) {
            let inner = inner.trim().trim_start_matches('-').trim_end_matches('-').trim();
            match call(inner, i + 1) {
                Ok(mut c) => {
                    let end = (i + 1..lines.len()).find(|&j| is_end(lines[j]));
                    let Some(end) = end else {
                        errors.push(SyntaxError {
                            line: i + 1,
                            message: format!("shortcode `{}` is opened with {{% … %}} but has no `{{% end %}}`", c.name),
                        });
                        parsed.text.to_mut().push_str(line);
                        i += 1;
                        continue;
                    };
                    c.body = Some(lines[i + 1..end].concat());
                    parsed.text.to_mut().push_str(&marker(parsed.calls.len()));
                    parsed.text.to_mut().push_str(&"\n".repeat(end - i + 1));
                    parsed.calls.push(c);
                    i = end + 1;
                    continue;
                }
                Err(message) => errors.push(SyntaxError { line: i + 1, message }),
            }
        }
        inline(line, i + 1, &mut parsed, &mut errors);
        i += 1;
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

fn is_end(line: &str) -> bool {
    let t = line.trim();
    t.strip_prefix("{%").and_then(|s| s.strip_suffix("%}")).is_some_and(|s| s.trim().trim_matches('-').trim() == "end")
}

/// Replaces every `{{ name(...) }}` in one line; `{{/* … */}}` becomes `{{ … }}` as text.
fn inline(line: &str, number: usize, parsed: &mut Parsed<'_>, errors: &mut Vec<SyntaxError>) {
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        parsed.text.to_mut().push_str(&rest[..start]);
        let after = &rest[start + 2..];
        if let Some(escaped) = after.trim_start().strip_prefix("/*")
            && let Some(end) = escaped.find("*/}}")
        {
            parsed.text.to_mut().push_str(&format!("{{{{{}}}}}", &escaped[..end]));
            rest = &escaped[end + 4..];
            continue;
        }
        let Some(end) = after.find("}}") else {
            parsed.text.to_mut().push_str(&rest[start..]);
            return;
        };
        let inner = after[..end].trim();
        if looks_like_call(inner) {
            match call(inner, number) {
                Ok(c) => {
                    parsed.text.to_mut().push_str(&marker(parsed.calls.len()));
                    parsed.calls.push(c);
                }
                Err(message) => {
                    errors.push(SyntaxError { line: number, message });
                    parsed.text.to_mut().push_str(&rest[start..start + 2 + end + 2]);
                }
            }
        } else {
            parsed.text.to_mut().push_str(&rest[start..start + 2 + end + 2]);
        }
        rest = &after[end + 2..];
    }
    parsed.text.to_mut().push_str(rest);
}

/// `name(` at the start: a shortcode, as opposed to `{{ }}` in ordinary prose.
fn looks_like_call(inner: &str) -> bool {
    let name_len = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(inner.len());
    name_len > 0 && inner[name_len..].trim_start().starts_with('(') && inner.ends_with(')')
}

/// Reads `name(key=value, …)`.
fn call(inner: &str, line: usize) -> Result<Call, String> {
    let open = inner.find('(').ok_or_else(|| format!("`{inner}` is not a shortcode call: expected `name(key=\"value\")`"))?;
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!("`{name}` is not a shortcode name: use letters, digits, `_` and `-`"));
    }
    let args = inner[open + 1..]
        .trim_end()
        .strip_suffix(')')
        .ok_or_else(|| format!("shortcode `{name}`: the arguments must end with `)`"))?;
    Ok(Call { name: name.to_string(), args: arguments(name, args)?, body: None, line })
}

/// `key="text", n=3, flag=true`: strings in double or single quotes (with `\"` escapes),
/// numbers and booleans.
fn arguments(name: &str, text: &str) -> Result<Map<String, Value>, String> {
    let mut args = Map::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == ',').is_some() {}
        let Some(&(start, _)) = chars.peek() else { break };
        while chars.next_if(|(_, c)| c.is_alphanumeric() || *c == '_').is_some() {}
        let key_end = chars.peek().map_or(text.len(), |&(i, _)| i);
        let key = &text[start..key_end];
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if key.is_empty() || chars.next().map(|(_, c)| c) != Some('=') {
            return Err(format!("shortcode `{name}`: expected `key=value` at `{}`", &text[start..]));
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let value = match chars.next() {
            Some((_, quote @ ('"' | '\''))) => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some((_, '\\')) => s.extend(chars.next().map(|(_, c)| c)),
                        Some((_, c)) if c == quote => break,
                        Some((_, c)) => s.push(c),
                        None => return Err(format!("shortcode `{name}`: the value of `{key}` has no closing {quote}")),
                    }
                }
                Value::String(s)
            }
            Some((i, _)) => {
                while chars.next_if(|(_, c)| !(c.is_whitespace() || *c == ',')).is_some() {}
                let end = chars.peek().map_or(text.len(), |&(j, _)| j);
                let word = &text[i..end];
                match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => serde_json::from_str::<serde_json::Number>(word).map(Value::Number).map_err(|_| {
                        format!("shortcode `{name}`: `{key}={word}`: put text in quotes, e.g. `{key}=\"{word}\"`")
                    })?,
                }
            }
            None => return Err(format!("shortcode `{name}`: `{key}=` has no value")),
        };
        if args.insert(key.to_string(), value).is_some() {
            return Err(format!("shortcode `{name}`: `{key}` is given twice"));
        }
    }
    Ok(args)
}

/// The arguments a shortcode template declares as required in its first line:
/// `{#- requires: src, alt -#}`.
pub fn required(template: &str) -> Vec<String> {
    let first = template.lines().next().unwrap_or("");
    let Some(list) = first.split("requires:").nth(1) else { return vec![] };
    list.trim_end_matches(['#', '}', '-', ' ']).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Puts the rendered shortcodes in place of their markers in `html`: a marker alone in a
/// paragraph replaces the paragraph (block HTML must not sit in a `<p>`).
pub fn fill(html: String, rendered: &[String]) -> String {
    if rendered.is_empty() || !html.contains("TESSERASHORTCODE") {
        return html;
    }
    let mut out = html;
    for (n, piece) in rendered.iter().enumerate().rev() {
        let m = marker(n);
        out = out.replace(&format!("<p>{m}</p>\n"), &format!("{}\n", piece.trim_end()));
        out = out.replace(&format!("<p>{m}</p>"), piece.trim_end());
        out = out.replace(&m, piece.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_block_calls_keep_lines() {
        let body = "Intro\n\n{{ figure(src=\"a.jpg\", alt='A \\'b\\'', width=3, wide=true) }}\n\n{% quote(by=\"X\") %}\nSaid *this*.\n{% end %}\nafter\n";
        let p = parse(body).unwrap();
        assert_eq!(p.calls.len(), 2);
        assert_eq!(p.calls[0].line, 3);
        assert_eq!(p.calls[0].args["alt"], "A 'b'");
        assert_eq!(p.calls[0].args["width"], 3);
        assert_eq!(p.calls[0].args["wide"], true);
        assert_eq!(p.calls[1].body.as_deref(), Some("Said *this*.\n"));
        assert_eq!(p.text.lines().count(), body.lines().count());
        assert_eq!(p.text.lines().last(), Some("after"));
    }

    #[test]
    fn code_and_escapes_are_text() {
        let p = parse("```\n{{ figure(src=\"a\") }}\n```\n{{/* video(id=\"x\") */}} and {{ not a call }}\n").unwrap();
        assert!(p.calls.is_empty());
        assert!(p.text.contains("{{ figure(src=\"a\") }}"));
        assert!(p.text.contains("{{ video(id=\"x\") }}"));
        assert!(p.text.contains("{{ not a call }}"));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("a\n{{ figure(src=a.jpg) }}\n{% quote() %}\nno end\n").unwrap_err();
        assert_eq!(e.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3]);
        assert!(e[0].message.contains("put text in quotes"), "{}", e[0].message);
    }

    #[test]
    fn required_arguments_and_fill() {
        assert_eq!(required("{#- requires: src, alt -#}\n<figure>"), vec!["src", "alt"]);
        assert_eq!(
            fill("<p>TESSERASHORTCODE0X</p>\n<p>x TESSERASHORTCODE1X</p>".into(), &["<figure></figure>".into(), "<b>".into()]),
            "<figure></figure>\n<p>x <b></p>"
        );
    }
}
