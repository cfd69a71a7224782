//! `tessera serve` for the tests: started on a free loopback port, killed when dropped, and a
//! plain HTTP/1.1 client over `std::net::TcpStream` (one request per connection).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running `tessera serve`; killed and reaped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub address: String,
    /// Every line it printed (stdout and stderr) so far.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `tessera serve --port 0 --root ROOT [extra...]` and waits until it serves.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tessera serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let err_log = log.clone();
        std::thread::spawn(move || stderr.lines().map_while(Result::ok).for_each(|l| err_log.lock().unwrap().push(l)));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        log.lock().unwrap().push(first.trim_end().to_string());
        let out_log = log.clone();
        std::thread::spawn(move || stdout.lines().map_while(Result::ok).for_each(|l| out_log.lock().unwrap().push(l)));
        let mut server = Server { child, address: String::new(), log };
        let Some(at) = first.find("http://") else {
            std::thread::sleep(Duration::from_millis(200));
            panic!("the server did not start: {:?}", server.log.lock().unwrap());
        };
        server.address = first[at + 7..].split('/').next().unwrap().to_string();
        server
    }

    pub fn get(&self, path: &str) -> Response {
        request(&self.address, "GET", path, &[]).unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection (`Connection: close`); the whole response.
pub fn request(address: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse(&raw, method != "HEAD")
        .ok_or_else(|| std::io::Error::other(format!("malformed response: {}", String::from_utf8_lossy(&raw))))
}

fn parse(raw: &[u8], with_body: bool) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(len) = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse::<usize>().ok())
        && with_body
        && body.len() != len
    {
        return None;
    }
    Some(Response { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// A keep-alive connection that sends GET requests one after the other, as a browser tab does.
pub struct Client {
    address: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Client {
    pub fn new(address: &str) -> Client {
        Client { address: address.to_string(), stream: None }
    }

    pub fn get(&mut self, path: &str) -> std::io::Result<Response> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.address)?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let result = self.exchange(path);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn exchange(&mut self, path: &str) -> std::io::Result<Response> {
        let address = self.address.clone();
        let reader = self.stream.as_mut().unwrap();
        reader.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes())?;
        let mut head = Vec::new();
        loop {
            let before = head.len();
            if reader.read_until(b'\n', &mut head)? == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed mid-response"));
            }
            if &head[before..] == b"\r\n" {
                break;
            }
        }
        let length = std::str::from_utf8(&head)
            .ok()
            .and_then(|h| {
                h.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
            })
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or_else(|| std::io::Error::other("no Content-Length"))?;
        let mut raw = head;
        let start = raw.len();
        raw.resize(start + length, 0);
        reader.read_exact(&mut raw[start..])?;
        parse(&raw, true).ok_or_else(|| std::io::Error::other("malformed response"))
    }
}
