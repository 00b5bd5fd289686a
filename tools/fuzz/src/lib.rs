//! `cargo xtask fuzz`: mutate the fixture specs and the bundled specs, run each mutant through
//! the generator's front door, and fail on what bad input must never cause:
//! - a panic (the generator answers bad input with an error, never a panic);
//! - a hang (no answer within `--timeout`);
//! - an accepted spec whose crate does not compile, or warns under rustc or clippy's default
//!   lints (every K-th accepted mutant is checked, all of them in one scratch workspace).
//!
//! Run `r` of seed `s` draws from its own generator seeded by `(s, r)`, so
//! `cargo xtask fuzz --seed S --run R` replays one run without the ones before it. Every
//! failing mutant is saved under `target/fuzz/failures/` with the mutations that made it.

mod mutate;

use codegen::Generator;
use mutate::mutate;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tools_shared::scratch;

/// Options of one fuzz run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Mutants to try.
    pub runs: usize,
    /// Every K-th accepted mutant's crate is compiled (0: none).
    pub check_every: usize,
    /// The seed; each run's generator is derived from it and the run's number.
    pub seed: u64,
    /// Replay only this run (its crate is always compiled when accepted).
    pub only: Option<usize>,
    /// How long one generation may take before it counts as a hang.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: 200,
            check_every: 20,
            seed: 1,
            only: None,
            timeout: Duration::from_secs(30),
        }
    }
}

/// A spec to start from.
struct Seed {
    name: String,
    spec: Value,
    config: Option<PathBuf>,
}

/// One mutant and what became of it.
struct Mutant {
    run: usize,
    seed_name: String,
    mutations: Vec<String>,
    spec: Value,
    config: Option<PathBuf>,
}

/// What is wrong with a mutant.
struct Failure {
    run: usize,
    kind: &'static str,
    detail: String,
}

/// The fixtures and bundled specs to mutate: every single-file JSON spec (a multi-file spec's
/// references would dangle from the scratch directory), each with the config beside it.
fn seeds(root: &Path) -> Result<Vec<Seed>, String> {
    let mut paths = Vec::new();
    for dir in ["codegen/tests/fixtures", "specs"] {
        let dir = root.join(dir);
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        paths.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "json") && !p.with_extension("").is_dir()
                }),
        );
    }
    paths.sort();
    let mut seeds = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let spec: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let config = Some(path.with_extension("toml")).filter(|c| c.exists());
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        seeds.push(Seed { name, spec, config });
    }
    Ok(seeds)
}

/// Runs the fuzzer; the summary on success, the failures (and where they were saved) otherwise.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let seeds = seeds(root)?;
    if seeds.is_empty() {
        return Err("no seed specs found under codegen/tests/fixtures and specs".into());
    }
    let work = root.join("target/fuzz");
    for dir in ["specs", "crates", "failures"].map(|d| work.join(d)) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let runs: Vec<usize> = match options.only {
        Some(run) => vec![run],
        None => (0..options.runs).collect(),
    };
    eprintln!(
        "fuzz: {} runs from {} seed specs, seed {}, every {}th accepted crate compiled",
        runs.len(),
        seeds.len(),
        options.seed,
        options.check_every
    );
    let started = Instant::now();
    let mut tally = generate_mutants(&seeds, &runs, &work, options)?;
    let members: Vec<String> = tally
        .to_check
        .iter()
        .map(|m| format!("crates/run-{}", m.run))
        .collect();
    let target = root.join("target/fuzz-target");
    tally
        .failures
        .extend(clippy_failures(root, &work, &members, &target)?);
    let report = save_failures(&seeds, &mut tally, &work.join("failures"), options)?;
    let Tally {
        accepted,
        refused,
        failures,
        refusals,
        ..
    } = &tally;
    let mut summary = format!(
        "fuzz: {} runs (seed {}): {accepted} accepted, {refused} refused with an error, {} crates compiled, {} failures, in {:.0?}",
        accepted + refused + failures.iter().filter(|f| matches!(f.kind, "panic" | "hang")).count(),
        options.seed,
        members.len(),
        failures.len(),
        started.elapsed()
    );
    if !refusals.is_empty() {
        summary.push_str("\nrefusals by kind:");
        for (kind, count) in refusals {
            let _ = write!(summary, "\n  {count:>5}  {kind}");
        }
    }
    if failures.is_empty() {
        Ok(summary)
    } else {
        Err(format!("{report}{summary}"))
    }
}

