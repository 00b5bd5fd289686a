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

use codegen::Generator;
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
    let specs_dir = work.join("specs");
    let crates = work.join("crates");
    let failures_dir = work.join("failures");
    for dir in [&specs_dir, &crates, &failures_dir] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir)
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

    // Panics are caught and reported as failures, not printed as they happen.
    let panics: &'static Mutex<Vec<String>> = Box::leak(Box::new(Mutex::new(Vec::new())));
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut list) = panics.lock() {
            list.push(info.to_string());
        }
    }));

    let started = Instant::now();
    let (mut accepted, mut refused) = (0usize, 0usize);
    let mut failures: Vec<Failure> = Vec::new();
    let mut to_check: Vec<Mutant> = Vec::new();
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    for run in runs {
        let mutant = mutate(&seeds, options.seed, run);
        let path = specs_dir.join(format!("run-{run}.json"));
        let text = serde_json::to_string_pretty(&mutant.spec).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if let Ok(mut list) = panics.lock() {
            list.clear();
        }
        match generate(&path, mutant.config.clone(), options.timeout) {
            Outcome::Hang => failures.push(Failure {
                run,
                kind: "hang",
                detail: format!("no answer within {:?}", options.timeout),
            }),
            Outcome::Panic(message) => {
                let hooked = panics.lock().map(|l| l.join("\n")).unwrap_or_default();
                failures.push(Failure {
                    run,
                    kind: "panic",
                    detail: if hooked.is_empty() { message } else { hooked },
                });
            }
            Outcome::Refused(message) if message.contains("internal error") => {
                let hooked = panics.lock().map(|l| l.join("\n")).unwrap_or_default();
                failures.push(Failure {
                    run,
                    kind: "panic",
                    detail: format!("{message}\n{hooked}"),
                });
            }
            Outcome::Refused(message) => {
                refused += 1;
                *refusals
                    .entry(tools_shared::message_kind(&message))
                    .or_default() += 1;
            }
            Outcome::Accepted(mut generated) => {
                accepted += 1;
                let check = options.only.is_some()
                    || (options.check_every > 0 && accepted % options.check_every == 0);
                if check {
                    let name = format!("run-{run}");
                    scratch::rename_package(&mut generated.files, &format!("fuzz-{name}"));
                    generated
                        .write_to(crates.join(&name))
                        .map_err(|e| format!("cannot write the crate of run {run}: {e}"))?;
                    to_check.push(mutant);
                }
            }
        }
        let done = accepted + refused + failures.len();
        if done % 100 == 0 {
            eprintln!(
                "  {done} runs: {accepted} accepted, {refused} refused, {} failed ({:.0?})",
                failures.len(),
                started.elapsed()
            );
        }
    }
    let _ = std::panic::take_hook();

    let members: Vec<String> = to_check
        .iter()
        .map(|m| format!("crates/run-{}", m.run))
        .collect();
    let target = root.join("target/fuzz-target");
    let found = scratch::clippy_workspace(root, &work, &members, "fuzz-", &target)?;
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

    let mut by_run: BTreeMap<usize, Mutant> = to_check.into_iter().map(|m| (m.run, m)).collect();
    let mut report = String::new();
    for failure in &failures {
        // A mutant that failed before compiling is made again: it was not kept.
        let mutant = by_run
            .remove(&failure.run)
            .unwrap_or_else(|| mutate(&seeds, options.seed, failure.run));
        let saved = failures_dir.join(format!("run-{}.json", failure.run));
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
        for (kind, count) in &refusals {
            let _ = write!(summary, "\n  {count:>5}  {kind}");
        }
    }
    if failures.is_empty() {
        Ok(summary)
    } else {
        Err(format!("{report}{summary}"))
    }
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

