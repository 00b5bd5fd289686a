//! Schemas into types: the Rust type of a schema, named types for objects and enums, and a
//! struct's fields.

use super::*;

impl<'a> Lowerer<'a> {
    /// The named type a schema defines by itself (an object with properties or a string enum),
    /// or `None` when it is a plain type expression.
    pub(super) fn named_kind(
        &mut self,
        schema: &Schema,
        ctx: &Ctx,
    ) -> Result<Option<TypeKind>, Error> {
        if let Some(value) = constant(schema) {
            return Ok(Some(TypeKind::Const(value)));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(_)) if is_tuple(schema) => {
                Ok(Some(TypeKind::Tuple(self.tuple_elements(schema, ctx)?)))
            }
            SchemaKind::Type(Type::String(s)) if lists_values(s) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
                Ok(Some(enum_kind(&values, default)))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let fields = self.fields(&o.properties, &o.required, ctx)?;
                Ok(Some(TypeKind::Struct { fields }))
            }
            SchemaKind::AllOf { all_of } => self.merge_all_of(all_of, ctx),
            SchemaKind::OneOf { one_of } => self.one_of(
                one_of,
                "oneOf",
                schema.schema_data.discriminator.as_ref(),
                ctx,
            ),
            SchemaKind::AnyOf { any_of } => self.one_of(
                any_of,
                "anyOf",
                schema.schema_data.discriminator.as_ref(),
                ctx,
            ),
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let fields = self.fields(&any.properties, &any.required, ctx)?;
                Ok(Some(TypeKind::Struct { fields }))
            }
            _ => Ok(None),
        }
    }

    pub(super) fn fields(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        ctx: &Ctx,
    ) -> Result<Vec<Field>, Error> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, schema) in properties {
            let schema = unbox(schema);
            let child = ctx.child(wire, "properties").child_pointer(wire);
            let ty = self.schema_ty(&schema, &child)?;
            let (docs, nullable, deprecated, one_way) = match &schema {
                ReferenceOr::Item(s) => {
                    let data = &s.schema_data;
                    (
                        schema_docs(s),
                        data.nullable,
                        data.deprecated,
                        data.read_only || data.write_only,
                    )
                }
                // A `$ref` to a schema that is itself `nullable` (GitHub's
                // `nullable-simple-user`) may be `null` wherever it is used; one that is
                // `readOnly` travels one way, as an inline one does.
                ReferenceOr::Reference { reference } => {
                    match self.target_data(reference, &child.pointer) {
                        Some(data) => (
                            None,
                            data.nullable,
                            false,
                            data.read_only || data.write_only,
                        ),
                        None => (None, false, false, false),
                    }
                }
            };
            fields.push(Field {
                name: scope.claim(&naming::snake_name(wire, "field")),
                wire: wire.clone(),
                ty,
                // A readOnly field is not sent and a writeOnly one not received, so neither is
                // required in both directions: both are optional.
                required: required.contains(wire) && !one_way,
                nullable,
                deprecated,
                docs,
            });
        }
        // A name in `required` with no schema in `properties` may hold any value (JSON Schema
        // reads it so), and the API still wants it: a required field of any JSON value, so the
        // client can send it. (Zoom's scheduler and events specs require fields they never
        // describe.)
        for wire in required
            .iter()
            .filter(|name| !properties.contains_key(*name))
        {
            // Listed twice: one field.
            if fields.iter().any(|f: &Field| f.wire == *wire) {
                continue;
            }
            self.skipped.push(Warning {
                pointer: pointer_push(&ctx.pointer, "required"),
                message: format!(
                    "`{wire}` is required but not described in `properties`; typed as any JSON value"
                ),
            });
            fields.push(Field {
                name: scope.claim(&naming::snake_name(wire, "field")),
                wire: wire.clone(),
                ty: Ty::Json,
                required: true,
                nullable: false,
                deprecated: false,
                docs: Some(format!(
                    "Required by the spec, which does not describe it (`{wire}` is in `required` but not in `properties`)."
                )),
            });
        }
        Ok(fields)
    }

    /// The `nullable`, `readOnly` and the rest of the component schema `reference` names (`None`
    /// when it does not resolve: the type of the same reference reports that).
    fn target_data(&self, reference: &str, pointer: &str) -> Option<&'a openapiv3::SchemaData> {
        let name = self.component_name(reference, "schemas", pointer).ok()?;
        let target = self.spec.components.as_ref()?.schemas.get(name)?;
        self.resolve_schema(target, pointer)
            .ok()
            .map(|schema| &schema.schema_data)
    }

    /// The type of an array's items or a map's values: `Option<T>` when the schema lets them be
    /// `null` (GitHub's gist `files` values, Plaid's `nullable` accounts in a list).
    fn element_ty(&mut self, schema: &ReferenceOr<Schema>, ctx: &Ctx) -> Result<Ty, Error> {
        let ty = self.schema_ty(schema, ctx)?;
        Ok(
            if self.may_be_null(schema, &ctx.pointer) && ty != Ty::Json {
                Ty::Nullable(Box::new(ty))
            } else {
                ty
            },
        )
    }

    /// Whether `null` is a value of the schema: `nullable`, directly or on the component a
    /// `$ref` names, or a `null` alternative of `oneOf`/`anyOf` (3.1's `anyOf: [X, {type: null}]`).
    pub(super) fn may_be_null(&self, schema: &ReferenceOr<Schema>, pointer: &str) -> bool {
        match schema {
            ReferenceOr::Reference { reference } => self
                .target_data(reference, pointer)
                .is_some_and(|data| data.nullable),
            ReferenceOr::Item(s) => {
                s.schema_data.nullable
                    || matches!(&s.schema_kind,
                        SchemaKind::OneOf { one_of: alternatives } | SchemaKind::AnyOf { any_of: alternatives }
                            if alternatives.iter().any(is_null_only))
            }
        }
    }

    /// The Rust type of a schema, creating named types for inline objects and enums. Guarded
    /// against unbounded recursion: `allOf` inlines other schemas' properties, and a spec can make
    /// that cycle.
    pub(super) fn schema_ty(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ctx: &Ctx,
    ) -> Result<Ty, Error> {
        if self.depth >= MAX_DEPTH {
            self.skipped.push(Warning {
                pointer: ctx.pointer.clone(),
                message: format!("schemas nest more than {MAX_DEPTH} deep here (a cycle through `allOf`?); typed as any JSON value"),
            });
            return Ok(Ty::Json);
        }
        self.depth += 1;
        let ty = self.schema_ty_inner(schema, ctx);
        self.depth -= 1;
        ty
    }

    pub(super) fn schema_ty_inner(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ctx: &Ctx,
    ) -> Result<Ty, Error> {
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                let name = self.component_name(reference, "schemas", &ctx.pointer)?;
                return match self.components.get(name) {
                    Some(&id) => Ok(Ty::Named(id)),
                    None => Err(self.dangling(reference, &ctx.pointer)),
                };
            }
            ReferenceOr::Item(s) => s,
        };
        if let Some(ty) = self.replacement(schema, &ctx.pointer)? {
            return Ok(ty);
        }
        // `anyOf: [X, {type: null}]` (3.1's nullable X) and a single alternative are just X.
        if let SchemaKind::OneOf {
            one_of: alternatives,
        }
        | SchemaKind::AnyOf {
            any_of: alternatives,
        } = &schema.schema_kind
        {
            let real: Vec<&ReferenceOr<Schema>> =
                alternatives.iter().filter(|a| !is_null_only(a)).collect();
            if let [only] = real.as_slice() {
                return self.schema_ty(only, ctx);
            }
        }
        // `allOf: [{$ref}]` is how 3.0 specs give a reference a description: it is the reference.
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if let [only @ ReferenceOr::Reference { .. }] = all_of.as_slice() {
                return self.schema_ty(only, ctx);
            }
        }
        if constant(schema).is_some() || is_tuple(schema) {
            let kind = self.named_kind(schema, ctx)?;
            let id = self.new_type(ctx, false, schema_docs(schema));
            self.types[id].kind = kind;
            return Ok(Ty::Named(id));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if lists_values(s) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if let Some(id) = self.shared_enum(&values, ctx) {
                    return Ok(Ty::Named(id));
                }
                let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
                let id = self.new_type(ctx, false, schema_docs(schema));
                self.types[id].kind = Some(enum_kind(&values, default));
                match enum_family(ctx) {
                    Some(family) => self.enum_families.entry(family).or_default().push(id),
                    None => {
                        self.enums.insert(values, id);
                    }
                }
                Ty::Named(id)
            }
            SchemaKind::Type(Type::String(string))
                if self.binary_as_file
                    && matches!(
                        &string.format,
                        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
                    ) =>
            {
                Ty::File
            }
            SchemaKind::Type(Type::String(_)) => Ty::String,
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Number(_)) => Ty::F64,
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    Ty::I32
                }
                _ => Ty::I64,
            },
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let child = ctx.child("item", "items");
                    Ty::Vec(Box::new(self.element_ty(&unbox(items), &child)?))
                }
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    Some(openapiv3::AdditionalProperties::Schema(s)) => {
                        let child = ctx.child("value", "additionalProperties");
                        Ty::Map(Box::new(self.element_ty(s, &child)?))
                    }
                    _ => Ty::Map(Box::new(Ty::Json)),
                }
            }
            _ => match self.named_kind(schema, ctx)? {
                Some(kind) => {
                    let id = self.new_type(ctx, false, schema_docs(schema));
                    self.types[id].kind = Some(kind);
                    Ty::Named(id)
                }
                None => Ty::Json,
            },
        })
    }
}

