//! `tessera serve`: serves the site from memory on a loopback address, and with `--watch`
//! brings it up to date after every edit (only the outputs the edit touches are rendered again),
//! then tells open pages to reload, to swap a stylesheet, or to show the build error in an
//! overlay. Requests are answered only from the built site: nothing outside it is ever read.

mod http;
mod live;

use crate::build::Session;
use crate::output::Bytes;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Prints a line for the person running the server; a closed terminal is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub const EVENTS_PATH: &str = "/__tessera/events";
/// The translation status of the site being served (`check --report`), live.
pub const REPORT_PATH: &str = "/_tessera/";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub watch: bool,
    pub open: bool,
    pub drafts: bool,
}

/// What the server shares between requests and the watcher.
struct Shared {
    /// The built site and what brings it up to date: held while an edit is applied or the
    /// search index renewed, never by a request.
    session: Mutex<Session>,
    /// What requests read: brought up to date under a short lock once an update is done.
    served: RwLock<Served>,
    /// When the site last changed, to renew the search index once edits pause.
    last_change: std::sync::Mutex<Instant>,
    /// The last build error, shown as an overlay until a build succeeds.
    error: RwLock<Option<String>>,
    events: broadcast::Sender<String>,
    validators: http::Validators,
}

/// Runs the server until the process is stopped.
pub fn serve(options: &ServeOptions) -> anyhow::Result<std::process::ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(options))
}

async fn run(options: &ServeOptions) -> anyhow::Result<std::process::ExitCode> {
    let listener = tokio::net::TcpListener::bind((options.bind.as_str(), options.port)).await?;
    let address: SocketAddr = listener.local_addr()?;
    let host = if address.ip().is_unspecified() { "127.0.0.1".to_string() } else { address.ip().to_string() };
    let host = if host.contains(':') { format!("[{host}]") } else { host };
    let base_url = format!("http://{host}:{}/", address.port());
    if !address.ip().is_loopback() {
        say_err!(
            "warning: listening on {address}, which other machines can reach: they would see drafts and build errors. \
             Use --bind 127.0.0.1 unless you mean it."
        );
    }
    let started = Instant::now();
    let session = match Session::start_live(&options.root, Some(&base_url), options.drafts) {
        Ok(s) => s,
        Err(errors) => {
            say_err!("{errors}");
            return Ok(std::process::ExitCode::FAILURE);
        }
    };
    for w in &session.built.warnings {
        say_err!("{w}");
    }
    let pages = session.built.site.pages.len();
    let (events, _) = broadcast::channel(64);
    let served = Served::of(&session);
    let shared = Arc::new(Shared {
        session: Mutex::new(session),
        served: RwLock::new(served),
        last_change: std::sync::Mutex::new(Instant::now() - SEARCH_QUIET),
        error: RwLock::new(None),
        events,
        validators: http::Validators::default(),
    });
    refresh_search_when_quiet(shared.clone());
    let _watcher = if options.watch { Some(watch(options.root.clone(), shared.clone())?) } else { None };
    // Announced once edits are being watched, so an edit made right after this line counts.
    say!(
        "built {pages} pages in {} ms; serving {} at {base_url}{}{}",
        started.elapsed().as_millis(),
        options.root.display(),
        if options.watch { " (watching for changes)" } else { "" },
        if address.ip().is_loopback() { String::new() } else { format!(" (listening on {address})") }
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&base_url).spawn();
    }
    let app = Router::new()
        .route(EVENTS_PATH, axum::routing::get(events_handler))
        .route(REPORT_PATH, axum::routing::get(report_handler))
        .fallback(axum::routing::get(file_handler))
        .with_state(shared);
    axum::serve(listener, app).await?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Server-sent events for the live-reload script: the current state first, then every change.
