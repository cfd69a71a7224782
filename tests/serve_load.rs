//! `tessera serve --watch` under load: 64 clients on keep-alive connections request pages for
//! 20 s (`LOAD_SECONDS`) while an article is edited every 200 ms. Every request must succeed and
//! every HTML page must be whole and from one build: it ends with `</html>` and every build
//! marker (`load-N-mark`, in the article's title and first and last paragraphs, so also in
//! listings) carries the same N. Prints the requests served and p50/p99 latency; latency is
//! reported, not asserted (a performance claim belongs in a benchmark).

mod common;
use common::server::{Client, Server};
use common::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;
const PATHS: &[&str] = &["/news/network-report-0/", "/", "/news/", "/news/network-report-0/", "/ar/", "/hi/news/", "/robots.txt"];

/// The edited article's text for edit `n`: its front matter with a marked title, a marked body.
fn edit(original: &str, n: usize) -> String {
    let (front, _) = original.split_once("---\n## ").expect("a generated article");
    let front = front.replace("title: \"Network report 0\"", &format!("title: \"Load edit {n} load-{n}-mark\""));
    let middle = "Partners met to share what works for small enterprises and how to finance them.\n\n".repeat(30);
    format!("{front}---\n## Edit {n}\n\nFirst paragraph load-{n}-mark.\n\n{middle}Last paragraph load-{n}-mark.\n")
}

/// Every N of `load-N-mark` in a page.
fn markers(page: &str) -> BTreeSet<usize> {
    page.split("load-").skip(1).filter_map(|rest| rest.split_once("-mark")).filter_map(|(n, _)| n.parse().ok()).collect()
}

#[derive(Default)]
struct Tally {
    ok: usize,
    failed: Vec<String>,
    torn: Vec<String>,
    latencies: Vec<Duration>,
    versions: BTreeSet<usize>,
}

fn client(address: String, stop: Arc<AtomicBool>, offset: usize) -> Tally {
    let mut tally = Tally::default();
    let mut connection = Client::new(&address);
    let mut i = offset;
    while !stop.load(Ordering::Relaxed) {
        let path = PATHS[i % PATHS.len()];
        i += 1;
        let started = Instant::now();
        let response = connection.get(path);
        tally.latencies.push(started.elapsed());
        match response {
            Ok(r) if r.status == 200 => {
                tally.ok += 1;
                if path.ends_with('/') {
                    let page = r.text();
                    let found = markers(&page);
                    if !page.trim_end().ends_with("</html>") || found.len() > 1 {
                        tally.torn.push(format!("{path}: markers {found:?}, ends {:?}", &page[page.len().saturating_sub(40)..]));
                    }
                    tally.versions.extend(found);
                }
            }
            Ok(r) => tally.failed.push(format!("{path}: status {}", r.status)),
            Err(e) => tally.failed.push(format!("{path}: {e}")),
        }
    }
    tally
}

#[test]
fn many_clients_while_an_article_is_edited() {
    let seconds: u64 = std::env::var("LOAD_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 40, &["en", "hi", "az", "ar"]);
    let article = root.join("content/news/network-report-0.en.md");
    let original = read(&article);
    let server = Server::start(&root, &["--watch"]);

    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (address, stop) = (server.address.clone(), stop.clone());
            std::thread::spawn(move || client(address, stop, c))
        })
        .collect();
    let started = Instant::now();
    let mut edits = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        edits += 1;
        // Written beside the site and renamed into place, as editors save.
        let draft = tmp.path().join("draft.md");
        std::fs::write(&draft, edit(&original, edits)).unwrap();
        std::fs::rename(&draft, &article).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for c in clients {
        let t = c.join().unwrap();
        total.ok += t.ok;
        total.failed.extend(t.failed);
        total.torn.extend(t.torn);
        total.latencies.extend(t.latencies);
        total.versions.extend(t.versions);
    }
    let elapsed = started.elapsed().as_secs_f64();
    total.latencies.sort();
    let ms = |q: f64| total.latencies[((total.latencies.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{} requests served in {elapsed:.1} s by {CLIENTS} clients during {edits} edits ({:.0}/s): p50 {:.2} ms, p99 {:.2} ms, \
         max {:.1} ms; {} failed, {} torn; {} versions of the article seen",
        total.ok,
        total.ok as f64 / elapsed,
        ms(0.5),
        ms(0.99),
        ms(1.0),
        total.failed.len(),
        total.torn.len(),
        total.versions.len()
    );
    let mut rebuilds: Vec<f64> = server
        .log_text()
        .lines()
        .filter(|l| l.contains(" update, "))
        .filter_map(|l| l.strip_suffix(" ms")?.rsplit(' ').next()?.parse().ok())
        .collect();
    rebuilds.sort_by(f64::total_cmp);
    if let (Some(first), Some(last)) = (rebuilds.first(), rebuilds.last()) {
        println!("{} rebuilds, {first:.1} to {last:.1} ms, median {:.1} ms", rebuilds.len(), rebuilds[rebuilds.len() / 2]);
    }
    assert!(total.failed.is_empty(), "failed requests: {:?}", &total.failed[..total.failed.len().min(10)]);
    assert!(total.torn.is_empty(), "torn pages: {:?}", &total.torn[..total.torn.len().min(10)]);
    assert!(
        total.versions.len() > edits / 4,
        "only {} of {edits} edits were seen: {:?}",
        total.versions.len(),
        server.log_text()
    );
}
