//! Stage 2: lower an `openapiv3` document into the generator's model ([`crate::model`]).
//!
//! Types are collected first with *candidate* names taken from their context (component name,
//! operation + property, parameter name); identical string enums found in several places become
//! one type. Names are decided in one pass at the end ([`Lowerer::assign_names`]): config renames
//! first, then component names, then inline names in the order they were met.

use crate::config::Config;
use crate::docs;
use crate::error::pointer_push;
use crate::features;
use crate::model::*;
use crate::naming::{self, Scope};
use crate::{Error, Warning};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, Type,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Prelude names that generated builders and types must not shadow. Everything the runtime
/// defines is reserved too, read from its source ([`crate::runtime::reserved`]).
const PRELUDE_NAMES: &[&str] = &[
    "Result", "Option", "String", "Vec", "Box", "Ok", "Err", "Some", "None",
];

/// Names a request builder uses for its own fields and methods; parameters must not take them.
const BUILDER_METHODS: &[&str] = &[
    "send",
    "send_with_meta",
    "client",
    "body",
    "options",
    "request_options",
    "into_future",
    "pages",
    "items",
    "prepare",
    "decode",
    "send_streaming",
];

/// Trait methods every `Client` has; operations must not take them either.
const CLIENT_TRAIT_METHODS: &[&str] = &["clone", "fmt"];

struct PendingType {
    candidate: String,
    /// Component types outrank inline types when names collide.
    is_component: bool,
    docs: Option<String>,
    kind: Option<TypeKind>,
    pointers: Vec<String>,
}

/// Where a schema sits, to name the type it may become.
#[derive(Clone)]
struct Ctx {
    candidate: String,
    pointer: String,
}

impl Ctx {
    fn child(&self, name_part: &str, pointer_token: &str) -> Ctx {
        Ctx {
            candidate: format!("{} {}", self.candidate, name_part),
            pointer: pointer_push(&self.pointer, pointer_token),
        }
    }
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    file: &'a Path,
    config: &'a Config,
    types: Vec<PendingType>,
    components: BTreeMap<String, TypeId>,
    enums: BTreeMap<Vec<String>, TypeId>,
    skipped: Vec<Warning>,
    /// Current nesting of [`Lowerer::schema_ty`].
    depth: usize,
    /// `$ref`s whose properties `allOf` is inlining right now.
    merging: Vec<String>,
    /// Lowering a multipart body: `format: binary` strings are file parts.
    binary_as_file: bool,
    /// Security schemes and grants, lowered first: operations refer to them.
    auth: Auth,
}

/// How deep schemas may nest before the generator stops descending.
const MAX_DEPTH: usize = 32;

/// Lowers `spec` (read from `file`) into the model.
pub fn lower(
    spec: &OpenAPI,
    webhooks: &crate::load::Webhooks,
    file: &Path,
    config: &Config,
) -> Result<Api, Error> {
    let mut l = Lowerer {
        spec,
        file,
        config,
        types: Vec::new(),
        components: BTreeMap::new(),
        enums: BTreeMap::new(),
        skipped: Vec::new(),
        depth: 0,
        merging: Vec::new(),
        binary_as_file: false,
        auth: Auth::default(),
    };
    l.auth = crate::security::lower_auth(spec, file, config, &mut l.skipped)?;
    l.register_components();
    l.lower_components()?;
    let operations = l.lower_operations()?;
    let events = l.lower_webhooks(webhooks)?;
    let mut api = l.finish(operations)?;
    api.webhooks = events;
    if config.features.by_tag {
        features::gate_by_tag(&mut api, config.features.tag_separator.as_deref());
    }
    Ok(api)
}

