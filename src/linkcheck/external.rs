//! `check --external`: every link to another site, asked with HEAD (GET when a server refuses
//! HEAD) by a few threads at a time, each request bounded by a timeout. Answers are cached in
//! `.tessera-cache/external-links.json` in the site root: a working link is not asked again for
//! a day, a broken one is asked again on every run.

use crate::build::Built;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The cache file, relative to the site root.
pub const CACHE_FILE: &str = ".tessera-cache/external-links.json";
/// How long a working link is trusted without asking again.
const FRESH_FOR: Duration = Duration::from_secs(24 * 60 * 60);
/// Requests in flight at once.
const CONCURRENCY: usize = 8;
/// Longest wait for one answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// One answer, as cached.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Why there was no answer (DNS, refused, timeout).
    pub error: Option<String>,
    /// Seconds since the Unix epoch.
    pub checked: u64,
}

impl Answer {
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| s < 400)
    }
}

/// What `check --external` found.
#[derive(Debug, Default, Serialize)]
pub struct ExternalReport {
    pub checked: usize,
    /// Answered from the cache, without a request.
    pub cached: usize,
    /// URL -> answer and the pages linking to it.
    pub broken: BTreeMap<String, (Answer, Vec<String>)>,
}

impl ExternalReport {
    /// The report for a terminal under `heading`.
    pub fn report(&self, heading: &str) -> String {
        let mut out =
            format!("{heading} ({} checked, {} from the cache, {} broken)\n", self.checked, self.cached, self.broken.len());
        for (url, (answer, pages)) in &self.broken {
            let why = match (answer.status, &answer.error) {
                (Some(status), _) => format!("HTTP {status}"),
                (None, Some(e)) => e.clone(),
                (None, None) => "no answer".into(),
            };
            out.push_str(&format!("  {url}: {why} (on {})\n", pages.join(", ")));
        }
        out
    }
}

/// Checks every external link of the built site, with the cache in `root`.
pub fn check_site(root: &Path, built: &Built) -> ExternalReport {
    let links = super::external_links(&built.site.config, &built.output);
    check(&root.join(CACHE_FILE), links)
}

/// Checks `links` (URL -> pages), reading and updating the cache file at `cache_file`.
pub fn check(cache_file: &Path, links: BTreeMap<String, Vec<String>>) -> ExternalReport {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let mut cache: BTreeMap<String, Answer> =
        std::fs::read(cache_file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    let fresh = |a: &Answer| a.ok() && now.saturating_sub(a.checked) < FRESH_FOR.as_secs();
    let to_ask: Vec<&String> = links.keys().filter(|url| !cache.get(*url).is_some_and(fresh)).collect();
    let mut report = ExternalReport { checked: links.len(), cached: links.len() - to_ask.len(), ..Default::default() };
    for (url, answer) in ask_all(&to_ask, now) {
        cache.insert(url.clone(), answer);
    }
    for (url, pages) in links {
        if let Some(answer) = cache.get(&url).filter(|a| !a.ok()) {
            report.broken.insert(url, (answer.clone(), pages));
        }
    }
    if let Some(dir) = cache_file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_vec_pretty(&cache) {
        let _ = std::fs::write(cache_file, json);
    }
    report
}

/// Asks every URL, [`CONCURRENCY`] at a time.
fn ask_all(urls: &[&String], now: u64) -> Vec<(String, Answer)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("tessera/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into();
    let queue = Mutex::new(urls.iter());
    let answers = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY.min(urls.len()) {
            scope.spawn(|| {
                while let Some(url) = queue.lock().unwrap_or_else(|e| e.into_inner()).next() {
                    let answer = ask(&agent, url, now);
                    answers.lock().unwrap_or_else(|e| e.into_inner()).push(((*url).clone(), answer));
                }
            });
        }
    });
    answers.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// HEAD, then GET when the server does not take HEAD.
fn ask(agent: &ureq::Agent, url: &str, now: u64) -> Answer {
    let answer = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match result {
        Ok(response) => Answer { status: Some(response.status().as_u16()), error: None, checked: now },
        Err(e) => Answer { status: None, error: Some(e.to_string()), checked: now },
    };
    let head = answer(agent.head(url).call());
    match head.status {
        Some(405 | 403 | 501) => answer(agent.get(url).call()),
        _ => head,
    }
}
