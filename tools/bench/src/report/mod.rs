//! `docs/bench.md` from the measurements: targets first, then every figure they come from.

mod bodies;
mod targets;

use super::together::RUNS as TOGETHER_RUNS;
use super::workspace::{SHORT, SHORT_RUNS};
use super::{Maker, Results, Spec, CRITERION_RUNS};
use std::fmt::Write as _;
use targets::{misses, targets, total_seconds};

pub(crate) struct Context<'a> {
    pub version: &'a str,
    pub baseline: &'a str,
    pub graph: bool,
    pub specs: &'a [Spec],
    pub results: &'a Results,
    pub minutes: f64,
}

fn secs(m: &super::Measured) -> f64 {
    m.wall.as_secs_f64()
}

fn mb(m: &super::Measured) -> f64 {
    m.peak_rss as f64 / (1024.0 * 1024.0)
}

fn cell(value: Option<String>) -> String {
    value.unwrap_or_else(|| "–".to_string())
}

/// The whole report, section by section.
pub(crate) fn markdown(cx: &Context<'_>) -> String {
    let mut md = String::new();
    let command = if cx.graph {
        "cargo xtask bench --graph"
    } else {
        "cargo xtask bench"
    };
    let _ = writeln!(md, "# Benchmark report\n");
    let _ = writeln!(
        md,
        "Made by `{command}` with the generator at commit `{}`; the baseline generator is commit \
         `{}`, built and measured in the same run. {} cores; the run took {:.1} minutes. \
         Times are wall-clock seconds, memory is peak resident memory (of rustc, for checks).\n",
        cx.version,
        cx.baseline,
        std::thread::available_parallelism().map_or(0, usize::from),
        cx.minutes
    );

    targets_section(&mut md, cx);
    generation_section(&mut md, cx);
    check_section(&mut md, cx);
    bodies::section(&mut md, cx);
    together_section(&mut md, cx);
    runtime_section(&mut md, cx);
    levers_section(&mut md);
    notes_section(&mut md, cx);
    md
}

/// The targets, met or not, and why the missed ones are missed.
fn targets_section(md: &mut String, cx: &Context<'_>) {
    let _ = writeln!(
        md,
        "## Targets\n\n| what | target | measured | met |\n|---|---|---|---|"
    );
    for t in targets(cx) {
        let met = match t.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "not measured",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {met} |",
            t.what,
            t.target,
            cell(t.measured)
        );
    }

    let why = misses(cx);
    if !why.is_empty() {
        let _ = writeln!(md, "\n### Why the missed targets are missed\n");
        for line in why {
            let _ = writeln!(md, "- {line}");
        }
    }
}

/// Generation times and memory, and where each spec's generation time goes.
fn generation_section(md: &mut String, cx: &Context<'_>) {
    let r = cx.results;
    let _ = writeln!(
        md,
        "\n## Generation\n\nRelease `xtask generate` (and `cargo progenitor`), whole process; one \
         untimed warm-up run, then the median of several runs and the highest peak memory of \
         them.\n\n\
         | spec | operations | types | of them aliases | ours | ours peak | baseline | baseline peak | ours / baseline | progenitor | ours / progenitor |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for spec in cx.specs {
        let get = |maker| r.generation.get(&(spec.slug, maker));
        let (ours, base, prog) = (
            get(Maker::Ours),
            get(Maker::Baseline),
            get(Maker::Progenitor),
        );
        let (ops, types) = r.size.get(spec.slug).copied().unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {ops} | {types} | {} | {} | {} | {} | {} | {} | {} | {} |",
            spec.label,
            cell(r.aliases.get(spec.slug).map(ToString::to_string)),
            cell(ours.map(|m| format!("{:.3} s", secs(m)))),
            cell(ours.map(|m| format!("{:.0} MB", mb(m)))),
            cell(base.map(|m| format!("{:.3} s", secs(m)))),
            cell(base.map(|m| format!("{:.0} MB", mb(m)))),
            cell(
                ours.zip(base)
                    .map(|(a, b)| format!("{:.2}×", secs(a) / secs(b)))
            ),
            cell(prog.map(|m| format!("{:.3} s", secs(m)))),
            cell(
                ours.zip(prog)
                    .map(|(a, b)| format!("{:.2}×", secs(a) / secs(b)))
            ),
        );
    }

    let _ = writeln!(
        md,
        "\n### Where generation time goes\n\nOne `xtask generate --timings` run per spec, \
         milliseconds. `load` parses, bundles and normalizes the spec into `openapiv3`; `lower` \
         builds the model; each Rust file, and each part of about {part} types or operations of \
         the large ones, is then emitted (`quote!`) and formatted (syn + prettyplease) by one of as \
         many worker threads as there are cores, so those columns overlap in time (a file's time \
         is the sum over its parts).\n\n\
         | spec | load | lower | emit types | format types | emit operations | format operations |\n\
         |---|---:|---:|---:|---:|---:|---:|",
        part = codegen::inspect::PART_ITEMS
    );
    for spec in cx.specs {
        let stages = r.stages.get(spec.slug);
        let stage = |name: &str| {
            cell(
                stages
                    .and_then(|s| s.iter().find(|(n, _)| n == name))
                    .map(|(_, ms)| format!("{ms:.0}")),
            )
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            spec.label,
            stage("load"),
            stage("lower"),
            stage("emit src/types.rs"),
            stage("format src/types.rs"),
            stage("emit src/operations.rs"),
            stage("format src/operations.rs"),
        );
    }
}

