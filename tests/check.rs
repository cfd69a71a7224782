//! `tessera check` as the editor's dashboard: what is left to do, per language, as text and as
//! JSON; `--strict` fails while anything is; `--external` asks other sites (here a server on
//! 127.0.0.1) and remembers working links.

mod common;
use common::{copy_dir, tessera};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken/_base");

fn base_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    copy_dir(Path::new(BASE), &root);
    root
}

fn check(root: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend(extra);
    let out = tessera(&args);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn strict_fails_on_the_bundled_site_listing_untranslated_pages() {
    let (code, out, _) = check(Path::new(env!("CARGO_MANIFEST_DIR")), &["--strict"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Untranslated articles (a version that exists) (11)"), "{out}");
    assert!(out.contains("content/news/the-2024-international-conference-of-ngos-icngo.en.md"), "{out}");
    let (code, out, _) = check(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(code, Some(0), "without --strict the open items are listed, not failed: {out}");
}

#[test]
fn pages_to_review_are_listed_per_language_and_fail_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let root = base_site(tmp.path());
    std::fs::write(root.join("content/news/imported.ar.md"), "---\ntitle: مستورد\nreview: [title, date]\n---\nنص مستورد.\n")
        .unwrap();
    let (code, out, _) = check(&root, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Pages to review (`review:` in front matter) (1)"), "{out}");
    assert!(out.contains("content/news/imported.ar.md: title, date"), "{out}");
    assert!(
        out.contains("Articles without a date (1)") && out.contains("Untranslated articles (a version that exists) (1)"),
        "{out}"
    );
    let (code, _, _) = check(&root, &["--strict"]);
    assert_eq!(code, Some(1));
    let build = tessera(&["build", "--root", root.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{err}");
    assert!(err.contains("content/news/imported.ar.md: warning: still to review before it is published: title, date"), "{err}");

    let (code, json, _) = check(&root, &["--strict", "--format", "json"]);
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["ok"], false);
    let ar = report["todo"]["languages"].as_array().unwrap().iter().find(|l| l["language"] == "ar").unwrap();
    assert_eq!(ar["review"][0][0], "content/news/imported.ar.md");
    assert_eq!(ar["review"][0][1], serde_json::json!(["title", "date"]));
    let en = report["todo"]["languages"].as_array().unwrap().iter().find(|l| l["language"] == "en").unwrap();
    assert_eq!(en["untranslated"], serde_json::json!(["content/news/imported.ar.md"]));
}

#[test]
fn errors_come_as_json_too() {
    let tmp = tempfile::tempdir().unwrap();
    let root = base_site(tmp.path());
    std::fs::write(root.join("content/news/bad.en.md"), "---\ntitle: Bad\ndate: not a date\n---\nx\n").unwrap();
    let (code, json, _) = check(&root, &["--format", "json"]);
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["errors"][0]["file"], "content/news/bad.en.md");
    assert_eq!(report["errors"][0]["line"], 3);
}

/// Front matter with old Mac line ends (`\r` alone) is read as front matter, not published as
/// body text.
#[test]
fn front_matter_with_lone_carriage_returns_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = base_site(tmp.path());
    std::fs::write(root.join("content/news/mac.en.md"), "---\rtitle: Old Mac\rdate: 2024-02-02\r---\rBody text.\r").unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(root.join("public/news/mac/index.html")).unwrap();
    assert!(html.contains("<h1>Old Mac</h1>") && !html.contains("title: Old Mac"), "{html}");
}

/// A tiny HTTP server: `/ok` answers 200, everything else 404; counts requests per path.
fn serve(counts: Arc<[AtomicUsize; 2]>) -> (u16, std::thread::JoinHandle<()>, Arc<std::sync::atomic::AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopping = stop.clone();
    let handle = std::thread::spawn(move || {
        while !stopping.load(Ordering::SeqCst) {
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            };
            stream.set_nonblocking(false).unwrap();
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let ok = request.split_whitespace().nth(1) == Some("/ok");
            counts[usize::from(!ok)].fetch_add(1, Ordering::SeqCst);
            let status = if ok { "200 OK" } else { "404 Not Found" };
            let _ = stream.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
        }
    });
    (port, handle, stop)
}

#[test]
fn external_links_are_checked_and_working_ones_cached() {
    let counts = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let (port, server, stop) = serve(counts.clone());
    let tmp = tempfile::tempdir().unwrap();
    let root = base_site(tmp.path());
    std::fs::write(
        root.join("content/news/links.en.md"),
        format!("---\ntitle: Links\ndate: 2024-03-03\n---\n[up](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n"),
    )
    .unwrap();
    let (code, out, _) = check(&root, &["--external"]);
    assert_eq!(code, Some(1), "a broken external link fails check: {out}");
    assert!(out.contains(&format!("http://127.0.0.1:{port}/gone: HTTP 404 (on news/links/index.html)")), "{out}");
    assert!(out.contains("2 checked, 0 from the cache, 1 broken"), "{out}");
    let (code, out, _) = check(&root, &["--external"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("2 checked, 1 from the cache, 1 broken"), "{out}");
    stop.store(true, Ordering::SeqCst);
    server.join().unwrap();
    assert_eq!(counts[0].load(Ordering::SeqCst), 1, "the working link was asked once");
    assert_eq!(counts[1].load(Ordering::SeqCst), 2, "the broken link was asked on each run");
    assert!(root.join(".tessera-cache/external-links.json").is_file());
}
