//! Many clients in one workspace: the 31 Zoom specs (`../shared/zoom-specs`) generated into one
//! scratch workspace and checked together, once with each crate carrying its own copy of the
//! runtime (the default) and once with every crate depending on the shared runtime crate
//! (`runtime = PATH`). Dependencies are prebuilt: each workspace is checked once untimed, then
//! its own crates (and, shared, the runtime crate) are cleaned and the check is timed, [`RUNS`]
//! times, the two workspaces in turns, so the figure (the median) is what the generated code
//! and the runtime cost to check.

use super::measure::{self, Measured};
use std::path::{Path, PathBuf};
use std::process::Command;
use tools_shared::specs_of;

/// The two checks: vendored (copies of the runtime) and shared (the runtime crate).
pub(crate) struct Together {
    pub vendored: Measured,
    pub shared: Measured,
    pub crates: usize,
}

/// Generates and checks both workspaces with `ours` (the release `xtask`).
pub(crate) fn measure(root: &Path, bench: &Path, ours: &Path) -> Result<Together, String> {
    let specs = specs_of(root, "zoom")?;
    let base = bench.join("together");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    let shared_config = base.join("shared.toml");
    let runtime = root.join("runtime");
    std::fs::write(
        &shared_config,
        format!(
            "runtime = {}\n",
            toml::Value::String(runtime.display().to_string())
        ),
    )
    .map_err(|e| format!("cannot write {}: {e}", shared_config.display()))?;
    let target = bench.join("together-target");
    let vendored = workspace(root, &base.join("vendored"), &specs, ours, None)?;
    let mut vendored = Checks::prepare(&vendored, &target, &specs, false)?;
    let shared = workspace(
        root,
        &base.join("shared"),
        &specs,
        ours,
        Some(&shared_config),
    )?;
    let mut shared = Checks::prepare(&shared, &target, &specs, true)?;
    // Taken in turns, so that a machine that slows down or speeds up during the runs moves
    // both alike.
    let (mut vendored_runs, mut shared_runs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        vendored_runs.push(vendored.timed()?);
        shared_runs.push(shared.timed()?);
    }
    Ok(Together {
        vendored: measure::median(&vendored_runs),
        shared: measure::median(&shared_runs),
        crates: specs.len(),
    })
}

/// The package name of a spec's crate: its file name, as a Cargo name.
fn package(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("zoom-{clean}")
}

/// A workspace with one crate per spec, each generated with `config`.
fn workspace(
    root: &Path,
    dir: &Path,
    specs: &[(String, PathBuf)],
    ours: &Path,
    config: Option<&Path>,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut members = Vec::new();
    for (name, spec) in specs {
        let package = package(name);
        let out = dir.join(&package);
        let mut generate = Command::new(ours);
        generate
            .arg("generate")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(&out);
        if let Some(config) = config {
            generate.arg("--config").arg(config);
        }
        measure::run(generate.current_dir(root))?;
        super::rename_package(&out, &package)?;
        members.push(format!("\"{package}\""));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(dir.to_path_buf())
}

/// How many timed checks of each workspace the median is taken of: one check moves by a tenth
/// or more from run to run on a busy machine.
pub(crate) const RUNS: usize = 5;

/// One workspace's timed check: its dependencies built, then each time its own crates (and
/// the shared runtime crate) cleaned and checked again.
struct Checks {
    dir: PathBuf,
    target: PathBuf,
    clean: Command,
}

impl Checks {
    /// Checks the workspace once, untimed, to build the dependencies.
    fn prepare(
        dir: &Path,
        target: &Path,
        specs: &[(String, PathBuf)],
        shared: bool,
    ) -> Result<Checks, String> {
        measure::run(super::check_command(dir, target).args(["check", "--quiet", "--workspace"]))?;
        let mut clean = super::check_command(dir, target);
        clean.arg("clean");
        for (name, _) in specs {
            clean.args(["-p", &package(name)]);
        }
        if shared {
            clean.args(["-p", "openapi-rs-runtime"]);
        }
        Ok(Checks {
            dir: dir.to_path_buf(),
            target: target.to_path_buf(),
            clean,
        })
    }

    /// Cleans the workspace's own crates and times their check.
    fn timed(&mut self) -> Result<Measured, String> {
        measure::run(&mut self.clean)?;
        let mut check = super::check_command(&self.dir, &self.target);
        Ok(measure::run(check.args(["check", "--quiet", "--workspace"]))?.measured)
    }
}
