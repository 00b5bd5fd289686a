//! Changes to operations: added, removed, and each one's method, builder, parameters, body,
//! responses, pagination and security.

use super::*;

pub(super) fn operations(old: &Api, new: &Api, r: &mut Recorder) {
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    for op in &new.operations {
        let group = op_group(op);
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
        operation(old, new, o, op, r);
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
        r.add(
            &op_group(o),
            Level::Major,
            format!(
                "operation removed: `Client::{}`",
                o.method_name.trim_start_matches("r#")
            ),
            &o.pointer,
        );
    }
}

/// The group an operation's changes are listed under.
pub(super) fn op_group(op: &Operation) -> String {
    format!(
        "operation {} ({} {})",
        op.method_name.trim_start_matches("r#"),
        op.method.as_str(),
        op.path
    )
}

/// The changes to one operation, `o` in the old model and `n` in the new.
pub(super) fn operation(old: &Api, new: &Api, o: &Operation, n: &Operation, r: &mut Recorder) {
    let group = op_group(n);
    let group = group.as_str();
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
    params_changed(old, new, o, n, r, (group, at));
    body_changed(old, new, o, n, r, (group, at));
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

/// Parameters added, removed, made required or optional, retyped or renamed in Rust.
fn params_changed(
    old: &Api,
    new: &Api,
    o: &Operation,
    n: &Operation,
    r: &mut Recorder,
    (group, at): (&str, &str),
) {
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
}

/// The request body added, removed, made required or optional, retyped or sent otherwise.
fn body_changed(
    old: &Api,
    new: &Api,
    o: &Operation,
    n: &Operation,
    r: &mut Recorder,
    (group, at): (&str, &str),
) {
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
}

pub(super) fn location(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}
