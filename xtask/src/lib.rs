//! The code behind `cargo xtask`. One function, [`sync`], both writes generated files and checks
//! them, so `regen` and `check` can never disagree about what "up to date" means.

pub mod bench;
pub mod contract;
pub mod corpus;
pub mod diff;

use codegen::{Config, Generated, Input};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The workspace root, found from this crate's manifest directory (not the working directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A bundled spec: `specs/NAME.{json,yaml,yml}` with its config `specs/NAME.toml`.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// The spec file.
    pub spec: PathBuf,
    /// Its config.
    pub config: PathBuf,
    /// The crate directory it generates.
    pub out: PathBuf,
}

/// Finds the bundled specs, in file-name order.
pub fn bundled_specs(root: &Path) -> Result<Vec<Bundled>, String> {
    let dir = root.join("specs");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();
    specs
        .into_iter()
        .map(|spec| {
            let config = spec.with_extension("toml");
            let parsed = Config::load(&config).map_err(|e| {
                format!("{e}\n  every bundled spec needs a config beside it naming its `output` directory")
            })?;
            let out = parsed.output.ok_or_else(|| {
                format!("{}: no `output = \"DIR\"`: say where `cargo xtask regen` writes this spec's crate", config.display())
            })?;
            Ok(Bundled {
                spec,
                config,
                out: root.join(out),
            })
        })
        .collect()
}

/// Generates one crate in memory.
pub fn generate_crate(
    spec: &Path,
    config: Option<&Path>,
    label: String,
    command: String,
) -> Result<Generated, String> {
    let config = match config {
        Some(path) => Config::load(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let bytes = std::fs::read(spec)
        .map_err(|e| format!("{}: cannot read the spec: {e}", spec.display()))?;
    codegen::generate(&Input {
        spec_path: spec,
        spec_bytes: &bytes,
        spec_label: label,
        config,
        command,
    })
    .map_err(|e| e.to_string())
}

/// Whether [`sync`] writes or only compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose content changed; delete stale generated files.
    Write,
    /// Write nothing.
    Check,
}

/// One difference between the generated and the committed files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file's content differs.
    Changed {
        path: PathBuf,
        old: String,
        new: String,
    },
    /// The generator makes a file that does not exist.
    Missing { path: PathBuf, new: String },
    /// A file the generator owns but no longer makes.
    Stale { path: PathBuf, old: String },
}

impl Drift {
    fn path(&self) -> &Path {
        match self {
            Drift::Changed { path, .. }
            | Drift::Missing { path, .. }
            | Drift::Stale { path, .. } => path,
        }
    }

    /// A unified diff of the change, with paths relative to `root`.
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

/// Files of a crate directory the generator owns: its `Cargo.toml`, `rustfmt.toml` and
/// everything under `src/`. Hand-written `examples/`, `tests/` and `README.md` are left alone.
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

/// Compares `generated` with the files in `dir`; in [`Mode::Write`] also makes `dir` match,
/// touching only files whose content changed. Returns the differences found.
pub fn sync(dir: &Path, generated: &Generated, mode: Mode) -> Result<Vec<Drift>, String> {
    let mut drift = Vec::new();
    let mut expected = BTreeSet::new();
    for (rel, new) in &generated.files {
        let path = dir.join(rel);
        expected.insert(path.clone());
        match std::fs::read(&path) {
            Ok(old) if old == new.as_bytes() => {}
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
                            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                    }
                    std::fs::write(path, new)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                }
                Drift::Stale { path, .. } => {
                    std::fs::remove_file(path)
                        .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                }
            }
        }
    }
    Ok(drift)
}

fn generate_bundled(root: &Path) -> Result<Vec<(Bundled, Generated)>, String> {
    bundled_specs(root)?
        .into_iter()
        .map(|b| {
            let label = b
                .spec
                .strip_prefix(root)
                .unwrap_or(&b.spec)
                .display()
                .to_string();
            let generated =
                generate_crate(&b.spec, Some(&b.config), label, "cargo xtask regen".into())?;
            Ok((b, generated))
        })
        .collect()
}

fn warnings_report(spec: &Path, generated: &Generated) -> String {
    let mut out = String::new();
    for w in &generated.warnings {
        let _ = writeln!(out, "warning: {}{w}", spec.display());
    }
    out
}