async fn events_handler(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let current = match &*shared.error.read().unwrap_or_else(|e| e.into_inner()) {
        Some(error) => live::error_event(error),
        None => "ok".to_string(),
    };
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::once(current).chain(updates).map(|m| Ok::<_, Infallible>(Event::default().data(m)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The translation status of the site as it is now (waits for an edit being applied).
async fn report_handler(State(shared): State<Arc<Shared>>) -> Response {
    let session = shared.session();
    let (dashboard, _) = crate::dashboard::Dashboard::of_built(&session.built);
    let html = dashboard.live_html(&session.built.site, EVENTS_PATH);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

/// Answers a request from the built site in memory (HEAD too: axum drops the body).
async fn file_handler(State(shared): State<Arc<Shared>>, request: HeaderMap, uri: Uri) -> Response {
    let Ok(path) = percent_encoding::percent_decode_str(uri.path()).decode_utf8() else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let site = shared.served.read().unwrap_or_else(|e| e.into_inner());
    let base = site.base_path.as_str();
    let Some(key) = path.strip_prefix(base).or_else(|| (path.as_ref() == base.trim_end_matches('/')).then_some("")) else {
        return not_found(&shared, &site, "");
    };
    if key.split('/').any(|part| part == ".." || part == ".") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let key = if key.is_empty() || key.ends_with('/') { format!("{key}index.html") } else { key.to_string() };
    match site.lookup(&key) {
        Some(bytes) => respond(&shared, &request, &key, bytes, StatusCode::OK),
        None if site.lookup(&format!("{key}/index.html")).is_some() => {
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => not_found(&shared, &site, &key),
    }
}

/// The built site as requests see it: generated files in memory (their bytes shared with the
/// session), copied files on disk.
struct Served {
    files: BTreeMap<String, Bytes>,
    copies: BTreeMap<String, PathBuf>,
    /// The real (symlink-free) folders copied files may come from.
    roots: Vec<PathBuf>,
    base_path: String,
}

/// The site's folder and its theme's, with every symlink resolved.
fn site_roots(site: &crate::content::Site) -> Vec<PathBuf> {
    let mut roots = vec![site.root.clone()];
    if let Some(theme) = &site.config.theme {
        roots.push(site.root.join("themes").join(theme));
    }
    roots.iter().filter_map(|r| r.canonicalize().ok()).collect()
}

impl Served {
    fn of(session: &Session) -> Served {
        let output = &session.built.output;
        Served {
            files: output.files.clone(),
            copies: output.copies.clone(),
            roots: site_roots(&session.built.site),
            base_path: session.built.site.config.base_path(),
        }
    }

    /// What differs from the session's site: the files whose bytes are not the ones served
    /// (compared by address, as they are shared), and the files no longer in it.
    fn changes(&self, session: &Session) -> (Vec<(String, Bytes)>, Vec<String>) {
        let files = &session.built.output.files;
        let fresh = files
            .iter()
            .filter(|(path, bytes)| !self.files.get(*path).is_some_and(|b| Arc::ptr_eq(b, bytes)))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect();
        let gone = self.files.keys().filter(|path| !files.contains_key(*path)).cloned().collect();
        (fresh, gone)
    }

    /// A generated file, or a file the build copies. A copied file is read only when its real
    /// path, resolved now, is inside the site: a symlink that leads out of it is not followed.
    fn lookup(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(bytes) = self.files.get(key) {
            return Some(bytes.to_vec());
        }
        let real = self.copies.get(key)?.canonicalize().ok()?;
        if !self.roots.iter().any(|root| real.starts_with(root)) {
            return None;
        }
        std::fs::read(real).ok()
    }
}

impl Shared {
    /// The session, even if a panic poisoned its lock (what it holds stays usable).
    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Serves the session's site as it is now: the files `update` names as changed or removed,
    /// or without one, the differences found under a read lock. Requests wait only while they
    /// are put in.
    fn publish(&self, session: &Session, update: Option<&crate::build::Update>) {
        let (fresh, gone) = match update.filter(|u| u.kind != crate::build::UpdateKind::Full) {
            Some(update) => {
                let files = &session.built.output.files;
                let fresh = update.changed.iter().filter_map(|p| Some((p.clone(), files.get(p)?.clone()))).collect();
                (fresh, update.removed.clone())
            }
            None => self.served.read().unwrap_or_else(|e| e.into_inner()).changes(session),
        };
        let (roots, base_path) = (site_roots(&session.built.site), session.built.site.config.base_path());
        let mut served = self.served.write().unwrap_or_else(|e| e.into_inner());
        for path in gone {
            served.files.remove(&path);
        }
        served.files.extend(fresh);
        if served.copies != session.built.output.copies {
            served.copies = session.built.output.copies.clone();
        }
        served.roots = roots;
        served.base_path = base_path;
    }
}

fn not_found(shared: &Shared, site: &Served, key: &str) -> Response {
    let lang = key.split('/').next().unwrap_or("");
    let page = site.lookup(&format!("{lang}/404.html")).or_else(|| site.lookup("404.html"));
    match page {
        Some(bytes) => respond(shared, &HeaderMap::new(), "404.html", bytes, StatusCode::NOT_FOUND),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn respond(shared: &Shared, request: &HeaderMap, key: &str, bytes: Vec<u8>, status: StatusCode) -> Response {
    let body = if key.ends_with(".html") || key.ends_with(".htm") { live::inject(bytes) } else { bytes };
    http::respond(&shared.validators, request, key, body, status)
}

/// Hands the memory a whole rebuild or a new search index freed back to the system: glibc
/// keeps it otherwise, and the server's footprint would grow with every such update.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives free pages of the heap back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How long edits must pause before the search index is renewed.
const SEARCH_QUIET: Duration = Duration::from_millis(1500);

/// Renews the search index in the background once edits pause: indexing reads every page,
/// which is too slow to do on each keystroke of a large site.
fn refresh_search_when_quiet(shared: Arc<Shared>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let quiet = shared.last_change.lock().unwrap_or_else(|e| e.into_inner()).elapsed() >= SEARCH_QUIET;
            let stale = shared.session().search_stale;
            if !(quiet && stale) {
                continue;
            }
            let started = Instant::now();
            // Copy the pages of languages to index again while holding the session (edits wait,
            // requests do not), index without holding it.
            let plan = {
                let session = shared.session();
                crate::search::plan(Some(&session.root), &session.built.site.config, &session.built.output).into_owned()
            };
            match plan.run() {
                Ok((bundle, _)) => {
                    let mut session = shared.session();
                    let update = session.replace_search(bundle);
                    shared.publish(&session, Some(&update));
                    // Edits made while indexing are not in this index yet.
                    let changed_since =
                        shared.last_change.lock().unwrap_or_else(|e| e.into_inner()).elapsed() < started.elapsed();
                    session.search_stale = changed_since;
                    drop(session);
                    release_freed_memory();
                    say!("search index renewed ({} files) in {} ms", update.rendered, started.elapsed().as_millis());
                }
                Err(errors) => say_err!("{errors}"),
            }
        }
    });
}

/// Watches the site root and updates the session after each batch of edits.
fn watch(root: PathBuf, shared: Arc<Shared>) -> anyhow::Result<impl Drop> {
    use notify::RecursiveMode;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(10), Some(Duration::from_millis(5)), tx)?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    let root_abs = root.canonicalize().unwrap_or(root.clone());
    std::thread::spawn(move || {
        for result in rx {
            let Ok(events) = result else { continue };
            let mut paths: Vec<PathBuf> =
                events.iter().filter(|e| is_edit(&e.kind)).flat_map(|e| e.paths.iter().cloned()).collect();
            paths.retain(|p| is_source(&root_abs, p));
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                continue;
            }
            let relative: Vec<PathBuf> = paths.iter().map(|p| p.strip_prefix(&root_abs).unwrap_or(p).to_path_buf()).collect();
            rebuild(&shared, &relative);
        }
    });
    Ok(debouncer)
}

/// Creating, writing, renaming and removing files change the site; reading them does not.
fn is_edit(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    )
}

/// Files under the site root that can change the site (not the output, VCS or build folders).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    !matches!(
        rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).as_deref(),
        Some("public" | "target" | ".git" | "node_modules") | None
    )
}

