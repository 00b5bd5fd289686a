//! Inline schemas of the same shape become aliases of one type.
//!
//! Large specs inline the same object under many operations (Zoom repeats its meeting settings
//! under every meeting endpoint). Each copy was a struct of its own, with its own serde impls for
//! rustc to check. Here every inline struct or `oneOf` whose shape equals another type's becomes
//! `pub type ItsName = TheOther;`: every name a user could write stays, and values of the two are
//! interchangeable, as their JSON is.
//!
//! The shape is the kind with every field's Rust name, wire name, type, `required`, `nullable`,
//! `deprecated` and docs (docs included, so that an alias never shows a field a description
//! meant for another endpoint). Types referring to merged types are compared through them, so
//! merging runs until nothing changes. In each group of equal shapes the one kept is a component
//! schema if there is one (its name is the spec's), else the first met; component schemas never
//! become aliases themselves. Structs without fields are left alone: an empty object says
//! nothing about what else it could be.

use crate::model::{Api, Ty, TypeId, TypeKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Turns every inline type with the shape of another into an alias of it.
pub(super) fn alias_duplicates(api: &mut Api) {
    // What each type now stands for (itself, until merged).
    let mut canonical: Vec<TypeId> = (0..api.types.len()).collect();
    loop {
        let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (id, t) in api.types.iter().enumerate() {
            if root(&canonical, id) != id {
                continue;
            }
            if let Some(key) = shape(&t.kind, &canonical) {
                groups.entry(key).or_default().push(id);
            }
        }
        let mut merged = false;
        for ids in groups.values().filter(|ids| ids.len() > 1) {
            let keep = ids
                .iter()
                .copied()
                .find(|&id| is_component(api, id))
                .unwrap_or(ids[0]);
            for &id in ids {
                if id != keep && !is_component(api, id) {
                    canonical[id] = keep;
                    merged = true;
                }
            }
        }
        if !merged {
            break;
        }
    }
    for id in 0..api.types.len() {
        let keep = root(&canonical, id);
        if keep == id {
            continue;
        }
        let kept_name = api.types[keep].name.clone();
        let t = &mut api.types[id];
        t.kind = TypeKind::Alias(Ty::Named(keep));
        let note = format!(
            "The same shape as [`{kept_name}`] (the generator keeps one type for identical inline \
             schemas)."
        );
        t.docs = Some(match t.docs.take() {
            Some(docs) => format!("{docs}\n\n{note}"),
            None => note,
        });
    }
}

/// What `id` finally stands for.
fn root(canonical: &[TypeId], mut id: TypeId) -> TypeId {
    while let Some(&next) = canonical.get(id) {
        if next == id {
            break;
        }
        id = next;
    }
    id
}

fn is_component(api: &Api, id: TypeId) -> bool {
    api.types[id]
        .pointers
        .iter()
        .any(|p| p.starts_with("/components/schemas/"))
}

/// The shape of a struct or `oneOf` as text, with named types replaced by what they stand for;
/// `None` for kinds that are not merged.
pub(super) fn shape(kind: &TypeKind, canonical: &[TypeId]) -> Option<String> {
    let mut key = String::new();
    match kind {
        TypeKind::Struct { fields } if !fields.is_empty() => {
            key.push_str("struct");
            for f in fields {
                let _ = write!(
                    key,
                    "|{}:{}:{}:{}{}{}:{:?}",
                    f.name,
                    f.wire,
                    ty_key(&f.ty, canonical),
                    u8::from(f.required),
                    u8::from(f.nullable),
                    u8::from(f.deprecated),
                    f.docs
                );
            }
        }
        TypeKind::OneOf {
            variants,
            fallback,
            discriminator,
        } => {
            let _ = write!(key, "oneof|{fallback}|{discriminator:?}");
            for (name, ty) in variants {
                let _ = write!(key, "|{name}:{}", ty_key(ty, canonical));
            }
        }
        _ => return None,
    }
    Some(key)
}

fn ty_key(ty: &Ty, canonical: &[TypeId]) -> String {
    match ty {
        Ty::Named(id) => format!("#{}", root(canonical, *id)),
        Ty::Vec(inner) => format!("[{}]", ty_key(inner, canonical)),
        Ty::Map(inner) => format!("{{{}}}", ty_key(inner, canonical)),
        Ty::Nullable(inner) => format!("?{}", ty_key(inner, canonical)),
        other => format!("{other:?}"),
    }
}