/// What the generation of the mutants came to.
#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
    failures: Vec<Failure>,
    /// Accepted mutants whose crates were written to be compiled.
    to_check: Vec<Mutant>,
    /// Refusals by the kind of their message.
    refusals: BTreeMap<String, usize>,
}

/// Makes and generates each run's mutant (under `work/specs`); every K-th accepted crate is
/// written under `work/crates` to be compiled.
fn generate_mutants(
    seeds: &[Seed],
    runs: &[usize],
    work: &Path,
    options: &Options,
) -> Result<Tally, String> {
    // The generator's panics are caught and reported as failures, not printed as they happen.
    // The harness's own (on the main thread) are its bugs, and print as usual.
    let panics: &'static Mutex<Vec<String>> = Box::leak(Box::new(Mutex::new(Vec::new())));
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            return default(info);
        }
        if let Ok(mut list) = panics.lock() {
            list.push(info.to_string());
        }
    }));
    let hooked = || panics.lock().map(|l| l.join("\n")).unwrap_or_default();
    let started = Instant::now();
    let mut tally = Tally::default();
    for &run in runs {
        let mutant = mutate(seeds, options.seed, run);
        let path = work.join("specs").join(format!("run-{run}.json"));
        let text = serde_json::to_string_pretty(&mutant.spec).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if let Ok(mut list) = panics.lock() {
            list.clear();
        }
        match generate(&path, mutant.config.clone(), options.timeout) {
            Outcome::Hang => tally.failures.push(Failure {
                run,
                kind: "hang",
                detail: format!("no answer within {:?}", options.timeout),
            }),
            Outcome::Panic(message) => {
                let hooked = hooked();
                tally.failures.push(Failure {
                    run,
                    kind: "panic",
                    detail: if hooked.is_empty() { message } else { hooked },
                });
            }
            Outcome::Refused(message) if message.contains("internal error") => {
                tally.failures.push(Failure {
                    run,
                    kind: "panic",
                    detail: format!("{message}\n{}", hooked()),
                });
            }
            Outcome::Refused(message) => {
                tally.refused += 1;
                *tally
                    .refusals
                    .entry(tools_shared::message_kind(&message))
                    .or_default() += 1;
            }
            Outcome::Accepted(mut generated) => {
                tally.accepted += 1;
                let check = options.only.is_some()
                    || (options.check_every > 0 && tally.accepted % options.check_every == 0);
                if check {
                    let name = format!("run-{run}");
                    scratch::rename_package(&mut generated.files, &format!("fuzz-{name}"));
                    generated
                        .write_to(work.join("crates").join(&name))
                        .map_err(|e| format!("cannot write the crate of run {run}: {e}"))?;
                    tally.to_check.push(mutant);
                }
            }
        }
        let done = tally.accepted + tally.refused + tally.failures.len();
        if done % 100 == 0 {
            eprintln!(
                "  {done} runs: {} accepted, {} refused, {} failed ({:.0?})",
                tally.accepted,
                tally.refused,
                tally.failures.len(),
                started.elapsed()
            );
        }
    }
    let _ = std::panic::take_hook();
    Ok(tally)
}

