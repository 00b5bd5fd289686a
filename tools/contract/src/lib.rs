//! `cargo xtask contract`: does a generated client work against its API, not just compile?
//!
//! For each spec: the client is generated as `generate` does it, with a driver
//! ([`driver`]) that calls every operation once with arguments made from the schemas
//! ([`values`]) and credentials for every security scheme; Prism (`@stoplight/prism-cli`) mocks
//! the spec ([`mock`]; it validates every request; a refusal is its error body or the `sl-violations`
//! header on the spec's own 400 or 422), once with the spec's examples and once with
//! generated responses. When Prism hangs or dies, the remaining operations run against a new
//! mock. Each operation gets a row: whether it was sent, Prism's statuses, whether
//! Prism accepted the request (no validation or security error) and whether the client decoded
//! the response both times. Operations the generator skipped are rows with `sent=false`; a spec
//! whose mock cannot start is reported as such.

mod driver;
mod mock;
mod proxy;
mod report;
mod values;

use mock::Mock;
pub use mock::{prism, PRISM_VERSION};
use report::{csv, markdown};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tools_shared::{generator_version, slug, specs_of};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A named set (`zoom`, `sample`, `large`) or a file listing spec paths.
    pub set: Option<String>,
    /// One spec.
    pub spec: Option<PathBuf>,
    /// Its config.
    pub config: Option<PathBuf>,
    /// Where to write `contract.csv` (default `target/contract/NAME`).
    pub out: Option<PathBuf>,
    /// Fail unless every operation was sent, accepted and decoded.
    pub expect_all: bool,
}

/// One operation's outcome.
#[derive(Debug, Clone, Default)]
struct Row {
    spec: String,
    operation: String,
    method: String,
    path: String,
    sent: bool,
    statuses: Vec<String>,
    accepted: bool,
    decoded: bool,
    detail: String,
    /// What the driver noted of how it called the operation, whatever the outcome
    /// ([`driver::BODY_LEFT_OUT`]).
    note: String,
    /// The wire names of the query parameters the driver leaves out (the optional ones).
    unsent: Vec<String>,
}

/// One spec, ready to run.
struct Prepared {
    name: String,
    slug: String,
    /// The spec Prism mocks, and the routes of the proxy in front of it ([`mock::mock_spec`]).
    mock: mock::MockSpec,
    rows: Vec<Row>,
    /// Indices into `rows` of the operations the driver calls, in its order.
    called: Vec<usize>,
}

