//! `cargo xtask corpus`: generate a crate for every spec of a set with `cargo xtask generate`'s
//! code path, run `cargo clippy` (default lints) over them all in one scratch workspace with one
//! shared target directory, and report per spec: operations, types, generation time, compiler
//! warnings, clippy lints by name, and how far it got (a crate with a compiler warning or a
//! clippy lint counts as failed: users' CI runs `cargo clippy -- -D warnings` over it).
//!
//! With `doc` the crates that pass clippy are then documented with `cargo doc --no-deps`, and a
//! rustdoc warning (a bare URL, a broken link, unclosed HTML) fails the crate too.
//!
//! With `generate_only` the crates are made in memory and not written or compiled: a quick
//! sweep of many specs (`--set all`, the whole corpus) for the generator's own errors and panics.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tools_shared::{generate_crate, generator_version, scratch, slug, specs_of};

/// Options of one corpus run.
#[derive(Debug, Clone)]
pub struct Options {
    /// `zoom`, `webhooks`, `sample`, `large`, `openapi31`, `all` (every spec of the corpus), or a
    /// file listing spec paths one a line.
    pub set: String,
    /// Only generate, in memory: no crate is written or compiled.
    pub generate_only: bool,
    /// Also document the crates that pass clippy (`cargo doc --no-deps`), failing those rustdoc
    /// warns about.
    pub doc: bool,
    /// Parallel generation jobs.
    pub jobs: usize,
    /// Where the crates and the report go (default `target/corpus/<set>`).
    pub out: Option<PathBuf>,
}

/// How far one spec got.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Compiles,
    /// Generated, not compiled (`generate_only`).
    Generated,
    GenerateFailed(String),
    CheckFailed(String),
    Warnings(String),
    Lints(String),
    /// Rustdoc warned (`doc` only).
    Docs(String),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Compiles => "compiles",
            Outcome::Generated => "generated",
            Outcome::GenerateFailed(_) => "failed: generate",
            Outcome::CheckFailed(_) => "failed: compile",
            Outcome::Warnings(_) => "failed: warnings",
            Outcome::Lints(_) => "failed: clippy",
            Outcome::Docs(_) => "failed: rustdoc",
        }
    }

    fn first_error(&self) -> &str {
        match self {
            Outcome::Compiles | Outcome::Generated => "",
            Outcome::GenerateFailed(e)
            | Outcome::CheckFailed(e)
            | Outcome::Warnings(e)
            | Outcome::Lints(e)
            | Outcome::Docs(e) => e,
        }
    }
}

struct Row {
    spec: String,
    /// The spec's `openapi` version, as written.
    openapi: String,
    slug: String,
    operations: usize,
    events: usize,
    types: usize,
    skipped: usize,
    /// `supported/declared` security schemes and the supported ones' kinds.
    security: String,
    /// (supported, declared) security schemes.
    schemes: (usize, usize),
    generate: Duration,
    outcome: Outcome,
    /// Compiler warnings in the crate.
    warnings: usize,
    /// Clippy lints in the crate, by lint name.
    lints: BTreeMap<String, usize>,
    /// Rustdoc's warnings, by lint name; `None` when the crate was not documented.
    docs: Option<BTreeMap<String, usize>>,
}

