//! What the browser tests share: the bundled site built once with the real `tessera` binary, a
//! static HTTP server for it on localhost, and one headless Chromium driven over the DevTools
//! protocol. A page visit records every console error, uncaught exception and failed request.

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const LANGUAGES: [&str; 4] = ["en", "hi", "az", "ar"];
/// Viewport of every visit, wide enough for the desktop layout.
pub const VIEWPORT: (u32, u32) = (1280, 900);

pub struct Harness {
    /// `http://127.0.0.1:PORT` serving the bundled site, no trailing slash.
    pub origin: String,
    /// The built bundled site.
    pub out: PathBuf,
    /// A site made by `tessera new`, built and served on first use.
    scaffolded: OnceLock<(String, tempfile::TempDir)>,
    browser: Browser,
    _dirs: Vec<tempfile::TempDir>,
}

/// The harness, set up by the first test that asks for it.
pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::start)
}

impl Harness {
    fn start() -> Harness {
        assert!(
            Path::new(CHROMIUM).exists(),
            "{CHROMIUM} not found: the browser tests need Debian's chromium and fonts-noto-core; run `.ci/run install` (as root) to install them"
        );
        let site_dir = tempfile::tempdir().expect("temp dir");
        let out = site_dir.path().join("public");
        // Search parts of one page: Pagefind searches every language of the bundled site in
        // several parts merged in the browser, as it searches a large site's.
        build_site_with(Path::new(env!("CARGO_MANIFEST_DIR")), &out, &[("TESSERA_TEST_SEARCH_PART_PAGES", "1")]);
        let origin = serve(&out);
        let profile = tempfile::tempdir().expect("temp dir");
        let args: Vec<&OsStr> = [
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            // Tests run side by side in tabs of one browser: keep tabs that are not in front
            // rendering at full speed, or their layout and screenshots come out half painted.
            "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(PathBuf::from(CHROMIUM)))
            .headless(true)
            .sandbox(false)
            .enable_gpu(false)
            .window_size(Some(VIEWPORT))
            .user_data_dir(Some(profile.path().to_path_buf()))
            .idle_browser_timeout(Duration::from_secs(600))
            .args(args)
            .build()
            .expect("launch options");
        let browser = Browser::new(options)
            .unwrap_or_else(|e| panic!("cannot start {CHROMIUM} ({e}); if it is missing or broken, run `.ci/run install`"));
        Harness { origin, out, scaffolded: OnceLock::new(), browser, _dirs: vec![site_dir, profile] }
    }

    /// Origin of a site freshly made by `tessera new` and built: the theme as a new user gets it.
    pub fn scaffolded_origin(&self) -> &str {
        &self
            .scaffolded
            .get_or_init(|| {
                let dir = tempfile::tempdir().expect("temp dir");
                let root = dir.path().join("site");
                let made = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
                    .arg("new")
                    .arg(&root)
                    .output()
                    .expect("run tessera new");
                assert!(made.status.success(), "tessera new failed: {}", String::from_utf8_lossy(&made.stderr));
                let out = dir.path().join("public");
                build_site(&root, &out);
                (serve(&out), dir)
            })
            .0
    }

    /// Opens `path` (relative to the site root, e.g. `ar/news/`) in a new tab and waits until the
    /// page, its fonts and its pending requests have loaded.
    pub fn open(&self, path: &str) -> Visit {
        self.open_at(&self.origin, path, VIEWPORT)
    }

    /// Opens `path` on the server at `origin` in a viewport of `viewport` (width, height) CSS pixels.
    pub fn open_at(&self, origin: &str, path: &str, viewport: (u32, u32)) -> Visit {
        let tab = self.browser.new_tab().expect("new tab");
        tab.set_default_timeout(Duration::from_secs(30));
        let problems = Arc::new(Mutex::new(Vec::new()));
        let urls: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        {
            let problems = problems.clone();
            let urls = urls.clone();
            tab.add_event_listener(Arc::new(move |event: &Event| {
                let mut problems = problems.lock().unwrap();
                match event {
                    Event::NetworkRequestWillBeSent(e) => {
                        urls.lock().unwrap().insert(e.params.request_id.clone(), e.params.request.url.clone());
                    }
                    Event::NetworkResponseReceived(e) if e.params.response.status >= 400 => {
                        problems.push(format!("HTTP {} for {}", e.params.response.status, e.params.response.url));
                    }
                    Event::NetworkLoadingFailed(e) => {
                        let url = urls.lock().unwrap().get(&e.params.request_id).cloned().unwrap_or_default();
                        problems.push(format!("request failed ({}): {url}", e.params.error_text));
                    }
                    Event::LogEntryAdded(e) if e.params.entry.level == LogEntryLevel::Error => {
                        problems.push(format!(
                            "console: {} {}",
                            e.params.entry.text,
                            e.params.entry.url.clone().unwrap_or_default()
                        ));
                    }
                    Event::RuntimeConsoleAPICalled(e) if e.params.Type == ConsoleAPICalledEventTypeOption::Error => {
                        let args: Vec<String> = e
                            .params
                            .args
                            .iter()
                            .map(|a| a.value.as_ref().map(|v| v.to_string()).or(a.description.clone()).unwrap_or_default())
                            .collect();
                        problems.push(format!("console.error: {}", args.join(" ")));
                    }
                    Event::RuntimeExceptionThrown(e) => {
                        let d = &e.params.exception_details;
                        let what = d.exception.as_ref().and_then(|x| x.description.clone()).unwrap_or_else(|| d.text.clone());
                        problems.push(format!("uncaught exception: {what}"));
                    }
                    _ => {}
                }
            }))
            .expect("event listener");
        }
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .expect("Network.enable");
        tab.enable_log().expect("Log.enable");
        // Tabs opened while others are open do not always get the window's size: fix the viewport.
        tab.call_method(Emulation::SetDeviceMetricsOverride {
            width: viewport.0,
            height: viewport.1,
            device_scale_factor: 1.0,
            mobile: viewport.0 < 600,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .expect("Emulation.setDeviceMetricsOverride");
        tab.enable_runtime().expect("Runtime.enable");
        let url = format!("{}/{}", origin, path.trim_start_matches('/'));
        tab.navigate_to(&url).and_then(|t| t.wait_until_navigated()).unwrap_or_else(|e| panic!("cannot load {url}: {e}"));
        let visit = Visit { tab, url, problems, requested: urls };
        let _: bool = visit.eval("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))");
        visit
    }

    /// The URL path of the first article (newest first) in `lang`'s news listing.
    pub fn first_article(&self, lang: &str) -> String {
        let listing = self.out.join(lang_prefix(lang)).join("news/index.html");
        let html = std::fs::read_to_string(&listing).unwrap_or_else(|e| panic!("cannot read {}: {e}", listing.display()));
        let marker = "class=\"card__title\"><a href=\"";
        let start = html.find(marker).unwrap_or_else(|| panic!("no article in {}", listing.display())) + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_string()
    }
}

/// `""` for the default language (English, at the root), else `ar/` etc.
pub fn lang_prefix(lang: &str) -> String {
    if lang == "en" { String::new() } else { format!("{lang}/") }
}

/// Builds the site in `root` into `out` with the real binary.
fn build_site(root: &Path, out: &Path) {
    build_site_with(root, out, &[]);
}

/// Builds the site in `root` into `out` with the real binary and the environment `env`.
fn build_site_with(root: &Path, out: &Path, env: &[(&str, &str)]) {
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
        .envs(env.iter().copied())
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run tessera");
    assert!(
        result.status.success(),
        "building {} failed:\n{}\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Serves `dir` on 127.0.0.1 from a background thread; returns the origin.
fn serve(dir: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind localhost");
    listener.set_nonblocking(true).expect("non-blocking listener");
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let files = tower_http::services::ServeDir::new(&dir)
                .not_found_service(tower_http::services::ServeFile::new(dir.join("404.html")));
            let app = axum::Router::new().fallback_service(files);
            axum::serve(listener, app).await.expect("serve the site");
        });
    });
    origin
}

/// One page open in its own tab.
pub struct Visit {
    pub tab: Arc<Tab>,
    pub url: String,
    problems: Arc<Mutex<Vec<String>>>,
    /// Request id -> URL of every request the page made.
    requested: Arc<Mutex<HashMap<String, String>>>,
}

impl Visit {
    /// The URL of every request the page (and its frames) made so far.
    pub fn requested(&self) -> Vec<String> {
        let mut urls: Vec<String> = self.requested.lock().unwrap().values().cloned().collect();
        urls.sort();
        urls
    }

