//! Edit-to-reload latency of `tessera serve --watch` on a generated site of N articles in 4
//! languages, while 64 readers fetch pages. Edits alternate between appending a word to an
//! article's body and changing its title; each is timed from the write to the moment the
//! server's `reload` event arrives at a live-reload client. Meanwhile 64 threads GET articles,
//! listing pages and home pages over HTTP/1.1 keep-alive, and each request's latency is kept.
//! The server's RSS is sampled after the initial search index and after every 50 edits.
//! Run: `cargo bench --bench serve_latency` (ARTICLES=10000, EDITS=200). Figures: BENCHMARKS.md.

mod sitegen;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const READERS: usize = 64;
const LANG_ROOTS: [&str; 4] = ["/", "/hi/", "/az/", "/ar/"];

/// The server process, killed and reaped however the benchmark ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reader threads; stopped and joined however the benchmark ends.
struct Readers {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<(Vec<Duration>, usize)>>,
}

impl Readers {
    fn start(port: u16, n: usize) -> Readers {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..READERS)
            .map(|i| {
                let stop = stop.clone();
                std::thread::spawn(move || read_pages(port, n, i as u64, &stop))
            })
            .collect();
        Readers { stop, threads }
    }

    /// Stops the readers; returns every successful request's latency and the failures.
    fn finish(mut self) -> (Vec<Duration>, usize) {
        self.stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        let mut failures = 0;
        for t in std::mem::take(&mut self.threads) {
            let (latencies, failed) = t.join().expect("reader thread");
            all.extend(latencies);
            failures += failed;
        }
        (all, failures)
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// One reader: fetches pages one after another on a kept-alive connection until told to stop.
fn read_pages(port: u16, n: usize, seed: u64, stop: &AtomicBool) -> (Vec<Duration>, usize) {
    // xorshift: a cheap, reproducible spread of pages per thread.
    let mut state = 0x9e37_79b9_7f4a_7c15 ^ (seed + 1).wrapping_mul(0x2545_f491_4f6c_dd1d);
    let mut conn = None;
    let (mut latencies, mut failures) = (Vec::new(), 0);
    while !stop.load(Ordering::Relaxed) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let path = page_path(state, n);
        let started = Instant::now();
        match get(&mut conn, port, &path) {
            Ok(200) => latencies.push(started.elapsed()),
            _ => {
                failures += 1;
                conn = None;
                // A server that is gone should not be hammered with reconnects.
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
    (latencies, failures)
}

/// A page of the site for a random number `r`: 60 % articles, 30 % listings (news pages, tag
/// pages), 10 % home pages, in all four languages.
fn page_path(r: u64, n: usize) -> String {
    let lang = LANG_ROOTS[(r % 4) as usize];
    let pick = (r >> 8) as usize;
    match (r >> 4) % 10 {
        0 => lang.to_string(),
        1 | 2 => match pick % n.div_ceil(10) {
            0 => format!("{lang}news/"),
            p => format!("{lang}news/page/{}/", p + 1),
        },
        3 => format!("{lang}tags/t{}/", pick % n.min(50)),
        _ => format!("{lang}news/article-{}/", pick % n),
    }
}

/// GETs `path`, reading the whole response; opens a connection when there is none.
fn get(conn: &mut Option<BufReader<TcpStream>>, port: u16, path: &str) -> std::io::Result<u16> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{path}: {what}"));
    if conn.is_none() {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        *conn = Some(BufReader::new(stream));
    }
    let r = conn.as_mut().unwrap(); // opened just above
    write!(r.get_mut(), "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("no status line"))?;
    let (mut length, mut close) = (None, false);
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(bad("closed in the headers"));
        }
        let Some((name, value)) = line.trim_end().split_once(':') else { break };
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<u64>().ok(),
            "connection" => close = value.trim().eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    // The server answers with whole bodies, so a length is always there.
    let length = length.ok_or_else(|| bad("no Content-Length"))?;
    if std::io::copy(&mut r.by_ref().take(length), &mut std::io::sink())? != length {
        return Err(bad("body cut short"));
    }
    if close {
        *conn = None;
    }
    Ok(status)
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib =
        status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
    kib.unwrap_or(0.0) / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile of sorted latencies, in ms.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    ms(sorted[((sorted.len() as f64 - 1.0) * q).round() as usize])
}

fn main() {
    let n: usize = std::env::var("ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let edits: usize = std::env::var("EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    sitegen::tessera_site(&root, n, true);
    let port = 20_000 + (std::process::id() % 10_000) as u16;
    let started = Instant::now();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(["serve", "--watch", "--port", &port.to_string(), "--root", root.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tessera serve"),
    );
    let pid = server.0.id();
    let mut log = BufReader::new(server.0.stdout.take().unwrap());
    let mut line = String::new();
    log.read_line(&mut line).unwrap();
    println!("{n} articles x 4 languages; server ready in {:.1} s: {}", started.elapsed().as_secs_f64(), line.trim());
    // Measure steady editing: wait until the initial search index is built in the background.
    let indexing = Instant::now();
    let indexed = log.by_ref().lines().map_while(Result::ok).find(|l| l.starts_with("search index renewed"));
    let indexed = indexed.expect("the server stopped before building its search index");
    println!("{indexed} (waited {:.1} s)", indexing.elapsed().as_secs_f64());
    let verbose = std::env::var("VERBOSE").is_ok();
    std::thread::spawn(move || {
        for l in log.lines().map_while(Result::ok) {
            if verbose {
                eprintln!("server: {l}");
            }
        }
    });
    let mut rss = vec![(0, rss_mib(pid))];

    // Every kind of page the readers ask for must exist, or they would time 404s.
    let mut conn = None;
    for path in ["/", "/ar/", "/news/", "/hi/news/page/2/", "/az/tags/t1/", "/news/article-1/", "/ar/news/article-0/"] {
        assert_eq!(get(&mut conn, port, path).unwrap(), 200, "GET {path}");
    }
    drop(conn);

    let events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A reload that never comes fails the benchmark instead of hanging it.
    events.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut events = BufReader::new(events);
    write!(events.get_mut(), "GET /__tessera/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    wait_for(&mut events, "data: ok");

    let readers = Readers::start(port, n);
    let reading = Instant::now();
    let (mut body, mut title) = (Vec::new(), Vec::new());
    for i in 0..edits {
        let file = root.join(format!("content/news/article-{}.{}.md", (i * 7919) % n, sitegen::LANGS[i % 4].0));
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = if i % 2 == 0 {
            format!("{text}\nedit{i}\n")
        } else {
            let old = text.lines().find(|l| l.starts_with("title:")).expect("front matter has a title");
            text.replacen(old, &format!("title: \"Edited title {i}\""), 1)
        };
        let t0 = Instant::now();
        std::fs::write(&file, edited).unwrap();
        wait_for(&mut events, "data: reload");
        let kind = if i % 2 == 0 { &mut body } else { &mut title };
        kind.push(t0.elapsed());
        if (i + 1) % 50 == 0 || i + 1 == edits {
            rss.push((i + 1, rss_mib(pid)));
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    let (mut requests, failures) = readers.finish();
    let read_for = reading.elapsed();
    drop(server);

    for (kind, latencies) in [("body", &mut body), ("title", &mut title)] {
        if latencies.is_empty() {
            continue;
        }
        latencies.sort();
        println!(
            "edit -> reload sent, {} {kind} edits: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            latencies.len(),
            quantile(latencies, 0.5),
            quantile(latencies, 0.95),
            ms(*latencies.last().unwrap())
        );
    }
    requests.sort();
    assert!(!requests.is_empty(), "no request succeeded ({failures} failed)");
    println!(
        "{READERS} readers during the edits: {} requests ({:.0}/s), {failures} failed; latency p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms",
        requests.len(),
        requests.len() as f64 / read_for.as_secs_f64(),
        quantile(&requests, 0.5),
        quantile(&requests, 0.99),
        ms(*requests.last().unwrap())
    );
    let first = rss[0].1;
    let samples: Vec<String> = rss.iter().map(|(after, mib)| format!("{after}: {mib:.0}")).collect();
    let spread =
        rss.iter().map(|(_, mib)| (mib - first) / first * 100.0).fold(0.0f64, |a, d| if d.abs() > a.abs() { d } else { a });
    println!("server RSS in MiB after N edits ({}); largest change from the first {spread:+.1} %", samples.join(", "));
}

fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        if events.read_line(&mut line).unwrap_or_else(|e| panic!("waiting for `{wanted}`: {e}")) == 0 {
            panic!("event stream closed before `{wanted}`");
        }
        if line.trim_end() == wanted {
            return;
        }
    }
}