/// Runs the corpus and returns the report's summary line.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    // Read before the long run, so edits made while it runs do not mislabel the report.
    let version = generator_version(root);
    let specs = specs_of(root, &options.set)?;
    let set_name = Path::new(&options.set)
        .file_stem()
        .map_or_else(|| options.set.clone(), |s| s.to_string_lossy().into_owned());
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/corpus").join(&set_name));
    let crates = out.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    std::fs::create_dir_all(&crates)
        .map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
    // Zoom's webhook specs are generated with the Zoom profile, which adds signature checks.
    let config = (options.set == "webhooks").then(|| out.join("zoom-profile.toml"));
    if let Some(config) = &config {
        std::fs::write(config, "[profile]\nvendor = \"zoom\"\n")
            .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    }
    eprintln!(
        "corpus `{}`: generating {} specs with {} jobs into {}",
        options.set,
        specs.len(),
        options.jobs,
        out.display()
    );

    // Generation, in parallel; a panic is caught and reported, never fatal to the run.
    let queue = Arc::new(Mutex::new(
        specs.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let rows = Arc::new(Mutex::new(BTreeMap::new()));
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            let (queue, rows, crates) = (queue.clone(), rows.clone(), crates.clone());
            let config = config.clone();
            scope.spawn(move || loop {
                let Some((index, (name, path))) = queue.lock().ok().and_then(|mut q| q.pop())
                else {
                    return;
                };
                let slug = slug(&name);
                let dir = (!options.generate_only).then(|| crates.join(&slug));
                let row = generate_one(&name, &path, config.as_deref(), &slug, dir.as_deref());
                if let Ok(mut rows) = rows.lock() {
                    rows.insert(index, row);
                }
            });
        }
    });
    let _ = std::panic::take_hook();
    let mut rows: Vec<Row> = Arc::try_unwrap(rows)
        .map_err(|_| "generation threads still hold the results".to_string())?
        .into_inner()
        .map_err(|_| "a generation thread panicked while recording".to_string())?
        .into_values()
        .collect();

    if options.generate_only {
        for row in rows.iter_mut().filter(|r| r.outcome == Outcome::Compiles) {
            row.outcome = Outcome::Generated;
        }
    } else {
        check_all(root, &out, &mut rows)?;
        if options.doc {
            doc_all(root, &out, &mut rows)?;
        }
    }
    let (markdown, csv, summary) = report(options, &rows, &version);
    std::fs::write(out.join("report.md"), &markdown)
        .map_err(|e| format!("cannot write the report: {e}"))?;
    std::fs::write(out.join("report.csv"), &csv)
        .map_err(|e| format!("cannot write the report: {e}"))?;
    if matches!(
        options.set.as_str(),
        "zoom" | "webhooks" | "sample" | "large" | "openapi31" | "all"
    ) {
        let set_name = if options.generate_only {
            format!("{set_name}-generate-only")
        } else {
            set_name
        };
        let docs = root.join("docs/corpus");
        std::fs::create_dir_all(&docs)
            .map_err(|e| format!("cannot create {}: {e}", docs.display()))?;
        std::fs::write(docs.join(format!("{set_name}.md")), &markdown)
            .map_err(|e| format!("cannot write the report: {e}"))?;
        std::fs::write(docs.join(format!("{set_name}.csv")), &csv)
            .map_err(|e| format!("cannot write the report: {e}"))?;
    }
    Ok(summary)
}

/// Generates one spec's crate and writes it to `dir` (in memory only when `dir` is `None`).
fn generate_one(
    name: &str,
    path: &Path,
    config: Option<&Path>,
    slug: &str,
    dir: Option<&Path>,
) -> Row {
    let started = Instant::now();
    let command = format!("cargo xtask generate --spec {name} --out {slug}");
    let result = std::panic::catch_unwind(|| {
        generate_crate(path, config, name.to_string(), command.clone())
    });
    let generate = started.elapsed();
    let mut row = Row {
        spec: name.to_string(),
        openapi: openapi_version(path),
        slug: slug.to_string(),
        operations: 0,
        events: 0,
        types: 0,
        skipped: 0,
        security: String::new(),
        schemes: (0, 0),
        generate,
        outcome: Outcome::Compiles,
        warnings: 0,
        lints: BTreeMap::new(),
        docs: None,
    };
    match result {
        Ok(Ok(mut generated)) => {
            row.operations = generated.operations;
            row.events = generated.events;
            row.types = generated.types;
            row.skipped = generated.warnings.len();
            row.schemes = (generated.security.len(), generated.security_declared);
            let mut kinds = generated.security.clone();
            kinds.sort();
            kinds.dedup();
            row.security = format!(
                "{}/{} {}",
                generated.security.len(),
                generated.security_declared,
                kinds.join(" ")
            )
            .trim_end()
            .to_string();
            // A unique package name per spec, so all of them fit in one workspace.
            scratch::rename_package(&mut generated.files, &format!("corpus-{slug}"));
            if let Some(Err(e)) = dir.map(|dir| generated.write_to(dir)) {
                row.outcome = Outcome::GenerateFailed(e.to_string());
            }
        }
        Ok(Err(e)) => row.outcome = Outcome::GenerateFailed(first_line(&e)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            row.outcome = Outcome::GenerateFailed(format!("PANIC: {message}"));
        }
    }
    row
}

