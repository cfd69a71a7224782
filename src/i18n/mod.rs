//! Localisation: Fluent UI strings, CLDR dates and numbers, and text direction per language.

mod format;
pub use format::DateLength;
mod direction;
mod fluent;
