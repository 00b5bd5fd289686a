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

use crate::model::{Api, Location, Operation, Response, Ty, TypeDef, TypeKind, TypeText};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

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
    Report { changes }
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

fn operations(old: &Api, new: &Api, r: &mut Recorder) {
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    for op in &new.operations {
        let group = format!(
            "operation {} ({} {})",
            op.method_name.trim_start_matches("r#"),
            op.method.as_str(),
            op.path
        );
        let Some(o) = old_ops.get(op.operation_id.as_str()) else {
            r.add(
                &group,
                Level::Minor,
                format!(
                    "operation added: `Client::{}`",
                    op.method_name.trim_start_matches("r#")
                ),
                &op.pointer,
            );
            continue;
        };
        operation(old, new, o, op, &group, r);
    }
    let new_ids: BTreeSet<&str> = new
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    for o in old
        .operations
        .iter()
        .filter(|o| !new_ids.contains(o.operation_id.as_str()))
    {
        let group = format!(
            "operation {} ({} {})",
            o.method_name.trim_start_matches("r#"),
            o.method.as_str(),
            o.path
        );
        r.add(
            &group,
            Level::Major,
            format!(
                "operation removed: `Client::{}`",
                o.method_name.trim_start_matches("r#")
            ),
            &o.pointer,
        );
    }
}

fn operation(old: &Api, new: &Api, o: &Operation, n: &Operation, group: &str, r: &mut Recorder) {
    let at = n.pointer.as_str();
    if o.method_name != n.method_name {
        r.add(
            group,
            Level::Major,
            format!("method renamed: `{}` → `{}`", o.method_name, n.method_name),
            at,
        );
    }
    if o.builder_name != n.builder_name {
        r.add(
            group,
            Level::Major,
            format!(
                "request builder renamed: `{}` → `{}`",
                o.builder_name, n.builder_name
            ),
            at,
        );
    }
    if o.path != n.path || o.method != n.method {
        r.add(
            group,
            Level::Patch,
            format!(
                "now sent as `{} {}` (was `{} {}`)",
                n.method.as_str(),
                n.path,
                o.method.as_str(),
                o.path
            ),
            at,
        );
    }
    let key = |p: &crate::model::Param| (p.wire.clone(), location(p.location));
    let old_params: BTreeMap<_, _> = o.params.iter().map(|p| (key(p), p)).collect();
    for p in &n.params {
        let name = format!("`{}` ({})", p.wire, location(p.location));
        match old_params.get(&key(p)) {
            None if p.required => r.add(
                group,
                Level::Major,
                format!(
                    "required parameter {name} added: a new argument of `Client::{}`",
                    n.method_name.trim_start_matches("r#")
                ),
                at,
            ),
            None => r.add(
                group,
                Level::Minor,
                format!(
                    "optional parameter {name} added: builder method `{}`",
                    p.name.trim_start_matches("r#")
                ),
                at,
            ),
            Some(q) => {
                if q.required != p.required {
                    let now = if p.required {
                        "required (an argument)"
                    } else {
                        "optional (a builder method)"
                    };
                    r.add(
                        group,
                        Level::Major,
                        format!("parameter {name} is now {now}"),
                        at,
                    );
                }
                let (was, is) = (shown(old, &q.ty), shown(new, &p.ty));
                if was != is {
                    r.add(
                        group,
                        Level::Major,
                        format!("parameter {name} changed type: `{was}` → `{is}`"),
                        at,
                    );
                }
                if q.name != p.name {
                    r.add(
                        group,
                        Level::Major,
                        format!(
                            "parameter {name} renamed in Rust: `{}` → `{}`",
                            q.name, p.name
                        ),
                        at,
                    );
                }
            }
        }
    }
    let new_keys: BTreeSet<_> = n.params.iter().map(key).collect();
    for q in o.params.iter().filter(|q| !new_keys.contains(&key(q))) {
        r.add(
            group,
            Level::Major,
            format!("parameter `{}` ({}) removed", q.wire, location(q.location)),
            at,
        );
    }
    match (&o.body, &n.body) {
        (None, Some(b)) if b.required => r.add(
            group,
            Level::Major,
            "required request body added: a new argument".into(),
            at,
        ),
        (None, Some(_)) => r.add(
            group,
            Level::Minor,
            "optional request body added: builder method `body`".into(),
            at,
        ),
        (Some(_), None) => r.add(group, Level::Major, "request body removed".into(), at),
        (Some(a), Some(b)) => {
            if a.required != b.required {
                r.add(
                    group,
                    Level::Major,
                    format!(
                        "request body is now {}",
                        if b.required { "required" } else { "optional" }
                    ),
                    at,
                );
            }
            let (was, is) = (shown(old, &a.ty), shown(new, &b.ty));
            if was != is {
                r.add(
                    group,
                    Level::Major,
                    format!("request body changed type: `{was}` → `{is}`"),
                    at,
                );
            }
            if a.kind != b.kind || a.media != b.media {
                r.add(
                    group,
                    Level::Patch,
                    format!("request body now sent as `{}` (was `{}`)", b.media, a.media),
                    at,
                );
            }
        }
        (None, None) => {}
    }
    let (was, is) = (output(old, &o.response), output(new, &n.response));
    if was != is {
        r.add(
            group,
            Level::Major,
            format!("response changed type: `{was}` → `{is}`"),
            at,
        );
    }
    match (&o.pagination, &n.pagination) {
        (None, Some(_)) => r.add(
            group,
            Level::Minor,
            "now paginated: `pages()` and `items()` added".into(),
            at,
        ),
        (Some(_), None) => r.add(
            group,
            Level::Major,
            "no longer paginated: `pages()` and `items()` removed".into(),
            at,
        ),
        _ => {}
    }
    if o.deprecated != n.deprecated {
        r.add(
            group,
            Level::Patch,
            format!(
                "{} deprecated",
                if n.deprecated { "now" } else { "no longer" }
            ),
            at,
        );
    }
    if o.security != n.security {
        r.add(
            group,
            Level::Patch,
            "credentials it sends changed".into(),
            at,
        );
    }
    if o.feature != n.feature {
        r.add(
            group,
            Level::Major,
            format!("Cargo feature changed: {:?} → {:?}", o.feature, n.feature),
            at,
        );
    }
}

