//! Stage 2b (optional): Cargo features per tag, decided on the finished model.
//!
//! Each operation is gated by the feature of its first tag; each type by the features of every
//! operation that reaches it through parameters, bodies, responses or other types. A type that
//! an operation without a tag reaches is always compiled; component schemas that no operation
//! reaches (webhook payloads, say) get a feature of their own, [`EXTRA_TYPES`]. Since a type's
//! features include those of every type that reaches it, any set of enabled features compiles.

use crate::model::{Api, Body, Feature, Operation, Response, Ty, TypeId};
use crate::naming::{self, Scope};
use std::collections::{BTreeMap, BTreeSet};

/// The feature of the component schemas that no operation uses.
pub const EXTRA_TYPES: &str = "extra-types";

/// Names that a tag's feature may not take: Cargo's `default`, `full`, which turns on all, and
/// [`EXTRA_TYPES`].
pub const RESERVED: &[&str] = &["default", "full", "native-roots", EXTRA_TYPES];

/// Gates operations and types by tag (see the module docs). `separator` groups tags by the part
/// before it.
pub fn gate_by_tag(api: &mut Api, separator: Option<&str>) {
    let mut scope = Scope::with_reserved(RESERVED.iter().copied());
    let mut by_tag: BTreeMap<String, usize> = BTreeMap::new();
    let mut features: Vec<Feature> = Vec::new();
    for op in &mut api.operations {
        let Some(tag) = op.tags.first() else {
            continue;
        };
        let tag = match separator {
            Some(sep) if !sep.is_empty() => tag.split(sep).next().unwrap_or(tag),
            _ => tag.as_str(),
        };
        let index = *by_tag.entry(tag.to_string()).or_insert_with(|| {
            features.push(Feature {
                name: scope.claim(&naming::feature_name(tag)),
                tag: Some(tag.to_string()),
            });
            features.len() - 1
        });
        op.feature = Some(features[index].name.clone());
    }

    // `None`: always compiled; `Some(set)`: compiled when any feature of the set is on.
    let mut gates: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); api.types.len()];
    for op in &api.operations {
        for root in operation_types(op) {
            mark(api, &mut gates, root, op.feature.as_deref());
        }
    }
    // Webhook events are not operations of any tag: their types are always compiled.
    for hook in &api.webhooks {
        let mut roots = Vec::new();
        if let Some(ty) = &hook.ty {
            ty_refs(ty, &mut roots);
        }
        for root in roots {
            mark(api, &mut gates, root, None);
        }
    }
    let unreached: Vec<TypeId> = (0..gates.len())
        .filter(|&id| gates[id].as_ref().is_some_and(BTreeSet::is_empty))
        .collect();
    if !unreached.is_empty() {
        for &id in &unreached {
            mark(api, &mut gates, id, Some(EXTRA_TYPES));
        }
        features.push(Feature {
            name: EXTRA_TYPES.to_string(),
            tag: None,
        });
    }
    for (t, gate) in api.types.iter_mut().zip(gates) {
        t.features = gate
            .map(|set| set.into_iter().collect())
            .unwrap_or_default();
    }
    api.features = features;
}

/// Records that `feature` (or, with `None`, every build) needs type `root` and all it reaches.
fn mark(api: &Api, gates: &mut [Option<BTreeSet<String>>], root: TypeId, feature: Option<&str>) {
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let changed = match (&mut gates[id], feature) {
            (None, _) => false,
            (slot @ Some(_), None) => {
                *slot = None;
                true
            }
            (Some(set), Some(f)) => set.insert(f.to_string()),
        };
        if changed {
            let mut refs = Vec::new();
            for ty in api.types[id].kind.members() {
                ty_refs(ty, &mut refs);
            }
            stack.extend(refs);
        }
    }
}

/// The named types an operation's signature, output and documented error bodies mention
/// directly.
fn operation_types(op: &Operation) -> Vec<TypeId> {
    let mut refs = Vec::new();
    for p in &op.params {
        ty_refs(&p.ty, &mut refs);
    }
    if let Some(Body { ty, .. }) = &op.body {
        ty_refs(ty, &mut refs);
    }
    response_refs(&op.response, &mut refs);
    for (_, ty) in &op.error_bodies {
        ty_refs(ty, &mut refs);
    }
    refs
}

fn response_refs(response: &Response, out: &mut Vec<TypeId>) {
    match response {
        Response::Json(ty) => ty_refs(ty, out),
        Response::ByStatus { bodies, .. } => {
            for (_, body) in bodies {
                response_refs(body, out);
            }
        }
        Response::Events(Some(ty)) => ty_refs(ty, out),
        Response::Bytes | Response::Text | Response::Empty | Response::Events(None) => {}
    }
}

fn ty_refs(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => ty_refs(inner, out),
        Ty::String
        | Ty::Bool
        | Ty::I32
        | Ty::I64
        | Ty::F64
        | Ty::Json
        | Ty::Bytes
        | Ty::File
        | Ty::External(_) => {}
    }
}