/// Compiles the crates written (`members` of the workspace `work`) with clippy; a failure for
/// each that does not compile, or warns.
fn clippy_failures(
    root: &Path,
    work: &Path,
    members: &[String],
    target: &Path,
) -> Result<Vec<Failure>, String> {
    let found = scratch::clippy_workspace(root, work, members, "fuzz-", target)?;
    let mut failures = Vec::new();
    for (member, findings) in &found {
        if findings.clean() {
            continue;
        }
        let run = member
            .strip_prefix("run-")
            .and_then(|n| n.parse().ok())
            .unwrap_or(usize::MAX);
        let (kind, text) = match (&findings.error, &findings.warning, &findings.lint) {
            (Some(text), _, _) => ("does not compile", text),
            (None, Some(text), _) => ("compiler warning", text),
            (None, None, Some(text)) => ("clippy lint", text),
            (None, None, None) => continue,
        };
        failures.push(Failure {
            run,
            kind,
            detail: text.clone(),
        });
    }
    Ok(failures)
}

/// Saves each failing mutant under `dir`; the report of every failure, with how to replay it.
fn save_failures(
    seeds: &[Seed],
    tally: &mut Tally,
    dir: &Path,
    options: &Options,
) -> Result<String, String> {
    let mut by_run: BTreeMap<usize, Mutant> = std::mem::take(&mut tally.to_check)
        .into_iter()
        .map(|m| (m.run, m))
        .collect();
    let mut report = String::new();
    for failure in &tally.failures {
        // A mutant that failed before compiling is made again: it was not kept.
        let mutant = by_run
            .remove(&failure.run)
            .unwrap_or_else(|| mutate(seeds, options.seed, failure.run));
        let saved = dir.join(format!("run-{}.json", failure.run));
        let text = serde_json::to_string_pretty(&mutant.spec).map_err(|e| e.to_string())?;
        std::fs::write(&saved, text)
            .map_err(|e| format!("cannot write {}: {e}", saved.display()))?;
        let _ = writeln!(
            report,
            "run {}: {} from {} after {}\n  saved: {}\n  replay: cargo xtask fuzz --seed {} --run {}\n{}\n",
            failure.run,
            failure.kind,
            mutant.seed_name,
            mutant.mutations.join("; "),
            saved.display(),
            options.seed,
            failure.run,
            indent(&failure.detail)
        );
    }
    Ok(report)
}

fn indent(text: &str) -> String {
    text.lines()
        .take(40)
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

enum Outcome {
    Accepted(Box<codegen::Generated>),
    Refused(String),
    Panic(String),
    Hang,
}

/// Generates one mutant on a thread of its own, so that a hang is noticed.
fn generate(path: &Path, config: Option<PathBuf>, timeout: Duration) -> Outcome {
    let (send, receive) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| {
            let mut generator = Generator::new(&path);
            if let Some(config) = &config {
                generator = generator.config_file(config)?;
            }
            generator.generate()
        });
        let _ = send.send(result);
    });
    match receive.recv_timeout(timeout) {
        Ok(Ok(Ok(generated))) => Outcome::Accepted(Box::new(generated)),
        Ok(Ok(Err(error))) => Outcome::Refused(error.message),
        Ok(Err(panic)) => Outcome::Panic(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
        Err(_) => Outcome::Hang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> Vec<Seed> {
        vec![Seed {
            name: "s".into(),
            spec: serde_json::json!({
                "openapi": "3.0.0",
                "components": { "schemas": { "A": { "type": "object", "properties": { "x": { "type": "string" } } } } }
            }),
            config: None,
        }]
    }

    #[test]
    fn a_run_is_the_same_mutant_whenever_it_is_made() {
        let seeds = seeds();
        for run in [0, 7, 1999] {
            let (a, b) = (mutate(&seeds, 5, run), mutate(&seeds, 5, run));
            assert_eq!(a.spec, b.spec);
            assert_eq!(a.mutations, b.mutations);
        }
    }

    #[test]
    fn runs_and_seeds_make_different_mutants() {
        let seeds = seeds();
        let made: std::collections::BTreeSet<String> = (0..50)
            .map(|run| mutate(&seeds, 5, run).spec.to_string())
            .chain((0..50).map(|s| mutate(&seeds, s, 3).spec.to_string()))
            .collect();
        assert!(made.len() > 40, "only {} different mutants", made.len());
    }
}
