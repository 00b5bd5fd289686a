//! Where a crate's check time goes, item by item: one `cargo rustc --profile check -- -Z
//! self-profile` run, read with `analyzeme`. rustc type checks and borrow checks each function
//! body on its own (the `typeck` and `mir_borrowck` queries, which hold the body's path as
//! their argument), so the time of every event is charged to the body whose query it ran under,
//! net of the events nested in it, and bodies are grouped by the module they are in and their
//! function's name: `types::visit_map` is every `Deserialize` visitor of the crate's types.

use analyzeme::{ProfilingData, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The time of a check under rustc's self-profiler, by kind of function body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Profile {
    /// Seconds of every event of the run, each counted once (net of nested events).
    pub total: f64,
    /// The time under `typeck` and `mir_borrowck`, by kind of body.
    pub bodies: BTreeMap<Kind, Bodies>,
}

/// A kind of function body: the crate's top-level module it is in (empty at the crate root)
/// and its function's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Kind {
    pub module: String,
    pub function: String,
}

/// The bodies of one kind.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bodies {
    /// How many, counted by their paths.
    pub count: usize,
    /// The seconds their type and borrow checks took.
    pub seconds: f64,
}

impl Profile {
    /// The kinds of body, slowest first.
    pub(crate) fn slowest(&self) -> Vec<(&Kind, &Bodies)> {
        let mut rows: Vec<_> = self.bodies.iter().collect();
        rows.sort_by(|a, b| b.1.seconds.total_cmp(&a.1.seconds));
        rows
    }

    /// Seconds under `typeck` and `mir_borrowck`, every kind of body together.
    pub(crate) fn in_bodies(&self) -> f64 {
        self.bodies.values().map(|b| b.seconds).sum()
    }
}

/// The queries that check one function body, whose argument is the body's path.
const BODY_QUERIES: [&str; 2] = ["typeck", "mir_borrowck"];

/// One interval event of the profile.
struct Span {
    thread: u32,
    start: u128,
    end: u128,
    /// For a body query: the index of its body kind in `kinds`.
    body: Option<usize>,
}

/// Profiles the check of `package` (with `cargo`, the workspace's cargo command; the crate's
/// `lib.rs` at `lib`) into `dir`, reads the profile and removes it.
pub(crate) fn run(
    mut cargo: std::process::Command,
    package: &str,
    lib: &Path,
    dir: &Path,
) -> Result<Profile, String> {
    // Touched, so that cargo runs rustc even when the crate was checked with these flags before.
    std::fs::File::options()
        .append(true)
        .open(lib)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let profile = format!("-Zself-profile={}", dir.display());
    crate::measure::run(
        cargo
            .args(["rustc", "-p", package, "--profile", "check", "--", &profile])
            .args(["-Z", "self-profile-events=default,args"])
            .env("RUSTC_BOOTSTRAP", "1"),
    )?;
    let file = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "mm_profdata"))
        .ok_or_else(|| format!("rustc wrote no profile into {}", dir.display()))?;
    let read = read(&file.with_extension(""));
    // The profile of a large crate is hundreds of MB: not kept.
    let _ = std::fs::remove_dir_all(dir);
    read
}

/// Reads the profile at `stem` (its path without `.mm_profdata`).
fn read(stem: &Path) -> Result<Profile, String> {
    let data = ProfilingData::new(stem)
        .map_err(|e| format!("cannot read the profile {}: {e}", stem.display()))?;
    // Each kind of body, with its bodies' paths, in the order first seen.
    let mut kinds: Vec<(Kind, BTreeSet<String>)> = Vec::new();
    let mut kind_index: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut spans: Vec<Span> = Vec::new();
    for event in data.iter_full() {
        let Some(Timestamp::Interval { start, end }) = event.payload.timestamp() else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            start.duration_since(UNIX_EPOCH),
            end.duration_since(UNIX_EPOCH),
        ) else {
            continue;
        };
        let body = if BODY_QUERIES.contains(&event.label.as_ref()) {
            let path = event.additional_data.first().map_or("", |a| a.as_ref());
            let kind = body_kind(path);
            let next = kinds.len();
            let index = *kind_index.entry(kind.clone()).or_insert(next);
            if index == next {
                kinds.push((kind, BTreeSet::new()));
            }
            kinds[index].1.insert(path.to_string());
            Some(index)
        } else {
            None
        };
        spans.push(Span {
            thread: event.thread_id,
            start: start.as_nanos(),
            end: end.as_nanos(),
            body,
        });
    }
    let names: Vec<Kind> = kinds.iter().map(|(kind, _)| kind.clone()).collect();
    let mut profile = charge(spans, &names);
    for (kind, paths) in kinds {
        profile.bodies.entry(kind).or_default().count = paths.len();
    }
    Ok(profile)
}

