//! The orchestrator: runs config -> content -> markdown -> render -> output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

pub fn build_command(_options: &BuildOptions) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}

pub fn check_command(_root: &Path, _drafts: bool, _strict: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}

pub fn new_site(_dir: &Path) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
