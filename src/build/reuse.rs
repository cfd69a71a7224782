//! What a build leaves for the next one into the same folder: which pages each output read,
//! every page's place in the site, and the links with a fragment between pages. After page
//! edits that move nothing, the next build renders and checks again only the outputs that read
//! an edited page and takes the others from the output folder as they are.

use crate::content::{FrontMatter, Known, Page, Site};
use crate::linkcheck::Fragment;
use crate::output::plan::Origin;
use crate::output::{Kept, Output};
use crate::render::Selection;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What one build leaves for the next, as the next one reads it ([`Renders::to_json`] writes
/// it from the site).
#[derive(Debug, Default, Deserialize)]
pub struct Renders {
    /// Every page's file and place ([`place`]), in the site's order.
    pages: Vec<(PathBuf, String)>,
    /// Every render job's output file, in job order.
    outputs: Vec<String>,
    /// Per job: the pages it read.
    reads: Vec<Vec<u32>>,
    /// Links with a fragment from one page to another.
    fragments: Vec<Fragment>,
    /// The pages whose Markdown showed resized images: rendered again by every build, which
    /// publishes the images they show.
    media: Vec<u32>,
    /// Templates asked for resized images: the outputs not rendered again would not ask for
    /// theirs, so the next build renders everything.
    images_in_templates: bool,
    /// What every page's file held but its body ([`crate::content::known`]): the next build
    /// reads and parses again only the files edited since. Empty in the build that made it:
    /// [`Renders::to_json`] takes it from the site.
    known: Vec<(PathBuf, FrontMatter, usize)>,
}

/// [`Renders`] as a build writes it, borrowing what it holds from the build.
#[derive(Serialize)]
struct Written<'a> {
    pages: &'a [(PathBuf, String)],
    outputs: &'a [String],
    reads: &'a [Vec<u32>],
    fragments: &'a [Fragment],
    media: &'a [u32],
    images_in_templates: bool,
    known: FrontMatters<'a>,
}

/// Every page's file but its body, written from the site without a copy.
struct FrontMatters<'a>(&'a Site);

impl Serialize for FrontMatters<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(crate::content::known(self.0))
    }
}

impl Renders {
    /// `pages` is every page's file and place ([`places`]).
    pub fn new(
        pages: Vec<(PathBuf, String)>,
        outputs: Vec<String>,
        reads: Vec<Vec<u32>>,
        fragments: Vec<Fragment>,
        media: Vec<u32>,
        images_in_templates: bool,
    ) -> Renders {
        Renders { pages, outputs, reads, fragments, media, images_in_templates, known: vec![] }
    }

    /// How many outputs the jobs write.
    pub fn outputs(&self) -> usize {
        self.outputs.len()
    }

    pub fn fragments(&self) -> &[Fragment] {
        &self.fragments
    }

    /// What the next build reads, with every page's front matter from `site`: the site this
    /// build made.
    pub fn to_json(&self, site: &Site) -> Vec<u8> {
        let written = Written {
            pages: &self.pages,
            outputs: &self.outputs,
            reads: &self.reads,
            fragments: &self.fragments,
            media: &self.media,
            images_in_templates: self.images_in_templates,
            known: FrontMatters(site),
        };
        serde_json::to_vec(&written).unwrap_or_default()
    }

    /// What [`Renders::to_json`] wrote, unless it is unreadable.
    pub fn from_json(bytes: &[u8]) -> Option<Renders> {
        serde_json::from_slice(bytes).ok()
    }
}

/// A build that may take the last build's outputs: the files edited since, what the last build
/// left, and the output folder it wrote.
pub struct Reuse {
    edited: Vec<PathBuf>,
    /// What the last build read of the page files not edited since.
    pub known: std::sync::Arc<Known>,
    pub renders: Renders,
    /// The output folder, and its manifest.
    live: PathBuf,
    written: std::sync::Arc<crate::output::Manifest>,
}