impl<'a> Lowerer<'a> {
    /// The element types of a tuple (the spec's `prefixItems`, carried by normalization).
    fn tuple_elements(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Vec<Ty>, Error> {
        let raw = schema
            .schema_data
            .extensions
            .get(crate::load::normalize::TUPLE_KEY)
            .cloned()
            .unwrap_or_default();
        let elements: Vec<ReferenceOr<Schema>> = serde_json::from_value(raw).map_err(|e| {
            self.err(
                &pointer_push(&ctx.pointer, "prefixItems"),
                format!("`prefixItems` is not a list of schemas: {e}"),
            )
            .hint("give each element of the array a schema object or a `$ref`")
        })?;
        let mut tys = Vec::with_capacity(elements.len());
        for (i, element) in elements.iter().enumerate() {
            let child = ctx
                .child(&format!("element {}", i + 1), "prefixItems")
                .child_pointer(&i.to_string());
            tys.push(self.element_ty(element, &child)?);
        }
        Ok(tys)
    }

    /// The user's own type for a schema (`[types]` in the config, or `x-rust-type`), or the type
    /// the config's `[formats]` gives its string format.
    pub(super) fn replacement(&self, schema: &Schema, pointer: &str) -> Result<Option<Ty>, Error> {
        use crate::config::FormatChoice;
        let named = self
            .config
            .types
            .get(pointer)
            .map(String::as_str)
            .or_else(|| {
                schema
                    .schema_data
                    .extensions
                    .get("x-rust-type")
                    .and_then(|v| v.as_str())
            });
        if let Some(path) = named {
            if syn::parse_str::<syn::Type>(path).is_err() {
                return Err(self
                    .err(pointer, format!("`{path}` is not a Rust type"))
                    .hint(
                    "give a type path such as `my_crate::Money` (in `[types]` or `x-rust-type`)",
                ));
            }
            return Ok(Some(Ty::External(path.to_string())));
        }
        let SchemaKind::Type(Type::String(s)) = &schema.schema_kind else {
            return Ok(None);
        };
        if lists_values(s) {
            return Ok(None);
        }
        use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
        let formats = &self.config.formats;
        let path = match &s.format {
            F::Item(StringFormat::DateTime) if formats.date_time == FormatChoice::Chrono => {
                "chrono::DateTime<chrono::Utc>"
            }
            F::Item(StringFormat::Date) if formats.date == FormatChoice::Chrono => {
                "chrono::NaiveDate"
            }
            F::Item(StringFormat::Byte) if formats.byte == FormatChoice::Base64 => "crate::Base64",
            F::Unknown(f) if f == "uuid" && formats.uuid == FormatChoice::Uuid => "uuid::Uuid",
            _ => return Ok(None),
        };
        Ok(Some(Ty::External(path.to_string())))
    }
}

/// The one value of a string `const` (normalization marks it), or `None`.
pub(super) fn constant(schema: &Schema) -> Option<String> {
    let marked = schema
        .schema_data
        .extensions
        .get(crate::load::normalize::CONST_KEY)
        .is_some_and(|v| *v == serde_json::Value::Bool(true));
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if marked => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the schema is a tuple (the spec's `prefixItems`, carried by normalization).
pub(super) fn is_tuple(schema: &Schema) -> bool {
    matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_)))
        && schema
            .schema_data
            .extensions
            .contains_key(crate::load::normalize::TUPLE_KEY)
}