/// Runs the harness; returns the summary line.
pub fn run(root: &Path, options: &Options) -> Result<String, String> {
    let version = generator_version(root);
    let (set_name, specs) = which_specs(root, options)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/contract").join(&set_name));
    for dir in ["crates", "drivers", "mock"] {
        let _ = std::fs::remove_dir_all(out.join(dir));
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let prism = prism(root)?;
    eprintln!(
        "contract `{set_name}`: {} spec(s) into {}",
        specs.len(),
        out.display()
    );
    let mut prepared = prepare_all(root, &out, &specs, options)?;
    let target = root.join("target/contract-target");
    let build_errors = build_drivers(&out, &target, &prepared)?;
    for spec in &mut prepared {
        call_operations(&prism, &target, &build_errors, spec);
    }

    let rows: Vec<&Row> = prepared.iter().flat_map(|p| &p.rows).collect();
    let operations = rows.iter().filter(|r| !r.operation.is_empty()).count();
    let sent = rows.iter().filter(|r| r.sent).count();
    let accepted = rows.iter().filter(|r| r.accepted).count();
    let decoded = rows.iter().filter(|r| r.decoded).count();
    let summary = format!(
        "contract: {operations} operations, {sent} sent, {accepted} accepted, {decoded} decoded"
    );
    std::fs::write(out.join("contract.csv"), csv(&rows))
        .map_err(|e| format!("cannot write contract.csv: {e}"))?;
    if options
        .set
        .as_deref()
        .is_some_and(|s| matches!(s, "zoom" | "sample" | "large"))
    {
        let docs = root.join("docs/contract");
        std::fs::create_dir_all(&docs)
            .map_err(|e| format!("cannot create {}: {e}", docs.display()))?;
        std::fs::write(
            docs.join(format!("{set_name}.md")),
            markdown(&set_name, &version, &prepared, &summary),
        )
        .map_err(|e| format!("cannot write the report: {e}"))?;
        std::fs::write(docs.join(format!("{set_name}.csv")), csv(&rows))
            .map_err(|e| format!("cannot write the report: {e}"))?;
    }
    if options.expect_all && (operations == 0 || decoded < operations || accepted < operations) {
        let failing: Vec<String> = rows
            .iter()
            .filter(|r| !(r.accepted && r.decoded))
            .map(|r| format!("{} {}: {}", r.spec, r.operation, r.detail))
            .collect();
        return Err(format!(
            "{summary}\nnot every operation was accepted and decoded:\n{}",
            failing.join("\n")
        ));
    }
    Ok(summary)
}

/// The run's name (the set's, or the spec's file stem) and its specs: (name, path).
fn which_specs(root: &Path, options: &Options) -> Result<(String, Vec<(String, PathBuf)>), String> {
    match (&options.set, &options.spec) {
        (Some(set), None) => {
            let name = Path::new(set)
                .file_stem()
                .map_or_else(|| set.clone(), |s| s.to_string_lossy().into_owned());
            Ok((name, specs_of(root, set)?))
        }
        (None, Some(spec)) => {
            let name = spec
                .file_stem()
                .map_or_else(|| "spec".to_string(), |s| s.to_string_lossy().into_owned());
            Ok((name, vec![(spec.display().to_string(), spec.clone())]))
        }
        _ => Err("`contract` takes --set NAME|FILE or --spec FILE".into()),
    }
}

/// Generates each spec's client and driver under `out`, in one workspace; a spec that does
/// not generate keeps one row that says why.
fn prepare_all(
    root: &Path,
    out: &Path,
    specs: &[(String, PathBuf)],
    options: &Options,
) -> Result<Vec<Prepared>, String> {
    let mut prepared = Vec::new();
    let mut members = Vec::new();
    for (name, path) in specs {
        let slug = slug(name);
        match prepare(out, name, path, options.config.as_deref(), &slug) {
            Ok(p) => {
                members.push(format!("\"crates/{slug}\""));
                members.push(format!("\"drivers/{slug}\""));
                prepared.push(p);
            }
            Err(detail) => prepared.push(Prepared {
                name: name.clone(),
                mock: mock::MockSpec {
                    path: path.clone(),
                    routes: Vec::new(),
                },
                slug,
                rows: vec![Row {
                    spec: name.clone(),
                    detail: format!("not generated: {detail}"),
                    ..Row::default()
                }],
                called: Vec::new(),
            }),
        }
    }
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\n    {}\n]\n",
            members.join(",\n    ")
        ),
    )
    .map_err(|e| format!("cannot write the workspace: {e}"))?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(prepared)
}

/// Builds every driver of the workspace `out` into `target`, going on past one that does not
/// compile; cargo's error output, to tell a client that did not compile from a driver.
fn build_drivers(out: &Path, target: &Path, prepared: &[Prepared]) -> Result<String, String> {
    let drivers = prepared.iter().filter(|p| !p.called.is_empty()).count();
    eprintln!("building {drivers} driver(s) …");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = Command::new(&cargo)
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--offline",
            "--quiet",
        ])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target)
        // Without debug info or incremental state: each crate is built once, and a set's
        // drivers otherwise take tens of GB of disk and link slowly.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    Ok(String::from_utf8_lossy(&build.stderr).into_owned())
}