/// Each span's own time (its length less its children's), charged to the innermost body query
/// around it, if any.
fn charge(mut spans: Vec<Span>, kinds: &[Kind]) -> Profile {
    // Parents before their children: by thread, then start, the longer first.
    spans.sort_by(|a, b| {
        (a.thread, a.start, std::cmp::Reverse(a.end)).cmp(&(
            b.thread,
            b.start,
            std::cmp::Reverse(b.end),
        ))
    });
    let mut own: Vec<i128> = spans.iter().map(|s| (s.end - s.start) as i128).collect();
    let mut owner: Vec<Option<usize>> = spans.iter().map(|s| s.body).collect();
    // The spans that enclose the current one: (index).
    let mut open: Vec<usize> = Vec::new();
    for i in 0..spans.len() {
        while let Some(&top) = open.last() {
            if spans[top].thread != spans[i].thread || spans[top].end <= spans[i].start {
                open.pop();
            } else {
                break;
            }
        }
        if let Some(&parent) = open.last() {
            own[parent] -= (spans[i].end - spans[i].start) as i128;
            if owner[i].is_none() {
                owner[i] = owner[parent];
            }
        }
        open.push(i);
    }
    let mut profile = Profile::default();
    for (i, own) in own.iter().enumerate() {
        let seconds = (*own).max(0) as f64 / 1e9;
        profile.total += seconds;
        if let Some(kind) = owner[i] {
            profile
                .bodies
                .entry(kinds[kind].clone())
                .or_default()
                .seconds += seconds;
        }
    }
    profile
}

/// A body's path → (its module, its function's name):
/// `ours_zoom::types::{{impl}}[12]::deserialize::{{impl}}::visit_map` → (`types`,
/// `visit_map`). The module is the crate's top-level one; a closure is its function's.
fn body_kind(path: &str) -> Kind {
    let segments: Vec<&str> = path
        .split("::")
        .filter(|s| !s.starts_with("{{closure}}") && !s.starts_with("{{constant}}"))
        .collect();
    let module = segments.get(1).copied().unwrap_or("");
    let module = if module.starts_with("{{") { "" } else { module };
    let function = segments.last().copied().unwrap_or("");
    Kind {
        module: module.to_string(),
        function: function.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(module: &str, function: &str) -> Kind {
        Kind {
            module: module.to_string(),
            function: function.to_string(),
        }
    }

    fn span(thread: u32, start: u128, end: u128, body: Option<usize>) -> Span {
        Span {
            thread,
            start,
            end,
            body,
        }
    }

    #[test]
    fn nested_time_is_charged_to_the_innermost_body_net_of_its_children() {
        let kinds = vec![kind("types", "visit_map"), kind("types", "fmt")];
        let spans = vec![
            // Outside any body: 10 ns of its own around the rest.
            span(0, 0, 100, None),
            // A visitor's typeck (40 ns) with a trait query inside it (15 ns).
            span(0, 10, 50, Some(0)),
            span(0, 20, 35, None),
            // Its borrow check (20 ns), then a `Debug` body's typeck (30 ns).
            span(0, 50, 70, Some(0)),
            span(0, 70, 100, Some(1)),
        ];
        let profile = charge(spans, &kinds);
        assert!((profile.total - 100e-9).abs() < 1e-12);
        let visit = profile.bodies[&kinds[0]];
        assert!((visit.seconds - 60e-9).abs() < 1e-12, "{visit:?}");
        assert!((profile.bodies[&kinds[1]].seconds - 30e-9).abs() < 1e-12);
        assert!((profile.in_bodies() - 90e-9).abs() < 1e-12);
        assert_eq!(profile.slowest()[0].0, &kinds[0]);
    }

    #[test]
    fn threads_do_not_nest_in_each_other() {
        let kinds = vec![kind("types", "clone")];
        let spans = vec![span(0, 0, 100, Some(0)), span(1, 10, 20, None)];
        let profile = charge(spans, &kinds);
        assert!((profile.bodies[&kinds[0]].seconds - 100e-9).abs() < 1e-12);
        assert!((profile.total - 110e-9).abs() < 1e-12);
    }

    #[test]
    fn a_body_is_named_by_its_module_and_function() {
        assert_eq!(
            body_kind("ours_zoom::types::{{impl}}[12]::deserialize::{{impl}}::visit_map"),
            kind("types", "visit_map")
        );
        assert_eq!(
            body_kind("ours_zoom::operations::{{impl}}[3]::send::{{closure}}#0"),
            kind("operations", "send")
        );
        assert_eq!(body_kind("ours_zoom::{{impl}}[3]::fmt"), kind("", "fmt"));
    }
}
