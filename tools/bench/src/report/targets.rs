//! The targets of `docs/bench.md`: each beside what this run measured, and what the
//! measurements say of each one missed.

use super::{cell, mb, secs, Context, Maker};

/// One row of the targets table: what, target, measured, met.
pub(super) struct Target {
    pub what: String,
    pub target: String,
    pub measured: Option<String>,
    pub met: Option<bool>,
}

/// Every target, beside what was measured.
pub(super) fn targets(cx: &Context<'_>) -> Vec<Target> {
    let mut rows = generation_targets(cx);
    rows.extend(check_targets(cx));
    rows.extend(runtime_targets(cx));
    rows
}

/// Generation's targets, and the upload's memory.
fn generation_targets(cx: &Context<'_>) -> Vec<Target> {
    let r = cx.results;
    let generation = |slug: &'static str| r.generation.get(&(slug, Maker::Ours));
    let mut rows = Vec::new();
    for (slug, what, limit) in [
        ("zoom", "generation, full Zoom", 0.4),
        ("github", "generation, GitHub", 0.8),
    ] {
        let m = generation(slug);
        rows.push(Target {
            what: what.into(),
            target: format!("≤ {limit} s"),
            measured: m.map(|m| format!("{:.2} s", secs(m))),
            met: m.map(|m| secs(m) <= limit),
        });
    }
    if let Some((streamed, memory)) = &r.upload {
        rows.push(Target {
            what: "client peak memory uploading 1 GiB, streamed".into(),
            target: "≤ 64 MiB".into(),
            measured: Some(format!(
                "{:.0} MiB ({:.3}× the {:.0} MiB of the same upload from one `Vec`)",
                mb(streamed),
                mb(streamed) / mb(memory),
                mb(memory)
            )),
            met: Some(mb(streamed) <= 64.0),
        });
    }
    if cx.graph {
        let m = generation("graph");
        rows.push(Target {
            what: "generation, Graph".into(),
            target: "≤ 8 s and ≤ 1 GB".into(),
            measured: m.map(|m| format!("{:.2} s, {:.0} MB", secs(m), mb(m))),
            met: m.map(|m| secs(m) <= 8.0 && mb(m) <= 1024.0),
        });
    }
    rows
}

/// The targets of `cargo check` of the generated crates.
fn check_targets(cx: &Context<'_>) -> Vec<Target> {
    let r = cx.results;
    let check = |slug: &'static str, maker: Maker| r.check.get(&(slug, maker, "all".to_string()));
    let mut rows = Vec::new();
    let (new, old) = (check("zoom", Maker::Ours), check("zoom", Maker::Baseline));
    rows.push(Target {
        what: format!(
            "`cargo check` of the full-Zoom crate, against the baseline generator's (`{}`)",
            cx.baseline
        ),
        target: "≤ 0.35×".into(),
        measured: new.zip(old).map(|(n, o)| {
            format!(
                "{:.2}× ({:.1} s against {:.1} s)",
                secs(n) / secs(o),
                secs(n),
                secs(o)
            )
        }),
        met: new.zip(old).map(|(n, o)| secs(n) / secs(o) <= 0.35),
    });
    let github = check("github", Maker::Ours);
    rows.push(Target {
        what: "`cargo check` of GitHub, default features (every tag)".into(),
        target: "≤ 60 s and ≤ 3 GB".into(),
        measured: github.map(|m| format!("{:.1} s, {:.2} GB", secs(m), mb(m) / 1024.0)),
        met: github.map(|m| secs(m) <= 60.0 && mb(m) <= 3072.0),
    });
    if cx.graph {
        let m = check("graph", Maker::Ours);
        rows.push(Target {
            what: "`cargo check` of Graph, default features".into(),
            target: "≤ 8 GB".into(),
            measured: m.map(|m| format!("{:.1} s, {:.2} GB", secs(m), mb(m) / 1024.0)),
            met: m.map(|m| mb(m) <= 8192.0),
        });
    }
    for spec in cx.specs.iter().filter(|s| s.progenitor && s.target) {
        let (ours, theirs) = (
            check(spec.slug, Maker::Ours),
            check(spec.slug, Maker::Progenitor),
        );
        rows.push(Target {
            what: format!("check time, ours / progenitor's: {}", spec.label),
            target: "≤ 0.5".into(),
            measured: ours.zip(theirs).map(|(o, p)| {
                format!(
                    "{:.2} ({:.1} s against {:.1} s)",
                    secs(o) / secs(p),
                    secs(o),
                    secs(p)
                )
            }),
            met: ours.zip(theirs).map(|(o, p)| secs(o) / secs(p) <= 0.5),
        });
    }
    let (shared, theirs) = (
        check("master-shared", Maker::Ours),
        check("master", Maker::Progenitor),
    );
    rows.push(Target {
        what: "check time, ours with the shared runtime crate / progenitor's: `specs/master.json`"
            .into(),
        target: "≤ 0.5".into(),
        measured: shared.zip(theirs).map(|(o, p)| {
            format!(
                "{:.2} ({:.2} s against {:.2} s)",
                secs(o) / secs(p),
                secs(o),
                secs(p)
            )
        }),
        met: shared.zip(theirs).map(|(o, p)| secs(o) / secs(p) <= 0.5),
    });
    let together = r.together.as_ref();
    rows.push(Target {
        what: format!(
            "the {} Zoom clients checked together, shared runtime crate / copied runtime",
            together.map_or(31, |t| t.crates)
        ),
        target: "≤ 0.5×".into(),
        measured: together.map(|t| {
            format!(
                "{:.2}× ({:.1} s against {:.1} s; peak {:.2} GB against {:.2} GB)",
                secs(&t.shared) / secs(&t.vendored),
                secs(&t.shared),
                secs(&t.vendored),
                mb(&t.shared) / 1024.0,
                mb(&t.vendored) / 1024.0
            )
        }),
        met: together.map(|t| secs(&t.shared) / secs(&t.vendored) <= 0.5),
    });
    rows
}

