//! What the tests that run as a user outside this workspace share: the CLI, scratch folders,
//! Cargo runs against the workspace's lock file, and a one-reply HTTP server.

// Each test binary uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const CLI: &str = env!("CARGO_BIN_EXE_openapi-rs");

pub fn workspace() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A folder outside the workspace, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("openapi-rs-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        assert!(
            !dir.starts_with(workspace()),
            "the scratch folder must be outside the workspace"
        );
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("read dir")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(CLI)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Builds the crate in `dir` (outside any workspace) with the workspace's lock file and a target
/// folder beside the workspace's, where the dependencies are already compiled.
pub fn cargo_build(dir: &Path, extra: &[&str]) -> Output {
    cargo(dir, &[&["build", "--quiet"][..], extra].concat())
}

/// `cargo clippy` of every target of the crate in `dir`, its lints (and rustc's) as errors.
pub fn clippy(dir: &Path) -> Output {
    cargo(
        dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    )
}

/// `cargo ARGS` in `dir`, with the workspace's lock file and warnings as errors.
pub fn cargo(dir: &Path, args: &[&str]) -> Output {
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .env("CARGO_TARGET_DIR", workspace().join("target/outside"))
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(dir)
        .output()
        .expect("cargo runs")
}

/// A server on 127.0.0.1 that answers one request with `body` (JSON, 200) and hands back the
/// request's head.
pub fn one_reply(body: &'static str) -> (String, std::thread::JoinHandle<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let server = std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return String::new();
        };
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes());
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, server)
}