/// The `openapi` (or `swagger`) version a spec file declares, or `?` when it cannot be read.
fn openapi_version(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let doc: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_yaml::from_str(&text))
        .unwrap_or_default();
    ["openapi", "swagger"]
        .iter()
        .find_map(|key| doc.get(*key))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let short: String = line.chars().take(300).collect();
    short.replace('|', "\\|")
}

/// Runs `pass` over the crates that are still clean in one workspace, and hands each its
/// findings.
fn run_pass(
    root: &Path,
    out: &Path,
    rows: &mut [Row],
    pass: scratch::Pass,
    mut apply: impl FnMut(&mut Row, scratch::Findings),
) -> Result<(), String> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.outcome == Outcome::Compiles)
        .map(|r| format!("crates/{}", r.slug))
        .collect();
    let target = root.join("target/corpus-target");
    let mut found = scratch::run_workspace(root, out, &members, "corpus-", &target, pass)?;
    for row in rows.iter_mut().filter(|r| r.outcome == Outcome::Compiles) {
        apply(row, found.remove(&row.slug).unwrap_or_default());
    }
    Ok(())
}

/// Runs `cargo clippy` (its default lints) over every generated crate in one workspace,
/// attributing each error, compiler warning and clippy lint to its crate.
fn check_all(root: &Path, out: &Path, rows: &mut [Row]) -> Result<(), String> {
    run_pass(root, out, rows, scratch::Pass::Clippy, |row, f| {
        row.warnings = f.warnings;
        row.lints = f.lints;
        match (f.error, f.warning, f.lint) {
            (Some(text), _, _) => row.outcome = Outcome::CheckFailed(first_line(&text)),
            (None, Some(text), _) => row.outcome = Outcome::Warnings(first_line(&text)),
            (None, None, Some(text)) => row.outcome = Outcome::Lints(first_line(&text)),
            (None, None, None) => {}
        }
    })
}

/// Documents every crate that passed clippy (`cargo doc --no-deps`, rustdoc's default lints);
/// a crate rustdoc warns about fails.
fn doc_all(root: &Path, out: &Path, rows: &mut [Row]) -> Result<(), String> {
    run_pass(root, out, rows, scratch::Pass::Doc, |row, f| {
        let mut docs = f.lints;
        if f.warnings > 0 {
            docs.insert("warnings".into(), f.warnings);
        }
        if let Some(text) = f.error.or(f.lint).or(f.warning) {
            row.outcome = Outcome::Docs(first_line(&text));
        }
        row.docs = Some(docs);
    })
}

