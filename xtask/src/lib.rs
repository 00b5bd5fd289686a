//! The code behind `cargo xtask`. It goes through the generator library's front door
//! ([`codegen::Generator`]): `regen` writes with [`Generated::write_to`] and `check` compares with
//! [`Generated::check`], one code path in the library, so they can never disagree about what "up
//! to date" means.
//!
//! The maintainers' other tools are crates of their own under `tools/` (`corpus`, `fuzz`,
//! `contract`, `bench`, and `shared` for what they share); `main.rs` parses the command line and
//! dispatches to them.

pub mod diff;

use codegen::{Config, Generated};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
pub use tools_shared::{generate_crate, message_kind, workspace_root};

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

/// Each warning on a line of its own (`verbose`), or a count per kind, most frequent first.
fn warnings_report(spec: &Path, generated: &Generated, verbose: bool) -> String {
    let mut out = String::new();
    if verbose {
        for w in &generated.warnings {
            let _ = writeln!(out, "warning: {}{w}", spec.display());
        }
        return out;
    }
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for w in &generated.warnings {
        *kinds.entry(message_kind(&w.message)).or_default() += 1;
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (kind, count) in kinds {
        let _ = writeln!(out, "warning: {}: {count} × {kind}", spec.display());
    }
    if !generated.warnings.is_empty() {
        let _ = writeln!(
            out,
            "  (each one with its JSON pointer: `cargo xtask regen --verbose`)"
        );
    }
    out
}

/// `cargo xtask regen`. Generates everything first, so a failure writes nothing. Warnings are
/// counted by kind, or listed one by one when `verbose`.
pub fn regen(root: &Path, verbose: bool) -> Result<String, String> {
    let all = generate_bundled(root)?;
    let mut report = String::new();
    for (b, generated) in &all {
        let spec = b.spec.strip_prefix(root).unwrap_or(&b.spec);
        report.push_str(&warnings_report(spec, generated, verbose));
        let drift = generated.write_to(&b.out).map_err(|e| e.to_string())?;
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

/// `cargo xtask check`: the drift check CI runs.
pub fn check(root: &Path) -> Result<(), String> {
    let mut message = String::new();
    for (b, generated) in generate_bundled(root)? {
        let drift = generated.check(&b.out).map_err(|e| e.to_string())?;
        if !drift.is_empty() {
            for change in generated.spec_changes(&b.out) {
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
    let mut report = warnings_report(spec, &generated, true);
    let drift = generated.write_to(out).map_err(|e| e.to_string())?;
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
