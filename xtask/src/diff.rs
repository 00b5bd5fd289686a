//! `cargo xtask diff`: what a new spec changes in the generated crate's API, and the semver bump
//! it needs ([`codegen::diff`] does the comparing). Also the summaries `regen` and `check` print.

use codegen::diff::{Level, Report};
use codegen::Generator;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Two spec files (old, new).
    pub files: Option<(PathBuf, PathBuf)>,
    /// A bundled spec, compared with its version at `rev`.
    pub spec: Option<PathBuf>,
    /// The git revision of the old spec (default `HEAD`).
    pub rev: Option<String>,
    /// The config (default: beside the spec, for a bundled spec).
    pub config: Option<PathBuf>,
    /// Markdown instead of text.
    pub markdown: bool,
    /// Raise `[crate] version` in the config to match.
    pub bump: bool,
}

/// A generator for `spec` with the config at `config` (none, or a file that does not exist:
/// defaults).
fn generator(spec: &Path, config: Option<&Path>) -> Result<Generator, String> {
    let generator = Generator::new(spec).spec_label(spec.display().to_string());
    match config {
        Some(path) if path.exists() => generator.config_file(path).map_err(|e| e.to_string()),
        _ => Ok(generator),
    }
}

/// The report between two spec files, each with its config.
pub fn compare(old: (&Path, Option<&Path>), new: (&Path, Option<&Path>)) -> Result<Report, String> {
    let old = generator(old.0, old.1)?;
    let new = generator(new.0, new.1)?;
    new.changes_since(&old).map_err(|e| e.to_string())
}

/// A copy of the workspace's `specs/` folder as it was at `rev`, in a fresh temporary folder;
/// `None` when `rev` has no `specs/` folder.
pub fn specs_at(root: &Path, rev: &str) -> Result<Option<TempDir>, String> {
    let dir = TempDir::new("xtask-specs")?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", rev, "specs"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        let stderr = String::from_utf8_lossy(&archive.stderr);
        if stderr.contains("did not match any files") {
            return Ok(None);
        }
        return Err(format!(
            "`git archive {rev} specs` failed: {}",
            stderr.trim()
        ));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&dir.path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if let Some(mut stdin) = tar.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(&archive.stdout)
            .map_err(|e| format!("cannot extract the specs of {rev}: {e}"))?;
    }
    let status = tar.wait().map_err(|e| format!("tar: {e}"))?;
    if !status.success() {
        return Err(format!("cannot extract the specs of {rev}"));
    }
    Ok(Some(dir))
}

/// A folder removed when dropped.
pub struct TempDir {
    /// Its path.
    pub path: PathBuf,
}

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The report of a bundled spec (`specs/NAME.EXT`, relative to `root`) against `rev`; `None`
/// when the spec is not in `rev`.
pub fn against_rev(root: &Path, spec: &Path, rev: &str) -> Result<Option<Report>, String> {
    let relative = spec.strip_prefix(root).unwrap_or(spec).to_path_buf();
    let Some(old) = specs_at(root, rev)? else {
        return Ok(None);
    };
    let old_spec = old.path.join(&relative);
    if !old_spec.exists() {
        return Ok(None);
    }
    let config = |spec: &Path| spec.with_extension("toml");
    let new_spec = root.join(&relative);
    compare(
        (&old_spec, Some(&config(&old_spec))),
        (&new_spec, Some(&config(&new_spec))),
    )
    .map(Some)
}

/// `cargo xtask diff`.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let (report, config) = match (&options.files, &options.spec) {
        (Some((old, new)), None) => (
            compare(
                (old, options.config.as_deref()),
                (new, options.config.as_deref()),
            )?,
            options.config.clone(),
        ),
        (None, Some(spec)) => {
            let spec = if spec.is_absolute() {
                spec.clone()
            } else {
                root.join(spec)
            };
            let rev = options.rev.as_deref().unwrap_or("HEAD");
            let report = against_rev(root, &spec, rev)?.ok_or_else(|| {
                format!(
                    "{} is not in revision {rev}: nothing to compare with",
                    spec.display()
                )
            })?;
            let config = options
                .config
                .clone()
                .unwrap_or_else(|| spec.with_extension("toml"));
            (report, Some(config))
        }
        _ => {
            return Err(
                "`diff` compares OLD NEW (two spec files) or --spec FILE [--rev REV]".to_string(),
            )
        }
    };
    let mut out: String = report
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    out.push_str(&if options.markdown {
        report.markdown()
    } else {
        report.text()
    });
    if options.bump {
        let config = config.ok_or("`--bump` needs the spec's config: give --config TOML")?;
        let line = bump_config(&config, report.semver())?;
        // The verdict stays the last line.
        let last = out
            .trim_end()
            .rsplit_once('\n')
            .map_or(0, |(head, _)| head.len() + 1);
        out.insert_str(last, &format!("{line}\n"));
    }
    Ok(out)
}

/// Raises `[crate] version` in the config at `path` to match `level`; returns what it did.
pub fn bump_config(path: &Path, level: Level) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let parsed: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: not valid TOML: {e}", path.display()))?;
    let current = parsed
        .get("crate")
        .and_then(|c| c.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("0.1.0")
        .to_string();
    let next = codegen::diff::bump(&current, level).ok_or_else(|| {
        format!(
            "{}: `[crate] version = \"{current}\"` is not MAJOR.MINOR.PATCH",
            path.display()
        )
    })?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let crate_at = lines.iter().position(|l| l.trim() == "[crate]");
    let version_at = crate_at.and_then(|start| {
        lines[start + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| l.trim_start().starts_with("version"))
            .map(|i| start + 1 + i)
    });
    let entry = format!("version = \"{next}\"");
    match (crate_at, version_at) {
        (_, Some(at)) => lines[at] = entry,
        (Some(at), None) => lines.insert(at + 1, entry),
        (None, None) => {
            lines.push(String::new());
            lines.push("[crate]".into());
            lines.push(entry);
        }
    }
    let mut new_text = lines.join("\n");
    new_text.push('\n');
    std::fs::write(path, new_text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "bumped {}: [crate] version {current} -> {next}",
        path.display()
    ))
}
