//! Writing a generated crate to disk and checking a directory against it: one function,
//! [`sync`], does both, so `generate` and `check` (the CLI's, `cargo xtask regen` and
//! `cargo xtask check`, a user's own xtask) can never disagree about what "up to date" means.
//!
//! The generator owns a crate directory's `Cargo.toml`, `rustfmt.toml` and everything under
//! `src/`; hand-written `examples/`, `tests/` and `README.md` are left alone. It writes only
//! into a directory that holds no crate yet or a crate it made (whose `Cargo.toml` and
//! `src/lib.rs` carry its header): pointed at a crate of someone's own, it refuses rather than
//! replace that crate's manifest and sources.

use crate::{format, Error, Generated};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Whether [`sync`] writes or only compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write files whose content changed; delete stale generated files.
    Write,
    /// Write nothing.
    Check,
}

/// One difference between a generated crate and the files in a directory.
///
/// ```
/// use openapi_rs_codegen::{Drift, Generator};
/// let krate = Generator::new("tests/fixtures/responses.json").generate()?;
/// let dir = std::env::temp_dir().join("openapi-rs-doctest-drift");
/// krate.write_to(&dir)?;
/// std::fs::write(dir.join("src/extra.rs"), "// not the generator's").expect("write");
/// let drift = krate.check(&dir)?;
/// assert!(matches!(&drift[..], [Drift::Stale { .. }]));
/// assert!(drift[0].diff(&dir).contains("a/src/extra.rs (committed)"));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), openapi_rs_codegen::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file's content differs.
    Changed {
        /// The file.
        path: PathBuf,
        /// What the directory holds.
        old: String,
        /// What the generator makes.
        new: String,
    },
    /// The generator makes a file that does not exist.
    Missing {
        /// The file.
        path: PathBuf,
        /// What the generator makes.
        new: String,
    },
    /// A file the generator owns but no longer makes.
    Stale {
        /// The file.
        path: PathBuf,
        /// What the directory holds.
        old: String,
    },
}

impl Drift {
    /// The file that differs.
    pub fn path(&self) -> &Path {
        match self {
            Drift::Changed { path, .. }
            | Drift::Missing { path, .. }
            | Drift::Stale { path, .. } => path,
        }
    }

    /// A unified diff of the change, with paths shown relative to `root`.
    pub fn diff(&self, root: &Path) -> String {
        let shown = self
            .path()
            .strip_prefix(root)
            .unwrap_or(self.path())
            .display()
            .to_string();
        let (old, new) = match self {
            Drift::Changed { old, new, .. } => (old.as_str(), new.as_str()),
            Drift::Missing { new, .. } => ("", new.as_str()),
            Drift::Stale { old, .. } => (old.as_str(), ""),
        };
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{shown} (committed)"),
                &format!("b/{shown} (generated)"),
            )
            .to_string()
    }
}

/// Files of a crate directory the generator owns.
fn owned_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    for name in ["Cargo.toml", "rustfmt.toml"] {
        if dir.join(name).is_file() {
            files.insert(dir.join(name));
        }
    }
    let mut stack = vec![dir.join("src")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path);
            }
        }
    }
    files
}

/// Whether a file differs from what the generator makes only in the command its header says
/// regenerates it: the same spec and config named by other relative paths, as when `generate`
/// ran in one folder and `check` runs in another. That is not drift, and the file is left as
/// it is.
fn same_but_for_command(old: &[u8], new: &str) -> bool {
    let Ok(old) = std::str::from_utf8(old) else {
        return false;
    };
    let (mut old_lines, mut new_lines) = (old.split('\n'), new.split('\n'));
    loop {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if format::is_command_line(a) && format::is_command_line(b) => {}
            _ => return false,
        }
    }
}

/// An error when `dir` holds a crate the generator did not make: a `Cargo.toml` or a
/// `src/lib.rs` whose first line lacks the generator's header.
fn refuse_a_crate_of_ones_own(dir: &Path) -> Result<(), Error> {
    for name in ["Cargo.toml", "src/lib.rs"] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read(&path) else {
            continue;
        };
        let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
        if !String::from_utf8_lossy(first).contains(format::GENERATED) {
            return Err(Error::at(
                &path,
                "",
                format!(
                    "{} holds a crate the generator did not make (this file's first line has no \
                     `{}` header); nothing was written, so as not to replace its files",
                    dir.display(),
                    format::GENERATED
                ),
            )
            .hint(
                "generate into a new or empty folder (say crates/my-client) and depend on it, \
                 or into a folder the generator made before",
            ));
        }
    }
    Ok(())
}