/// Run `run`'s mutant: a seed picked and one to four mutations applied, all drawn from a
/// generator seeded by `(seed, run)` alone.
fn mutate(seeds: &[Seed], seed: u64, run: usize) -> Mutant {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (run as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let base = &seeds[rng.usize(..seeds.len())];
    let mut spec = base.spec.clone();
    let mut mutations = Vec::new();
    for _ in 0..rng.usize(1..=4) {
        mutations.push(mutation(&mut spec, &mut rng));
    }
    Mutant {
        run,
        seed_name: base.name.clone(),
        mutations,
        spec,
        config: base.config.clone(),
    }
}

/// Names that trip code generators: keywords, names of the prelude and of our own items,
/// names that differ only in case or punctuation, and names that are not identifiers at all.
const NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "0",
    "1st",
    "-",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "{id}",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "r#type",
    "fn",
    "mod",
    "async",
    "await",
    "dyn",
    "try",
    "match",
    "None",
    "Some",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "serde",
    "Client",
    "Error",
    "client",
    "builder",
    "send",
    "default",
    "new",
    "foo",
    "baz",
    "value",
    "Value",
    "FooBar",
    "foo_bar",
    "fooBar",
    "FOO_BAR",
    "ä名前",
    "😀",
    "$ref",
    "200",
    "x-",
    "abc\u{301}",
];

/// Values of every JSON type, the odd ones in particular.
fn odd_value(rng: &mut fastrand::Rng) -> Value {
    match rng.usize(..12) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => serde_json::json!(0),
        3 => serde_json::json!(-1),
        4 => serde_json::json!(1e300),
        5 => serde_json::json!(18446744073709551615u64),
        6 => serde_json::json!([]),
        7 => serde_json::json!({}),
        8 => Value::String(String::new()),
        9 => Value::String("x".repeat(rng.usize(1..400))),
        _ => Value::String(NAMES[rng.usize(..NAMES.len())].to_string()),
    }
}

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "any",
];

/// Applies one mutation at a random place and describes it.
fn mutation(spec: &mut Value, rng: &mut fastrand::Rng) -> String {
    let mut pointers = Vec::new();
    collect_pointers(spec, String::new(), &mut pointers);
    let at = pointers[rng.usize(..pointers.len())].clone();
    let at_display = if at.is_empty() { "/" } else { &at };
    match rng.usize(..10) {
        // Remove a member or an element.
        0 | 1 if !at.is_empty() => {
            remove(spec, &at);
            format!("removed {at_display}")
        }
        // Replace a node with a value of another type.
        2 => {
            let value = odd_value(rng);
            let shown = short(&value);
            set(spec, &at, value);
            format!("{at_display} = {shown}")
        }
        // Change a schema's type, to a single type or a list with null.
        3 => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let ty = TYPES[rng.usize(..TYPES.len())];
            let value = if rng.usize(..4) == 0 {
                serde_json::json!([ty, "null"])
            } else {
                Value::String(ty.to_string())
            };
            let shown = short(&value);
            if let Some(Value::Object(map)) = spec.pointer_mut(&target) {
                map.insert("type".into(), value);
            }
            format!("{target}/type = {shown}")
        }
        // Rename an object member.
        4 => {
            let Some(Value::Object(map)) = spec.pointer_mut(&at) else {
                let value = Value::String(NAMES[rng.usize(..NAMES.len())].to_string());
                let shown = short(&value);
                set(spec, &at, value);
                return format!("{at_display} = {shown}");
            };
            let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() else {
                return format!("{at_display}: nothing to rename");
            };
            let name = NAMES[rng.usize(..NAMES.len())].to_string();
            if let Some(value) = map.remove(&key) {
                map.insert(name.clone(), value);
            }
            format!("renamed {at_display}/{key} to {name:?}")
        }
        // Copy a subtree somewhere else, beside or instead of what is there.
        5 | 6 => {
            let from = pointers[rng.usize(..pointers.len())].clone();
            let Some(value) = spec.pointer(&from).cloned() else {
                return format!("nothing at {from}");
            };
            match spec.pointer_mut(&at) {
                Some(Value::Object(map)) if rng.bool() => {
                    let name = NAMES[rng.usize(..NAMES.len())].to_string();
                    map.insert(name.clone(), value);
                    format!("copied {from} to {at_display}/{name}")
                }
                _ => {
                    set(spec, &at, value);
                    format!("copied {from} over {at_display}")
                }
            }
        }
        // A reference: to a schema, to any node, to itself or its parent, or to nothing.
        7 => {
            let target = match rng.usize(..4) {
                0 => format!("#{}", pointers[rng.usize(..pointers.len())]),
                1 => format!("#{at}"),
                2 => format!("#{}", parent(&at)),
                _ => "#/components/schemas/DoesNotExist".to_string(),
            };
            set(spec, &at, serde_json::json!({ "$ref": target }));
            format!("{at_display} = {{$ref: {target}}}")
        }
        // An odd enum on the nearest schema.
        8 => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let values: Vec<Value> = (0..rng.usize(1..6)).map(|_| odd_value(rng)).collect();
            let value = Value::Array(values);
            let shown = short(&value);
            if let Some(Value::Object(map)) = spec.pointer_mut(&target) {
                map.insert("enum".into(), value);
            }
            format!("{target}/enum = {shown}")
        }
        // A property whose name differs from a sibling's only in case or punctuation.
        _ => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let Some(Value::Object(map)) = spec.pointer_mut(&target) else {
                return format!("no schema at {target}");
            };
            let properties = map
                .entry("properties")
                .or_insert_with(|| serde_json::json!({}));
            let Value::Object(properties) = properties else {
                return format!("{target}/properties is not an object");
            };
            let name = match properties.keys().next() {
                Some(first) if rng.bool() => first.to_uppercase(),
                Some(first) => format!("{first}_"),
                None => NAMES[rng.usize(..NAMES.len())].to_string(),
            };
            properties.insert(name.clone(), odd_schema(rng));
            format!("{target}/properties/{name:?} added")
        }
    }
}