impl<'a> Lowerer<'a> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::at(self.file, pointer, message)
    }

    /// In strict mode an unsupported construct is an error; otherwise it is recorded and skipped.
    fn unsupported(
        &mut self,
        pointer: &str,
        op: Option<&str>,
        message: String,
    ) -> Result<(), Error> {
        if self.config.strict {
            let mut e = self.err(pointer, message).hint(
                "turn off `strict` in the spec's config to skip what is unsupported with a warning",
            );
            if let Some(op) = op {
                e = e.in_operation(op);
            }
            return Err(e);
        }
        self.skipped.push(Warning {
            pointer: pointer.to_string(),
            message,
        });
        Ok(())
    }

    fn new_type(&mut self, ctx: &Ctx, is_component: bool, docs: Option<String>) -> TypeId {
        self.types.push(PendingType {
            candidate: ctx.candidate.clone(),
            is_component,
            docs,
            kind: None,
            pointers: vec![ctx.pointer.clone()],
        });
        self.types.len() - 1
    }

    fn register_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for name in components.schemas.keys() {
            let ctx = Ctx {
                candidate: name.clone(),
                pointer: pointer_push("/components/schemas", name),
            };
            let id = self.new_type(&ctx, true, None);
            self.components.insert(name.clone(), id);
        }
    }

    fn lower_components(&mut self) -> Result<(), Error> {
        let Some(components) = &self.spec.components else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            let id = self.components[name];
            let ctx = Ctx {
                candidate: name.clone(),
                pointer: pointer_push("/components/schemas", name),
            };
            let (kind, docs) = match schema {
                ReferenceOr::Reference { .. } => {
                    (TypeKind::Alias(self.schema_ty(schema, &ctx)?), None)
                }
                ReferenceOr::Item(s) => {
                    let docs = schema_docs(s);
                    match self.named_kind(s, &ctx)? {
                        Some(kind) => (kind, docs),
                        None => (TypeKind::Alias(self.schema_ty(schema, &ctx)?), docs),
                    }
                }
            };
            self.types[id].kind = Some(kind);
            self.types[id].docs = docs;
        }
        Ok(())
    }

    /// The named type a schema defines by itself (an object with properties or a string enum),
    /// or `None` when it is a plain type expression.
    fn named_kind(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Option<TypeKind>, Error> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
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

    /// `oneOf`/`anyOf`: an enum with one variant per alternative.
    fn one_of(
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
        let discriminator = discriminator.map(|d| {
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
            Discriminator {
                property: d.property_name.clone(),
                mapping,
            }
        });
        let fallback = scope.claim("Other");
        Ok(Some(TypeKind::OneOf {
            variants,
            fallback,
            discriminator,
        }))
    }

    /// `allOf` whose parts are all objects becomes one struct with every part's fields.
    fn merge_all_of(
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

    fn fields(
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
                ReferenceOr::Reference { .. } => (None, false, false, false),
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
        Ok(fields)
    }

    fn resolve_schema(
        &self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<&'a Schema, Error> {
        self.resolver()
            .component(schema, pointer, "schemas", |c| &c.schemas)
    }

    fn component_name<'r>(
        &self,
        reference: &'r str,
        kind: &str,
        pointer: &str,
    ) -> Result<&'r str, Error> {
        self.resolver().component_name(reference, kind, pointer)
    }

    fn dangling(&self, reference: &str, pointer: &str) -> Error {
        self.resolver().dangling(reference, pointer)
    }

    fn resolver(&self) -> Resolver<'a> {
        Resolver {
            spec: self.spec,
            file: self.file,
        }
    }

    /// The Rust type of a schema, creating named types for inline objects and enums. Guarded
    /// against unbounded recursion: `allOf` inlines other schemas' properties, and a spec can make
    /// that cycle.
    fn schema_ty(&mut self, schema: &ReferenceOr<Schema>, ctx: &Ctx) -> Result<Ty, Error> {
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

    fn schema_ty_inner(&mut self, schema: &ReferenceOr<Schema>, ctx: &Ctx) -> Result<Ty, Error> {
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
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if let Some(&id) = self.enums.get(&values) {
                    self.types[id].pointers.push(ctx.pointer.clone());
                    return Ok(Ty::Named(id));
                }
                let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
                let id = self.new_type(ctx, false, schema_docs(schema));
                self.types[id].kind = Some(enum_kind(&values, default));
                self.enums.insert(values, id);
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
                    Ty::Vec(Box::new(self.schema_ty(&unbox(items), &child)?))
                }
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    Some(openapiv3::AdditionalProperties::Schema(s)) => {
                        let child = ctx.child("value", "additionalProperties");
                        Ty::Map(Box::new(self.schema_ty(s, &child)?))
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

    /// Each webhook's request body becomes a type named after the event
    /// (`account.created` → `AccountCreatedEvent`), and the event a variant of `Event`.
    fn lower_webhooks(&mut self, webhooks: &crate::load::Webhooks) -> Result<Vec<Webhook>, Error> {
        let mut variants = Scope::with_reserved(["Unknown", "UrlValidation"]);
        let mut events = Vec::new();
        for (event, item) in webhooks {
            let pointer = pointer_push("/webhooks", event);
            let ReferenceOr::Item(item) = item else {
                self.unsupported(
                    &pointer,
                    None,
                    "a $ref'd webhook is not supported; the event is kept untyped".into(),
                )?;
                continue;
            };
            let Some((method, op)) = item.iter().next() else {
                continue;
            };
            let op_pointer = pointer_push(&pointer, method);
            let body = match &op.request_body {
                Some(b) => {
                    Some(self.resolve_request_body(b, &pointer_push(&op_pointer, "requestBody"))?)
                }
                None => None,
            };
            let mut ty = None;
            if let Some((media, m)) = body.and_then(|b| json_media(&b.content)) {
                if let Some(schema) = &m.schema {
                    let ctx = Ctx {
                        candidate: format!("{} event", naming::type_name(event, "webhook")),
                        pointer: pointer_push(
                            &pointer_push(
                                &pointer_push(&pointer_push(&op_pointer, "requestBody"), "content"),
                                media,
                            ),
                            "schema",
                        ),
                    };
                    let lowered = self.schema_ty(schema, &ctx)?;
                    let docs = format!("The body of the `{event}` event ([`webhooks::Event`](crate::webhooks::Event)).");
                    self.fill_docs(&lowered, Some(&docs));
                    ty = Some(lowered);
                }
            }
            events.push(Webhook {
                event: event.clone(),
                variant: variants.claim(&naming::variant_name(event)),
                ty,
                docs: body
                    .and_then(|b| b.description.as_deref())
                    .or(op.summary.as_deref())
                    .map(docs::to_rustdoc),
            });
        }
        Ok(events)
    }

    fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        let reserved = crate::runtime::reserved();
        let mut methods = Scope::with_reserved(
            reserved
                .client_methods
                .iter()
                .map(String::as_str)
                .chain(CLIENT_TRAIT_METHODS.iter().copied())
                .chain(crate::security::constructor_names(&self.auth)),
        );
        let mut builders = Scope::with_reserved(
            reserved
                .items
                .iter()
                .map(String::as_str)
                .chain(PRELUDE_NAMES.iter().copied()),
        );
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = pointer_push("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.unsupported(
                        &path_pointer,
                        None,
                        "a $ref'd path item is not supported; the path is skipped".into(),
                    )?;
                    continue;
                }
            };
            for (key, op) in item.iter() {
                let Some(method) = Method::from_key(key) else {
                    continue;
                };
                let pointer = pointer_push(&path_pointer, key);
                let operation_id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", key, path.replace(['{', '}'], " ")));
                let method_name = match self.config.rename.operations.get(&operation_id) {
                    Some(name) => {
                        if naming::snake_name(name, "") != *name {
                            return Err(Error::at(self.file, "", format!("the config renames operation `{operation_id}` to `{name}`, which is not a snake_case identifier")));
                        }
                        methods.claim(name)
                    }
                    None => methods.claim(&naming::snake_name(&operation_id, "operation")),
                };
                let builder_name = builders.claim(&format!(
                    "{}Request",
                    naming::type_name(method_name.trim_start_matches("r#"), "operation")
                ));
                match self.lower_operation(
                    path,
                    method,
                    op,
                    &item.parameters,
                    &pointer,
                    &operation_id,
                    method_name,
                    builder_name,
                    &mut builders,
                )? {
                    Some(op) => operations.push(op),
                    None => continue,
                }
            }
        }
        Ok(operations)
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        pointer: &str,
        operation_id: &str,
        method_name: String,
        builder_name: String,
        builders: &mut Scope,
    ) -> Result<Option<Operation>, Error> {
        let op_ctx = Ctx {
            candidate: naming::type_name(method_name.trim_start_matches("r#"), "operation"),
            pointer: pointer.to_string(),
        };
        let in_op = |e: Error| e.in_operation(operation_id);

        // Parameters: the path item's, overridden by the operation's with the same name and place.
        let mut raw_params: Vec<(&Parameter, String)> = Vec::new();
        let path_item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        for (i, p) in shared_params.iter().enumerate() {
            let ptr = pointer_push(
                &pointer_push(path_item_pointer, "parameters"),
                &i.to_string(),
            );
            raw_params.push((self.resolve_parameter(p, &ptr).map_err(in_op)?, ptr));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = pointer_push(&pointer_push(pointer, "parameters"), &i.to_string());
            let param = self.resolve_parameter(p, &ptr).map_err(in_op)?;
            let data = param.parameter_data_ref();
            raw_params.retain(|(q, _)| {
                let qd = q.parameter_data_ref();
                !(qd.name == data.name
                    && std::mem::discriminant(*q) == std::mem::discriminant(param))
            });
            raw_params.push((param, ptr));
        }

        let mut names = Scope::with_reserved(BUILDER_METHODS.iter().copied());
        let mut params = Vec::new();
        // Path parameters first, in the order the template uses them.
        let template_names = template_params(path);
        raw_params.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => template_names
                .iter()
                .position(|n| *n == parameter_data.name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        for (param, ptr) in raw_params {
            let location = match param {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => Location::Cookie,
            };
            let data = param.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    let message = format!("parameter `{}` uses `content` instead of `schema`; the operation is skipped", data.name);
                    self.unsupported(&ptr, Some(operation_id), message)?;
                    return Ok(None);
                }
            };
            let ctx = Ctx {
                candidate: data.name.clone(),
                pointer: pointer_push(&ptr, "schema"),
            };
            let ty = self.schema_ty(schema, &ctx).map_err(in_op)?;
            self.fill_docs(&ty, data.description.as_deref());
            let resolved = self.resolve_schema(schema, &ctx.pointer).map_err(in_op)?;
            params.push(Param {
                name: names.claim(&naming::snake_name(&data.name, "param")),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == Location::Path,
                docs: data.description.as_deref().map(docs::to_rustdoc),
                constraints: constraints(resolved),
                style: query_style(param),
            });
        }

        // A template parameter the spec forgot to define is read as a required string.
        for name in template_params(path) {
            if !params
                .iter()
                .any(|p| p.location == Location::Path && p.wire == name)
            {
                let message = format!("the path uses `{{{name}}}` but no path parameter of that name is defined; it is taken as a required string");
                self.unsupported(pointer, Some(operation_id), message)
                    .map_err(|e| {
                        e.hint("add the parameter with `in: path`, or fix the path template")
                    })?;
                let at = params
                    .iter()
                    .take_while(|p| p.location == Location::Path)
                    .count();
                params.insert(
                    at,
                    Param {
                        name: names.claim(&naming::snake_name(name, "param")),
                        wire: name.to_string(),
                        location: Location::Path,
                        ty: Ty::String,
                        required: true,
                        docs: None,
                        constraints: Constraints::default(),
                        style: QueryStyle::Form { explode: true },
                    },
                );
            }
        }

        let mut segments = Vec::new();
        for part in split_template(path) {
            match part {
                TemplatePart::Literal(text) => {
                    segments.push(PathSegment::Literal(text.to_string()))
                }
                TemplatePart::Param(name) => {
                    let index = params
                        .iter()
                        .position(|p| p.location == Location::Path && p.wire == name)
                        .ok_or_else(|| {
                            self.err(pointer, format!("the path uses `{{{name}}}` but no path parameter of that name is defined"))
                                .in_operation(operation_id)
                                .hint("add the parameter with `in: path`, or fix the path template")
                        })?;
                    segments.push(PathSegment::Param(index));
                }
            }
        }

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let ptr = pointer_push(pointer, "requestBody");
                let body = self.resolve_request_body(body, &ptr).map_err(in_op)?;
                match body_media(&body.content) {
                    Some((media, m, kind)) => {
                        if body.content.len() > 1 {
                            let others: Vec<&str> = body
                                .content
                                .keys()
                                .map(String::as_str)
                                .filter(|k| *k != media)
                                .collect();
                            // Another JSON media type takes the same body: only the header differs.
                            let same_body: Vec<&str> = others
                                .iter()
                                .copied()
                                .filter(|k| {
                                    kind == BodyKind::Json
                                        && is_json_media(k)
                                        && body.content.get(*k).map(|o| &o.schema)
                                            == Some(&m.schema)
                                })
                                .collect();
                            let choose = match same_body.first() {
                                Some(other) => format!("; to send the same body as `{other}`, set that `Content-Type` with `RequestOptions::header`"),
                                None => String::new(),
                            };
                            self.skipped.push(Warning {
                                pointer: ptr.clone(),
                                message: format!("the body can be sent as several media types; the client sends `{media}` (not {}){choose}", others.join(", ")),
                            });
                        }
                        let ctx = op_ctx.child("body", "requestBody");
                        let ctx = Ctx {
                            pointer: pointer_push(&pointer_push(&ctx.pointer, "content"), media),
                            ..ctx
                        }
                        .child_pointer("schema");
                        let ty = match (kind, &m.schema) {
                            (BodyKind::Bytes, _) => Ty::Bytes,
                            (BodyKind::Text, _) => Ty::String,
                            (BodyKind::Multipart, Some(s)) => {
                                self.binary_as_file = true;
                                let ty = self.schema_ty(s, &ctx);
                                self.binary_as_file = false;
                                ty.map_err(in_op)?
                            }
                            (_, Some(s)) => self.schema_ty(s, &ctx).map_err(in_op)?,
                            (_, None) => Ty::Json,
                        };
                        let is_struct = matches!(self.resolve_ty(&ty), Ty::Named(id) if matches!(self.types[*id].kind, Some(TypeKind::Struct { .. })));
                        // A form can carry any object, a map included; multipart parts come from a struct's fields.
                        let is_map = matches!(self.resolve_ty(&ty), Ty::Map(_));
                        if (kind == BodyKind::Multipart && !is_struct)
                            || (kind == BodyKind::Form && !is_struct && !is_map)
                        {
                            let message = format!("a `{media}` body whose schema is not an object with properties is not supported; the operation is skipped");
                            self.unsupported(&ptr, Some(operation_id), message)?;
                            return Ok(None);
                        }
                        let encoding = m
                            .encoding
                            .iter()
                            .map(|(property, e)| {
                                let style = e.style.as_ref().map(|style| match style {
                                    openapiv3::QueryStyle::Form => {
                                        QueryStyle::Form { explode: e.explode }
                                    }
                                    openapiv3::QueryStyle::SpaceDelimited => {
                                        QueryStyle::SpaceDelimited
                                    }
                                    openapiv3::QueryStyle::PipeDelimited => {
                                        QueryStyle::PipeDelimited
                                    }
                                    openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                                });
                                (property.clone(), e.content_type.clone(), style)
                            })
                            .collect();
                        Some(Body {
                            ty,
                            kind,
                            media: media.to_string(),
                            encoding,
                            required: body.required,
                            docs: body.description.as_deref().map(docs::to_rustdoc),
                        })
                    }
                    None => None,
                }
            }
        };

        let mut response = Response::Empty;
        let mut errors = Vec::new();
        let mut success: Vec<(u16, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        // Error statuses whose body may have a schema: (status as the spec writes it, response).
        let mut error_responses: Vec<(String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        for (status, resp) in &op.responses.responses {
            match status {
                StatusCode::Code(code @ 200..=299) => success.push((*code, resp)),
                StatusCode::Range(2) => success.push((299, resp)),
                StatusCode::Code(code) => {
                    let ptr = pointer_push(&pointer_push(pointer, "responses"), &code.to_string());
                    let resp_item = self.resolve_response(resp, &ptr).map_err(in_op)?;
                    errors.push((*code, docs::to_plain_line(&resp_item.description)));
                    if *code >= 400 {
                        error_responses.push((code.to_string(), resp));
                    }
                }
                StatusCode::Range(range @ (4 | 5)) => {
                    error_responses.push((format!("{range}XX"), resp))
                }
                StatusCode::Range(_) => {}
            }
        }
        success.sort_by_key(|(code, _)| *code);
        // With no 2xx response, `default` is what a successful call returns; otherwise it
        // describes the errors.
        if success.is_empty() {
            if let Some(default) = &op.responses.default {
                success.push((0, default));
            }
        } else if let Some(default) = &op.responses.default {
            error_responses.push(("default".to_string(), default));
        }
        let mut error_bodies = Vec::new();
        for (status, resp) in error_responses {
            let ptr = pointer_push(&pointer_push(pointer, "responses"), &status);
            let resp = self.resolve_response(resp, &ptr).map_err(in_op)?;
            let Some((media, m)) = json_media(&resp.content) else {
                continue;
            };
            let Some(schema) = &m.schema else {
                continue;
            };
            let ctx = Ctx {
                candidate: format!("{} error {status}", op_ctx.candidate),
                pointer: pointer_push(
                    &pointer_push(&pointer_push(&ptr, "content"), media),
                    "schema",
                ),
            };
            let ty = self.schema_ty(schema, &ctx).map_err(in_op)?;
            let docs = format!(
                "Error response of [`Client::{0}`](crate::Client::{0}); decode it with [`ApiError::json`](crate::ApiError::json).",
                method_name.trim_start_matches("r#")
            );
            self.fill_docs(&ty, Some(&docs));
            error_bodies.push((status, ty));
        }
        // Each success status's body; several different ones make an enum of them.
        let mut bodies: Vec<(u16, Response)> = Vec::new();
        for (code, resp) in &success {
            let status_token = match *code {
                0 => "default".to_string(),
                299 => "2XX".to_string(),
                code => code.to_string(),
            };
            let ptr = pointer_push(&pointer_push(pointer, "responses"), &status_token);
            let resp = self.resolve_response(resp, &ptr).map_err(in_op)?;
            let body = match json_media(&resp.content) {
                Some((media, m)) => {
                    let suffix = if success.len() > 1 {
                        format!(" {status_token}")
                    } else {
                        String::new()
                    };
                    let ctx = Ctx {
                        candidate: format!("{} response{suffix}", op_ctx.candidate),
                        pointer: pointer_push(
                            &pointer_push(&pointer_push(&ptr, "content"), media),
                            "schema",
                        ),
                    };
                    match &m.schema {
                        Some(s) => {
                            let ty = self.schema_ty(s, &ctx).map_err(in_op)?;
                            let docs = format!(
                                "Successful response of [`Client::{0}`](crate::Client::{0}).",
                                method_name.trim_start_matches("r#")
                            );
                            self.fill_docs(&ty, Some(&docs));
                            Response::Json(ty)
                        }
                        None => Response::Json(Ty::Json),
                    }
                }
                None if resp.content.is_empty() => Response::Empty,
                None if resp.content.keys().all(|k| k.starts_with("text/")) => Response::Text,
                None => Response::Bytes,
            };
            bodies.push((*code, body));
        }
        let distinct = bodies.iter().skip(1).any(|(_, b)| *b != bodies[0].1);
        if distinct && bodies.iter().all(|(code, _)| (200..299).contains(code)) {
            let name = builders.claim(&format!(
                "{}Response",
                naming::type_name(method_name.trim_start_matches("r#"), "operation")
            ));
            response = Response::ByStatus { name, bodies };
        } else if let Some((_, body)) = bodies.into_iter().next() {
            response = body;
        }

        let scopes = op
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.values().flatten().cloned())
            .fold(Vec::new(), |mut acc: Vec<String>, s| {
                if !acc.contains(&s) {
                    acc.push(s);
                }
                acc
            });

        let pagination = self.pagination(operation_id, &params, &response);
        let security = crate::security::requirement(&self.auth, self.spec, op.security.as_ref());

        Ok(Some(Operation {
            operation_id: operation_id.to_string(),
            method_name,
            builder_name,
            method,
            path: path.to_string(),
            segments,
            params,
            body,
            response,
            summary: op.summary.clone(),
            description: op.description.as_deref().map(docs::to_rustdoc),
            scopes,
            security,
            errors,
            error_bodies,
            deprecated: op.deprecated,
            pagination,
            pointer: pointer.to_string(),
            tags: op.tags.clone(),
            feature: None,
        }))
    }

    /// Recognises token pagination (see [`crate::config::PaginationConfig`]).
    fn pagination(
        &self,
        operation_id: &str,
        params: &[Param],
        response: &Response,
    ) -> Option<Pagination> {
        let config = &self.config.pagination;
        if config.exclude.iter().any(|id| id == operation_id) {
            return None;
        }
        let token_param = params.iter().find(|p| {
            p.location == Location::Query
                && !p.required
                && p.wire == config.token_param
                && self.resolve_ty(&p.ty) == &Ty::String
        })?;
        let Response::Json(Ty::Named(id)) = response else {
            return None;
        };
        let Some(TypeKind::Struct { fields }) = &self.types[*id].kind else {
            return None;
        };
        let token = fields
            .iter()
            .find(|f| f.wire == config.token_field && self.resolve_ty(&f.ty) == &Ty::String)?;
        let arrays: Vec<&Field> = fields
            .iter()
            .filter(|f| matches!(self.resolve_ty(&f.ty), Ty::Vec(_)))
            .collect();
        let items = match config.items.get(operation_id) {
            Some(name) => arrays.iter().find(|f| f.wire == *name).copied()?,
            None if arrays.len() == 1 => arrays[0],
            None => return None,
        };
        let Ty::Vec(item_ty) = self.resolve_ty(&items.ty) else {
            return None;
        };
        Some(Pagination {
            token_param: token_param.name.clone(),
            token_field: token.name.clone(),
            token_field_optional: !token.required || token.nullable,
            items_field: items.name.clone(),
            items_optional: !items.required || items.nullable,
            item_ty: (**item_ty).clone(),
        })
    }

    /// Follows aliases among the types collected so far.
    fn resolve_ty<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        let mut current = ty;
        for _ in 0..64 {
            match current {
                Ty::Named(id) => match &self.types[*id].kind {
                    Some(TypeKind::Alias(inner)) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Gives an inline type that has no description of its own the docs of where it is used.
    fn fill_docs(&mut self, ty: &Ty, docs: Option<&str>) {
        if let (Ty::Named(id), Some(text)) = (ty, docs) {
            let t = &mut self.types[*id];
            if t.docs.is_none() && !t.is_component {
                t.docs = Some(docs::to_rustdoc(text)).filter(|d| !d.is_empty());
            }
        }
    }

    fn resolve_parameter(
        &self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<&'a Parameter, Error> {
        self.resolver()
            .component(p, pointer, "parameters", |c| &c.parameters)
    }

    fn resolve_request_body(
        &self,
        b: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Result<&'a RequestBody, Error> {
        self.resolver()
            .component(b, pointer, "requestBodies", |c| &c.request_bodies)
    }

    fn resolve_response(
        &self,
        r: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Result<&'a openapiv3::Response, Error> {
        self.resolver()
            .component(r, pointer, "responses", |c| &c.responses)
    }

    /// Decides every type's name and produces the finished model.
    fn finish(self, operations: Vec<Operation>) -> Result<Api, Error> {
        let names = self.assign_names()?;
        let types = self
            .types
            .into_iter()
            .zip(names)
            .map(|(t, name)| TypeDef {
                name,
                docs: t.docs,
                kind: t.kind.unwrap_or(TypeKind::Alias(Ty::Json)),
                pointers: t.pointers,
                features: Vec::new(),
            })
            .collect();
        let info = &self.spec.info;
        Ok(Api {
            title: info.title.clone(),
            description: info.description.as_deref().map(docs::to_rustdoc),
            version: info.version.clone(),
            types,
            operations,
            skipped: self.skipped,
            features: Vec::new(),
            auth: self.auth,
            vendor: self.config.profile.vendor,
            webhooks: Vec::new(),
            base_url: self
                .config
                .client
                .base_url
                .clone()
                .or_else(|| self.spec.servers.first().map(|s| s.url.clone())),
        })
    }

    fn assign_names(&self) -> Result<Vec<String>, Error> {
        let reserved = crate::runtime::reserved();
        let mut scope = Scope::with_reserved(
            reserved
                .public_types
                .iter()
                .map(String::as_str)
                .chain(PRELUDE_NAMES.iter().copied()),
        );
        let mut names: Vec<Option<String>> = vec![None; self.types.len()];
        let mut used_renames = std::collections::BTreeSet::new();
        // 1. Renames from the config win.
        for (id, t) in self.types.iter().enumerate() {
            let Some((pointer, name)) = t
                .pointers
                .iter()
                .find_map(|p| self.config.rename.types.get_key_value(p))
            else {
                continue;
            };
            used_renames.insert(pointer.clone());
            if naming::type_name(name, "") != *name {
                return Err(Error::at(self.file, pointer.clone(), format!("the config renames this schema to `{name}`, which is not an UpperCamelCase identifier")));
            }
            let claimed = scope.claim(name);
            if claimed != *name {
                return Err(Error::at(self.file, pointer.clone(), format!("the config renames this schema to `{name}`, but that name is already taken")).hint("pick another name in the config"));
            }
            names[id] = Some(claimed);
        }
        if let Some(unused) = self
            .config
            .rename
            .types
            .keys()
            .find(|p| !used_renames.contains(*p))
        {
            return Err(Error::at(self.file, unused.clone(), "the config renames a schema at this JSON pointer, but no type is generated from it")
                .hint("fix the pointer in the config (it must point at the schema itself, e.g. …/content/application~1json/schema)"));
        }
        // Every operationId the config names must exist, or a typo would silently do nothing.
        let known = |id: &str| {
            self.spec.paths.paths.values().any(|item| match item {
                ReferenceOr::Item(item) => item
                    .iter()
                    .any(|(_, op)| op.operation_id.as_deref() == Some(id)),
                ReferenceOr::Reference { .. } => false,
            })
        };
        let pagination = &self.config.pagination;
        let named = [
            (
                "[rename.operations]",
                self.config.rename.operations.keys().collect::<Vec<_>>(),
            ),
            ("[pagination.items]", pagination.items.keys().collect()),
            ("[pagination] exclude", pagination.exclude.iter().collect()),
        ];
        for (section, ids) in named {
            if let Some(id) = ids.into_iter().find(|id| !known(id)) {
                return Err(Error::at(self.file, "/paths", format!("the config's {section} names operation `{id}`, but the spec has no operation with that operationId"))
                    .hint("use the operationId exactly as the spec spells it"));
            }
        }
        // 2. Component names, then inline names in the order they were met.
        for pass_components in [true, false] {
            for (id, t) in self.types.iter().enumerate() {
                if names[id].is_none() && t.is_component == pass_components {
                    names[id] = Some(scope.claim(&naming::type_name(&t.candidate, "Type")));
                }
            }
        }
        Ok(names.into_iter().map(Option::unwrap_or_default).collect())
    }
}

impl Ctx {
    fn child_pointer(mut self, token: &str) -> Ctx {
        self.pointer = pointer_push(&self.pointer, token);
        self
    }
}

/// Follows `$ref`s into `#/components`. Borrows only the spec, so what it returns outlives any
/// borrow of the [`Lowerer`].
#[derive(Clone, Copy)]
struct Resolver<'a> {
    spec: &'a OpenAPI,
    file: &'a Path,
}

impl<'a> Resolver<'a> {
    fn component<T>(
        self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'a T, Error> {
        let mut current = item;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(t) => return Ok(t),
                ReferenceOr::Reference { reference } => {
                    let name = self.component_name(reference, kind, pointer)?;
                    current = self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| pick(c).get(name))
                        .ok_or_else(|| self.dangling(reference, pointer))?;
                }
            }
        }
        Err(Error::at(self.file, pointer, "a chain of $refs loops"))
    }

    fn component_name<'r>(
        self,
        reference: &'r str,
        kind: &str,
        pointer: &str,
    ) -> Result<&'r str, Error> {
        let prefix = format!("#/components/{kind}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.contains('/') => Ok(name),
            _ if !reference.starts_with('#') => Err(Error::at(
                self.file,
                pointer,
                format!("external $ref `{reference}` is not supported"),
            )
            .hint("bundle the spec into one file first (e.g. `redocly bundle`)")),
            _ => Err(Error::at(
                self.file,
                pointer,
                format!("$ref `{reference}` does not point into #/components/{kind}"),
            )),
        }
    }

    fn dangling(self, reference: &str, pointer: &str) -> Error {
        Error::at(
            self.file,
            pointer,
            format!("$ref `{reference}` points at nothing"),
        )
        .hint("define the component, or fix the reference")
    }
}