/// `cargo check` of each crate, and where rustc spends the time.
fn check_section(md: &mut String, cx: &Context<'_>) {
    let r = cx.results;
    let _ = writeln!(
        md,
        "\n## `cargo check` of the generated crates\n\n`CARGO_INCREMENTAL=0 cargo check -p CRATE`, \
         dependencies prebuilt (each crate is checked once with an empty `lib.rs` first, untimed), \
         in one scratch workspace (`target/bench/workspace`). *Empty `lib.rs`* is a second, timed \
         check of the crate with an empty `lib.rs` (default features): what any crate with the same \
         dependencies costs. A check that takes under {} s is the median of {} runs (one run that \
         short moves by a fifth from run to run on a busy machine); a longer one is one run.\n\n\
         | spec | generator | features | lines of Rust | time | peak memory | empty `lib.rs` |\n\
         |---|---|---|---:|---:|---:|---:|",
        SHORT.as_secs(),
        SHORT_RUNS
    );
    for ((slug, maker, features), m) in &r.check {
        let label = cx
            .specs
            .iter()
            .find(|s| s.slug == *slug)
            .map_or("", |s| s.label.as_str());
        let lines = r.lines.get(&(*slug, *maker)).copied().unwrap_or(0);
        let empty = (features == "all")
            .then(|| r.empty.get(&(*slug, *maker)))
            .flatten()
            .map(|e| format!("{:.2} s", secs(e)));
        let _ = writeln!(
            md,
            "| {label} | {} | {features} | {lines} | {:.1} s | {:.0} MB | {} |",
            maker.name(),
            secs(m),
            mb(m),
            cell(empty)
        );
    }

    for (slug, passes) in &r.passes {
        let label = cx
            .specs
            .iter()
            .find(|s| s.slug == *slug)
            .map_or("", |s| s.label.as_str());
        let total = total_seconds(passes);
        let _ = writeln!(
            md,
            "\n### Where check time goes: {label}\n\n`RUSTC_BOOTSTRAP=1 cargo rustc --profile check -- -Z \
             time-passes` on ours (default features): the slowest passes (nested passes are included \
             in their parents).\n\n| pass | seconds | share of total |\n|---|---:|---:|"
        );
        for (pass, seconds) in passes.iter().filter(|(p, _)| p != "total").take(12) {
            let share = if total > 0.0 {
                seconds / total * 100.0
            } else {
                0.0
            };
            let _ = writeln!(md, "| `{pass}` | {seconds:.2} | {share:.0}% |");
        }
        let _ = writeln!(md, "| total | {total:.2} | |");
    }
}

