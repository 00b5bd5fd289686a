//! The scratch workspace the generated crates are checked in, and the file helpers it needs.

use super::*;

/// Renames the package of the generated crate in `dir` (crates of several specs or generators
/// share one workspace, and their names may collide).
pub(crate) fn rename_package(dir: &Path, package: &str) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut table: toml::Table = text
        .parse()
        .map_err(|e| format!("{} is not TOML: {e}", manifest.display()))?;
    if let Some(toml::Value::Table(p)) = table.get_mut("package") {
        p.insert("name".into(), toml::Value::String(package.to_string()));
    }
    std::fs::write(&manifest, table.to_string())
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}

/// `cargo` in the workspace `dir` with the target directory `target`, as every timed check runs:
/// no incremental state, no flags from the environment.
pub(crate) fn check_command(dir: &Path, target: &Path) -> Command {
    let mut c = Command::new(cargo());
    c.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS");
    c
}

/// A check shorter than this is timed [`SHORT_RUNS`] times.
pub(crate) const SHORT: std::time::Duration = std::time::Duration::from_secs(3);

/// How many runs of a short check the median is taken of.
pub(crate) const SHORT_RUNS: usize = 5;

/// One timed run of `check`, or, when it is shorter than [`SHORT`], the median of
/// [`SHORT_RUNS`] of them.
pub(crate) fn repeated(
    mut check: impl FnMut() -> Result<Measured, String>,
) -> Result<Measured, String> {
    let first = check()?;
    if first.wall >= SHORT {
        return Ok(first);
    }
    let mut runs = vec![first];
    for _ in 1..SHORT_RUNS {
        runs.push(check()?);
    }
    Ok(median(&runs))
}

/// The scratch workspace the crates are checked in, with its own target directory.
pub(crate) struct Workspace {
    pub(crate) dir: PathBuf,
    pub(crate) target: PathBuf,
    pub(crate) members: Vec<String>,
}

impl Workspace {
    pub(crate) fn new(root: &Path, bench: &Path) -> Result<Workspace, String> {
        let dir = bench.join("workspace");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // Our crates resolve to the versions the project pins.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        Ok(Workspace {
            dir,
            target: bench.join("check-target"),
            members: Vec::new(),
        })
    }

    /// Copies a generated crate in as `package` (its manifest renamed), with an empty `lib.rs`
    /// for now; returns its directory.
    pub(crate) fn add(&mut self, crate_dir: &Path, package: &str) -> Result<PathBuf, String> {
        let member = self.dir.join(package);
        copy_tree(crate_dir, &member)?;
        rename_package(&member, package)?;
        self.members.push(package.to_string());
        let members: Vec<String> = self.members.iter().map(|m| format!("\"{m}\"")).collect();
        std::fs::write(
            self.dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        )
        .map_err(|e| format!("cannot write the bench workspace: {e}"))?;
        Ok(member)
    }

    pub(crate) fn cargo(&self) -> Command {
        check_command(&self.dir, &self.target)
    }

    /// Checks the crate alone: dependencies first (with an empty `lib.rs`, untimed), then the
    /// empty crate again, timed (what any crate with these dependencies costs), then the crate
    /// itself, timed. A check that takes under [`SHORT`] is the median of [`SHORT_RUNS`], since
    /// one run of a check that short moves by a fifth from run to run on a busy machine.
    pub(crate) fn check(
        &self,
        member: &Path,
        package: &str,
        features: &[String],
    ) -> Result<Checked, String> {
        let lib = member.join("src/lib.rs");
        let real =
            std::fs::read(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
        // Written again before each check, so that cargo checks the crate again.
        let check = |source: &[u8]| {
            std::fs::write(&lib, source)
                .map_err(|e| format!("cannot write {}: {e}", lib.display()))?;
            measure::run(
                self.cargo()
                    .args(["check", "--quiet", "-p", package])
                    .args(features),
            )
            .map(|run| run.measured)
        };
        let checked = (|| {
            check(b"")?;
            Ok(Checked {
                empty: repeated(|| check(b""))?,
                crate_only: repeated(|| check(&real))?,
            })
        })();
        // The crate's own `lib.rs` back, whether or not a check failed.
        std::fs::write(&lib, &real).map_err(|e| format!("cannot write {}: {e}", lib.display()))?;
        checked
    }

    /// `rustc -Z time-passes` of a checked crate (default features): passes slowest first.
    pub(crate) fn time_passes(&self, package: &str) -> Result<Vec<(String, f64)>, String> {
        let run = measure::run(
            self.cargo()
                .args([
                    "rustc",
                    "-p",
                    package,
                    "--profile",
                    "check",
                    "--",
                    "-Z",
                    "time-passes",
                ])
                .env("RUSTC_BOOTSTRAP", "1"),
        )?;
        let mut passes: Vec<(String, f64)> = run
            .stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("time:"))
            .filter_map(|rest| {
                let seconds: f64 = rest.trim().split(';').next()?.trim().parse().ok()?;
                let pass = rest.split_whitespace().last()?.to_string();
                Some((pass, seconds))
            })
            .collect();
        passes.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(passes)
    }
}

pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

pub(crate) fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::{repeated, Measured, SHORT_RUNS};
    use std::time::Duration;

    fn timed(walls: &[u64]) -> impl FnMut() -> Result<Measured, String> + '_ {
        let mut next = walls.iter();
        move || {
            let ms = next.next().ok_or("more runs than expected")?;
            Ok(Measured {
                wall: Duration::from_millis(*ms),
                peak_rss: *ms,
            })
        }
    }

    #[test]
    fn a_short_check_is_the_median_of_several_runs() {
        let walls = [300, 900, 250, 310, 280];
        assert_eq!(walls.len(), SHORT_RUNS);
        let m = repeated(timed(&walls)).expect("five runs");
        assert_eq!(m.wall, Duration::from_millis(300));
        assert_eq!(m.peak_rss, 900);
    }

    #[test]
    fn a_long_check_is_one_run() {
        let m = repeated(timed(&[7000])).expect("one run");
        assert_eq!(m.wall, Duration::from_millis(7000));
    }
}
