//! Edit-to-reload latency of `tessera serve --watch` on a generated site of N articles in 4
//! languages: a one-word change to an article, timed from the write to the moment the server's
//! `reload` event arrives at a live-reload client, over 50 edits. Run:
//! `cargo bench --bench serve_latency` (ARTICLES=10000, EDITS=50). Figures: BENCHMARKS.md.

mod sitegen;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::var("ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let edits: usize = std::env::var("EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    sitegen::tessera_site(&root, n, true);
    let port = 20_000 + (std::process::id() % 10_000) as u16;
    let started = Instant::now();
    #[allow(clippy::zombie_processes)] // killed and waited for at the end of main
    let mut server = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["serve", "--watch", "--port", &port.to_string(), "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tessera serve");
    let mut log = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    log.read_line(&mut line).unwrap();
    println!("{n} articles x 4 languages; server ready in {:.1} s: {}", started.elapsed().as_secs_f64(), line.trim());
    // Measure steady editing: wait until the initial search index is built in the background.
    let indexing = Instant::now();
    for l in log.by_ref().lines().map_while(Result::ok) {
        if l.starts_with("search index renewed") {
            println!("{l} (waited {:.1} s)", indexing.elapsed().as_secs_f64());
            break;
        }
    }
    let verbose = std::env::var("VERBOSE").is_ok();
    std::thread::spawn(move || {
        for l in log.lines().map_while(Result::ok) {
            if verbose {
                eprintln!("server: {l}");
            }
        }
    });

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(events, "GET /__tessera/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut events = BufReader::new(events);
    wait_for(&mut events, "data: ok");

    let mut latencies = Vec::with_capacity(edits);
    for i in 0..edits {
        let file = root.join(format!("content/news/article-{}.{}.md", (i * 7919) % n, ["en", "hi", "az", "ar"][i % 4]));
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = format!("{text}\nedit{i}\n");
        let t0 = Instant::now();
        std::fs::write(&file, edited).unwrap();
        wait_for(&mut events, "data: reload");
        latencies.push(t0.elapsed());
        std::thread::sleep(Duration::from_millis(30));
    }
    server.kill().ok();
    server.wait().ok();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(latencies[((latencies.len() as f64 - 1.0) * q).round() as usize]);
    println!(
        "edit -> reload sent over {edits} one-word edits: p50 {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms",
        p(0.5),
        p(0.95),
        ms(latencies[0]),
        ms(*latencies.last().unwrap())
    );
}

fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        if events.read_line(&mut line).unwrap() == 0 {
            panic!("event stream closed before `{wanted}`");
        }
        if line.trim_end() == wanted {
            return;
        }
    }
}
