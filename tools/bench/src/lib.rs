//! `cargo xtask bench`: how fast the generator runs, how fast its crates compile, and what the
//! generated client costs at run time, each beside a baseline measured in the same run.
//!
//! 1. Build the generator (release `xtask`) at this commit and at the baseline commit (in a git
//!    worktree under `target/bench/`), and find `cargo progenitor` (`generation.rs`).
//! 2. Generation: every spec with each generator, whole process, one untimed warm-up run, then
//!    the median wall time of several runs and the highest peak memory; one `--timings` run says
//!    which stage took what (`generation.rs`).
//! 3. `cargo check` of each crate in one scratch workspace (`workspace.rs`), `CARGO_INCREMENTAL=0`, dependencies
//!    prebuilt (each crate is first checked with an empty `lib.rs`, so the timed check compiles
//!    the crate alone, and the empty crate is checked once more, timed: what any crate with
//!    those dependencies costs), default features (every tag, not the opt-in `mock`, `middleware` and
//!    `native-roots`), plus one tag's feature where the crate has them;
//!    one `-Z time-passes` run of the full-Zoom and GitHub crates says where rustc spends the
//!    time, and one `-Z self-profile` run of the full-Zoom crate on which kinds of function
//!    body (`profile.rs`).
//! 4. The 31 Zoom specs generated into one scratch workspace and checked together, with copies
//!    of the runtime and with the shared runtime crate (`together.rs`); `specs/master.json` is
//!    also generated with the shared runtime crate, whose check is then the generated code alone.
//! 5. The criterion benchmarks of `client-tests/benches/client.rs` (request overhead against
//!    plain reqwest, decoding against hand-written serde structs).
//! 6. `docs/bench.md`, naming the commands and commits.
//!
//! Nothing here asserts a time: the report shows figures, ratios and the targets beside them.

mod generation;
mod measure;
mod profile;
mod report;
mod together;
mod workspace;

use generation::{build_baseline, build_ours, cargo, find_progenitor, generate_all, Generators};
pub(crate) use workspace::{check_command, rename_package};
use workspace::{rust_lines, Workspace};

use measure::{median, Measured};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use tools_shared::{generator_version, specs_of};

/// The generator before the performance work of issue 9: the "today's" of its targets.
pub const BASELINE: &str = "8b02136";

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Also Microsoft Graph (about 20 MB of spec; its crate takes many GB to check).
    pub graph: bool,
    /// The commit whose generator is the baseline.
    pub baseline: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            graph: false,
            baseline: BASELINE.to_string(),
        }
    }
}

/// A spec the bench generates, and what is measured on it.
pub(crate) struct Spec {
    /// Short name, also the crate's directory and package name.
    pub slug: &'static str,
    /// How the report names it.
    pub label: String,
    pub path: PathBuf,
    pub config: Option<PathBuf>,
    /// A Cargo feature (a tag) to check alone, besides the default features.
    pub tag: Option<&'static str>,
    /// Measured with progenitor too (it generates these).
    pub progenitor: bool,
    /// Its check time against progenitor's is one of the targets (else it is measured to
    /// explain the others).
    pub target: bool,
    /// Generated with the baseline generator too, and with its crate checked when `check_baseline`.
    pub baseline: bool,
    pub check_baseline: bool,
    /// Generation runs to take the median of.
    pub runs: usize,
}

/// A crate's check, and the same check with an empty `lib.rs`.
struct Checked {
    crate_only: Measured,
    empty: Measured,
}

/// Which generator made a crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Maker {
    Ours,
    Baseline,
    Progenitor,
}

impl Maker {
    pub fn name(self) -> &'static str {
        match self {
            Maker::Ours => "ours",
            Maker::Baseline => "baseline",
            Maker::Progenitor => "progenitor",
        }
    }
}

