//! Building the generators (ours at this commit and at the baseline commit, and finding
//! `cargo progenitor`) and timing each one's generation of a spec.

use super::*;

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub(crate) fn build_ours(root: &Path) -> Result<PathBuf, String> {
    measure::run(
        Command::new(cargo())
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(root),
    )?;
    Ok(root.join("target/release/xtask"))
}

/// Builds the baseline commit's `xtask` in a worktree of its own (kept between runs).
pub(crate) fn build_baseline(root: &Path, bench: &Path, rev: &str) -> Result<PathBuf, String> {
    let tree = bench.join(format!("baseline-{rev}"));
    if !tree.join("Cargo.toml").exists() {
        measure::run(
            Command::new("git")
                .args(["worktree", "add", "--force", "--detach"])
                .arg(&tree)
                .arg(rev)
                .current_dir(root),
        )?;
    }
    let target = bench.join("baseline-target");
    measure::run(
        Command::new(cargo())
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&tree),
    )?;
    Ok(target.join("release/xtask"))
}

pub(crate) fn find_progenitor() -> Option<String> {
    let ok = Command::new(cargo())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(cargo)
}

/// The generators compared, and where their crates go (`OUT/MAKER/SLUG`).
pub(crate) struct Generators {
    pub(crate) ours: PathBuf,
    pub(crate) baseline: PathBuf,
    /// `cargo`, when it has the `progenitor` subcommand.
    pub(crate) progenitor: Option<String>,
    pub(crate) out: PathBuf,
}

/// Generates `spec` with each generator that measures it, `spec.runs` times each.
pub(crate) fn generate_all(
    spec: &Spec,
    generators: &Generators,
    results: &mut Results,
) -> Result<(), String> {
    let (ours, baseline) = (&generators.ours, &generators.baseline);
    let out = |maker: Maker| generators.out.join(maker.name()).join(spec.slug);
    let ours_command = |binary: &Path, maker: Maker| {
        let mut c = Command::new(binary);
        c.arg("generate")
            .arg("--spec")
            .arg(&spec.path)
            .arg("--out")
            .arg(out(maker));
        if let Some(config) = &spec.config {
            c.arg("--config").arg(config);
        }
        c
    };
    let mut makers: Vec<(Maker, Box<dyn Fn() -> Command>)> =
        vec![(Maker::Ours, Box::new(|| ours_command(ours, Maker::Ours)))];
    if spec.baseline {
        makers.push((
            Maker::Baseline,
            Box::new(|| ours_command(baseline, Maker::Baseline)),
        ));
    }
    if let (true, Some(cargo)) = (spec.progenitor, generators.progenitor.as_deref()) {
        makers.push((
            Maker::Progenitor,
            Box::new(move || {
                let mut c = Command::new(cargo);
                c.arg("progenitor")
                    .arg("-i")
                    .arg(&spec.path)
                    .arg("-o")
                    .arg(out(Maker::Progenitor))
                    .args(["-n", spec.slug, "-v", "0.1.0"]);
                c
            }),
        ));
    }
    for (maker, command) in &makers {
        let _ = std::fs::remove_dir_all(out(*maker));
        let mut runs = Vec::new();
        // One untimed run first, as hyperfine's `--warmup`: the spec is read from the page cache
        // and the process gets memory the kernel has handed out recently. On this VM, memory
        // left idle for a few seconds is given back to the host, and the first run after that
        // spends a third of its time having fresh pages zeroed.
        for timed in std::iter::once(false).chain(std::iter::repeat_n(true, spec.runs)) {
            match measure::run(&mut command()) {
                Ok(run) if !timed => drop(run),
                Ok(run) => runs.push(run.measured),
                Err(e) if *maker == Maker::Ours => return Err(e),
                Err(e) => {
                    results.notes.push(format!(
                        "{} could not generate {}: {}",
                        maker.name(),
                        spec.label,
                        brief(&e)
                    ));
                    break;
                }
            }
        }
        if !runs.is_empty() {
            results
                .generation
                .insert((spec.slug, *maker), median(&runs));
        }
    }
    // One more run of ours, for the stage timings and the counts.
    let run = measure::run(ours_command(ours, Maker::Ours).arg("--timings"))?;
    let mut stages = Vec::new();
    for line in run.stderr.lines() {
        if let Some(rest) = line.strip_prefix("timing: ") {
            if let Some((stage, ms)) = rest.trim_end_matches(" ms").rsplit_once(' ') {
                stages.push((stage.to_string(), ms.parse().unwrap_or(0.0)));
            }
        }
        if let Some((_, counts)) = line.split_once(": ") {
            let numbers: Vec<usize> = counts
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            if counts.contains(" operations, ") && numbers.len() >= 2 {
                results.size.insert(spec.slug, (numbers[0], numbers[1]));
            }
        }
    }
    results.stages.insert(spec.slug, stages);
    Ok(())
}
