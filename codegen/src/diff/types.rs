//! Changes to types: added, removed, and each one's kind, fields, variants and alternatives.

use super::*;

pub(super) fn types(old: &Api, new: &Api, r: &mut Recorder) {
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

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::OneOf { .. } => "an enum of alternatives",
        TypeKind::Tuple(_) => "a tuple",
        TypeKind::Const(_) => "a constant",
    }
}

pub(super) fn type_def(old: &Api, new: &Api, o: &TypeDef, t: &TypeDef, r: &mut Recorder) {
    let group = format!("type {}", t.name);
    let at = t.pointers.first().map(String::as_str).unwrap_or("");
    match (&o.kind, &t.kind) {
        (TypeKind::Struct { fields: of }, TypeKind::Struct { fields: nf }) => {
            struct_fields(old, new, of, nf, &Site { group: &group, at }, r);
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
        (TypeKind::Tuple(a), TypeKind::Tuple(b)) => {
            let render = |api: &Api, items: &[Ty]| -> String {
                let shown: Vec<String> = items.iter().map(|ty| shown(api, ty)).collect();
                format!("({})", shown.join(", "))
            };
            let (was, is) = (render(old, a), render(new, b));
            if was != is {
                r.add(
                    &group,
                    Level::Major,
                    format!("elements changed: {was} → {is}"),
                    at,
                );
            }
        }
        (TypeKind::Const(a), TypeKind::Const(b)) if a != b => r.add(
            &group,
            Level::Major,
            format!("constant changed: `{a}` → `{b}`"),
            at,
        ),
        (TypeKind::Const(_), TypeKind::Const(_)) => {}
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

/// Where a type's changes are reported: its group in the report and its schema's pointer.
struct Site<'a> {
    group: &'a str,
    at: &'a str,
}

/// A struct's fields, old and new, matched by their JSON names.
fn struct_fields(
    old: &Api,
    new: &Api,
    of: &[crate::model::Field],
    nf: &[crate::model::Field],
    site: &Site<'_>,
    r: &mut Recorder,
) {
    let prop = |wire: &str| {
        crate::error::pointer_push(&crate::error::pointer_push(site.at, "properties"), wire)
    };
    let old_fields: BTreeMap<&str, _> = of.iter().map(|f| (f.wire.as_str(), f)).collect();
    for f in nf {
        let optional = |f: &crate::model::Field| !f.required || f.nullable;
        match old_fields.get(f.wire.as_str()) {
            // Structs are `#[non_exhaustive]`: a new optional field breaks no one; a required
            // one is a new argument of `new`.
            None if optional(f) => r.add(
                site.group,
                Level::Minor,
                format!("optional field `{}` added", f.name.trim_start_matches("r#")),
                &prop(&f.wire),
            ),
            None => r.add(
                site.group,
                Level::Major,
                format!(
                    "required field `{}` added: `new` takes it",
                    f.name.trim_start_matches("r#")
                ),
                &prop(&f.wire),
            ),
            Some(g) => {
                let (was, is) = (shown(old, &g.ty), shown(new, &f.ty));
                if was != is {
                    r.add(
                        site.group,
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
                        site.group,
                        Level::Major,
                        format!("field `{}` is now {now}", f.name.trim_start_matches("r#")),
                        &prop(&f.wire),
                    );
                }
                if g.name != f.name {
                    r.add(
                        site.group,
                        Level::Major,
                        format!("field renamed in Rust: `{}` → `{}`", g.name, f.name),
                        &prop(&f.wire),
                    );
                }
                if g.deprecated != f.deprecated {
                    r.add(
                        site.group,
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
            site.group,
            Level::Major,
            format!("field `{}` removed", g.name.trim_start_matches("r#")),
            &prop(&g.wire),
        );
    }
}
