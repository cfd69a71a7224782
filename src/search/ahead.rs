//! Indexing ahead. After page edits, the parts of the search index that hold the edited pages
//! are given their pages, as the last build wrote them, while the site loads and renders. When
//! the render confirms such a part (the same pages), its index is given again only the pages
//! whose HTML changed, and made. Pagefind spends most of a part's time reading its pages (about
//! 0.6 ms each on one core): this takes that time off the path from the render to the written
//! site.

use super::{CACHE_DIR, PagePlace, Part, facts, split};
use crate::config::SiteConfig;
use pagefind::api::PagefindIndex;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// How many parts are begun at most: more would take the cores the load and render need.
const MOST: usize = 2;

/// Parts being begun on a thread of their own, shared with the plan that takes them
/// ([`Ahead::take`]).
#[derive(Clone)]
pub struct Ahead(Arc<(Mutex<State>, Condvar)>);

/// A part's index, given every page of the part, and what it was given.
pub struct Begun {
    /// The URL of each page given, in order.
    urls: Vec<String>,
    /// The fingerprint of the HTML each page was given.
    pub(super) prints: Vec<u128>,
    pub(super) index: PagefindIndex,
}

/// A part, as (language, number, count).
type Which = (String, usize, usize);

#[derive(Default)]
struct State {
    /// The parts chosen, in the order they are begun, once known.
    chosen: Option<Vec<Which>>,
    /// Each chosen part's index once begun, in order (`None` for one that could not be).
    begun: Vec<Option<Begun>>,
    /// The parts the build indexes, once its plan runs: a part not among them is not begun.
    wanted: Option<Vec<Which>>,
}

fn which(part: &Part) -> Which {
    (part.lang.clone(), part.number, part.count)
}

/// Begins the parts of the last build's search index (as it split the pages, from what they
/// said of themselves) that hold `likely`, the output paths the build will probably render
/// again, at most [`MOST`], each with its pages as the last build wrote them into `live`.
/// `None` when the site has no search index or nothing is likely to change.
pub fn begin(root: &Path, base_url: Option<&str>, live: &Path, likely: Vec<String>) -> Option<Ahead> {
    let mut config = SiteConfig::load(root).ok()?;
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    if !config.search || likely.is_empty() {
        return None;
    }
    let ahead = Ahead(Arc::default());
    let shared = ahead.clone();
    let (root, live) = (root.to_path_buf(), live.to_path_buf());
    let started = std::thread::Builder::new().name("search-ahead".into()).spawn(move || {
        crate::output::in_background();
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| shared.run(&root, &config, &live, &likely)));
        // Whatever happened, nobody waits for more.
        let mut state = shared.lock();
        let chosen = state.chosen.get_or_insert_with(Vec::new).len();
        state.begun.resize_with(chosen, || None);
        shared.0.1.notify_all();
    });
    started.ok().map(|_| ahead)
}

impl Ahead {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.0.1.wait(state).unwrap_or_else(|e| e.into_inner())
    }

    fn run(&self, root: &Path, config: &SiteConfig, live: &Path, likely: &[String]) {
        let known = facts::read(&root.join(CACHE_DIR));
        let parts = split(&config.base_path(), super::part_pages(), known.iter());
        drop(known);
        let mut chosen: Vec<&(Part, Vec<PagePlace>)> = Vec::new();
        for path in likely {
            let holder = parts.iter().find(|(_, pages)| pages.iter().any(|(p, ..)| p == path));
            if let Some(holder) = holder.filter(|h| !chosen.iter().any(|c| std::ptr::eq(*c, *h))) {
                chosen.push(holder);
            }
            if chosen.len() == MOST {
                break;
            }
        }
        self.lock().chosen = Some(chosen.iter().map(|(part, _)| which(part)).collect());
        self.0.1.notify_all();
        for (part, pages) in chosen {
            let begun = self.index(live, part, pages);
            self.lock().begun.push(begun);
            self.0.1.notify_all();
        }
    }

    /// The index of a part given each page of it from `live`, unless a page cannot be read
    /// there or the build turns out not to index the part.
    fn index(&self, live: &Path, part: &Part, pages: &[PagePlace]) -> Option<Begun> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
        let mut begun = Begun { urls: Vec::new(), prints: Vec::new(), index: super::new_index().ok()? };
        let me = which(part);
        for (path, url, _) in pages {
            if self.lock().wanted.as_ref().is_some_and(|wanted| !wanted.contains(&me)) {
                return None;
            }
            let bytes = std::fs::read(live.join(PathBuf::from(path))).ok()?;
            begun.prints.push(crate::output::fingerprint(&bytes));
            runtime.block_on(super::add(&mut begun.index, url, super::text(bytes))).ok()?;
            begun.urls.push(url.clone());
        }
        Some(begun)
    }

    /// Says which parts the build indexes: the others are not begun, or no longer.
    pub(super) fn want(&self, parts: &[Part]) {
        self.lock().wanted = Some(parts.iter().map(which).collect());
    }

    /// The index begun for `part`, once it is, when it was given the part's pages (the same
    /// URLs in the same order); `None` at once for a part not chosen.
    pub(super) fn take(&self, part: &Part) -> Option<Begun> {
        let me = which(part);
        let mut state = self.lock();
        loop {
            if let Some(chosen) = &state.chosen {
                let i = chosen.iter().position(|c| *c == me)?;
                if let Some(slot) = state.begun.get_mut(i) {
                    let fits =
                        |b: &Begun| b.urls.len() == part.pages.len() && b.urls.iter().zip(&part.pages).all(|(a, p)| *a == p.0);
                    return slot.take().filter(fits);
                }
            }
            state = self.wait(state);
        }
    }
}
