//! The commands behind `tessera build`, `check`, `new` and `import`: each runs the library and
//! reports to the terminal. `serve` lives in [`tessera::serve`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tessera::build::build_site;
use tessera::config::SiteConfig;
use tessera::dashboard::{Dashboard, LanguageTodo};
use tessera::import::{self, ImportOptions};

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

pub fn build_command(options: &BuildOptions) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    tessera::timings::begin();
    let out = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let out = tessera::output::check_output_dir(&options.root, &out)?;
    // Stamping the sources and checking the last build's files are independent: side by side.
    let (sources, last) = rayon::join(
        || tessera::output::Sources::of(&options.root, &out, &format!("{:?} {}", options.base_url, options.drafts)),
        || tessera::output::LastBuild::read(&options.root, &out),
    );
    if let Some(report) = last.as_ref().and_then(|last| sources.unchanged(last)) {
        print_warnings(&report.warnings);
        println!(
            "built {} pages in {} languages into {} ({} files) in {} ms: nothing changed since the last build, so nothing was written",
            report.pages,
            report.languages,
            out.display(),
            report.files,
            started.elapsed().as_millis()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let edited = last.as_ref().and_then(|last| sources.edited(&options.root, last));
    // The live output's manifest, read once for every stage that needs it, and what the last
    // build left for this one: side by side.
    let (live, renders) = rayon::join(
        || match &last {
            Some(last) => Some(last.manifest()),
            None => tessera::output::Manifest::of(&out),
        },
        || edited.and_then(|(edited, renders)| Some((edited, tessera::build::Renders::from_json(&renders)?))),
    );
    let live = live.map(std::sync::Arc::new);
    let reuse =
        renders.zip(live.clone()).and_then(|((edited, renders), live)| tessera::build::Reuse::new(edited, renders, &out, live));
    if reuse.is_some() {
        crate::small_pages();
    }
    // The output's folders are surveyed while the site renders. After page edits, most files
    // stay: the first rebuild into a new site makes its spare generation then too.
    let survey = tessera::output::survey(&out, live.clone(), reuse.is_some());
    // Rendered pages wait on disk beside the output, not in memory; the spool goes when this ends.
    let spool = tessera::output::Spool::beside(&out, live.clone())?;
    let built =
        tessera::build::build_site_reusing(&options.root, options.base_url.as_deref(), options.drafts, reuse.as_ref(), &spool);
    // A survey that failed knows nothing: the write looks for itself.
    let survey = survey.join().unwrap_or_default();
    match built {
        Ok((built, indexing)) => {
            print_warnings(&built.warnings);
            // What the next build reads is serialised while the site is written.
            let ((written, searched), renders) = std::thread::scope(|scope| {
                let renders = scope.spawn(|| built.renders.as_ref().map(|r| r.to_json(&built.site)).unwrap_or_default());
                let written = write_site(&built, indexing, &out, &spool, live.as_deref(), survey);
                (written, renders.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            });
            if let Some(Err(errors)) = &searched {
                eprintln!("{errors}");
                eprintln!("nothing was written; {} is unchanged", out.display());
                return Ok(ExitCode::FAILURE);
            }
            print_warnings(&written?);
            tessera::timings::mark("written");
            let (search_files, search) = searched.and_then(Result::ok).unwrap_or_default();
            let report = tessera::output::Report {
                pages: built.site.pages.len(),
                languages: built.site.config.languages.len(),
                files: built.output.len() + search_files,
                warnings: built.warnings.clone(),
            };
            let total = built.renders.as_ref().map_or(0, |r| r.outputs());
            let taken = if built.rendered < total {
                format!(": {} rendered again, the other {} as the last build left them", built.rendered, total - built.rendered)
            } else {
                String::new()
            };
            println!(
                "built {} pages in {} languages into {} ({} files) in {} ms{taken}",
                report.pages,
                report.languages,
                out.display(),
                report.files,
                started.elapsed().as_millis()
            );
            sources.record(&options.root, &out, report, &renders);
            let images = built.images;
            if images.processed + images.cached > 0 {
                println!("images: {} processed, {} from the cache", images.processed, images.cached);
            }
            if search.indexed.is_empty() && !search.reused.is_empty() {
                println!("search index: reused, no indexed page changed");
            } else if !search.reused.is_empty() {
                println!("search index: made again for {}; reused for {}", search.indexed.join(", "), search.reused.join(", "));
            }
            // The process ends here: freeing the site's memory, and the last build's, piece by
            // piece would only delay it (the spool's folder goes: dropping it removes that).
            std::mem::forget((built, reuse, live, last, sources));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("nothing was written; {} is unchanged", out.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// What indexing for search did (how many files it made), or the problems it found.
type Searched = Result<(usize, tessera::search::Stats), tessera::diagnostics::Diagnostics>;

/// Writes the built site into `out` and, when the site has a search index (`indexing`: being
/// made since the pages were rendered), writes the index after the pages once it is made.
/// Returns what the write returned, and what indexing did.
fn write_site(
    built: &tessera::build::Built,
    indexing: Option<tessera::search::Indexing>,
    out: &Path,
    spool: &tessera::output::Spool,
    live: Option<&tessera::output::Manifest>,
    survey: tessera::output::Survey,
) -> (anyhow::Result<Vec<String>>, Option<Searched>) {
    let Some(indexing) = indexing else {
        return (tessera::output::write(&built.output, out, Some(spool), live, None, survey), None);
    };
    let mut searched = None;
    let folder = format!("{}/", tessera::search::BUNDLE_DIR);
    let make = || match indexing.finish() {
        Ok((files, stats)) => {
            searched = Some(Ok((files.len(), stats)));
            Ok(files)
        }
        Err(errors) => {
            searched = Some(Err(errors));
            Err(anyhow::anyhow!("the search index could not be made"))
        }
    };
    let later = tessera::output::Later { folder: &folder, make: Box::new(make) };
    let written = tessera::output::write(&built.output, out, Some(spool), live, Some(later), survey);
    (written, searched)
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped for a terminal, coloured when it is one.
    Text,
    /// One JSON document on stdout, for CI.
    Json,
}

pub struct CheckOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub strict: bool,
    pub format: Format,
    pub external: bool,
    pub report: Option<PathBuf>,
}

pub fn check_command(options: &CheckOptions) -> anyhow::Result<ExitCode> {
    let style = Style::for_stdout(options.format);
    let built = match build_site(&options.root, None, options.drafts) {
        Ok(built) => built,
        Err(errors) => {
            if options.format == Format::Json {
                println!("{}", serde_json::json!({"ok": false, "errors": errors.0}));
            } else {
                eprintln!("{errors}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let (dashboard, coverage) = Dashboard::of_built(&built);
    let external = if options.external { Some(tessera::linkcheck::external::check_site(&options.root, &built)) } else { None };
    if let Some(report) = &options.report {
        std::fs::write(report, dashboard.html(&built.site))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", report.display()))?;
    }
    let broken_external = external.as_ref().map_or(0, |e| e.broken.len());
    let failed = broken_external > 0 || (options.strict && dashboard.open() > 0);
    if options.format == Format::Json {
        let json = serde_json::json!({
            "ok": !failed, "errors": [], "pages": built.site.pages.len(), "files": built.output.files.len(),
            "todo": dashboard, "external": external,
        });
        println!("{json}");
    } else {
        print_dashboard(&dashboard, &coverage, &style);
        if let Some(external) = &external {
            print!("{}", external.report(&style.heading("External links")));
        }
        let summary = format!("{} pages, {} files would be written", built.site.pages.len(), built.output.files.len());
        match (failed, dashboard.open()) {
            (true, open) => {
                println!("{}: {summary}; {open} open item(s), {broken_external} broken external link(s)", style.bad("not ok"))
            }
            (false, 0) => println!("{}: {summary}", style.good("ok")),
            (false, open) => println!("{}: {summary}; {open} open item(s) above (`--strict` fails on them)", style.good("ok")),
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// ANSI colours when stdout is a terminal and `NO_COLOR` is not set.
struct Style(bool);

impl Style {
    fn for_stdout(format: Format) -> Style {
        use std::io::IsTerminal;
        Style(format == Format::Text && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
    }
    fn paint(&self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
    fn heading(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }
    fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }
}

/// The dashboard for a terminal: warnings, then per kind of item, per language, the files.
fn print_dashboard(dashboard: &Dashboard, coverage: &tessera::i18n::Coverage, style: &Style) {
    for w in &dashboard.warnings {
        eprintln!("{}", style.paint("33", w));
    }
    println!("{}\n{}", style.heading("UI strings per language"), coverage.table());
    type Items = fn(&LanguageTodo) -> Vec<String>;
    let groups: [(&str, Items); 6] = [
        ("Translations whose original changed since", |l| {
            l.stale.iter().map(|s| format!("{} (from {}): {}", s.file.display(), s.original.display(), s.changes)).collect()
        }),
        ("Translations in progress (drafts)", |l| {
            l.in_progress.iter().map(|(f, left, of)| format!("{}: {left} of {of} paragraphs to translate", f.display())).collect()
        }),
        ("Untranslated articles (a version that exists)", |l| l.untranslated.iter().map(|p| p.display().to_string()).collect()),
        ("Pages to review (`review:` in front matter)", |l| {
            l.review.iter().map(|(p, items)| format!("{}: {}", p.display(), items.join(", "))).collect()
        }),
        ("Articles without a date", |l| l.missing_date.iter().map(|p| p.display().to_string()).collect()),
        ("Articles without a description", |l| l.missing_description.iter().map(|p| p.display().to_string()).collect()),
    ];
    for (title, items) in groups {
        let per_language: Vec<(&str, Vec<String>)> =
            dashboard.languages.iter().map(|l| (l.language.as_str(), items(l))).collect();
        let total: usize = per_language.iter().map(|(_, i)| i.len()).sum();
        println!("{} ({total})", style.heading(title));
        for (lang, items) in per_language.iter().filter(|(_, i)| !i.is_empty()) {
            println!("  {} ({})", style.paint("36", lang), items.len());
            for item in items {
                println!("    {item}");
            }
        }
    }
}

pub fn translate_command(root: &Path, page: &Path, to: Option<&str>, mark_current: bool) -> anyhow::Result<ExitCode> {
    if mark_current {
        let version = tessera::translation::mark_current(root, page)?;
        println!("{} now records version {version} of its original", page.display());
    } else if let Some(lang) = to {
        let written = tessera::translation::start(root, page, lang)?;
        println!(
            "wrote {} (a draft: not published until you remove `draft: true`); replace each paragraph under a `translate:` line, then `tessera check` shows what is left",
            written.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn new_site(dir: &Path, languages: &[String]) -> anyhow::Result<ExitCode> {
    let without_texts = tessera::scaffold::new_site(dir, languages)?;
    for lang in &without_texts {
        eprintln!(
            "warning: tessera has no starter texts in `{lang}`: its pages hold English placeholders, and `tessera check` lists the theme's UI strings to translate in locales/{lang}/"
        );
    }
    println!(
        "created a site in {0} in {1}: `cd {0}`, then `tessera serve --watch` to preview it, `tessera build` to publish it into public/",
        dir.display(),
        languages.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

pub fn import_command(root: &Path, options: ImportOptions) -> anyhow::Result<ExitCode> {
    let config = SiteConfig::load(root).map_err(|d| anyhow::anyhow!("{d}"))?;
    let failed = import::run(root, &config, &options, &mut std::io::stdout().lock())?;
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
