//! A scratch workspace of generated crates, checked with `cargo clippy` (default lints) in one
//! run with one shared target directory, and documented with `cargo doc` when asked: what
//! `corpus` and `fuzz` share. Every error, compiler warning, clippy lint and rustdoc lint is
//! attributed to the crate it came from.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// What `cargo clippy` said about one crate of the workspace.
#[derive(Debug, Default)]
pub struct Findings {
    /// The first error, rendered.
    pub error: Option<String>,
    /// The first compiler warning, rendered.
    pub warning: Option<String>,
    /// The first clippy (or, documenting, rustdoc) lint, rendered.
    pub lint: Option<String>,
    /// Compiler warnings.
    pub warnings: usize,
    /// Clippy lints by name (`needless_return`), and rustdoc's by theirs (`rustdoc::bare_urls`).
    pub lints: BTreeMap<String, usize>,
    /// Cargo said it could not compile the crate (an error without a message of its own).
    pub failed: bool,
}

impl Findings {
    /// Nothing to say: the crate compiles without a warning or a lint.
    pub fn clean(&self) -> bool {
        self.error.is_none() && self.warning.is_none() && self.lint.is_none() && !self.failed
    }
}

/// Gives a generated crate the package name `name`, so that many fit in one workspace.
pub fn rename_package(files: &mut BTreeMap<String, String>, name: &str) {
    if let Some(toml) = files.get_mut("Cargo.toml") {
        if let Some(start) = toml.find("\nname = ") {
            let end = toml[start + 1..]
                .find('\n')
                .map_or(toml.len(), |e| start + 1 + e);
            toml.replace_range(start + 1..end, &format!("name = \"{name}\""));
        }
    }
}

/// What a scratch workspace is run through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// `cargo clippy` with its default lints (which include the compiler's warnings).
    Clippy,
    /// `cargo doc --no-deps` with rustdoc's default lints: what `cargo doc` says of the docs.
    Doc,
}

/// Writes `out/Cargo.toml` with `members` (directories under `out`, each named by its last
/// component, whose package is `{prefix}{last component}`), runs `cargo clippy` over them and
/// returns the findings by member directory name. `target` is the shared target directory.
pub fn clippy_workspace(
    root: &Path,
    out: &Path,
    members: &[String],
    prefix: &str,
    target: &Path,
) -> Result<BTreeMap<String, Findings>, String> {
    run_workspace(root, out, members, prefix, target, Pass::Clippy)
}

