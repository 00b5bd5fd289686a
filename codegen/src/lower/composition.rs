//! `allOf` (merged into one struct) and `oneOf`/`anyOf` (an enum with a fallback variant).

use super::*;

impl<'a> Lowerer<'a> {
    /// `oneOf`/`anyOf`: an enum with one variant per alternative.
    pub(super) fn one_of(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        key: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        ctx: &Ctx,
    ) -> Result<Option<TypeKind>, Error> {
        let mut scope = Scope::default();
        let mut variants: Vec<(String, Ty)> = Vec::new();
        let mut refs: Vec<Option<String>> = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            if is_null_only(alternative) {
                continue;
            }
            let child = Ctx {
                candidate: format!("{} variant {}", ctx.candidate, i + 1),
                qualifier: ctx.qualifier.clone(),
                pointer: pointer_push(&pointer_push(&ctx.pointer, key), &i.to_string()),
            };
            let ty = self.schema_ty(alternative, &child)?;
            let name = match (alternative, &ty) {
                (ReferenceOr::Reference { reference }, _) => {
                    naming::type_name(reference.rsplit('/').next().unwrap_or(""), "Variant")
                }
                (ReferenceOr::Item(s), _) if s.schema_data.title.is_some() => {
                    naming::type_name(s.schema_data.title.as_deref().unwrap_or(""), "Variant")
                }
                (_, Ty::String) => "String".into(),
                (_, Ty::Bool) => "Bool".into(),
                (_, Ty::I32 | Ty::I64) => "Integer".into(),
                (_, Ty::F64) => "Number".into(),
                (_, Ty::Vec(_)) => "Array".into(),
                (_, Ty::Map(_)) => "Map".into(),
                _ => format!("Variant{}", i + 1),
            };
            variants.push((scope.claim(&name), ty));
            refs.push(match alternative {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            });
        }
        if variants.is_empty() {
            return Ok(None);
        }
        let discriminator = discriminator.and_then(|d| {
            let mut mapping: Vec<(String, usize)> = Vec::new();
            for (value, target) in &d.mapping {
                if let Some(i) = refs
                    .iter()
                    .position(|r| r.as_deref() == Some(target.as_str()))
                {
                    mapping.push((value.clone(), i));
                }
            }
            // Without a mapping entry, the value is the component's name.
            for (i, r) in refs.iter().enumerate() {
                if let Some(name) = r.as_deref().and_then(|r| r.rsplit('/').next()) {
                    if !mapping.iter().any(|(_, j)| *j == i) {
                        mapping.push((name.to_string(), i));
                    }
                }
            }
            if mapping.is_empty() {
                // Inline alternatives that no mapping entry names (DigitalOcean's point at
                // files that are not there): nothing to decode by, so the alternatives are tried
                // in order, as without a discriminator.
                self.skipped.push(Warning {
                    pointer: pointer_push(&ctx.pointer, "discriminator"),
                    message: format!(
                        "the discriminator `{}` maps no value to any of the alternatives; a value \
                         is decoded as the first alternative it matches",
                        d.property_name
                    ),
                });
                return None;
            }
            Some(Discriminator {
                property: d.property_name.clone(),
                mapping,
            })
        });
        let fallback = scope.claim("Other");
        Ok(Some(TypeKind::OneOf {
            variants,
            fallback,
            discriminator,
        }))
    }

    /// `allOf` whose parts are all objects becomes one struct with every part's fields.
    pub(super) fn merge_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Option<TypeKind>, Error> {
        let mut properties = indexmap::IndexMap::new();
        let mut required = Vec::new();
        let mut inlined = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let pointer = pointer_push(&pointer_push(&ctx.pointer, "allOf"), &i.to_string());
            if let ReferenceOr::Reference { reference } = part {
                // A component already being inlined further up would make the merge endless.
                if self.merging.contains(reference) {
                    self.skipped.push(Warning {
                        pointer,
                        message: format!(
                            "`allOf` includes `{reference}` inside itself; typed as any JSON value"
                        ),
                    });
                    return Ok(None);
                }
                inlined.push(reference.clone());
            }
            let schema = self.resolve_schema(part, &pointer)?;
            let (props, req) = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
                SchemaKind::Any(a) => (&a.properties, &a.required),
                _ => return Ok(None),
            };
            for (k, v) in props {
                properties.insert(k.clone(), v.clone());
            }
            required.extend(req.iter().cloned());
        }
        if properties.is_empty() {
            return Ok(None);
        }
        let depth = self.merging.len();
        self.merging.extend(inlined);
        let fields = self.fields(&properties, &required, ctx);
        self.merging.truncate(depth);
        Ok(Some(TypeKind::Struct { fields: fields? }))
    }
}