/// Everything measured, for the report.
#[derive(Default)]
pub(crate) struct Results {
    /// (spec, maker) → generation.
    pub generation: BTreeMap<(&'static str, Maker), Measured>,
    /// spec → stage timings of one run of ours.
    pub stages: BTreeMap<&'static str, Vec<(String, f64)>>,
    /// (spec, maker, features) → check; features is `all` or a tag.
    pub check: BTreeMap<(&'static str, Maker, String), Measured>,
    /// (spec, maker) → check of the crate with an empty `lib.rs` (default features): the part of
    /// a check that no generated code can save.
    pub empty: BTreeMap<(&'static str, Maker), Measured>,
    /// (spec, maker) → lines of Rust in the crate.
    pub lines: BTreeMap<(&'static str, Maker), usize>,
    /// spec → types of ours that are aliases of an identical inline schema's type, or of one
    /// shared by inline objects of the same property name.
    pub aliases: BTreeMap<&'static str, usize>,
    /// spec → (operations, types) of ours.
    pub size: BTreeMap<&'static str, (usize, usize)>,
    /// spec → rustc passes of its check (ours, default features): (pass, seconds), slowest first.
    pub passes: BTreeMap<&'static str, Vec<(String, f64)>>,
    /// spec → its check under rustc's self-profiler, by kind of function body (ours, default
    /// features).
    pub profiles: BTreeMap<&'static str, profile::Profile>,
    /// criterion benchmark id → nanoseconds: the median over the runs of criterion's mean.
    pub criterion: BTreeMap<String, f64>,
    /// The 31 Zoom clients checked together, with copies of the runtime and with the shared
    /// runtime crate.
    pub together: Option<together::Together>,
    /// Uploading 1 GiB with the generated client: (streamed, from one `Vec` in memory).
    pub upload: Option<(Measured, Measured)>,
    /// What could not be measured, and why.
    pub notes: Vec<String>,
}

/// Runs the benchmark and writes `docs/bench.md`; returns a one-line summary.
///
/// # Errors
///
/// When a generator cannot be built or a measurement that every report needs fails; a spec that
/// progenitor or the baseline cannot handle is noted in the report instead.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let started = Instant::now();
    let version = generator_version(root);
    let bench = root.join("target/bench");
    std::fs::create_dir_all(&bench)
        .map_err(|e| format!("cannot create {}: {e}", bench.display()))?;
    let specs = specs(root, options)?;

    eprintln!("bench: building the generator (release) …");
    let ours = build_ours(root)?;
    eprintln!(
        "bench: building the baseline generator at {} …",
        options.baseline
    );
    let generators = Generators {
        ours,
        baseline: build_baseline(root, &bench, &options.baseline)?,
        progenitor: find_progenitor(),
        out: bench.join("generated"),
    };

    let mut results = Results::default();
    if generators.progenitor.is_none() {
        results.notes.push(
            "`cargo progenitor` was not found (install it with `cargo install cargo-progenitor`); \
             its columns are empty"
                .to_string(),
        );
    }
    for spec in &specs {
        eprintln!("bench: generating {} …", spec.label);
        generate_all(spec, &generators, &mut results)?;
    }

    eprintln!("bench: checking the crates …");
    let mut workspace = Workspace::new(root, &bench)?;
    for spec in &specs {
        for maker in [Maker::Ours, Maker::Baseline, Maker::Progenitor] {
            let dir = generators.out.join(maker.name()).join(spec.slug);
            let wanted = match maker {
                Maker::Ours => true,
                Maker::Baseline => spec.check_baseline,
                Maker::Progenitor => spec.progenitor,
            };
            if !wanted || !dir.join("Cargo.toml").exists() {
                continue;
            }
            let package = format!("{}-{}", maker.name(), spec.slug);
            let member = workspace.add(&dir, &package)?;
            results
                .lines
                .insert((spec.slug, maker), rust_lines(&member.join("src")));
            if maker == Maker::Ours {
                let types =
                    std::fs::read_to_string(member.join("src/types.rs")).unwrap_or_default();
                // The doc lines lowering gives each alias it makes: of an identical inline
                // schema's type (`dedup`), or of a type shared by a family (`families`).
                let aliases = types
                    .matches("keeps one type for identical inline schemas")
                    .count()
                    + types
                        .matches("the type of other properties of the same name")
                        .count();
                results.aliases.insert(spec.slug, aliases);
            }
            // The crate's default features: every tag, not the opt-in `mock`, `middleware` and
            // `native-roots` (progenitor's crates have no features, so it is their only build).
            let mut feature_sets = vec![("all".to_string(), Vec::new())];
            if let (Maker::Ours, Some(tag)) = (maker, spec.tag) {
                feature_sets.push((
                    format!("`{tag}` only"),
                    vec![
                        "--no-default-features".to_string(),
                        "--features".to_string(),
                        tag.to_string(),
                    ],
                ));
            }
            for (name, args) in feature_sets {
                eprintln!("bench: cargo check -p {package} ({name}) …");
                match workspace.check(&member, &package, &args) {
                    Ok(Checked { crate_only, empty }) => {
                        if name == "all" {
                            results.empty.insert((spec.slug, maker), empty);
                        }
                        results.check.insert((spec.slug, maker, name), crate_only);
                    }
                    Err(e) => results
                        .notes
                        .push(format!("check of {package} ({name}) failed: {}", brief(&e))),
                }
            }
        }
    }
    for slug in ["zoom", "github"] {
        if !specs.iter().any(|s| s.slug == slug) {
            continue;
        }
        eprintln!("bench: rustc -Z time-passes on ours-{slug} …");
        match workspace.time_passes(&format!("ours-{slug}")) {
            Ok(passes) => {
                results.passes.insert(slug, passes);
            }
            Err(e) => results.notes.push(format!(
                "-Z time-passes on ours-{slug} failed: {}",
                brief(&e)
            )),
        }
    }
    eprintln!("bench: the 31 Zoom clients in one workspace, copied and shared runtime …");
    match together::measure(root, &bench, &generators.ours) {
        Ok(t) => results.together = Some(t),
        Err(e) => results.notes.push(format!(
            "the 31 Zoom clients checked together failed: {}",
            brief(&e)
        )),
    }

    eprintln!("bench: criterion (client-tests/benches/client.rs) …");
    results.criterion = criterion(root)?;

    eprintln!("bench: uploading 1 GiB (client-tests/examples/upload_memory.rs) …");
    results.upload = Some(upload_memory(root)?);

    // One crate's profile by function body: Zoom's, whose code is that of the 31 Zoom clients.
    // Last of the measurements: reading the profile takes this process to hundreds of MB, and
    // a child spawned after that starts its peak memory (`ru_maxrss`) at this process's peak.
    if specs.iter().any(|s| s.slug == "zoom") {
        eprintln!("bench: rustc -Z self-profile on ours-zoom …");
        let dir = bench.join("profile");
        let lib = workspace.dir.join("ours-zoom/src/lib.rs");
        match profile::run(workspace.cargo(), "ours-zoom", &lib, &dir) {
            Ok(profile) => {
                results.profiles.insert("zoom", profile);
            }
            Err(e) => results.notes.push(format!(
                "-Z self-profile on ours-zoom failed: {}",
                brief(&e)
            )),
        }
    }

    let markdown = report::markdown(&report::Context {
        version: &version,
        baseline: &options.baseline,
        graph: options.graph,
        specs: &specs,
        results: &results,
        minutes: started.elapsed().as_secs_f64() / 60.0,
    });
    let path = root.join("docs/bench.md");
    std::fs::write(&path, &markdown)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "bench: wrote docs/bench.md in {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    ))
}

fn specs(root: &Path, options: &Options) -> Result<Vec<Spec>, String> {
    let corpus: BTreeMap<String, PathBuf> = specs_of(root, "large")?
        .into_iter()
        .chain(specs_of(root, "sample")?)
        .collect();
    let from_corpus = |id: &str| {
        corpus
            .get(id)
            .cloned()
            .ok_or_else(|| format!("`{id}` is not in the corpus lists"))
    };
    let config = |name: &str| Some(root.join("tools/bench/data").join(name));
    // A spec measured against nothing but itself; each entry below says what else.
    let spec = |slug: &'static str, label: &str, path: PathBuf, runs: usize| Spec {
        slug,
        label: label.into(),
        path,
        config: None,
        tag: None,
        progenitor: false,
        target: true,
        baseline: false,
        check_baseline: false,
        runs,
    };
    let mut specs = vec![
        Spec {
            config: Some(root.join("specs/master.toml")),
            progenitor: true,
            baseline: true,
            check_baseline: true,
            ..spec(
                "master",
                "specs/master.json",
                root.join("specs/master.json"),
                7,
            )
        },
        Spec {
            baseline: true,
            check_baseline: true,
            ..spec(
                "zoom",
                "Zoom, full API (zoom.us)",
                from_corpus("zoom.us")?,
                5,
            )
        },
        Spec {
            config: config("github.toml"),
            tag: Some("repos"),
            baseline: true,
            ..spec(
                "github",
                "GitHub (api.github.com)",
                from_corpus("github.com/api.github.com")?,
                3,
            )
        },
        Spec {
            baseline: true,
            ..spec(
                "stripe",
                "Stripe (stripe.com)",
                from_corpus("stripe.com")?,
                3,
            )
        },
        Spec {
            progenitor: true,
            ..spec(
                "sql",
                "Cloud SQL Admin (googleapis.com/sql)",
                from_corpus("googleapis.com/sql")?,
                5,
            )
        },
        Spec {
            progenitor: true,
            ..spec(
                "meraki",
                "Meraki (meraki.com)",
                from_corpus("meraki.com")?,
                5,
            )
        },
    ];
    // `specs/master.json` with the shared runtime crate: its check is the generated code alone,
    // the runtime being a prebuilt dependency, as progenitor's client crate is.
    let shared_config = root.join("target/bench/master-shared.toml");
    let master_config = std::fs::read_to_string(root.join("specs/master.toml"))
        .map_err(|e| format!("cannot read specs/master.toml: {e}"))?;
    std::fs::create_dir_all(root.join("target/bench"))
        .map_err(|e| format!("cannot create target/bench: {e}"))?;
    std::fs::write(
        &shared_config,
        format!(
            "runtime = {}\n{master_config}",
            toml::Value::String(root.join("runtime").display().to_string())
        ),
    )
    .map_err(|e| format!("cannot write {}: {e}", shared_config.display()))?;
    specs.push(Spec {
        config: Some(shared_config),
        target: false,
        ..spec(
            "master-shared",
            "specs/master.json, shared runtime crate",
            root.join("specs/master.json"),
            3,
        )
    });
    // What every crate costs before its operations and types, with either generator.
    specs.push(Spec {
        progenitor: true,
        target: false,
        ..spec(
            "one",
            "one operation (`tools/bench/data/one-operation.json`)",
            root.join("tools/bench/data/one-operation.json"),
            7,
        )
    });
    if options.graph {
        specs.push(Spec {
            config: config("graph.toml"),
            tag: Some("users"),
            ..spec(
                "graph",
                "Microsoft Graph (microsoft.com/graph)",
                from_corpus("microsoft.com/graph")?,
                1,
            )
        });
    }
    Ok(specs)
}

/// The client's peak memory uploading 1 GiB to a local server: streamed, and from one `Vec`
/// (the baseline), each its own process so that `wait4` gives its peak.
fn upload_memory(root: &Path) -> Result<(Measured, Measured), String> {
    measure::run(
        Command::new(cargo())
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "client-tests",
                "--example",
                "upload_memory",
            ])
            .current_dir(root),
    )?;
    let program = root.join("target/release/examples/upload_memory");
    let run = |mode: &str| {
        measure::run(Command::new(&program).args([mode, "1024"])).map(|r| Measured {
            peak_rss: own_peak(&r.stderr).unwrap_or(r.measured.peak_rss),
            ..r.measured
        })
    };
    Ok((run("stream")?, run("memory")?))
}