/// The generated client's targets at run time.
fn runtime_targets(cx: &Context<'_>) -> Vec<Target> {
    let r = cx.results;
    let mut rows = Vec::new();
    for (what, ours, theirs, limit) in [
        (
            "client overhead against plain `reqwest` (one `list_clips` call)",
            "request/generated",
            "request/reqwest",
            1.05,
        ),
        (
            "decoding a 300-item Clips page against hand-written serde",
            "decode/generated",
            "decode/handwritten",
            1.1,
        ),
    ] {
        let pair = r.criterion.get(ours).zip(r.criterion.get(theirs));
        rows.push(Target {
            what: what.into(),
            target: format!("≤ {limit}×"),
            measured: pair.map(|(a, b)| {
                format!(
                    "{:.3}× ({:.1} µs against {:.1} µs)",
                    a / b,
                    a / 1e3,
                    b / 1e3
                )
            }),
            met: pair.map(|(a, b)| a / b <= limit),
        });
    }
    rows
}

/// The `total` line of a `-Z time-passes` run.
pub(super) fn total_seconds(passes: &[(String, f64)]) -> f64 {
    passes
        .iter()
        .find(|(p, _)| p == "total")
        .map_or(0.0, |(_, s)| *s)
}

/// What the measurements say of each missed target, from this run's figures.
pub(super) fn misses(cx: &Context<'_>) -> Vec<String> {
    let r = cx.results;
    let check = |slug: &'static str, maker: Maker| r.check.get(&(slug, maker, "all".to_string()));
    let mut out = Vec::new();
    let missed = |slug: &'static str| {
        check(slug, Maker::Ours)
            .zip(check(slug, Maker::Progenitor))
            .is_some_and(|(o, p)| secs(o) / secs(p) > 0.5)
    };
    let smallest = check("one", Maker::Ours).zip(check("one", Maker::Progenitor));
    let missed_against_progenitor: Vec<&str> = cx
        .specs
        .iter()
        .filter(|s| s.progenitor && s.target && missed(s.slug))
        .map(|s| s.label.as_str())
        .collect();
    if let (false, Some((ours, theirs))) = (missed_against_progenitor.is_empty(), smallest) {
        let lines = r.lines.get(&("one", Maker::Ours)).copied().unwrap_or(0);
        let their_lines = r
            .lines
            .get(&("one", Maker::Progenitor))
            .copied()
            .unwrap_or(0);
        out.push(format!(
            "Check time against progenitor's, {}: the smallest crate, of one operation, checks in \
             {:.2} s with ours ({lines} lines) and {:.2} s with progenitor's ({their_lines} lines). \
             Each of our crates carries its runtime as source (HTTP, auth, retries, pagination, \
             errors), where progenitor's crates depend on `progenitor-client`, built once with the \
             other dependencies. A small spec's crate is mostly that fixed part.",
            missed_against_progenitor.join(", "),
            secs(ours),
            secs(theirs)
        ));
        // What no generated code can save: the check of an empty crate with the same
        // dependencies, against the time the target allows.
        for spec in cx
            .specs
            .iter()
            .filter(|s| s.progenitor && s.target && missed(s.slug))
        {
            let floor = r.empty.get(&(spec.slug, Maker::Ours));
            let (Some(floor), Some(theirs)) = (floor, check(spec.slug, Maker::Progenitor)) else {
                continue;
            };
            out.push(format!(
                "{}: a ratio of 0.5 needs our crate checked in {:.2} s; an empty `lib.rs` with \
                 the same dependencies checks in {:.2} s (progenitor's crate with an empty \
                 `lib.rs`: {}).",
                spec.label,
                secs(theirs) * 0.5,
                secs(floor),
                cell(
                    r.empty
                        .get(&(spec.slug, Maker::Progenitor))
                        .map(|m| format!("{:.2} s", secs(m)))
                ),
            ));
        }
    }
    // The shared runtime crate against progenitor's: what is left is the generated code and the
    // dependencies' own floor.
    if let (Some(shared), Some(theirs), Some(floor)) = (
        check("master-shared", Maker::Ours),
        check("master", Maker::Progenitor),
        r.empty.get(&("master-shared", Maker::Ours)),
    ) {
        if secs(shared) / secs(theirs) > 0.5 {
            out.push(format!(
                "`specs/master.json` with the shared runtime crate: a ratio of 0.5 needs {:.2} s; \
                 the crate checks in {:.2} s, and an empty `lib.rs` with its dependencies (the \
                 runtime crate prebuilt among them) in {:.2} s, so the generated code itself \
                 costs {:.2} s.",
                secs(theirs) * 0.5,
                secs(shared),
                secs(floor),
                (secs(shared) - secs(floor)).max(0.0)
            ));
        }
    }
    if let Some(t) = &r.together {
        if secs(&t.shared) / secs(&t.vendored) > 0.5 {
            out.push(format!(
                "The {} Zoom clients together: sharing the runtime saves {:.1} s of {:.1} s, what \
                 the {} copies of the runtime cost beyond one; the other {:.1} s are the clients' \
                 own operations and types, which sharing the runtime cannot save.",
                t.crates,
                secs(&t.vendored) - secs(&t.shared),
                secs(&t.vendored),
                t.crates,
                secs(&t.shared)
            ));
            if let Some(profile) = r.profiles.get("zoom") {
                out.push(bodies_reason(profile));
            }
        }
    }
    let github = check("github", Maker::Ours);
    if let (Some(m), Some(passes)) = (github, r.passes.get("github")) {
        if secs(m) > 60.0 || mb(m) > 3072.0 {
            let total = total_seconds(passes);
            let share = |name: &str| {
                passes
                    .iter()
                    .find(|(p, _)| p == name)
                    .map_or(0.0, |(_, s)| s / total.max(f64::EPSILON) * 100.0)
            };
            let (ops, types) = r.size.get("github").copied().unwrap_or_default();
            let lines = r.lines.get(&("github", Maker::Ours)).copied().unwrap_or(0);
            out.push(format!(
                "GitHub, default features ({ops} operations, {types} types, {lines} lines): type \
                 checking takes {:.0}% and borrow checking {:.0}% of rustc's {total:.0} s (the \
                 `-Z time-passes` table below), work that grows with the number of items; \
                 with one tag's feature (`repos`) the crate checks in {}.",
                share("type_check_crate"),
                share("MIR_borrow_checking"),
                cell(
                    r.check
                        .get(&("github", Maker::Ours, "`repos` only".to_string()))
                        .map(|m| format!("{:.1} s", secs(m)))
                ),
            ));
        }
    }
    out
}

