//! The commands behind `tessera build`, `check`, `new` and `import`: each runs the library and
//! reports to the terminal. `serve` lives in [`tessera::serve`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tessera::build::build_site;
use tessera::config::SiteConfig;
use tessera::content::Site;
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
    let out = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let out = tessera::output::check_output_dir(&options.root, &out)?;
    match build_site(&options.root, options.base_url.as_deref(), options.drafts) {
        Ok(built) => {
            print_warnings(&built.warnings);
            print_warnings(&tessera::output::write(&built.output, &out)?);
            println!(
                "built {} pages in {} languages into {} ({} files) in {} ms",
                built.site.pages.len(),
                built.site.config.languages.len(),
                out.display(),
                built.output.files.len() + built.output.copies.len(),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("nothing was written; {} is unchanged", out.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn check_command(root: &Path, drafts: bool, strict: bool) -> anyhow::Result<ExitCode> {
    match build_site(root, None, drafts) {
        Ok(built) => {
            print_warnings(&built.warnings);
            let sources: Vec<(String, String)> =
                built.templates.files.iter().map(|(n, (_, text))| (n.clone(), text.clone())).collect();
            let used = tessera::i18n::keys_used_by_templates(&sources).into_keys().collect();
            let coverage = built.localizer.coverage(&used);
            println!("UI strings per language:\n{}", coverage.table());
            let untranslated = untranslated_pages(&built.site);
            println!("{untranslated}");
            println!("ok: {} pages, {} files would be written", built.site.pages.len(), built.output.files.len());
            let incomplete = coverage.has_missing() || !built.warnings.is_empty();
            Ok(if strict && incomplete { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Err(errors) => {
            eprintln!("{errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Per section and language: how many of the section's pages have no translation there.
fn untranslated_pages(site: &Site) -> String {
    use std::collections::{BTreeMap, BTreeSet};
    let mut keys: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let present: BTreeSet<(&str, &str)> = site.pages.iter().map(|p| (p.translation_key.as_str(), p.lang.as_str())).collect();
    for p in &site.pages {
        keys.entry(site.sections[p.section].content_path.as_str()).or_default().insert(&p.translation_key);
    }
    let mut out = String::from("Untranslated pages per section:\n");
    out.push_str(&format!("{:<20}", "section"));
    for l in &site.config.languages {
        out.push_str(&format!("{:>8}", l.code));
    }
    out.push('\n');
    for (section, ks) in &keys {
        let name = if section.is_empty() { "(home)" } else { section };
        out.push_str(&format!("{name:<20}"));
        for l in &site.config.languages {
            let missing = ks.iter().filter(|k| !present.contains(&(**k, l.code.as_str()))).count();
            out.push_str(&format!("{missing:>8}"));
        }
        out.push('\n');
    }
    out
}

pub fn new_site(dir: &Path) -> anyhow::Result<ExitCode> {
    tessera::scaffold::new_site(dir)?;
    println!(
        "created a site in {}: run `tessera build --root {}` or `tessera serve --watch --root {}`",
        dir.display(),
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn import_command(root: &Path, options: ImportOptions) -> anyhow::Result<ExitCode> {
    let config = SiteConfig::load(root).map_err(|d| anyhow::anyhow!("{d}"))?;
    let failed = import::run(root, &config, &options, &mut std::io::stdout().lock())?;
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
