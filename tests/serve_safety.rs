//! `tessera serve` against a hostile file system and what browsers ask: a file in `static/`
//! replaced by a symlink out of the site while the server runs is never served (with and
//! without `--watch`); ETag and If-None-Match give 304, Last-Modified and HEAD are answered,
//! text types carry a charset; binding beyond loopback is a warning naming the real address.

mod common;
use common::server::{Server, request};
use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECRET: &str = "secret outside the site";

/// A small site with `static/notes.txt` and `static/docs/guide.txt`, and a secret file beside
/// the site (outside its root).
fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 4, &["en", "ar"]);
    std::fs::create_dir_all(root.join("static/docs")).unwrap();
    std::fs::write(root.join("static/notes.txt"), "notes of the site").unwrap();
    std::fs::write(root.join("static/docs/guide.txt"), "guide of the site").unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("passwd"), SECRET).unwrap();
    (tmp, root, outside)
}

/// Replaces `static/notes.txt` by a symlink to the secret file and `static/docs` by a symlink
/// to the folder holding it.
fn plant_symlinks(root: &Path, outside: &Path) {
    std::fs::remove_file(root.join("static/notes.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("passwd"), root.join("static/notes.txt")).unwrap();
    std::fs::remove_dir_all(root.join("static/docs")).unwrap();
    std::fs::create_dir(outside.join("docs")).unwrap();
    std::fs::write(outside.join("docs/guide.txt"), SECRET).unwrap();
    std::os::unix::fs::symlink(outside.join("docs"), root.join("static/docs")).unwrap();
}

fn assert_not_served(server: &Server, path: &str) {
    let r = server.get(path);
    assert!(matches!(r.status, 403 | 404), "{path} answered {}", r.status);
    assert!(!r.text().contains(SECRET), "{path} served the file outside the site");
}

fn symlinks_out_of_the_site_are_not_followed(watch: bool) {
    let (_tmp, root, outside) = site();
    let server = Server::start(&root, if watch { &["--watch"] } else { &[] });
    assert_eq!(server.get("/notes.txt").text(), "notes of the site");
    assert_eq!(server.get("/docs/guide.txt").text(), "guide of the site");
    plant_symlinks(&root, &outside);
    assert_not_served(&server, "/notes.txt");
    assert_not_served(&server, "/docs/guide.txt");
    // Still so once the watcher has seen the change.
    std::thread::sleep(Duration::from_millis(500));
    assert_not_served(&server, "/notes.txt");
    assert_not_served(&server, "/docs/guide.txt");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn symlink_out_of_the_site_is_not_served() {
    symlinks_out_of_the_site_are_not_followed(false);
}

#[test]
fn symlink_out_of_the_site_is_not_served_while_watching() {
    symlinks_out_of_the_site_are_not_followed(true);
}

#[test]
fn etag_last_modified_head_and_content_types() {
    let (_tmp, root, _) = site();
    let server = Server::start(&root, &["--watch"]);
    let page = server.get("/about/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let etag = page.header("etag").expect("an ETag").to_string();
    let modified = page.header("last-modified").expect("a Last-Modified").to_string();
    assert!(modified.ends_with(" GMT"), "{modified}");

    let again = request(&server.address, "GET", "/about/", &[("If-None-Match", &etag)]).unwrap();
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let since = request(&server.address, "GET", "/about/", &[("If-Modified-Since", &modified)]).unwrap();
    assert_eq!(since.status, 304);

    let head = request(&server.address, "HEAD", "/about/", &[]).unwrap();
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    assert_eq!(head.header("content-length"), Some(page.body.len().to_string().as_str()));

    assert_eq!(server.get("/notes.txt").header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(server.get("/sitemap.xml").header("content-type").map(|t| t.ends_with("; charset=utf-8")), Some(true));
    assert_eq!(server.get("/robots.txt").header("content-type"), Some("text/plain; charset=utf-8"));

    // An edit changes the ETag: the old one no longer gives a 304.
    std::fs::write(root.join("content/about.en.md"), "---\ntitle: Changed\n---\nChanged.\n").unwrap();
    let started = Instant::now();
    loop {
        let r = request(&server.address, "GET", "/about/", &[("If-None-Match", &etag)]).unwrap();
        if r.status == 200 {
            assert!(r.text().contains("Changed"));
            assert_ne!(r.header("etag"), Some(etag.as_str()));
            break;
        }
        assert_eq!(r.status, 304);
        assert!(started.elapsed() < Duration::from_secs(10), "the edit never showed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn binding_beyond_loopback_warns_with_the_real_address() {
    let (_tmp, root, _) = site();
    let server = Server::start(&root, &["--bind", "0.0.0.0"]);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    let started = Instant::now();
    while !server.log_text().contains("warning: listening on 0.0.0.0:") && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.log_text();
    assert!(log.contains(&format!("warning: listening on 0.0.0.0:{port}")), "{log}");
    assert!(log.contains(&format!("(listening on 0.0.0.0:{port})")), "{log}");

    let quiet = Server::start(&root, &[]);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!quiet.log_text().contains("warning: listening"), "{}", quiet.log_text());
}
