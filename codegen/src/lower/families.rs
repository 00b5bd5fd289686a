//! Part of stage 2 (lowering), after [`super::dedup`]: inline structs of one family share one
//! type, so that the sharing survives a spec that adds an optional field to one of them.
//!
//! A family is the inline object schemas of properties of one name (`owner`, or the items of
//! `owners`). Exact duplicates are already aliases of one type; here a struct of a family whose
//! fields are a subset or a superset of an earlier member's, equal wherever both have them (same
//! Rust and wire name, type, `required`, `nullable`, `deprecated` and docs), with the fields
//! only one of them has all optional, joins that member: the kept struct takes the other's extra
//! fields (optional, so code that builds it keeps compiling), and the other becomes an alias of
//! it. Without this, an
//! optional field added to one copy of Zoom's repeated objects would turn a shared type into two,
//! a breaking change for code that passed values between them.
//!
//! Contract: only inline, non-empty structs take part (a component schema keeps its own fields);
//! members with no field in common do not join; the outcome depends only on the model, in type
//! order.

use crate::model::{Api, Field, Ty, TypeId, TypeKind};
use std::collections::BTreeMap;

/// Joins the compatible inline structs of each family.
pub(super) fn join_families(api: &mut Api) {
    let mut families: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for (id, t) in api.types.iter().enumerate() {
        let TypeKind::Struct { fields } = &t.kind else {
            continue;
        };
        // A component schema is a type of its own: its name and fields are the spec's.
        let component = t.pointers.iter().any(|p| {
            p.strip_prefix("/components/schemas/")
                .is_some_and(|name| !name.contains('/'))
        });
        if fields.is_empty() || component {
            continue;
        }
        if let Some(family) = t.pointers.first().and_then(|p| family(p)) {
            families.entry(family).or_default().push(id);
        }
    }
    for members in families.values().filter(|m| m.len() > 1) {
        let mut kept: Vec<TypeId> = Vec::new();
        for &id in members {
            match kept.iter().copied().find(|&k| compatible(api, k, id)) {
                Some(k) => join(api, k, id),
                None => kept.push(id),
            }
        }
    }
}

/// The family of the type first met at `pointer`: the name of the property it is the schema
/// of, directly or as the items of an array.
fn family(pointer: &str) -> Option<String> {
    let mut tokens: Vec<&str> = pointer.split('/').collect();
    while tokens.last() == Some(&"items") {
        tokens.pop();
    }
    match tokens.as_slice() {
        [.., "properties", name] => Some(name.replace("~1", "/").replace("~0", "~")),
        _ => None,
    }
}

/// Whether `other` can join `kept`: the fields of one are a subset of the other's (each common
/// field equal), and the fields only one has are optional. Two objects that each have fields the
/// other lacks (an event's `object` and an ACL's, sharing only `resource_id`) stay apart.
fn compatible(api: &Api, kept: TypeId, other: TypeId) -> bool {
    let (TypeKind::Struct { fields: a }, TypeKind::Struct { fields: b }) =
        (&api.types[kept].kind, &api.types[other].kind)
    else {
        return false;
    };
    let only = |these: &[Field], those: &[Field]| -> Vec<usize> {
        (0..these.len())
            .filter(|&i| !those.iter().any(|g| g.wire == these[i].wire))
            .collect()
    };
    let (only_a, only_b) = (only(a, b), only(b, a));
    if !only_a.is_empty() && !only_b.is_empty() {
        return false;
    }
    let common_equal = a.iter().all(|f| match b.iter().find(|g| g.wire == f.wire) {
        Some(g) => same_field(api, f, g),
        None => true,
    });
    // What the larger one has beyond the other: optional fields, with Rust names of their own.
    let extras_optional = only_a.iter().all(|&i| !a[i].required)
        && only_b
            .iter()
            .all(|&i| !b[i].required && !a.iter().any(|f| f.name == b[i].name));
    let common = a.len() - only_a.len();
    common > 0 && common_equal && extras_optional
}

fn same_field(api: &Api, f: &Field, g: &Field) -> bool {
    f.name == g.name
        && f.required == g.required
        && f.nullable == g.nullable
        && f.deprecated == g.deprecated
        && f.docs == g.docs
        && same_ty(api, &f.ty, &g.ty)
}

/// Whether two types are the same once aliases are followed.
fn same_ty(api: &Api, a: &Ty, b: &Ty) -> bool {
    match (api.resolve(a), api.resolve(b)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => same_ty(api, x, y),
        (x, y) => x == y,
    }
}

/// `other` becomes an alias of `kept`, which takes the fields only `other` has.
fn join(api: &mut Api, kept: TypeId, other: TypeId) {
    let TypeKind::Struct { fields: theirs } = api.types[other].kind.clone() else {
        return;
    };
    let kept_name = api.types[kept].name.clone();
    if let TypeKind::Struct { fields } = &mut api.types[kept].kind {
        for g in theirs {
            if !fields.iter().any(|f| f.wire == g.wire) {
                fields.push(g);
            }
        }
    }
    let pointers = api.types[other].pointers.clone();
    api.types[kept].pointers.extend(pointers);
    let t = &mut api.types[other];
    t.kind = TypeKind::Alias(Ty::Named(kept));
    let note = format!(
        "Shared with [`{kept_name}`], the type of other properties of the same name: it has the \
         fields of all of them, and the API may leave out those this one does not describe."
    );
    t.docs = Some(match t.docs.take() {
        Some(docs) => format!("{docs}\n\n{note}"),
        None => note,
    });
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn a_family_is_the_property_name_through_items() {
        assert_eq!(
            family(
                "/paths/~1a/get/responses/200/content/application~1json/schema/properties/owner"
            ),
            Some("owner".into())
        );
        assert_eq!(
            family("/components/schemas/Thing/properties/owners/items"),
            Some("owners".into())
        );
        assert_eq!(
            family("/components/schemas/T/properties/a~1b"),
            Some("a/b".into())
        );
        // A body or a response schema itself has no family.
        assert_eq!(
            family("/paths/~1a/post/requestBody/content/application~1json/schema"),
            None
        );
    }
}
