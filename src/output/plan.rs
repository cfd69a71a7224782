//! What a build writes, known before anything is rendered or written: every output path with
//! the input that produces it. `check` and `build` both make it, so two inputs writing one
//! file, or a name no file system takes, fail both the same way and name both inputs.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest file or folder name most file systems take, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// The input behind an output file, as an error names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Relative to the site root.
    pub file: PathBuf,
    /// 1-based; 0 for the whole file.
    pub line: usize,
    /// Looked up only when an error names the origin: the line of the file's front matter
    /// holding this text (a page's `slug:`), instead of `line`.
    pub find: Option<&'static str>,
    /// E.g. "the page content/news/a.md", "the alias `/atom.xml`".
    pub what: String,
}

impl Origin {
    pub fn new(file: impl AsRef<Path>, line: usize, what: impl Into<String>) -> Origin {
        Origin { file: file.as_ref().to_path_buf(), line, find: None, what: what.into() }
    }

    /// An origin in a content file whose line is that of `needle` in its front matter.
    pub fn at(file: impl AsRef<Path>, needle: &'static str, what: impl Into<String>) -> Origin {
        Origin { find: Some(needle), ..Origin::new(file, 1, what) }
    }

    fn line(&self, root: &Path) -> usize {
        match self.find {
            Some(needle) => crate::content::front_matter_line(root, &self.file, &[needle]),
            None => self.line,
        }
    }

    fn located(&self, root: &Path) -> String {
        match self.line(root) {
            0 => self.file.display().to_string(),
            line => format!("{}:{line}", self.file.display()),
        }
    }

    fn error(&self, root: &Path, message: String) -> Diagnostic {
        Diagnostic::new(&self.file, self.line(root), 0, message)
    }
}

/// Every planned output path -> its origin, and the problems found while planning.
#[derive(Debug, Default)]
pub struct Plan {
    /// The site root, to place errors in files.
    pub root: PathBuf,
    pub outputs: BTreeMap<String, Origin>,
    /// Folders whose whole content another producer writes (the search bundle).
    reserved: BTreeMap<String, Origin>,
    pub errors: Diagnostics,
}

impl Plan {
    pub fn new(root: &Path) -> Plan {
        Plan { root: root.to_path_buf(), ..Plan::default() }
    }

    /// Plans `path` (relative to the output folder, `/`-separated). A path that cannot be a
    /// file, or that another input already writes, is an error on `origin`.
    pub fn add(&mut self, path: &str, origin: Origin) {
        if let Some(problem) = name_problem(path) {
            let message = format!("{} would write `{}`, {problem}", origin.what, path.escape_debug());
            self.errors.push(origin.error(&self.root, message));
            return;
        }
        let owner =
            self.outputs.get(path).or_else(|| self.reserved.iter().find(|(dir, _)| path.starts_with(*dir)).map(|(_, o)| o));
        if let Some(first) = owner {
            let message = format!(
                "{} and {} ({}) both write {path}: change a slug, an alias or a file name so each output has one source",
                origin.what,
                first.what,
                first.located(&self.root)
            );
            self.errors.push(origin.error(&self.root, message));
            return;
        }
        self.outputs.insert(path.to_string(), origin);
    }

    /// Reserves the folder `dir` (ending in `/`) for one producer.
    pub fn reserve(&mut self, dir: &str, origin: Origin) {
        self.reserved.insert(dir.to_string(), origin);
    }

    /// The plan's errors, adding those of files that are also folders of other files
    /// (`a.html` written and `a.html/index.html` too).
    pub fn finish(mut self) -> Result<BTreeMap<String, Origin>, Diagnostics> {
        let mut folders = BTreeSet::new();
        for path in self.outputs.keys().chain(self.reserved.keys()) {
            let mut rest = path.as_str();
            while let Some((dir, _)) = rest.rsplit_once('/') {
                folders.insert(dir.to_string());
                rest = dir;
            }
        }
        for (path, origin) in &self.outputs {
            if !folders.contains(path) {
                continue;
            }
            let folder = format!("{path}/");
            let Some((inner, user)) = self.outputs.range(folder.clone()..).next().filter(|(p, _)| p.starts_with(&folder)) else {
                continue;
            };
            let message = format!(
                "{} would write {inner}, but {} ({}) writes the file {path}, which {inner} needs as a folder: change one of them",
                user.what,
                origin.what,
                origin.located(&self.root)
            );
            self.errors.push(user.error(&self.root, message));
        }
        self.errors.into_result(self.outputs)
    }
}

/// Why `path` cannot be written as a file below the output folder, if it cannot.
pub fn name_problem(path: &str) -> Option<String> {
    if path.is_empty() || path.starts_with('/') {
        return Some("which is not a path inside the output folder".into());
    }
    for segment in path.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Some(format!("which has an empty, `.` or `..` part (`{segment}`)"));
        }
        if let Some(c) = segment.chars().find(|c| c.is_control() || *c == '\\') {
            return Some(format!("whose name holds the character {}, which a file name cannot", c.escape_unicode()));
        }
        if segment.len() > MAX_NAME_BYTES {
            return Some(format!(
                "whose part `{}…` is {} bytes, longer than the {MAX_NAME_BYTES} a file name may have: shorten it",
                segment.chars().take(20).collect::<String>(),
                segment.len()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_name_both_inputs() {
        let mut plan = Plan::default();
        plan.add("atom.xml", Origin::new("site.yaml", 0, "the feed"));
        plan.add("atom.xml", Origin::new("content/a.md", 3, "the alias `/atom.xml` of content/a.md"));
        let errors = plan.finish().unwrap_err().to_string();
        assert!(
            errors.contains(
                "content/a.md:3: error: the alias `/atom.xml` of content/a.md and the feed (site.yaml) both write atom.xml"
            ),
            "{errors}"
        );
    }

    #[test]
    fn names_that_cannot_be_files() {
        assert!(name_problem("a/b/index.html").is_none());
        assert!(name_problem("a//index.html").is_some());
        assert!(name_problem("a\0b/index.html").is_some());
        assert!(name_problem(&format!("{}/index.html", "x".repeat(256))).is_some());
        assert!(name_problem("../x").is_some());
    }

    #[test]
    fn a_file_cannot_be_a_folder_too() {
        let mut plan = Plan::default();
        plan.add("a.html", Origin::new("content/a.md", 1, "the page"));
        plan.add("a.html/index.html", Origin::new("content/b.md", 1, "the alias"));
        plan.reserve("pagefind/", Origin::new("site.yaml", 0, "the search index"));
        plan.add("pagefind/x.js", Origin::new("static/pagefind/x.js", 0, "the static file"));
        let errors = plan.finish().unwrap_err();
        assert_eq!(errors.0.len(), 2, "{errors}");
    }
}