/// Applies an edit, prints what happened and tells the browsers.
fn rebuild(shared: &Shared, paths: &[PathBuf]) {
    let started = Instant::now();
    let result = {
        let mut session = shared.session();
        let result = session.update(paths);
        // A failed update may have changed some files before failing: all are compared.
        shared.publish(&session, result.as_ref().ok());
        result
    };
    if result.as_ref().is_ok_and(|u| u.kind == crate::build::UpdateKind::Full) {
        release_freed_memory();
    }
    let elapsed = started.elapsed();
    *shared.last_change.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match result {
        Ok(update) => {
            let had_error = shared.error.write().unwrap_or_else(|e| e.into_inner()).take().is_some();
            if update.kind == crate::build::UpdateKind::None && !had_error {
                return;
            }
            say!(
                "{}: {} update, {} outputs rendered, {} changed, {} removed in {:.1} ms",
                names.join(", "),
                update.kind,
                update.rendered,
                update.changed.len(),
                update.removed.len(),
                elapsed.as_secs_f64() * 1000.0
            );
            let _ = shared.events.send(live::update_event(&update, had_error));
        }
        Err(errors) => {
            let text = errors.to_string();
            let mut current = shared.error.write().unwrap_or_else(|e| e.into_inner());
            if current.as_deref() != Some(text.as_str()) {
                say_err!("{text}");
                say_err!("still serving the last good build");
            }
            *current = Some(text.clone());
            let _ = shared.events.send(live::error_event(&text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests are answered from what is served, never from the session: while an edit holds
    /// the session (here, for as long as the test wants), pages still come back at once.
    #[test]
    fn requests_are_answered_while_an_update_holds_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::scaffold::new_site(&root, &["en".to_string(), "ar".to_string()]).unwrap();
        let session = Session::start_live(&root, Some("http://127.0.0.1:1/"), false).unwrap();
        let (events, _) = broadcast::channel(4);
        let shared = Arc::new(Shared {
            served: RwLock::new(Served::of(&session)),
            session: Mutex::new(session),
            last_change: Mutex::new(Instant::now()),
            error: RwLock::new(None),
            events,
            validators: http::Validators::default(),
        });
        let held = shared.session();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let response = runtime.block_on(async {
            let request = file_handler(State(shared.clone()), HeaderMap::new(), Uri::from_static("/"));
            tokio::time::timeout(Duration::from_secs(5), request).await
        });
        let response = response.expect("a request waited for the session");
        assert_eq!(response.status(), StatusCode::OK);
        drop(held);
    }

    /// An update is served once published: changed bytes replace the old, removed files go.
    #[test]
    fn publishing_serves_the_sessions_files_as_they_are_now() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::scaffold::new_site(&root, &["en".to_string()]).unwrap();
        let mut session = Session::start_live(&root, Some("http://127.0.0.1:1/"), false).unwrap();
        let (events, _) = broadcast::channel(4);
        let shared = Shared {
            served: RwLock::new(Served::of(&session)),
            session: Mutex::new(Session::start_live(&root, Some("http://127.0.0.1:1/"), false).unwrap()),
            last_change: Mutex::new(Instant::now()),
            error: RwLock::new(None),
            events,
            validators: http::Validators::default(),
        };
        let files = &mut session.built.output.files;
        let first = files.keys().next().unwrap().clone();
        files.remove(&first);
        files.insert("en/index.html".into(), Bytes::new(b"new home".to_vec()));
        shared.publish(&session, None);
        let served = shared.served.read().unwrap();
        assert_eq!(served.lookup("en/index.html").unwrap(), b"new home");
        assert!(!served.files.contains_key(&first), "{first} is still served");
        assert_eq!(served.files.len(), session.built.output.files.len());
    }
}
