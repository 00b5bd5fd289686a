//! Stage 2, lower: an `openapiv3` document into the generator's model ([`crate::model`]).
//!
//! - Input: the [`crate::load::LoadedSpec`]'s document and webhooks, and the [`Config`].
//! - Output: a [`crate::model::Api`] in which every Rust name is final.
//! - May not: produce tokens or text, or read files; what it cannot lower is skipped with a
//!   warning that names its pointer (or refused in strict mode).
//!
//! Types are collected first with *candidate* names taken from their context (component name,
//! operation + property, parameter name); inline string enums of properties and parameters of one
//! name that share a value become one type with the union of their values, and other identical
//! inline enums one type ([`Lowerer::shared_enum`]). Names are decided in one pass at the end ([`Lowerer::assign_names`]): config renames
//! first, then component names, then inline names in the order they were met.
//!
//! `impl Lowerer` is split by concern: [`schemas`] and [`composition`] (types), [`resolve`]
//! (`$ref`s), [`operations`] with [`parameters`], [`bodies`], [`responses`] and [`pagination`],
//! [`webhooks`]; [`path_template`] parses paths. Security schemes are lowered first, in
//! [`security`]; [`features`] gates operations by tag at the end.

use crate::config::Config;
use crate::docs;
use crate::error::pointer_push;
use crate::model::*;
use crate::naming::{self, Scope};
use crate::{Error, Warning};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, Type,
};
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) mod auth;
mod bodies;
pub(crate) mod features;
mod servers;
mod tags;
pub use bodies::{essence, is_json_media};
mod composition;
mod dedup;
mod families;
mod operations;
mod pagination;
mod parameters;
mod path_template;
mod resolve;
mod responses;
mod schemas;
mod webhooks;

use operations::*;
use path_template::*;
use responses::*;
use schemas::*;

/// Prelude names that generated builders and types must not shadow. Everything the runtime
/// defines is reserved too, read from its source ([`crate::runtime_source::reserved`]).
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
    // The mock's `When` of the operation (feature `mock`) has it beside the parameters.
    "into_inner",
];

/// Trait methods every `Client` has; operations must not take them either.
const CLIENT_TRAIT_METHODS: &[&str] = &["clone", "fmt"];

struct PendingType {
    candidate: String,
    /// The candidate with its owner's name before it (`ctx.qualifier`), taken instead when the
    /// candidate alone would name more than one type.
    qualified: Option<String>,
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
    /// What the candidate belongs to when the candidate alone is likely to be shared: the
    /// operation, for a parameter's schema (`type`, `status` and `sort` parameters take
    /// different values in different operations). Kept by children.
    qualifier: Option<String>,
    pointer: String,
}

