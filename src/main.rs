//! The `tessera` command line: parses arguments and hands over to the library.

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (include/mimalloc.h): the delay in
/// milliseconds before freed memory goes back to the system, -1 for never. The Rust bindings
/// name only the options whose number mimalloc 2 and 3 share.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has the allocator keep the memory freed during a one-shot command instead of giving it back
/// to the system a second later: the build would soon ask for it again, and every page the
/// system hands back is zeroed first (with transparent huge pages, 2 MiB at a time). In a cold
/// build at 10,000 x 4 that zeroing was a fifth of the CPU samples. The server, which runs
/// for hours, keeps giving memory back.
fn keep_freed_memory() {
    // SAFETY: setting an option is allowed at any time; it only changes when memory is purged.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

/// Has the system back this process's memory with 4 KiB pages from now on instead of the
/// transparent huge pages mimalloc asks for. A rebuild after page edits is the case: it touches
/// about 550 MB at 10,000 x 4 with search, and each 2 MiB page is zeroed whole when first
/// touched, a third of that rebuild's CPU samples. Steady-state one-edit rebuilds, alternating
/// five each: 1.81 -> 1.34 s with search, 1.30 -> 0.93 s without. A cold build keeps huge
/// pages: it fills what it touches, and took 6.2 s with them against 7.25 s without.
pub(crate) fn small_pages() {
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; a kernel without it returns
    // an error, which changes nothing.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0)
    };
}

use clap::{Parser, Subcommand};
use cli::BuildOptions;
use std::path::PathBuf;
use std::process::ExitCode;
use tessera::import::ImportOptions;

#[derive(Parser)]
#[command(name = "tessera", version, about = "A static site generator for multilingual partnership networks")]
struct Cli {
    /// The site's folder (the one holding site.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder, replacing it only when the whole build succeeds.
    Build {
        /// Output folder (default: `public` in the site root).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override `base_url` from site.yaml, e.g. for a preview deployment.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Load and render everything, report every problem, write nothing.
    Check {
        /// Exit non-zero while anything is left to do: an untranslated article, a page to
        /// review, an article without date or description, a missing UI string, a warning.
        #[arg(long)]
        strict: bool,
        /// Also check links to other sites (answers are cached for a day in
        /// .tessera-cache/external-links.json).
        #[arg(long)]
        external: bool,
        /// `text` for a terminal, `json` for CI.
        #[arg(long, value_enum, default_value = "text")]
        format: cli::Format,
        /// Also write the translation status as a self-contained HTML page to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Serve the site from memory on a local address; with --watch, rebuild and reload on every edit.
    Serve {
        /// Rebuild what an edit touches and reload open pages (CSS edits swap without a reload).
        #[arg(long)]
        watch: bool,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; loopback unless you choose otherwise.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new multilingual site (en, hi, az, ar) from the default theme in DIR.
    New {
        /// Folder to create; it must not exist or be empty.
        dir: PathBuf,
        /// The site's languages, the default first.
        #[arg(long, value_delimiter = ',', default_values_t = tessera::scaffold::DEFAULT_LANGUAGES.iter().map(|l| l.to_string()))]
        languages: Vec<String>,
    },
    /// Turn raw article text files into content pages (Markdown with YAML front matter).
    Import {
        /// Text files or folders of text files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Section (folder under content/) to write pages into.
        #[arg(long, default_value = "news")]
        section: String,
        /// Language of the articles, instead of detecting it.
        #[arg(long)]
        lang: Option<String>,
        /// Report what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite pages that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Start a translation of a page (`--to hi`), or record that a translation caught up with
    /// its original (`--mark-current`).
    Translate {
        /// The page, e.g. content/news/summit.en.md (the translation, with --mark-current).
        page: PathBuf,
        /// Language to start a translation in: writes a draft next to the page.
        #[arg(long, required_unless_present = "mark_current", conflicts_with = "mark_current")]
        to: Option<String>,
        /// The translation now matches the current version of its original.
        #[arg(long)]
        mark_current: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { output, base_url, drafts } => {
            keep_freed_memory();
            let options = BuildOptions { root: cli.root, output, base_url, drafts };
            cli::build_command(&options)
        }
        Command::Check { strict, drafts, external, format, report } => {
            keep_freed_memory();
            cli::check_command(&cli::CheckOptions { root: cli.root, drafts, strict, format, external, report })
        }
        Command::Serve { watch, port, bind, open, drafts } => {
            tessera::serve::serve(&tessera::serve::ServeOptions { root: cli.root, bind, port, watch, open, drafts })
        }
        Command::New { dir, languages } => cli::new_site(&dir, &languages),
        Command::Import { inputs, section, lang, dry_run, force } => {
            cli::import_command(&cli.root, ImportOptions { inputs, section, lang, dry_run, force })
        }
        Command::Translate { page, to, mark_current } => cli::translate_command(&cli.root, &page, to.as_deref(), mark_current),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// Option 15 is the purge delay, whose default is a second: were the numbering of another
    /// mimalloc different, this would fail rather than `keep_freed_memory` set something else.
    #[test]
    fn the_option_kept_freed_memory_sets_is_the_purge_delay() {
        // SAFETY: reading an option has no effect.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) }, 1000);
    }

    /// After `small_pages`, the kernel reports transparent huge pages off for the process.
    #[cfg(target_os = "linux")]
    #[test]
    fn small_pages_turns_transparent_huge_pages_off() {
        super::small_pages();
        // SAFETY: reading the flag has no effect.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
    }
}
