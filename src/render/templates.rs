//! Template loading: `themes/<theme>/templates/` first, then the site's `templates/`, whose
//! files replace the theme's of the same name. Tera errors become diagnostics on the real file.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every template's name (path under a templates folder, `/`-separated) with its file and source.
#[derive(Debug, Clone, Default)]
pub struct TemplateSources {
    pub files: BTreeMap<String, (PathBuf, String)>,
}

impl TemplateSources {
    /// A page or section asking for a template that neither the site nor the theme has.
    pub fn check_asked_for(&self, site: &crate::content::Site, errors: &mut Diagnostics) {
        let asked = site
            .pages
            .iter()
            .map(|p| (&p.file, &p.front))
            .chain(site.sections.iter().filter_map(|s| s.file.as_ref().map(|f| (f, &s.front))));
        for (file, front) in asked {
            if let Some(t) = front.template.as_ref().filter(|t| !self.files.contains_key(*t)) {
                errors.push(Diagnostic::new(
                    file,
                    1,
                    1,
                    format!("`template: {t}` names no template in templates/ or the theme's templates/"),
                ));
            }
        }
    }

    pub fn load(root: &Path, theme: Option<&str>) -> Result<TemplateSources, Diagnostics> {
        let mut sources = TemplateSources::default();
        for (name, text) in crate::markdown::shortcodes::BUILT_IN {
            let file = PathBuf::from(format!("(built-in)/shortcodes/{name}.html"));
            sources.files.insert(format!("shortcodes/{name}.html"), (file, text.to_string()));
        }
        let mut errors = Diagnostics::default();
        let mut dirs = Vec::new();
        if let Some(theme) = theme {
            let dir = root.join("themes").join(theme);
            if !dir.is_dir() {
                errors.push(Diagnostic::whole_file(
                    root.join(crate::config::CONFIG_FILE),
                    format!("`theme: {theme}` names no folder themes/{theme}/"),
                ));
            }
            dirs.push(dir.join("templates"));
        }
        dirs.push(root.join("templates"));
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let name = crate::urls::slash_path(path.strip_prefix(&dir).unwrap_or(path));
                let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                match std::fs::read_to_string(path) {
                    Ok(text) => {
                        sources.files.insert(name, (relative, text));
                    }
                    Err(e) => errors.push(Diagnostic::whole_file(relative, format!("cannot read template: {e}"))),
                }
            }
        }
        errors.into_result(sources)
    }

    /// The file behind a template name, for error messages.
    pub fn file_of(&self, name: &str) -> PathBuf {
        self.files.get(name).map(|(f, _)| f.clone()).unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    }

    /// Compiles every template into one Tera instance. Tera checks function and filter names
    /// while compiling, so `register` adds them (real or placeholders) to every instance first.
    pub fn compile(&self, register: &dyn Fn(&mut tera::Tera)) -> Result<tera::Tera, Diagnostics> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        register(&mut tera);
        let mut errors = Diagnostics::default();
        // Compile each alone first so every broken template is reported, not just the first.
        for (name, (_, text)) in &self.files {
            let mut single = tera::Tera::new();
            register(&mut single);
            if let Err(e) = single.add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                errors.push(self.diagnostic(&e, name));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        tera.add_raw_templates(self.files.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .map_err(|e| Diagnostics::from(self.diagnostic(&e, "")))?;
        Ok(tera)
    }

    /// Turns a Tera error raised while working on `template` into a diagnostic on its file and line.
    pub fn diagnostic(&self, e: &tera::Error, template: &str) -> Diagnostic {
        match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let name = if r.filename().is_empty() { template } else { r.filename() };
                let span = r.span();
                Diagnostic::new(
                    self.file_of(name),
                    span.start_line.max(1),
                    span.start_col + 1,
                    format!("template error: {}", r.message()),
                )
            }
            tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
                self.file_of(current),
                1,
                1,
                format!("extends `{parent}`, which is neither in templates/ nor in the theme"),
            ),
            tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
                self.file_of(template),
                1,
                1,
                format!("template `{name}` not found in templates/ or the theme's templates/"),
            ),
            _ => self.reported(&e.to_string(), template),
        }
    }

    /// A Tera error known only by its text, e.g. an unknown filter or included template found
    /// while the templates are put together: the text points at `--> NAME:LINE:COL`.
    fn reported(&self, text: &str, template: &str) -> Diagnostic {
        let message = text.lines().next().unwrap_or("").trim().trim_start_matches("error: ");
        let at = text.lines().find_map(|l| {
            let location = l.trim().strip_prefix("-->")?.trim();
            let mut parts = location.rsplitn(3, ':');
            let col = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some((parts.next()?.to_string(), line, col))
        });
        match at {
            Some((name, line, col)) => Diagnostic::new(self.file_of(&name), line, col, format!("template error: {message}")),
            None => Diagnostic::new(self.file_of(template), 0, 0, format!("template error: {message}")),
        }
    }
}