impl Ctx {
    fn child(&self, name_part: &str, pointer_token: &str) -> Ctx {
        Ctx {
            candidate: format!("{} {}", self.candidate, name_part),
            qualifier: self.qualifier.clone(),
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
    /// Inline string enums outside a property or parameter, by their values.
    enums: BTreeMap<Vec<String>, TypeId>,
    /// Inline string enums of a property or parameter, by its name (see `shared_enum`).
    enum_families: BTreeMap<String, Vec<TypeId>>,
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
        enum_families: BTreeMap::new(),
        skipped: Vec::new(),
        depth: 0,
        merging: Vec::new(),
        binary_as_file: false,
        auth: Auth::default(),
    };
    l.auth = auth::lower_auth(spec, file, config, &mut l.skipped)?;
    l.register_components();
    l.lower_components()?;
    let operations = l.lower_operations()?;
    let events = l.lower_webhooks(webhooks)?;
    l.no_alias_loops()?;
    let mut api = l.finish(operations)?;
    api.webhooks = events;
    tags::const_tags_discriminate(&mut api);
    dedup::alias_duplicates(&mut api);
    families::join_families(&mut api);
    // Joined structs may now equal others exactly.
    dedup::alias_duplicates(&mut api);
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
            qualified: ctx
                .qualifier
                .as_ref()
                .map(|owner| format!("{owner} {}", ctx.candidate)),
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
                qualifier: None,
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
                qualifier: None,
                pointer: pointer_push("/components/schemas", name),
            };
            let (kind, docs) = match schema {
                ReferenceOr::Reference { .. } => {
                    (TypeKind::Alias(self.schema_ty(schema, &ctx)?), None)
                }
                ReferenceOr::Item(s) => {
                    let docs = schema_docs(s);
                    if let Some(ty) = self.replacement(s, &ctx.pointer)? {
                        self.types[id].kind = Some(TypeKind::Alias(ty));
                        self.types[id].docs = docs;
                        continue;
                    }
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

    /// Schemas that are only `$ref`s to each other (`A: {$ref: B}`, `B: {$ref: A}`, or one to
    /// itself) describe no value; as type aliases they would not compile.
    fn no_alias_loops(&self) -> Result<(), Error> {
        for start in 0..self.types.len() {
            let mut seen = vec![start];
            let mut current = start;
            while let Some(TypeKind::Alias(Ty::Named(next))) = &self.types[current].kind {
                if *next == start {
                    let pointers: Vec<&str> = seen
                        .iter()
                        .filter_map(|id| self.types[*id].pointers.first().map(String::as_str))
                        .collect();
                    let pointer = pointers.first().copied().unwrap_or("");
                    return Err(self
                        .err(
                            pointer,
                            format!(
                                "the schema is only a `$ref` that leads back to itself ({}); it describes no value",
                                pointers.join(" → ")
                            ),
                        )
                        .hint("give one of these schemas a type, or point the `$ref` at the schema meant"));
                }
                if seen.contains(next) {
                    break;
                }
                seen.push(*next);
                current = *next;
            }
        }
        Ok(())
    }

    /// An operation's (or an event's) type so deeply nested that clippy's `type_complexity`
    /// would flag the signatures that spell it (a list of lists of maps of lists, say) becomes
    /// a named alias, `ctx`'s candidate, as clippy advises and a careful author would write.
    /// Simpler types, and types already named, are returned as they are.
    /// `docs` are the alias's rustdoc where the caller has none better to give it later
    /// ([`Lowerer::fill_docs`]).
    fn named_if_complex(&mut self, ty: Ty, ctx: &Ctx, docs: Option<String>) -> Ty {
        if ty.complexity(SIGNATURE_NEST) <= TOO_COMPLEX {
            return ty;
        }
        let id = self.new_type(ctx, false, docs);
        self.types[id].kind = Some(TypeKind::Alias(ty));
        Ty::Named(id)
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

    /// Decides every type's name and produces the finished model.
    fn finish(mut self, operations: Vec<Operation>) -> Result<Api, Error> {
        let (names, stale) = self.assign_names()?;
        self.skipped.extend(stale);
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
        let (base_url, servers) = servers::servers(
            self.spec,
            self.config.client.base_url.as_deref(),
            &self.auth,
        );
        Ok(Api {
            title: info.title.clone(),
            description: info.description.as_deref().map(docs::to_rustdoc),
            summary: info
                .extensions
                .get("x-summary")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            license: info.license.as_ref().map(|l| {
                let identifier = l.extensions.get("x-identifier").and_then(|v| v.as_str());
                match (identifier, &l.url) {
                    (Some(id), _) => format!("{} (SPDX: `{id}`)", l.name),
                    (None, Some(url)) => format!("[{}]({url})", l.name),
                    (None, None) => l.name.clone(),
                }
            }),
            version: info.version.clone(),
            types,
            operations,
            skipped: self.skipped,
            features: Vec::new(),
            auth: self.auth,
            vendor: self.config.profile.vendor,
            webhooks: Vec::new(),
            base_url,
            servers,
            shared_runtime: self.config.runtime.clone(),
        })
    }

    /// Every type's name, and (with [`Config::stale_entries_warn`]) a warning for each config
    /// entry that names nothing in the spec.
    fn assign_names(&self) -> Result<(Vec<String>, Vec<Warning>), Error> {
        let mut stale = Vec::new();
        let reserved = crate::runtime_source::reserved();
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
        for unused in self
            .config
            .rename
            .types
            .keys()
            .filter(|p| !used_renames.contains(*p))
        {
            let message = "the config renames a schema at this JSON pointer, but no type is generated from it";
            if self.config.stale_entries_warn {
                stale.push(Warning {
                    pointer: unused.clone(),
                    message: format!("{message}: the entry in [rename.types] is stale"),
                });
                continue;
            }
            return Err(Error::at(self.file, unused.clone(), message)
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
            (
                "[pagination] link_header",
                pagination.link_header.iter().collect(),
            ),
        ];
        for (section, ids) in named {
            for id in ids.into_iter().filter(|id| !known(id)) {
                let message = format!("the config's {section} names operation `{id}`, but the spec has no operation with that operationId");
                if self.config.stale_entries_warn {
                    stale.push(Warning {
                        pointer: "/paths".to_string(),
                        message: format!("{message}: the entry is stale"),
                    });
                    continue;
                }
                return Err(Error::at(self.file, "/paths", message)
                    .hint("use the operationId exactly as the spec spells it"));
            }
        }
        // 2. Component names, then inline names in the order they were met.
        for (id, t) in self.types.iter().enumerate() {
            if names[id].is_none() && t.is_component {
                names[id] = Some(scope.claim(&naming::type_name(&t.candidate, "Type")));
            }
        }
        self.name_inline_types(&mut names, &mut scope);
        Ok((
            names.into_iter().map(Option::unwrap_or_default).collect(),
            stale,
        ))
    }
}

impl Lowerer<'_> {
    /// Names the inline types, in the order they were met. Where several would take one name,
    /// or the name is taken, a type that has a qualified name (a parameter's, with its
    /// operation's) takes that instead: `ListUsersType` and `ListGroupsType`, not `Type` and
    /// `Type2`, and no name that depends on which operation came first. Types of one shape
    /// (the later ones become aliases of the first) leave the first its plain name.
    fn name_inline_types(&self, names: &mut [Option<String>], scope: &mut Scope) {
        let plain = |id: usize| naming::type_name(&self.types[id].candidate, "Type");
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for id in (0..self.types.len()).filter(|&id| names[id].is_none()) {
            groups.entry(plain(id).to_lowercase()).or_default().push(id);
        }
        let identity: Vec<TypeId> = (0..self.types.len()).collect();
        let shape = |id: usize| {
            let kind = self.types[id].kind.as_ref()?;
            dedup::shape(kind, &identity)
        };
        let mut keeps_plain = vec![false; self.types.len()];
        for ids in groups.values() {
            let first = shape(ids[0]);
            let one_shape = first.is_some() && ids[1..].iter().all(|&id| shape(id) == first);
            if (ids.len() == 1 || one_shape) && !scope.is_taken(&plain(ids[0])) {
                keeps_plain[ids[0]] = true;
            }
        }
        for id in 0..self.types.len() {
            if names[id].is_some() {
                continue;
            }
            let name = match &self.types[id].qualified {
                Some(qualified) if !keeps_plain[id] => naming::type_name(qualified, "Type"),
                _ => plain(id),
            };
            names[id] = Some(scope.claim(&name));
        }
    }
}

impl Ctx {
    fn child_pointer(mut self, token: &str) -> Ctx {
        self.pointer = pointer_push(&self.pointer, token);
        self
    }
}