/// As [`clippy_workspace`], with the pass to run: a rustdoc lint is a finding of its own kind
/// (`rustdoc::bare_urls` in [`Findings::lints`]).
pub fn run_workspace(
    root: &Path,
    out: &Path,
    members: &[String],
    prefix: &str,
    target: &Path,
    pass: Pass,
) -> Result<BTreeMap<String, Findings>, String> {
    let mut found: BTreeMap<String, Findings> = BTreeMap::new();
    if members.is_empty() {
        return Ok(found);
    }
    let listed: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\n    {}\n]\n",
            listed.join(",\n    ")
        ),
    )
    .map_err(|e| format!("cannot write the scratch workspace: {e}"))?;
    // The project's lock file pins the same dependencies, so the check runs offline.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    // Each crate's typed mocks (feature `mock`) are checked too.
    let mocks: Vec<String> = members
        .iter()
        .filter(|m| {
            std::fs::read_to_string(out.join(m).join("Cargo.toml"))
                .is_ok_and(|toml| toml.contains("\nmock = ["))
        })
        .map(|m| {
            let last = m.rsplit('/').next().unwrap_or(m);
            format!("{prefix}{last}/mock")
        })
        .collect();
    let verb = match pass {
        Pass::Clippy => "checking",
        Pass::Doc => "documenting",
    };
    eprintln!("{verb} {} crates …", members.len());
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    match pass {
        Pass::Clippy => command.arg("clippy"),
        Pass::Doc => command.args(["doc", "--no-deps"]),
    };
    command.args([
        "--workspace",
        "--keep-going",
        "--offline",
        "--message-format=json",
    ]);
    if !mocks.is_empty() {
        command.args(["--features", &mocks.join(",")]);
    }
    let output = command
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target)
        // Each crate is checked once: incremental state would only take disk.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo {pass:?}: {e}"))?;
    eprintln!("{verb} took {:.0?}", started.elapsed());
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let level = message["message"]["level"].as_str().unwrap_or("");
        if !matches!(level, "warning" | "error") {
            continue;
        }
        let manifest = message["manifest_path"].as_str().unwrap_or("");
        let Some(member) = Path::new(manifest)
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        let text = message["message"]["rendered"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let code = message["message"]["code"]["code"].as_str().unwrap_or("");
        let entry = found.entry(member).or_default();
        if level == "error" {
            entry.error.get_or_insert(text);
        } else if let Some(lint) = code
            .strip_prefix("clippy::")
            .or_else(|| code.starts_with("rustdoc::").then_some(code))
        {
            *entry.lints.entry(lint.to_string()).or_default() += 1;
            entry.lint.get_or_insert(text);
        } else {
            entry.warnings += 1;
            entry.warning.get_or_insert(text);
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        for member in members {
            let name = Path::new(member)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if stderr.contains(&format!("could not compile `{prefix}{name}`")) {
                let entry = found.entry(name).or_default();
                entry.failed = true;
                entry.error.get_or_insert_with(|| stderr.to_string());
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of finding is told apart and attributed to its crate.
    #[test]
    fn errors_warnings_and_lints_land_on_their_crates() {
        let root = crate::workspace_root();
        let out = root.join("target/tmp/scratch-test");
        let _ = std::fs::remove_dir_all(&out);
        let crates = [
            ("clean", "pub fn f(x: &[u8]) -> usize { x.len() }"),
            ("error", "pub fn f() -> u8 { \"not a number\" }"),
            ("warning", "pub fn f() { let unused = 1; }"),
            ("lint", "pub fn f(x: &Vec<u8>) -> usize { x.len() }"),
        ];
        let mut members = Vec::new();
        for (name, code) in crates {
            let dir = out.join("crates").join(name);
            std::fs::create_dir_all(dir.join("src")).unwrap();
            std::fs::write(
                dir.join("Cargo.toml"),
                format!(
                    "[package]\nname = \"t-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n"
                ),
            )
            .unwrap();
            std::fs::write(dir.join("src/lib.rs"), code).unwrap();
            members.push(format!("crates/{name}"));
        }
        let target = out.join("target");
        let found = clippy_workspace(&root, &out, &members, "t-", &target).unwrap();
        assert!(found.get("clean").is_none_or(Findings::clean), "{found:?}");
        assert!(found["error"].error.is_some(), "{found:?}");
        assert_eq!(found["warning"].warnings, 1, "{found:?}");
        assert!(found["warning"].error.is_none(), "{found:?}");
        assert_eq!(found["lint"].lints.get("ptr_arg"), Some(&1), "{found:?}");

        // Documented: a bare URL is rustdoc's lint, on its crate; the others say nothing.
        std::fs::write(
            out.join("crates/clean/src/lib.rs"),
            "/// See https://example.com/docs.\npub fn f() {}\n",
        )
        .unwrap();
        let documented = ["crates/clean".to_string(), "crates/lint".to_string()];
        let found = run_workspace(&root, &out, &documented, "t-", &target, Pass::Doc).unwrap();
        assert_eq!(
            found["clean"].lints.get("rustdoc::bare_urls"),
            Some(&1),
            "{found:?}"
        );
        assert!(found.get("lint").is_none_or(Findings::clean), "{found:?}");
        let _ = std::fs::remove_dir_all(&out);
    }
}