fn location(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn types(old: &Api, new: &Api, r: &mut Recorder) {
    let old_by_name: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_by_name: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    // A type whose schema (by JSON pointer) now has another name was renamed.
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    for t in &new.types {
        if old_by_name.contains_key(t.name.as_str()) {
            continue;
        }
        let before = old.types.iter().find(|o| {
            !new_by_name.contains_key(o.name.as_str())
                && o.pointers.iter().any(|p| t.pointers.contains(p))
        });
        let group = format!("type {}", t.name);
        let at = t.pointers.first().map(String::as_str).unwrap_or("");
        match before {
            Some(o) => {
                renamed.insert(o.name.as_str());
                r.add(
                    &group,
                    Level::Major,
                    format!("type renamed: `{}` → `{}`", o.name, t.name),
                    at,
                );
            }
            None => r.add(
                &group,
                Level::Minor,
                format!("type added: `types::{}`", t.name),
                at,
            ),
        }
    }
    for o in &old.types {
        if !new_by_name.contains_key(o.name.as_str()) && !renamed.contains(o.name.as_str()) {
            let at = o.pointers.first().map(String::as_str).unwrap_or("");
            r.add(
                &format!("type {}", o.name),
                Level::Major,
                format!("type removed: `types::{}`", o.name),
                at,
            );
        }
    }
    for t in &new.types {
        if let Some(o) = old_by_name.get(t.name.as_str()) {
            type_def(old, new, o, t, r);
        }
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::OneOf { .. } => "an enum of alternatives",
    }
}

fn type_def(old: &Api, new: &Api, o: &TypeDef, t: &TypeDef, r: &mut Recorder) {
    let group = format!("type {}", t.name);
    let at = t.pointers.first().map(String::as_str).unwrap_or("");
    let prop = |wire: &str| {
        crate::error::pointer_push(&crate::error::pointer_push(at, "properties"), wire)
    };
    match (&o.kind, &t.kind) {
        (TypeKind::Struct { fields: of }, TypeKind::Struct { fields: nf }) => {
            let old_fields: BTreeMap<&str, _> = of.iter().map(|f| (f.wire.as_str(), f)).collect();
            for f in nf {
                let optional = |f: &crate::model::Field| !f.required || f.nullable;
                match old_fields.get(f.wire.as_str()) {
                    None => r.add(
                        &group,
                        Level::Major,
                        format!(
                            "field `{}` added{}: struct literals without `..` stop compiling",
                            f.name.trim_start_matches("r#"),
                            if optional(f) { " (optional)" } else { "" }
                        ),
                        &prop(&f.wire),
                    ),
                    Some(g) => {
                        let (was, is) = (shown(old, &g.ty), shown(new, &f.ty));
                        if was != is {
                            r.add(
                                &group,
                                Level::Major,
                                format!(
                                    "field `{}` changed type: `{was}` → `{is}`",
                                    f.name.trim_start_matches("r#")
                                ),
                                &prop(&f.wire),
                            );
                        }
                        if optional(g) != optional(f) {
                            let now = if optional(f) {
                                "optional (`Option`)"
                            } else {
                                "required (no longer an `Option`)"
                            };
                            r.add(
                                &group,
                                Level::Major,
                                format!("field `{}` is now {now}", f.name.trim_start_matches("r#")),
                                &prop(&f.wire),
                            );
                        }
                        if g.name != f.name {
                            r.add(
                                &group,
                                Level::Major,
                                format!("field renamed in Rust: `{}` → `{}`", g.name, f.name),
                                &prop(&f.wire),
                            );
                        }
                        if g.deprecated != f.deprecated {
                            r.add(
                                &group,
                                Level::Patch,
                                format!(
                                    "field `{}` {} deprecated",
                                    f.name.trim_start_matches("r#"),
                                    if f.deprecated { "now" } else { "no longer" }
                                ),
                                &prop(&f.wire),
                            );
                        }
                    }
                }
            }
            let new_fields: BTreeSet<&str> = nf.iter().map(|f| f.wire.as_str()).collect();
            for g in of.iter().filter(|g| !new_fields.contains(g.wire.as_str())) {
                r.add(
                    &group,
                    Level::Major,
                    format!("field `{}` removed", g.name.trim_start_matches("r#")),
                    &prop(&g.wire),
                );
            }
        }
        (TypeKind::Enum { variants: ov, .. }, TypeKind::Enum { variants: nv, .. }) => {
            let old_wires: BTreeSet<&str> = ov.iter().map(|v| v.wire.as_str()).collect();
            let new_wires: BTreeSet<&str> = nv.iter().map(|v| v.wire.as_str()).collect();
            for v in nv.iter().filter(|v| !old_wires.contains(v.wire.as_str())) {
                r.add(
                    &group,
                    Level::Minor,
                    format!("enum value `{}` added: variant `{}`", v.wire, v.name),
                    at,
                );
            }
            for v in ov.iter().filter(|v| !new_wires.contains(v.wire.as_str())) {
                r.add(
                    &group,
                    Level::Major,
                    format!("enum value `{}` removed: variant `{}`", v.wire, v.name),
                    at,
                );
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            let (was, is) = (shown(old, a), shown(new, b));
            if was != is {
                r.add(
                    &group,
                    Level::Major,
                    format!("now an alias of `{is}` (was `{was}`)"),
                    at,
                );
            }
        }
        (TypeKind::OneOf { variants: ov, .. }, TypeKind::OneOf { variants: nv, .. }) => {
            let render = |api: &Api, vs: &[(String, Ty)]| -> Vec<String> {
                vs.iter()
                    .map(|(n, ty)| format!("{n}({})", shown(api, ty)))
                    .collect()
            };
            let (was, is) = (render(old, ov), render(new, nv));
            if was != is {
                r.add(
                    &group,
                    Level::Major,
                    format!(
                        "alternatives changed: {} → {}",
                        was.join(" | "),
                        is.join(" | ")
                    ),
                    at,
                );
            }
        }
        (a, b) => r.add(
            &group,
            Level::Major,
            format!("now {} (was {})", kind_name(b), kind_name(a)),
            at,
        ),
    }
    if o.features != t.features {
        r.add(
            &group,
            Level::Major,
            format!(
                "Cargo features changed: {:?} → {:?}",
                o.features, t.features
            ),
            at,
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