/// Runs one spec's driver against Prism, static then dynamic, and records each call in its
/// rows; without a driver, its rows say whether the client or the driver did not compile.
fn call_operations(prism: &Path, target: &Path, build_errors: &str, spec: &mut Prepared) {
    if spec.called.is_empty() {
        return;
    }
    let binary = target
        .join("debug")
        .join(format!("contract-driver-{}", spec.slug));
    if !binary.exists() {
        let why = if build_errors.contains(&format!("`contract-{}`", spec.slug)) {
            "the client did not compile"
        } else {
            "the driver did not compile"
        };
        for &i in &spec.called {
            spec.rows[i].detail = why.to_string();
        }
        return;
    }
    for dynamic in [false, true] {
        let mode = if dynamic { "dynamic" } else { "static" };
        let lines = run_mode(prism, &spec.mock, &binary, dynamic)
            .map_err(|e| format!("the {mode} mock did not start: {e}"));
        record(spec, mode, lines);
    }
    let done = spec.rows.iter().filter(|r| r.accepted && r.decoded).count();
    eprintln!(
        "{}: {done}/{} accepted and decoded",
        spec.name,
        spec.rows.len()
    );
}

/// Generates the client and its driver for one spec.
fn prepare(
    out: &Path,
    name: &str,
    path: &Path,
    config: Option<&Path>,
    slug: &str,
) -> Result<Prepared, String> {
    let mut config = match config {
        Some(c) => codegen::Config::load(c).map_err(|e| e.to_string())?,
        None => codegen::Config::default(),
    };
    config.krate.name = Some(format!("contract-{slug}"));
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let input = codegen::inspect::Input {
        spec_path: path,
        spec_bytes: &bytes,
        spec_label: name.to_string(),
        config,
        command: format!("cargo xtask contract --spec {name}"),
    };
    let codegen::inspect::Generation {
        generated,
        api,
        spec,
    } = std::panic::catch_unwind(|| codegen::inspect::generate_with_model(&input))
        .map_err(|_| "the generator panicked".to_string())?
        .map_err(|e| e.to_string())?;
    let doc = serde_json::to_value(&spec).map_err(|e| e.to_string())?;
    let dir = out.join("crates").join(slug);
    for (rel, content) in &generated.files {
        write(&dir.join(rel), content)?;
    }
    let driver = out.join("drivers").join(slug);
    write(
        &driver.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"contract-driver-{slug}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\napi = {{ package = \"contract-{slug}\", path = \"../../crates/{slug}\" }}\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
        ),
    )?;
    write(&driver.join("src/main.rs"), &driver::main_rs(&api, &doc)?)?;
    let mut rows: Vec<Row> = api
        .operations
        .iter()
        .map(|op| Row {
            spec: name.to_string(),
            operation: op.operation_id.clone(),
            method: op.method.as_str().to_string(),
            path: op.path.clone(),
            unsent: op
                .params
                .iter()
                .filter(|p| !p.required && p.location == codegen::inspect::Location::Query)
                .map(|p| p.wire.clone())
                .collect(),
            ..Row::default()
        })
        .collect();
    let called = (0..rows.len()).collect();
    // Operations the generator left out.
    for w in &generated.warnings {
        if !w.message.contains("the operation is skipped") {
            continue;
        }
        let tokens: Vec<String> = w
            .pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        if let [paths, path, method, ..] = tokens.as_slice() {
            if paths == "paths" {
                rows.push(Row {
                    spec: name.to_string(),
                    operation: format!("{method} {path}"),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    detail: format!("skipped by the generator: {}", w.message),
                    ..Row::default()
                });
            }
        }
    }
    Ok(Prepared {
        name: name.to_string(),
        mock: mock::mock_spec(path, &bytes, &out.join("mock"), slug),
        slug: slug.to_string(),
        rows,
        called,
    })
}

