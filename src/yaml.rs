//! The one home of serde_yaml (archived upstream): every YAML read or written by tessera goes
//! through here, so replacing the crate touches one file.

use crate::diagnostics::Diagnostic;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text`, which starts at line `first_line` (1-based) of `file`, into `T`.
/// Errors carry the file, the line and column in that file, and serde's description
/// (for an unknown key it names the key and the keys that are allowed).
pub fn parse<T: DeserializeOwned>(text: &str, file: &Path, first_line: usize) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping, not `null`, so optional-only structs load.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 0));
        let message = e.to_string();
        // serde_yaml appends " at line L column C"; we put the position in front instead.
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        Diagnostic::new(file, line + first_line - 1, column, format!("invalid YAML: {message}"))
    })
}

/// Writes `value` as a YAML document (without the leading `---`).
pub fn to_string<T: Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_yaml::to_string(value)?)
}