/// An alternative that only allows `null` (3.1's `{type: "null"}` after normalization).
pub(super) fn is_null_only(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => {
            s.schema_data.nullable
                && matches!(&s.schema_kind, SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() && any.one_of.is_empty() && any.any_of.is_empty() && any.all_of.is_empty())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

pub(super) fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
    }
}

pub(super) fn schema_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut docs = data
        .description
        .as_deref()
        .or(data.title.as_deref())
        .map(docs::to_rustdoc)
        .filter(|d| !d.is_empty());
    if let Some(default) = &data.default {
        let text = format!("Default: `{}`.", default.to_string().replace('`', "'"));
        docs = Some(match docs {
            Some(d) => format!("{d}\n\n{text}"),
            None => text,
        });
    }
    docs
}

impl Lowerer<'_> {
    /// The type an inline string enum shares with one met before, widened to the union of both
    /// values. Within a family (the enums of properties and parameters of one name: a `status`
    /// parameter and the `status` field it filters on) the first with a value in common; a
    /// value added to either side then widens the shared type instead of splitting it off into
    /// a new one, so the change stays compatible (the enums are `#[non_exhaustive]`). Outside
    /// a family, one with exactly the same values.
    fn shared_enum(&mut self, values: &[String], ctx: &Ctx) -> Option<TypeId> {
        let wires = |kind: &Option<TypeKind>| -> Vec<String> {
            match kind {
                Some(TypeKind::Enum { variants, .. }) => {
                    variants.iter().map(|v| v.wire.clone()).collect()
                }
                _ => Vec::new(),
            }
        };
        let id = match enum_family(ctx) {
            Some(family) => *self.enum_families.get(&family)?.iter().find(|&&id| {
                wires(&self.types[id].kind)
                    .iter()
                    .any(|w| values.contains(w))
            })?,
            None => *self.enums.get(values)?,
        };
        let mut all = wires(&self.types[id].kind);
        let added: Vec<String> = values
            .iter()
            .filter(|v| !all.contains(v))
            .cloned()
            .collect();
        if !added.is_empty() {
            let default = match &self.types[id].kind {
                Some(TypeKind::Enum {
                    variants,
                    default: Some(d),
                    ..
                }) => Some(variants[*d].wire.clone()),
                _ => None,
            };
            all.extend(added);
            self.types[id].kind = Some(enum_kind(&all, default.as_deref()));
        }
        self.types[id].pointers.push(ctx.pointer.clone());
        Some(id)
    }
}