fn write(path: &Path, content: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs the driver against a fresh mock. Prism sometimes hangs or dies on a schema it cannot
/// make data for; the driver then stops after that operation (recorded as unanswered), and the
/// rest run against a new mock, so one such operation does not take the others down with it.
fn run_mode(
    prism: &Path,
    spec: &mock::MockSpec,
    binary: &Path,
    dynamic: bool,
) -> Result<Vec<serde_json::Value>, String> {
    let all = driver_operations(binary)?;
    let mut lines: Vec<serde_json::Value> = Vec::new();
    let mut only: Option<String> = None;
    // At most one restart per operation.
    for _ in 0..=all.len() {
        let mock = Mock::start(prism, &spec.path, dynamic)?;
        // Operations told apart by a header go through the proxy (see `proxy`).
        let proxy = match spec.routes.as_slice() {
            [] => None,
            routes => Some(proxy::Proxy::start(&mock.url, routes.to_vec())?),
        };
        let url = proxy.as_ref().map_or(&mock.url, |p| &p.url);
        let batch = run_driver(binary, url, only.as_deref())?;
        drop(proxy);
        drop(mock);
        let stopped = batch.last().is_some_and(|l| {
            let detail = l
                .get("detail")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            detail.starts_with("transport error") || detail.starts_with("timed out")
        });
        lines.extend(batch);
        if !stopped {
            break;
        }
        let seen = |id: &str| {
            lines
                .iter()
                .any(|l| l.get("operation").and_then(serde_json::Value::as_str) == Some(id))
        };
        let left: Vec<&str> = all
            .iter()
            .map(String::as_str)
            .filter(|id| !seen(id))
            .collect();
        if left.is_empty() {
            break;
        }
        only = Some(left.join("\n"));
    }
    Ok(lines)
}

/// The operationIds a driver calls, in order (it prints them with `CONTRACT_LIST`).
fn driver_operations(binary: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(binary)
        .env("CONTRACT_LIST", "1")
        .output()
        .map_err(|e| format!("cannot run the driver: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// Runs a driver against `url` (only the operations in `only`, one a line, when given); its
/// JSON lines.
fn run_driver(
    binary: &Path,
    url: &str,
    only: Option<&str>,
) -> Result<Vec<serde_json::Value>, String> {
    let mut command = Command::new(binary);
    if let Some(only) = only {
        command.env("CONTRACT_ONLY", only);
    }
    let mut child = command
        .env("CONTRACT_STOP", "1")
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run the driver: {e}"))?;
    // Read stdout while the driver runs: a full pipe would stop it.
    let mut stdout = child.stdout.take().ok_or("the driver has no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        use std::io::Read as _;
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > Duration::from_secs(1800) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the driver ran for more than 30 minutes".into());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let text = reader
        .join()
        .map_err(|_| "reading the driver's output failed".to_string())?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Folds one mode's lines into the rows.
fn record(spec: &mut Prepared, mode: &str, lines: Result<Vec<serde_json::Value>, String>) {
    let first = mode == "static";
    let lines = match lines {
        Ok(lines) => lines,
        Err(e) => {
            for &i in &spec.called {
                let row = &mut spec.rows[i];
                row.accepted = false;
                row.decoded = false;
                row.statuses.push("-".into());
                if row.detail.is_empty() {
                    row.detail = e.clone();
                }
            }
            return;
        }
    };
    let by_id: BTreeMap<&str, &serde_json::Value> = lines
        .iter()
        .filter_map(|l| Some((l.get("operation")?.as_str()?, l)))
        .collect();
    for &i in &spec.called {
        let row = &mut spec.rows[i];
        let line = by_id.get(row.operation.as_str());
        let flag = |k: &str| {
            line.and_then(|l| l.get(k))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        };
        let status = line
            .and_then(|l| l.get("status"))
            .and_then(serde_json::Value::as_u64)
            .map_or("-".to_string(), |s| s.to_string());
        row.statuses.push(status);
        if first {
            row.sent = flag("sent");
            row.accepted = flag("accepted");
            row.decoded = flag("decoded");
        } else {
            row.sent &= flag("sent");
            row.accepted &= flag("accepted");
            row.decoded &= flag("decoded");
        }
        let detail = line
            .and_then(|l| l.get("detail"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(if line.is_none() {
                "the driver printed nothing for it"
            } else {
                ""
            });
        if row.detail.is_empty() && !(flag("accepted") && flag("decoded")) && !detail.is_empty() {
            row.detail = format!("{mode}: {detail}");
        }
        if let Some(note) = line
            .and_then(|l| l.get("note"))
            .and_then(serde_json::Value::as_str)
        {
            row.note = note.to_string();
        }
    }
}