    /// Evaluates a JavaScript expression (a promise is awaited) and decodes its JSON value.
    pub fn eval<T: DeserializeOwned>(&self, expression: &str) -> T {
        let wrapped = format!("(async () => JSON.stringify(await ({expression})))()");
        let result = self.tab.evaluate(&wrapped, true).unwrap_or_else(|e| panic!("{}: evaluating {expression}: {e}", self.url));
        let json = result
            .value
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("{}: {expression} returned no value ({:?})", self.url, result.description));
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {expression} returned {json}: {e}", self.url))
    }

    /// Polls `condition` (a JavaScript boolean expression) until it holds; panics after `timeout`.
    pub fn wait_for(&self, condition: &str, timeout: Duration) {
        assert!(self.holds_within(condition, timeout), "{}: still not true after {timeout:?}: {condition}", self.url);
    }

    /// Polls `condition` until it holds (true) or `timeout` passes (false).
    pub fn holds_within(&self, condition: &str, timeout: Duration) -> bool {
        let started = Instant::now();
        while !self.eval::<bool>(&format!("!!({condition})")) {
            if started.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
    }

    /// Console errors, exceptions and failed requests seen so far.
    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().clone()
    }

    /// Writes a PNG of the viewport to `path`.
    pub fn screenshot(&self, path: &Path) {
        self.tab.bring_to_front().expect("bring the tab to the front");
        let _: bool = self.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
        let png = self.tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).expect("screenshot");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

impl Drop for Visit {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}