/// The `style`/`explode` of a query parameter (form with explode, the default, for the others).
fn query_style(param: &Parameter) -> QueryStyle {
    match param {
        Parameter::Query {
            style,
            parameter_data,
            ..
        } => match style {
            openapiv3::QueryStyle::Form => QueryStyle::Form {
                explode: parameter_data.explode.unwrap_or(true),
            },
            openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
            openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
            openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
        },
        _ => QueryStyle::Form { explode: true },
    }
}

/// An alternative that only allows `null` (3.1's `{type: "null"}` after normalization).
fn is_null_only(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => {
            s.schema_data.nullable
                && matches!(&s.schema_kind, SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() && any.one_of.is_empty() && any.any_of.is_empty() && any.all_of.is_empty())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
    }
}

fn schema_docs(schema: &Schema) -> Option<String> {
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

fn enum_kind(values: &[String], default: Option<&str>) -> TypeKind {
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

fn constraints(schema: &Schema) -> Constraints {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => Constraints {
            minimum: i.minimum.map(|v| v as f64),
            exclusive_minimum: i.exclusive_minimum,
            maximum: i.maximum.map(|v| v as f64),
            exclusive_maximum: i.exclusive_maximum,
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(n)) => Constraints {
            minimum: n.minimum,
            exclusive_minimum: n.exclusive_minimum,
            maximum: n.maximum,
            exclusive_maximum: n.exclusive_maximum,
            ..Constraints::default()
        },
        SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => Constraints {
            min_length: s.min_length,
            max_length: s.max_length,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// The media type a request body is sent as, in order of preference: JSON, form, multipart, then
/// text (`text/*`) and anything else as raw bytes.
fn body_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType, BodyKind)> {
    if let Some((media, m)) = json_media(content) {
        return Some((media, m, BodyKind::Json));
    }
    let essence = |k: &str| {
        k.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let find = |wanted: &str| content.iter().find(|(k, _)| essence(k) == wanted);
    if let Some((k, m)) = find("application/x-www-form-urlencoded") {
        return Some((k.as_str(), m, BodyKind::Form));
    }
    if let Some((k, m)) = find("multipart/form-data") {
        return Some((k.as_str(), m, BodyKind::Multipart));
    }
    let (k, m) = content.iter().next()?;
    let kind = if essence(k).starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    };
    Some((k.as_str(), m, kind))
}

/// The JSON media type of a content map: `application/json`, or any `…/…+json` or `…json`.
fn json_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| {
            content.iter().find(|(k, _)| {
                is_json_media(k) || k.split(';').next().unwrap_or("").trim() == "*/*"
            })
        })
        .map(|(k, v)| (k.as_str(), v))
}

/// `…/json` or `…/…+json` (parameters after `;` ignored).
fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.ends_with("+json") || essence.ends_with("/json")
}

enum TemplatePart<'a> {
    Literal(&'a str),
    Param(&'a str),
}

fn split_template(path: &str) -> Vec<TemplatePart<'_>> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            parts.push(TemplatePart::Literal(&rest[..open]));
        }
        parts.push(TemplatePart::Param(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest));
    }
    parts
}

fn template_params(path: &str) -> Vec<&str> {
    split_template(path)
        .into_iter()
        .filter_map(|p| match p {
            TemplatePart::Param(name) => Some(name),
            TemplatePart::Literal(_) => None,
        })
        .collect()
}