fn report(options: &Options, rows: &[Row], version: &str) -> (String, String, String) {
    let (set, generate_only) = (options.set.as_str(), options.generate_only);
    let total = rows.len();
    let generated = rows
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::GenerateFailed(_)))
        .count();
    let compiles = rows
        .iter()
        .filter(|r| r.outcome == Outcome::Compiles)
        .count();
    let panics = rows
        .iter()
        .filter(|r| r.outcome.first_error().starts_with("PANIC"))
        .count();
    let pct = |n: usize| {
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    let operations: usize = rows.iter().map(|r| r.operations).sum();
    let events: usize = rows.iter().map(|r| r.events).sum();
    let supported: usize = rows.iter().map(|r| r.schemes.0).sum();
    let declared: usize = rows.iter().map(|r| r.schemes.1).sum();
    let warnings: usize = rows.iter().map(|r| r.warnings).sum();
    let lints: usize = rows.iter().flat_map(|r| r.lints.values()).sum();
    let docs: usize = rows
        .iter()
        .filter_map(|r| r.docs.as_ref())
        .flat_map(BTreeMap::values)
        .sum();
    let (clean, in_all) = if options.doc {
        (
            "compiler warnings, clippy lints or rustdoc warnings",
            format!(
                "{warnings} compiler warnings, {lints} clippy lints and {docs} rustdoc warnings"
            ),
        )
    } else {
        (
            "compiler warnings or clippy lints",
            format!("{warnings} compiler warnings and {lints} clippy lints"),
        )
    };
    let summary = format!(
        "{total} specs: {generated} generate ({:.1}%), {compiles} compile without {clean} ({:.1}%), {panics} panics; {in_all} in all; {operations} operations and {events} webhook events generated; {supported} of {declared} security schemes supported",
        pct(generated),
        pct(compiles)
    );
    let is_31 = |r: &&Row| r.openapi.starts_with("3.1");
    let of_31 = rows.iter().filter(is_31).count();
    let generated_31 = rows
        .iter()
        .filter(is_31)
        .filter(|r| !matches!(r.outcome, Outcome::GenerateFailed(_)))
        .count();
    let compiles_31 = rows
        .iter()
        .filter(is_31)
        .filter(|r| r.outcome == Outcome::Compiles)
        .count();
    let (summary, command, checked) = if generate_only {
        (
            format!(
                "{total} specs: {generated} generate ({:.1}%), {panics} panics; {operations} operations and {events} webhook events generated; {supported} of {declared} security schemes supported; OpenAPI 3.1: {of_31} specs, {generated_31} generate; not compiled (`--generate-only`)",
                pct(generated)
            ),
            format!("cargo xtask corpus --set {set} --generate-only"),
            "Each crate is made in memory by `cargo xtask generate`'s code path and is neither \
             written nor compiled (`--generate-only`): this report counts the generator's own \
             errors and panics.",
        )
    } else {
        (
            format!(
                "{summary}; OpenAPI 3.1: {of_31} specs, {generated_31} generate, {compiles_31} compile without warnings or lints"
            ),
            format!(
                "cargo xtask corpus --set {set}{}",
                if options.doc { " --doc" } else { "" }
            ),
            if options.doc {
                "Every crate is run through `cargo clippy` with its default lints, and each that \
                 passes through `cargo doc --no-deps` with rustdoc's; a crate with a compiler \
                 warning, a clippy lint or a rustdoc warning counts as failed. `warnings` counts \
                 compiler warnings, `clippy` the lints by name, `rustdoc` rustdoc's by name."
            } else {
                "Every crate is run through `cargo clippy` with its default lints; a crate with a \
                 compiler warning or a clippy lint counts as failed. `warnings` counts compiler \
                 warnings, `clippy` the lints by name."
            },
        )
    };
    // Generation times depend on it: `cargo xtask` is a debug build, `cargo run --release -p
    // xtask` (quicker for `--set all`) is not.
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut md = format!(
        "# Corpus report: `{set}`\n\nMade by `{command}` ({build} build) with the generator at \
         commit `{version}`. {summary}.\n\n\
         {checked} `skipped` counts the constructs the \
         generator left out with a warning (each named by JSON pointer in the crate's docs). \
         `security` is the number of the spec's security schemes the client can send, of those it \
         declares, and their kinds.\n\n"
    );
    let (table, csv) = table(rows, options.doc);
    md.push_str(&table);
    (md, csv, summary)
}

