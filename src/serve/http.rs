//! How `serve` answers with a file: its content type (with `charset=utf-8` for text), an ETag
//! and Last-Modified, and `304 Not Modified` when the browser's copy is current.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::SystemTime;

/// For every path served: the ETag of its content and when the server first served that
/// content (its Last-Modified).
#[derive(Default)]
pub struct Validators {
    seen: Mutex<HashMap<String, (String, SystemTime)>>,
}

impl Validators {
    fn of(&self, key: &str, body: &[u8]) -> (String, SystemTime) {
        let mut hasher = std::hash::DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), body.len());
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(key) {
            Some((known, since)) if *known == etag => (etag, *since),
            _ => {
                // Whole seconds, as HTTP dates have them, so If-Modified-Since compares exactly.
                let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
                let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
                seen.insert(key.to_string(), (etag.clone(), now));
                (etag, now)
            }
        }
    }
}

/// The content type of `key`; text types carry `charset=utf-8`.
pub fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let essence = mime.essence_str();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "application/atom+xml" | "image/svg+xml"
        );
    if textual { format!("{essence}; charset=utf-8") } else { essence.to_string() }
}

/// A response with `body` for `key`: 304 when the request's If-None-Match (or, without it,
/// If-Modified-Since) shows the client already has this content.
pub fn respond(validators: &Validators, request: &HeaderMap, key: &str, body: Vec<u8>, status: StatusCode) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&content_type(key)) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // Browsers keep a copy but ask every time: an edit shows at once, an unchanged page is a 304.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if status != StatusCode::OK {
        return (status, headers, Body::from(body)).into_response();
    }
    let (etag, modified) = validators.of(key, &body);
    let modified = http_date(modified);
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&modified) {
        headers.insert(header::LAST_MODIFIED, v);
    }
    if not_modified(request, &etag, &modified) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (status, headers, Body::from(body)).into_response()
}

fn not_modified(request: &HeaderMap, etag: &str, modified: &str) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return tags.split(',').map(|t| t.trim()).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag);
    }
    let since = request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
    match (since.and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok()), chrono::DateTime::parse_from_rfc2822(modified)) {
        (Some(since), Ok(modified)) => modified <= since,
        _ => false,
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn http_date(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("main.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("photo.jpg"), "image/jpeg");
    }

    #[test]
    fn conditional_requests() {
        let v = Validators::default();
        let first = respond(&v, &HeaderMap::new(), "index.html", b"<p>a</p>".to_vec(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].clone();
        let modified = first.headers()[header::LAST_MODIFIED].clone();
        let mut request = HeaderMap::new();
        request.insert(header::IF_MODIFIED_SINCE, modified);
        assert_eq!(respond(&v, &request, "index.html", b"<p>a</p>".to_vec(), StatusCode::OK).status(), 304);
        request.insert(header::IF_NONE_MATCH, etag.clone());
        assert_eq!(respond(&v, &request, "index.html", b"<p>a</p>".to_vec(), StatusCode::OK).status(), 304);
        // A changed page: its ETag no longer matches, whatever If-Modified-Since says.
        assert_eq!(respond(&v, &request, "index.html", b"<p>b</p>".to_vec(), StatusCode::OK).status(), 200);
    }
}
