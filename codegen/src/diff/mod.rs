//! What a new spec changes in the generated crate's public API, and the semver bump that needs.
//!
//! Compares two models ([`crate::model::Api`], each built the way `generate` builds it), never
//! the generated text. Each change names where it is (operation or type, and a JSON pointer of
//! the new spec, or of the old one for what was removed) and how it breaks, judged by Rust's
//! semver rules for what the generator makes (as cargo-semver-checks judges them):
//!
//! - an operation, parameter, field, type or scheme removed, renamed, or changed in type; a
//!   parameter or body that becomes required; a required parameter added: **major**;
//! - a field added to a struct: **major**, since the structs are exhaustive and a struct literal
//!   stops compiling (code that fills the rest with `..Default::default()` does too);
//! - an operation, optional parameter, type, enum value (the enums are `#[non_exhaustive]`),
//!   webhook event or security scheme added, or pagination gained: **minor**;
//! - a changed base URL, path, documentation or deprecation: **patch** (behaviour or docs only);
//!   but a default base URL that disappears is **major**: programs that relied on it can no
//!   longer build a client.

mod operations;
mod types;

use crate::model::{Api, Location, Operation, Response, Ty, TypeDef, TypeKind, TypeText};
use operations::operations;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use types::types;

/// How much a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing in the API changes.
    Patch,
    /// Something is added; existing code keeps compiling.
    Minor,
    /// Existing code can stop compiling.
    Major,
}

impl Level {
    /// `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it belongs to: `operation list_clips`, `type Clip`, `client`, `webhooks`.
    pub group: String,
    /// How much it breaks.
    pub level: Level,
    /// What changed.
    pub what: String,
    /// JSON pointer in the new spec (the old one for what was removed).
    pub pointer: String,
}

/// Every change between two models.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Grouped by what they belong to, in a stable order.
    pub changes: Vec<Change>,
    /// Config entries that name nothing in one of the two specs (`old: …` or `new: …`), so they
    /// no longer do anything there: fix or drop them.
    pub warnings: Vec<String>,
}

impl Report {
    /// The bump the changes need: the largest level, `patch` when there is none.
    pub fn semver(&self) -> Level {
        self.changes
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Patch)
    }

    /// One line of counts: `3 changes (1 major, 2 minor)`.
    pub fn summary(&self) -> String {
        let count = |l: Level| self.changes.iter().filter(|c| c.level == l).count();
        format!(
            "{} change(s) ({} major, {} minor, {} patch); semver: {}",
            self.changes.len(),
            count(Level::Major),
            count(Level::Minor),
            count(Level::Patch),
            self.semver().as_str()
        )
    }

    /// Plain text, grouped, ending with `semver: LEVEL`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut group = "";
        for c in &self.changes {
            if c.group != group {
                group = &c.group;
                let _ = writeln!(out, "{group}");
            }
            let _ = writeln!(
                out,
                "  {:<5}  {}  (#{})",
                c.level.as_str(),
                c.what,
                c.pointer
            );
        }
        if self.changes.is_empty() {
            out.push_str("no change to the crate's API\n");
        }
        let _ = writeln!(out, "semver: {}", self.semver().as_str());
        out
    }

    /// Markdown for a pull-request comment, ending with `semver: LEVEL`.
    pub fn markdown(&self) -> String {
        let mut out = format!("### API changes: {}\n", self.summary());
        let mut group = "";
        for c in &self.changes {
            if c.group != group {
                group = &c.group;
                let _ = writeln!(out, "\n**{}**\n", group.replace('|', "\\|"));
                out.push_str("| | change | where |\n|---|---|---|\n");
            }
            let _ = writeln!(
                out,
                "| {} | {} | `#{}` |",
                c.level.as_str(),
                c.what.replace('|', "\\|"),
                c.pointer.replace('|', "\\|").replace('`', "'")
            );
        }
        if self.changes.is_empty() {
            out.push_str("\nNo change to the crate's API.\n");
        }
        let _ = write!(out, "\nsemver: {}\n", self.semver().as_str());
        out
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut r = Recorder::default();
    client(old, new, &mut r);
    operations(old, new, &mut r);
    types(old, new, &mut r);
    webhooks(old, new, &mut r);
    let mut changes = r.changes;
    // Stable: client first, then operations and types by name; within a group as found.
    changes.sort_by(|a, b| group_key(&a.group).cmp(&group_key(&b.group)));
    Report {
        changes,
        warnings: Vec::new(),
    }
}

fn group_key(group: &str) -> (u8, &str) {
    let rank = match group.split(' ').next() {
        Some("client") => 0,
        Some("operation") => 1,
        Some("type") => 2,
        _ => 3,
    };
    (rank, group)
}

#[derive(Default)]
struct Recorder {
    changes: Vec<Change>,
}

impl Recorder {
    fn add(&mut self, group: &str, level: Level, what: String, pointer: &str) {
        self.changes.push(Change {
            group: group.to_string(),
            level,
            what,
            pointer: pointer.to_string(),
        });
    }
}

