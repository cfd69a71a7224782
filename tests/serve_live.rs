//! `tessera serve --watch` end to end in headless Chromium: an open article shows an edit of
//! its Markdown without anyone touching the browser, a Sass edit changes the colour without a
//! reload, a broken front matter shows the error overlay, and fixing it removes the overlay.

mod common;
use common::*;
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The server process, and the lines it printed so far.
struct Server(Child, Arc<Mutex<Vec<String>>>);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    fn printed(&self) -> Vec<String> {
        self.1.lock().unwrap().clone()
    }
}

/// Starts `tessera serve --watch` on a free port; returns it with its origin.
fn serve(root: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["serve", "--watch", "--port", "0", "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tessera serve");
    // Its warnings and errors go into the test's captured output, shown when the test fails.
    let errors = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || errors.lines().map_while(Result::ok).for_each(|line| eprintln!("server: {line}")));
    let mut first = String::new();
    let mut log = BufReader::new(child.stdout.take().unwrap());
    log.read_line(&mut first).unwrap();
    // Keep reading what the server prints so it never writes into a closed pipe.
    let printed = Arc::new(Mutex::new(vec![]));
    let lines = printed.clone();
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            eprintln!("server: {line}");
            lines.lock().unwrap().push(line);
        }
    });
    let origin =
        first.split(" at ").nth(1).and_then(|s| s.split('/').take(3).collect::<Vec<_>>().join("/").into()).unwrap_or_default();
    assert!(origin.starts_with("http://127.0.0.1:"), "unexpected first line: {first}");
    (Server(child, printed), origin)
}

fn browser() -> (Browser, tempfile::TempDir) {
    assert!(Path::new(CHROMIUM).exists(), "{CHROMIUM} not found: run `.ci/run install` (as root) first");
    let profile = tempfile::tempdir().unwrap();
    let args: Vec<&OsStr> = ["--disable-background-networking", "--no-first-run"].iter().map(OsStr::new).collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .headless(true)
        .sandbox(false)
        .enable_gpu(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .unwrap();
    (Browser::new(options).expect("start chromium"), profile)
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false).unwrap_or_else(|e| panic!("{js}: {e}")).value.unwrap_or(serde_json::Value::Null)
}

/// Polls `js` in the page until it is `true`.
fn wait_until(tab: &Tab, js: &str, what: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(15) {
        if eval(tab, js) == serde_json::Value::Bool(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what} ({js})");
}

#[test]
fn live_edits_reach_the_open_page() {
    let (_tmp, root) = copy_fixture("localised");
    // A stylesheet from Sass, linked the way themes link assets.
    std::fs::create_dir_all(root.join("themes/mini/sass")).unwrap();
    std::fs::write(root.join("themes/mini/sass/site.scss"), "$ink: rgb(1, 2, 3);\nmain { color: $ink; }\n").unwrap();
    let base = root.join("themes/mini/templates/base.html");
    std::fs::write(
        &base,
        read(&base).replace("</head>", "<link rel=\"stylesheet\" href=\"{{ asset_url(path='site.css') }}\">\n</head>"),
    )
    .unwrap();

    let (_server, origin) = serve(&root);
    let (browser, _profile) = browser();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{origin}/news/summit/")).unwrap().wait_until_navigated().unwrap();
    wait_until(&tab, "document.body.innerText.includes('Summit text in en.')", "the article");
    wait_until(&tab, "getComputedStyle(document.querySelector('main')).color === 'rgb(1, 2, 3)'", "the first colour");

    // 1. The Markdown changes; the page shows it by itself.
    let article = root.join("content/news/summit.en.md");
    std::fs::write(&article, read(&article).replace("Summit text in en.", "Freshly edited words.")).unwrap();
    wait_until(&tab, "document.body.innerText.includes('Freshly edited words.')", "the edited text");

    // 2. The Sass changes; the colour changes and the page is not reloaded.
    wait_until(&tab, "document.readyState === 'complete'", "the reloaded page");
    eval(&tab, "window.tesseraMarker = 42; true");
    std::fs::write(root.join("themes/mini/sass/site.scss"), "$ink: rgb(200, 0, 0);\nmain { color: $ink; }\n").unwrap();
    wait_until(&tab, "getComputedStyle(document.querySelector('main')).color === 'rgb(200, 0, 0)'", "the new colour");
    assert_eq!(eval(&tab, "window.tesseraMarker"), serde_json::json!(42), "the page was reloaded for a stylesheet edit");

    // 3. Broken YAML: the last good page stays, with an overlay naming the file and line.
    let good = read(&article);
    std::fs::write(&article, good.replace("title: Summit en", "title: [Summit en")).unwrap();
    wait_until(&tab, "!!document.getElementById('tessera-error')", "the error overlay");
    let overlay = eval(&tab, "document.getElementById('tessera-error').innerText");
    assert!(overlay.as_str().unwrap().contains("content/news/summit.en.md:2"), "{overlay}");
    assert!(eval(&tab, "document.body.innerText.includes('Freshly edited words.')") == serde_json::Value::Bool(true));

    // 4. Fixed: the overlay goes.
    std::fs::write(&article, good).unwrap();
    wait_until(&tab, "!document.getElementById('tessera-error')", "the overlay to go");
    wait_until(&tab, "document.body.innerText.includes('Freshly edited words.')", "the page after the fix");
}

#[test]
fn serves_only_the_site_over_http() {
    let (_tmp, root) = copy_fixture("localised");
    let (_server, origin) = serve(&root);
    let get = |path: &str| get(&origin, path);
    let (status, body) = get("/ar/news/summit/");
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#) && body.contains("data-tessera-live"));
    assert_eq!(get("/../../etc/passwd").0, 400);
    assert_eq!(get("/%2e%2e/%2e%2e/etc/passwd").0, 400);
    assert_eq!(get("/site.yaml").0, 404);
    assert_eq!(get("/content/news/summit.en.md").0, 404);
    assert_eq!(get("/news").0, 301);
    // Devanagari and Arabic URLs arrive percent-encoded.
    let hi = root.join("content/news/कार्यशाला.hi.md");
    std::fs::write(&hi, "---\ntitle: कार्यशाला\ndate: 2024-11-14\n---\nपाठ।\n").unwrap();
    let started = Instant::now();
    let path = "/hi/news/%E0%A4%95%E0%A4%BE%E0%A4%B0%E0%A5%8D%E0%A4%AF%E0%A4%B6%E0%A4%BE%E0%A4%B2%E0%A4%BE/";
    while get(path).0 != 200 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(path).0, 200);
}