/// Compares `generated` with the files in `dir`; in [`Mode::Write`] also makes `dir` match,
/// touching only files whose content changed (a file whose header names the regenerating
/// command otherwise is left as it is). Returns the differences found.
pub(crate) fn sync(dir: &Path, generated: &Generated, mode: Mode) -> Result<Vec<Drift>, Error> {
    let io = |path: &Path, what: &str, e: std::io::Error| {
        Error::at(path, "", format!("cannot {what}: {e}"))
            .hint("check that the output directory is writable")
    };
    if mode == Mode::Write {
        refuse_a_crate_of_ones_own(dir)?;
    }
    let mut drift = Vec::new();
    let mut expected = BTreeSet::new();
    for (rel, new) in &generated.files {
        let path = dir.join(rel);
        expected.insert(path.clone());
        match std::fs::read(&path) {
            Ok(old) if old == new.as_bytes() || same_but_for_command(&old, new) => {}
            Ok(old) => drift.push(Drift::Changed {
                path,
                old: String::from_utf8_lossy(&old).into_owned(),
                new: new.clone(),
            }),
            Err(_) => drift.push(Drift::Missing {
                path,
                new: new.clone(),
            }),
        }
    }
    for path in owned_files(dir) {
        if !expected.contains(&path) {
            let old = std::fs::read(&path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            drift.push(Drift::Stale { path, old });
        }
    }
    if mode == Mode::Write {
        for d in &drift {
            match d {
                Drift::Changed { path, new, .. } | Drift::Missing { path, new } => {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| io(parent, "create the directory", e))?;
                    }
                    std::fs::write(path, new).map_err(|e| io(path, "write the file", e))?;
                }
                Drift::Stale { path, .. } => {
                    std::fs::remove_file(path).map_err(|e| io(path, "remove the file", e))?;
                }
            }
        }
    }
    Ok(drift)
}

/// The spec files (as the header names them) with the SHA-256 the crate was generated from, read
/// from the header of its `src/lib.rs`.
fn committed_spec_files(lib_rs: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut root: Option<String> = None;
    for line in lib_rs.lines().take_while(|l| l.starts_with("//")) {
        let text = line.trim_start_matches('/').trim();
        if let Some(rest) = text
            .strip_prefix(format::GENERATED)
            .and_then(|rest| rest.strip_prefix(" from `"))
        {
            root = rest.strip_suffix('`').map(str::to_string);
        } else if let Some(sha) = text
            .strip_prefix("(sha256 ")
            .and_then(|t| t.strip_suffix(")."))
        {
            if let Some(root) = root.take() {
                files.insert(root, sha.to_string());
            }
        } else if let Some((file, sha)) = text
            .strip_prefix('`')
            .and_then(|t| t.split_once("` (sha256 "))
        {
            files.insert(file.to_string(), sha.trim_end_matches(')').to_string());
        }
    }
    files
}

/// Which spec files differ from those the crate in `dir` was generated from, one sentence each
/// naming the file.
pub(crate) fn spec_changes(dir: &Path, generated: &Generated) -> Vec<String> {
    let Ok(lib_rs) = std::fs::read_to_string(dir.join("src/lib.rs")) else {
        return Vec::new();
    };
    let mut committed = committed_spec_files(&lib_rs);
    let mut changes = Vec::new();
    for (file, sha) in &generated.spec_files {
        match committed.remove(file) {
            Some(old) if old == *sha => {}
            Some(_) => changes.push(format!("{file} changed since the crate was generated")),
            None => changes.push(format!("{file} is new to the spec")),
        }
    }
    for file in committed.keys() {
        changes.push(format!("{file} is no longer part of the spec"));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::same_but_for_command;

    const MADE: &str = "// @generated by openapi-rs-codegen from `api.json` (its SHA-256 is in `src/lib.rs`).\n\
        // Do not edit by hand: change the spec or its config and run `openapi-rs generate --spec api.json --out client`.\n\
        \n\
        pub struct Pet;\n";

    #[test]
    fn only_the_command_line_of_the_header_may_differ() {
        let elsewhere = MADE.replace("--spec api.json --out client", "--spec ../api.json --out .");
        assert!(same_but_for_command(elsewhere.as_bytes(), MADE));
        let edited = elsewhere.replace("Pet", "Dog");
        assert!(!same_but_for_command(edited.as_bytes(), MADE));
        let longer = format!("{elsewhere}pub struct Dog;\n");
        assert!(!same_but_for_command(longer.as_bytes(), MADE));
        // A line that merely looks like a comment is compared as any other.
        let comment = MADE.replace("// Do not edit by hand", "// Please do not edit by hand");
        assert!(!same_but_for_command(comment.as_bytes(), MADE));
    }
}
