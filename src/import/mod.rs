//! Import: raw article text (copied from websites and PDFs) becomes clean localised content pages.

use crate::config::SiteConfig;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `tessera import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub inputs: Vec<PathBuf>,
    pub section: String,
    pub lang: Option<String>,
    pub dry_run: bool,
    pub force: bool,
}

/// Imports every input into `root/content/<section>/`, printing a report per article to `out`.
/// Returns the number of inputs that failed (each one is reported, the others still import).
pub fn run(_root: &Path, _config: &SiteConfig, _options: &ImportOptions, _out: &mut dyn Write) -> anyhow::Result<usize> {
    anyhow::bail!("import is not implemented yet")
}