/// GETs `path` from the server; (status, body).
fn get(origin: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = origin.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

/// Polls `path` until its body contains `text`.
fn wait_for_text(origin: &str, path: &str, text: &str, how: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        let (status, body) = get(origin, path);
        if status == 200 && body.contains(text) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{how}: {path} never showed {text:?}");
}

#[test]
fn every_editor_save_style_is_picked_up() {
    let (_tmp, root) = copy_fixture("localised");
    let (_server, origin) = serve(&root);
    let dir = root.join("content/news");
    let page = dir.join("summit.en.md");
    let original = read(&page);
    let with = |text: &str| original.replace("Summit text in en.", text);

    // Truncate, then write (most editors, `std::fs::write`).
    std::fs::write(&page, with("Truncated and written.")).unwrap();
    wait_for_text(&origin, "/news/summit/", "Truncated and written.", "truncate-then-write");

    // In place, without truncating first: overwrite from the start, then cut the rest.
    {
        use std::io::{Seek, Write};
        let text = with("Written in place.");
        let mut f = std::fs::OpenOptions::new().write(true).open(&page).unwrap();
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f.set_len(text.len() as u64).unwrap();
    }
    wait_for_text(&origin, "/news/summit/", "Written in place.", "in-place write");

    // Atomic: a temporary file renamed over the page.
    let temp = dir.join(".summit.en.md.tmp");
    std::fs::write(&temp, with("Renamed into place.")).unwrap();
    std::fs::rename(&temp, &page).unwrap();
    wait_for_text(&origin, "/news/summit/", "Renamed into place.", "temp file then rename");

    // Vim: probe file 4913, swap file, the page renamed to a backup, a new file written, the
    // backup removed.
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(".summit.en.md.swp"), "swap").unwrap();
    std::fs::rename(&page, dir.join("summit.en.md~")).unwrap();
    std::fs::write(&page, with("Saved the vim way.")).unwrap();
    std::fs::remove_file(dir.join("summit.en.md~")).unwrap();
    std::fs::remove_file(dir.join(".summit.en.md.swp")).unwrap();
    wait_for_text(&origin, "/news/summit/", "Saved the vim way.", "vim's rename dance");

    // A new folder with a section and a page.
    let events = root.join("content/events");
    std::fs::create_dir(&events).unwrap();
    std::fs::write(events.join("_index.en.md"), "---\ntitle: Events\n---\n").unwrap();
    std::fs::write(events.join("forum.en.md"), "---\ntitle: Forum\ndate: 2024-11-14\n---\nA forum in a new folder.\n").unwrap();
    wait_for_text(&origin, "/events/forum/", "A forum in a new folder.", "new folder");

    // A deleted page's URL goes away.
    std::fs::remove_file(events.join("forum.en.md")).unwrap();
    let started = Instant::now();
    while get(&origin, "/events/forum/").0 != 404 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(&origin, "/events/forum/").0, 404, "deleted page still served");
}

/// A new title that moves an article among others of the same date is patched into the served
/// site (no whole rebuild), and the listing is served in its new order.
#[test]
fn a_retitled_article_takes_its_new_place_in_the_served_listing() {
    let (_tmp, root) = copy_fixture("localised");
    for (file, title) in [("b", "Banana"), ("c", "Cherry"), ("d", "Date")] {
        let text = format!("---\ntitle: {title}\ndate: 2024-05-01\n---\nAbout {title}.\n");
        std::fs::write(root.join(format!("content/news/{file}.en.md")), text).unwrap();
    }
    let (server, origin) = serve(&root);
    let order = |body: &str, titles: [&str; 3]| {
        let at: Vec<usize> = titles.iter().map(|t| body.find(t).unwrap_or_else(|| panic!("{t} not listed:\n{body}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "not listed in the order {titles:?}:\n{body}");
    };
    order(&get(&origin, "/news/").1, ["Banana", "Cherry", "Date"]);

    let page = root.join("content/news/d.en.md");
    std::fs::write(&page, read(&page).replace("title: Date", "title: Apple")).unwrap();
    wait_for_text(&origin, "/news/", "Apple", "retitled article");
    order(&get(&origin, "/news/").1, ["Apple", "Banana", "Cherry"]);
    wait_for_text(&origin, "/news/d/", "<h1>Apple</h1>", "retitled article's page");
    let printed = server.printed();
    let update = printed.iter().find(|l| l.contains("d.en.md")).expect("the server reports the update");
    assert!(update.contains(": page update"), "the retitled article rebuilt more than what shows it: {update}");
}