fn odd_schema(rng: &mut fastrand::Rng) -> Value {
    let ty = TYPES[rng.usize(..TYPES.len())];
    match rng.usize(..3) {
        0 => serde_json::json!({ "type": ty }),
        1 => serde_json::json!({ "type": ty, "nullable": true, "enum": [odd_value(rng)] }),
        _ => serde_json::json!({ "oneOf": [{ "type": ty }, { "type": "null" }] }),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Every node's JSON pointer, the root's (`""`) first.
fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn parent(pointer: &str) -> String {
    pointer
        .rfind('/')
        .map_or(String::new(), |i| pointer[..i].to_string())
}

fn last_token(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

fn set(spec: &mut Value, at: &str, value: Value) {
    if let Some(slot) = spec.pointer_mut(at) {
        *slot = value;
    }
}

fn remove(spec: &mut Value, at: &str) {
    let key = last_token(at);
    match spec.pointer_mut(&parent(at)) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// The nearest object at or above `at` that looks like a schema (has `type`, `properties`,
/// `items`, `$ref`, `enum` or a composition keyword).
fn nearest_schema(spec: &Value, at: &str) -> Option<String> {
    let mut pointer = at.to_string();
    loop {
        if let Some(Value::Object(map)) = spec.pointer(&pointer) {
            if [
                "type",
                "properties",
                "items",
                "$ref",
                "enum",
                "oneOf",
                "anyOf",
                "allOf",
            ]
            .iter()
            .any(|k| map.contains_key(*k))
            {
                return Some(pointer);
            }
        }
        if pointer.is_empty() {
            return None;
        }
        pointer = parent(&pointer);
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

    #[test]
    fn pointers_escape_and_removal_follows_them() {
        let mut spec = serde_json::json!({ "paths": { "/a/{id}": { "get": {} } } });
        let mut pointers = Vec::new();
        collect_pointers(&spec, String::new(), &mut pointers);
        assert!(pointers.contains(&"/paths/~1a~1{id}/get".to_string()));
        remove(&mut spec, "/paths/~1a~1{id}");
        assert_eq!(spec, serde_json::json!({ "paths": {} }));
    }
}