/// One row per spec, as a Markdown table and as CSV; the `rustdoc` column only when the
/// crates were documented.
fn table(rows: &[Row], doc: bool) -> (String, String) {
    let mut header = vec![
        "spec",
        "openapi",
        "operations",
        "events",
        "types",
        "skipped",
        "security",
        "generate ms",
        "warnings",
        "clippy",
    ];
    if doc {
        header.push("rustdoc");
    }
    header.extend(["result", "first error"]);
    let align: Vec<&str> = header
        .iter()
        .map(|h| match *h {
            "operations" | "events" | "types" | "skipped" | "generate ms" | "warnings" => "---:",
            _ => "---",
        })
        .collect();
    let mut md = format!("| {} |\n|{}|\n", header.join(" | "), align.join("|"));
    let mut csv = format!("{}\n", header.join(",").replace(' ', "_"));
    let by_name = |lints: &BTreeMap<String, usize>| {
        lints
            .iter()
            .map(|(lint, n)| format!("{lint} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for r in rows {
        // (text, whether CSV quotes it)
        let mut cells = vec![
            (r.spec.clone(), true),
            (r.openapi.clone(), true),
            (r.operations.to_string(), false),
            (r.events.to_string(), false),
            (r.types.to_string(), false),
            (r.skipped.to_string(), false),
            (r.security.clone(), true),
            (r.generate.as_millis().to_string(), false),
            (r.warnings.to_string(), false),
            (by_name(&r.lints), true),
        ];
        if doc {
            let docs = r.docs.as_ref().map_or_else(|| "–".to_string(), by_name);
            cells.push((docs, true));
        }
        cells.push((r.outcome.label().to_string(), false));
        cells.push((r.outcome.first_error().to_string(), true));
        let texts: Vec<&str> = cells.iter().map(|(text, _)| text.as_str()).collect();
        let _ = writeln!(md, "| {} |", texts.join(" | "));
        let fields: Vec<String> = cells
            .iter()
            .map(|(text, quoted)| if *quoted { quote(text) } else { text.clone() })
            .collect();
        let _ = writeln!(csv, "{}", fields.join(","));
    }
    (md, csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: Outcome, docs: Option<BTreeMap<String, usize>>) -> Row {
        Row {
            spec: "a.json".into(),
            openapi: "3.0.0".into(),
            slug: "a".into(),
            operations: 1,
            events: 0,
            types: 2,
            skipped: 0,
            security: String::new(),
            schemes: (0, 0),
            generate: Duration::from_millis(5),
            outcome,
            warnings: 0,
            lints: BTreeMap::new(),
            docs,
        }
    }

    /// The `rustdoc` column is there only when the crates were documented, and names each
    /// lint with its count; the CSV has as many fields as its header.
    #[test]
    fn the_rustdoc_column_comes_with_doc() {
        let docs = BTreeMap::from([("rustdoc::bare_urls".to_string(), 2)]);
        let rows = [row(
            Outcome::Docs("this URL is not a hyperlink".into()),
            Some(docs),
        )];
        let (md, csv) = table(&rows, true);
        assert!(md.starts_with("| spec |"), "{md}");
        assert!(md.contains("| clippy | rustdoc | result |"), "{md}");
        assert!(
            md.contains("| rustdoc::bare_urls ×2 | failed: rustdoc | this URL"),
            "{md}"
        );
        let mut lines = csv.lines();
        let header = lines.next().unwrap_or_default();
        assert!(
            header.ends_with(",clippy,rustdoc,result,first_error"),
            "{header}"
        );
        let fields = lines.next().unwrap_or_default().split(',').count();
        assert_eq!(fields, header.split(',').count(), "{csv}");

        let (md, csv) = table(&[row(Outcome::Compiles, None)], false);
        assert!(
            !md.contains("rustdoc") && !csv.contains("rustdoc"),
            "{md}{csv}"
        );
        assert!(md.contains("| 0 |  | compiles |  |"), "{md}");
    }
}