/// A type as Rust code names it, comparable across two models.
fn shown(api: &Api, ty: &Ty) -> String {
    ty.text(api, TypeText::Short)
}

fn output(api: &Api, response: &Response) -> String {
    match response {
        Response::Json(ty) => shown(api, ty),
        Response::Bytes => "Vec<u8>".into(),
        Response::Text => "String".into(),
        Response::Empty => "()".into(),
        Response::ByStatus { name, .. } => name.clone(),
        Response::Events(Some(ty)) => format!("EventStream<{}>", shown(api, ty)),
        Response::Events(None) => "EventStream<String>".into(),
    }
}

fn client(old: &Api, new: &Api, r: &mut Recorder) {
    let group = "client";
    if old.base_url != new.base_url {
        let shown = |u: &Option<String>| {
            u.as_deref()
                .map_or("none".to_string(), |u| format!("`{u}`"))
        };
        let level = if new.base_url.is_none() {
            Level::Major
        } else {
            Level::Patch
        };
        r.add(
            group,
            level,
            format!(
                "default base URL changed: {} → {}",
                shown(&old.base_url),
                shown(&new.base_url)
            ),
            "/servers",
        );
    }
    let old_schemes: BTreeMap<&str, _> = old
        .auth
        .schemes
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let new_schemes: BTreeMap<&str, _> = new
        .auth
        .schemes
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let pointer = |name: &str| crate::error::pointer_push("/components/securitySchemes", name);
    for (name, s) in &new_schemes {
        match old_schemes.get(name) {
            None => r.add(
                group,
                Level::Minor,
                format!(
                    "security scheme `{name}` added: `ClientBuilder::{}`",
                    s.method.trim_start_matches("r#")
                ),
                &pointer(name),
            ),
            Some(o) if o.kind != s.kind => r.add(
                group,
                Level::Major,
                format!("security scheme `{name}` changed how it is sent"),
                &pointer(name),
            ),
            Some(o) if o.method != s.method => r.add(
                group,
                Level::Major,
                format!("`ClientBuilder::{}` renamed to `{}`", o.method, s.method),
                &pointer(name),
            ),
            Some(_) => {}
        }
    }
    for name in old_schemes.keys().filter(|n| !new_schemes.contains_key(*n)) {
        r.add(
            group,
            Level::Major,
            format!("security scheme `{name}` removed, and its `ClientBuilder` method with it"),
            &pointer(name),
        );
    }
    let primary = |api: &Api| api.auth.primary.map(|i| api.auth.schemes[i].name.clone());
    if primary(old).is_some() != primary(new).is_some() {
        r.add(group, Level::Major, "`Client::new` and `Client::builder` change their arguments (the spec gained or lost its bearer scheme)".into(), "/components/securitySchemes");
    }
    let old_grants: BTreeSet<&str> = old.auth.grants.iter().map(|g| g.method.as_str()).collect();
    let new_grants: BTreeSet<&str> = new.auth.grants.iter().map(|g| g.method.as_str()).collect();
    for g in new_grants.difference(&old_grants) {
        r.add(
            group,
            Level::Minor,
            format!("`Client::{g}` added"),
            "/components/securitySchemes",
        );
    }
    for g in old_grants.difference(&new_grants) {
        r.add(
            group,
            Level::Major,
            format!("`Client::{g}` removed"),
            "/components/securitySchemes",
        );
    }
}

fn webhooks(old: &Api, new: &Api, r: &mut Recorder) {
    let old_events: BTreeSet<&str> = old.webhooks.iter().map(|w| w.event.as_str()).collect();
    let new_events: BTreeSet<&str> = new.webhooks.iter().map(|w| w.event.as_str()).collect();
    for e in new_events.difference(&old_events) {
        r.add(
            "webhooks",
            Level::Minor,
            format!("event `{e}` added"),
            &crate::error::pointer_push("/webhooks", e),
        );
    }
    for e in old_events.difference(&new_events) {
        r.add(
            "webhooks",
            Level::Major,
            format!("event `{e}` removed"),
            &crate::error::pointer_push("/webhooks", e),
        );
    }
}

/// The next version for `current` after changes of `level`, by Cargo's rules (for `0.y.z`, a
/// breaking change bumps `y` and any other `z`).
pub fn bump(current: &str, level: Level) -> Option<String> {
    let core = current.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    Some(match (major, level) {
        (0, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Level::Major) => format!("{}.0.0", major + 1),
        (_, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_rules() {
        assert_eq!(bump("0.1.0", Level::Major).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.3", Level::Minor).as_deref(), Some("0.1.4"));
        assert_eq!(bump("0.1.3", Level::Patch).as_deref(), Some("0.1.4"));
        assert_eq!(bump("1.2.3", Level::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.2.3", Level::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(bump("1.2.3", Level::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(bump("1.2.3-beta.1", Level::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(bump("x", Level::Patch), None);
    }
}
