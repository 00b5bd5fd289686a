//! Part of stage 2 (lowering): OpenAPI 3.1's usual way to tag the alternatives of a `oneOf`,
//! a property with a `const` value in each, read as the `discriminator` the spec did not write.
//!
//! Contract: a `oneOf` without a `discriminator` whose alternatives are all structs sharing one
//! property that is, in each, a constant (a string `const`) or a string enum of exactly one value,
//! all different, gets a discriminator on that property; nothing else changes.

use crate::model::{Api, Discriminator, Ty, TypeKind};

/// Sets the discriminator of every `oneOf` tagged by a `const` property.
pub(super) fn const_tags_discriminate(api: &mut Api) {
    for id in 0..api.types.len() {
        let TypeKind::OneOf {
            variants,
            discriminator: None,
            ..
        } = &api.types[id].kind
        else {
            continue;
        };
        let Some(found) = tag_of(api, variants) else {
            continue;
        };
        if let TypeKind::OneOf { discriminator, .. } = &mut api.types[id].kind {
            *discriminator = Some(found);
        }
    }
}

/// The property every alternative tags with its own single value, and the values.
fn tag_of(api: &Api, variants: &[(String, Ty)]) -> Option<Discriminator> {
    // For each alternative: (property, its one value) of every single-value enum field.
    let mut tags: Vec<Vec<(String, String)>> = Vec::new();
    for (_, ty) in variants {
        let Ty::Named(id) = api.resolve(ty) else {
            return None;
        };
        let TypeKind::Struct { fields } = &api.types[*id].kind else {
            return None;
        };
        let single: Vec<(String, String)> = fields
            .iter()
            .filter_map(|f| match api.resolve(&f.ty) {
                Ty::Named(e) => match &api.types[*e].kind {
                    TypeKind::Enum { variants, .. } if variants.len() == 1 => {
                        Some((f.wire.clone(), variants[0].wire.clone()))
                    }
                    TypeKind::Const(value) => Some((f.wire.clone(), value.clone())),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        tags.push(single);
    }
    let first = tags.first()?;
    for (property, _) in first {
        let values: Option<Vec<String>> = tags
            .iter()
            .map(|t| {
                t.iter()
                    .find(|(p, _)| p == property)
                    .map(|(_, v)| v.clone())
            })
            .collect();
        let Some(values) = values else {
            continue;
        };
        let mut distinct = values.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() == values.len() && values.len() > 1 {
            return Some(Discriminator {
                property: property.clone(),
                mapping: values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (v, i))
                    .collect(),
            });
        }
    }
    None
}