/// `cargo xtask regen`. Generates everything first, so a failure writes nothing.
pub fn regen(root: &Path) -> Result<String, String> {
    let all = generate_bundled(root)?;
    let mut report = String::new();
    for (b, generated) in &all {
        report.push_str(&warnings_report(&b.spec, generated));
        let drift = sync(&b.out, generated, Mode::Write)?;
        let shown = b.out.strip_prefix(root).unwrap_or(&b.out).display();
        let _ = writeln!(
            report,
            "{shown}: {} operations, {} types; {} file(s) updated",
            generated.operations,
            generated.types,
            drift.len()
        );
        report.push_str(&api_changes(root, &b.spec));
    }
    Ok(report)
}

/// What the spec's changes since `HEAD` do to the crate's API, in a few lines: nothing when it
/// is unchanged, the full report otherwise.
fn api_changes(root: &Path, spec: &Path) -> String {
    let shown = spec.strip_prefix(root).unwrap_or(spec).display();
    match diff::against_rev(root, spec, "HEAD") {
        Ok(Some(report)) if report.changes.is_empty() => {
            format!("{shown}: no change to the crate's API since HEAD (semver: patch)\n")
        }
        Ok(Some(report)) => {
            let mut text =
                format!("API changes of {shown} against HEAD (cargo xtask diff --spec {shown}):\n");
            for line in report.text().lines() {
                let _ = writeln!(text, "  {line}");
            }
            text
        }
        Ok(None) => format!("{shown} is new since HEAD\n"),
        Err(e) => format!("{shown}: cannot compare with HEAD: {e}\n"),
    }
}

/// The spec files (as the header names them) with the SHA-256 the committed crate was generated
/// from, read from the header of its `src/lib.rs`.
fn committed_spec_files(lib_rs: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut root: Option<String> = None;
    for line in lib_rs.lines().take_while(|l| l.starts_with("//")) {
        let text = line.trim_start_matches('/').trim();
        if let Some(rest) = text.strip_prefix("@generated by openapi-rs-codegen from `") {
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

/// Which spec files differ from those the committed crate in `out` was generated from.
fn spec_changes(out: &Path, generated: &Generated) -> Vec<String> {
    let Ok(lib_rs) = std::fs::read_to_string(out.join("src/lib.rs")) else {
        return Vec::new();
    };
    let mut committed = committed_spec_files(&lib_rs);
    let mut changes = Vec::new();
    for (file, sha) in &generated.spec_files {
        match committed.remove(file) {
            Some(old) if old == *sha => {}
            Some(_) => changes.push(format!(
                "{file} changed since the committed crate was generated"
            )),
            None => changes.push(format!("{file} is new to the spec")),
        }
    }
    for file in committed.keys() {
        changes.push(format!("{file} is no longer part of the spec"));
    }
    changes
}

/// `cargo xtask check`: the drift check CI runs.
pub fn check(root: &Path) -> Result<(), String> {
    let mut message = String::new();
    for (b, generated) in generate_bundled(root)? {
        let drift = sync(&b.out, &generated, Mode::Check)?;
        if !drift.is_empty() {
            for change in spec_changes(&b.out, &generated) {
                let _ = writeln!(message, "spec: {change}");
            }
            message.push_str(&api_changes(root, &b.spec));
        }
        for d in drift {
            message.push_str(&d.diff(root));
        }
    }
    if message.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{message}\ncommitted generated code differs from what the generator produces.\n\
         run `cargo xtask regen` and commit the result (never edit generated files by hand)."
    ))
}

/// `cargo xtask generate`: a complete crate for any spec. Nothing is written if generation fails.
/// With `timings`, the report ends with each stage's wall time (`timing: STAGE MS`).
pub fn generate(
    spec: &Path,
    out: &Path,
    config: Option<&Path>,
    timings: bool,
) -> Result<String, String> {
    let command = match config {
        Some(c) => format!(
            "cargo xtask generate --spec {} --out {} --config {}",
            spec.display(),
            out.display(),
            c.display()
        ),
        None => format!(
            "cargo xtask generate --spec {} --out {}",
            spec.display(),
            out.display()
        ),
    };
    let label = spec.file_name().map_or_else(
        || spec.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let generated = generate_crate(spec, config, label, command)?;
    let mut report = warnings_report(spec, &generated);
    let drift = sync(out, &generated, Mode::Write)?;
    let _ = writeln!(
        report,
        "{}: {} operations, {} types, {} warning(s); {} file(s) written",
        out.display(),
        generated.operations,
        generated.types,
        generated.warnings.len(),
        drift.len()
    );
    if timings {
        for (stage, time) in &generated.timings {
            let _ = writeln!(report, "timing: {stage} {:.1} ms", time.as_secs_f64() * 1e3);
        }
    }
    Ok(report)
}