/// The peak a process printed of itself (`VmHWM:   4680 kB`), in bytes: `wait4`'s figure for a
/// child is at least its parent's peak, which can be more than the child's own.
fn own_peak(stderr: &str) -> Option<u64> {
    let line = stderr.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

/// How many times the criterion benchmarks run: the pairs' ratios moved by a tenth between
/// single runs on a busy machine.
pub(crate) const CRITERION_RUNS: usize = 3;

/// The criterion benchmarks' ids.
const CRITERION_IDS: [&str; 4] = [
    "decode/generated",
    "decode/handwritten",
    "request/generated",
    "request/reqwest",
];

/// Runs the criterion benchmarks [`CRITERION_RUNS`] times and gives each one's median, over the
/// runs, of criterion's mean (ns).
fn criterion(root: &Path) -> Result<BTreeMap<String, f64>, String> {
    let mut runs: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for _ in 0..CRITERION_RUNS {
        measure::run(
            Command::new(cargo())
                .args(["bench", "-p", "client-tests", "--bench", "client"])
                .current_dir(root),
        )?;
        for id in CRITERION_IDS {
            let path = root
                .join("target/criterion")
                .join(id)
                .join("new/estimates.json");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let json: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
            let mean = json["mean"]["point_estimate"]
                .as_f64()
                .ok_or_else(|| format!("{} has no mean.point_estimate", path.display()))?;
            runs.entry(id.to_string()).or_default().push(mean);
        }
    }
    Ok(runs
        .into_iter()
        .filter_map(|(id, means)| Some((id, measure::middle(means, f64::total_cmp)?)))
        .collect())
}

/// The last line of a failed command's message that says something (its error, usually).
fn brief(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note:") && !l.starts_with("at "))
        .unwrap_or("")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::own_peak;

    #[test]
    fn a_process_peak_is_read_from_its_vmhwm_line() {
        assert_eq!(
            own_peak("uploaded 1024 MiB (stream)\nVmHWM:\t    4680 kB\n"),
            Some(4680 * 1024)
        );
        assert_eq!(own_peak("uploaded 1024 MiB (stream)\n"), None);
        assert_eq!(own_peak("VmHWM: lots\n"), None);
    }
}