/// The Zoom clients checked together, with copied and with shared runtime.
fn together_section(md: &mut String, cx: &Context<'_>) {
    if let Some(t) = &cx.results.together {
        let _ = writeln!(
            md,
            "\n## Many clients in one workspace\n\nThe {} specs of `../shared/zoom-specs`, each \
             generated into one scratch workspace (`target/bench/together/`), checked together \
             with `CARGO_INCREMENTAL=0 cargo check --workspace`: once untimed to build the \
             dependencies, then timed after `cargo clean -p` of the generated crates (and of the \
             runtime crate, when shared), {} times, copied and shared in turns; the median. *Copied*: each crate carries its \
             own copy of the runtime's modules (the default). *Shared*: each depends on the \
             `openapi-rs-runtime` crate (`runtime = PATH` in the config), which is checked once.\n\n\
             | runtime | check | peak memory |\n|---|---:|---:|\n\
             | copied | {:.1} s | {:.2} GB |\n| shared | {:.1} s | {:.2} GB |",
            t.crates,
            TOGETHER_RUNS,
            secs(&t.vendored),
            mb(&t.vendored) / 1024.0,
            secs(&t.shared),
            mb(&t.shared) / 1024.0
        );
    }
}

/// The criterion benchmarks of the generated client.
fn runtime_section(md: &mut String, cx: &Context<'_>) {
    let r = cx.results;
    let _ = writeln!(
        md,
        "\n## Runtime\n\nCriterion means from `cargo bench -p client-tests --bench client` \
         (`client-tests/benches/client.rs`), run {runs} times; each row is the median of its {runs} \
         means. One `list_clips` call against a local keep-alive server through the generated \
         client and through the same `reqwest::Client` by hand, and a 300-item page decoded into \
         the generated types and into hand-written serde structs.\n\n\
         | benchmark | median of {runs} means |\n|---|---:|",
        runs = CRITERION_RUNS
    );
    for (id, ns) in &r.criterion {
        let _ = writeln!(md, "| `{id}` | {:.1} µs |", ns / 1e3);
    }
}

/// What makes this generator faster than the baseline.
fn levers_section(md: &mut String) {
    let _ = writeln!(
        md,
        "\n## Levers\n\nWhat this generator does differently from the baseline, each measured \
         together above (ours against baseline):\n\n\
         - **Identical inline schemas become aliases** (`codegen/src/lower/dedup.rs`): an inline \
           struct or `oneOf` whose fields, types and docs equal another type's is emitted as \
           `pub type Name = Other;`, and inline objects of one property name whose fields are a \
           subset of another's share its struct (`codegen/src/lower/families.rs`) (both in the \
           *aliases* column); every name stays, the code is checked once.\n\
         - **A plain `Deserialize` and `Serialize` for structs**, from the runtime's \
           `json_object!` macro (one short invocation per struct, `codegen/src/emit/types.rs`), \
           instead of serde's derives, whose field enum, field visitor and sequence visitor \
           rustc type-checks and borrow-checks for every struct. A struct whose fields are all \
           `Option`s is read in place: one generic visitor in the runtime, checked once, and \
           one match on the key per struct. Others read each key into a local slot. Writing is \
           one plain call per field into the runtime's `MapWriter`, which keeps the first \
           error, where a `?` per field was a branch and an early return for rustc to check. \
           As a macro rather than written out, a struct's impls are a few lines to generate, \
           format and review.\n\
         - **Named futures for operations**: `send()` returns the runtime's `ResponseFuture<T>` \
           over one boxed in-flight future, where each operation had an opaque `async` future \
           whose `Send` rustc proved separately.\n\
         - **String enums decode from borrowed strings** and **bodies decode without path \
           tracking** unless they fail (the runtime; the decode and request benchmarks).\n\
         - **Generation:** mimalloc as `xtask`'s allocator; each Rust file, and each part of the \
           types and operations files (at least two, at most about {part} items each), emitted and \
           printed by one of as many worker threads as there are cores, so that only that many \
           parts are held as tokens and syntax trees at once; the spec read into `openapiv3` \
           by value (each node of the parsed document freed as it is read) and without path \
           tracking unless it fails.\n\n\
         The generation table's stage timings and the `-Z time-passes` table say where the rest \
         of the time goes: formatting (syn parsing and prettyplease) for generation; type \
         checking, borrow checking and coherence of the types' trait impls for `cargo check`.",
        part = codegen::inspect::PART_ITEMS
    );
}

/// What could not be measured.
fn notes_section(md: &mut String, cx: &Context<'_>) {
    let r = cx.results;
    if !r.notes.is_empty() {
        let _ = writeln!(md, "\n## Not measured\n");
        for note in &r.notes {
            let _ = writeln!(md, "- {note}");
        }
    }
}