impl Reuse {
    /// `None` when an edit other than a page's Markdown asks for a whole build (templates,
    /// settings, UI strings, static files, sections) or templates asked for resized images.
    /// `renders` is what the last build left ([`Renders::from_json`]); `written` is the
    /// manifest of the output folder `live`.
    pub fn new(
        edited: Vec<PathBuf>,
        mut renders: Renders,
        live: &Path,
        written: std::sync::Arc<crate::output::Manifest>,
    ) -> Option<Reuse> {
        let pages_only = edited.iter().all(|p| {
            p.starts_with(crate::content::CONTENT_DIR)
                && p.extension().is_some_and(|e| e == "md")
                && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("_index"))
        });
        if !pages_only || renders.images_in_templates {
            return None;
        }
        let edited_files: HashSet<&PathBuf> = edited.iter().collect();
        let known = std::mem::take(&mut renders.known).into_iter().filter(|(file, ..)| !edited_files.contains(file));
        let known = std::sync::Arc::new(known.map(|(file, front, line)| (file, (front, line))).collect());
        Some(Reuse { edited, known, renders, live: live.to_path_buf(), written })
    }

    /// The jobs to render again: those that read an edited page. `None` when the site is not
    /// laid out as the last build found it (a page came, went or changed its place; the jobs
    /// differ) or an edited page's translations are tracked against it (their stale markers
    /// may change).
    pub fn select(&self, site: &Site, places: &[(PathBuf, String)], outputs: &[String]) -> Option<Selection<'_>> {
        if outputs != self.renders.outputs || places != self.renders.pages {
            return None;
        }
        let mut edited = HashSet::new();
        for file in &self.edited {
            let i = site.page_index(file)?;
            let key = &site.pages[i].translation_key;
            if site.translations_of(key).iter().any(|p| p.front.translated_from.is_some()) {
                return None;
            }
            edited.insert(i as u32);
        }
        let jobs = (0..outputs.len()).filter(|&j| self.renders.reads[j].iter().any(|p| edited.contains(p))).collect();
        Some(Selection { jobs, reads: &self.renders.reads })
    }

    /// Puts into `output` as kept (as the last build wrote them into the output folder) the
    /// files of the `planned` ones this build did not make: the outputs of the jobs `selection`
    /// leaves out, and the sitemaps and redirects, which only the site's layout changes. `false`
    /// when the output folder's manifest lacks a job's output.
    pub fn keep_unmade(
        &self,
        outputs: &[String],
        selection: &Selection,
        planned: &BTreeMap<String, Origin>,
        output: &mut Output,
    ) -> bool {
        let rendered: HashSet<usize> = selection.jobs.iter().copied().collect();
        let kept = |path: &String, print: u128| (path.clone(), Kept { print, file: self.live.join(path) });
        for (_, path) in outputs.iter().enumerate().filter(|(j, _)| !rendered.contains(j)) {
            let Some(print) = self.written.print(path) else { return false };
            output.kept.extend([kept(path, print)]);
        }
        let unmade: Vec<(String, Kept)> =
            planned.keys().filter(|p| !output.contains(p)).filter_map(|p| Some(kept(p, self.written.print(p)?))).collect();
        output.kept.extend(unmade);
        true
    }

    /// The pages whose Markdown and values a build with `selection` needs: those its jobs read
    /// in the last build, those the feeds show, and those showing resized images.
    pub fn needed(&self, site: &Site, selection: &Selection) -> HashSet<usize> {
        let read = selection.jobs.iter().flat_map(|&j| self.renders.reads[j].iter());
        let mut needed: HashSet<usize> = read.chain(&self.renders.media).map(|&p| p as usize).collect();
        needed.extend(crate::render::feeds::pages(site));
        needed
    }
}

/// Every page's file and place.
pub fn places(site: &Site) -> Vec<(PathBuf, String)> {
    site.pages.par_iter().map(|p| (p.file.clone(), place(p))).collect()
}

/// A fingerprint of what places the page in the site and what other outputs show of it
/// besides its value (the fields `changes::same_place` compares, the title among them): equal
/// before and after an edit, only the outputs that read the page change.
fn place(page: &Page) -> String {
    use std::hash::Hash;
    let f = &page.front;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        (&page.title, &page.url, &page.lang, &page.translation_key, &page.slug, &page.shared, page.date, page.updated),
        (page.section, page.is_article, &page.assets),
        (&f.date, &f.updated, &f.place, &f.image, &f.localised, &f.slug, f.weight, f.draft),
        (&f.taxonomies, &f.template, &f.aliases, &f.translation_key),
    )
        .hash(&mut hasher);
    format!("{:032x}", hasher.digest128())
}