/// Where the Zoom crate's type and borrow checking goes, from its profile: the share of the
/// bodies' time that the types' trait impls take, by trait.
fn bodies_reason(profile: &crate::profile::Profile) -> String {
    let total = profile.in_bodies().max(f64::EPSILON);
    let share = |module: &str, functions: &[&str]| {
        profile
            .bodies
            .iter()
            .filter(|(k, _)| {
                k.module == module
                    && (functions.is_empty() || functions.contains(&k.function.as_str()))
            })
            .map(|(_, b)| b.seconds)
            .sum::<f64>()
            / total
            * 100.0
    };
    format!(
        "What the clients' own code costs, in the full Zoom crate's profile (the table by function \
         body below): the types take {:.0}% of the type and borrow checking of bodies and the \
         operations {:.0}%. Of it, reading JSON (`Deserialize`) takes {:.0}%, writing it \
         (`Serialize`) {:.0}%, and `Debug` and `Display` with the derived `Clone`, `PartialEq`, \
         `Default`, `Ord` and `Hash` {:.0}%: a few bodies per type, each checked on its own, none of which sharing \
         the runtime touches.",
        share("types", &[]),
        share("operations", &[]),
        share("types", super::bodies::DESERIALIZE),
        share("types", super::bodies::SERIALIZE),
        share("types", super::bodies::DERIVED),
    )
}