/// The family of an inline enum: the name of the property or parameter it is the schema of.
fn enum_family(ctx: &Ctx) -> Option<String> {
    let mut tokens = ctx.pointer.rsplit('/');
    match (tokens.next(), tokens.next()) {
        (Some(name), Some("properties")) => Some(name.replace("~1", "/").replace("~0", "~")),
        (Some("schema"), Some(_)) if ctx.pointer.contains("/parameters/") => {
            Some(ctx.candidate.clone())
        }
        _ => None,
    }
}

/// Whether a string schema's `enum` lists a value: an enum of `null` alone lists none, and is a
/// plain string.
pub(super) fn lists_values(s: &openapiv3::StringType) -> bool {
    s.enumeration.iter().any(Option::is_some)
}

pub(super) fn enum_kind(values: &[String], default: Option<&str>) -> TypeKind {
    let mut scope = Scope::default();
    let mut variants: Vec<Variant> = Vec::new();
    for value in values {
        if variants.iter().any(|v| v.wire == *value) {
            continue;
        }
        variants.push(Variant {
            name: scope.claim(&naming::variant_name(value)),
            wire: value.clone(),
        });
    }
    let fallback = scope.claim("Unknown");
    let default = default.and_then(|d| variants.iter().position(|v| v.wire == d));
    TypeKind::Enum {
        variants,
        fallback,
        default,
    }
}
