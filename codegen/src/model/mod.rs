//! The generator's own small model of an API: named types and operations, with every Rust name
//! already decided. The lowering stage builds it from the spec; the emit stage only reads it.
//!
//! This file holds the API and its types; `auth.rs` how a client authenticates, and
//! `operation.rs` the operations with their parameters, bodies, responses and pagination.

mod auth;
mod operation;

pub use auth::*;
pub use operation::*;

/// One of the spec's `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template, `{name}` for each variable.
    pub url: String,
    /// Its variant of the `Server` enum.
    pub variant: String,
    /// `description`, as rustdoc.
    pub docs: Option<String>,
    /// Its variables, in the spec's order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Its `ClientBuilder` method.
    pub method: String,
    /// Its name in the URL template.
    pub wire: String,
    /// `default`.
    pub default: String,
    /// The values `enum` lists; empty: any text.
    pub values: Vec<String>,
    /// With `values`, the enum's type name (in the `servers` module) and variant names.
    pub enum_type: Option<(String, Vec<String>)>,
    /// `description`, as rustdoc.
    pub docs: Option<String>,
}

/// Index of a type in [`Api::types`].
pub type TypeId = usize;

/// Everything the emit stage needs to write a client crate.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`, as rustdoc.
    pub description: Option<String>,
    /// `info.summary` (OpenAPI 3.1).
    pub summary: Option<String>,
    /// `info.license`: its name, with its SPDX identifier (3.1) or URL where given.
    pub license: Option<String>,
    /// `info.version`.
    pub version: String,
    /// Named types, in a deterministic order (components first, then inline types as met).
    pub types: Vec<TypeDef>,
    /// Operations in the spec's order.
    pub operations: Vec<Operation>,
    /// What was skipped or tolerated, with where.
    pub skipped: Vec<crate::Warning>,
    /// Cargo features that gate operations, one per tag (empty unless the config asks for them).
    pub features: Vec<Feature>,
    /// The spec's security schemes and the config's OAuth grants.
    pub auth: Auth,
    /// The config's vendor profile.
    pub vendor: Option<crate::config::Vendor>,
    /// Events from the spec's `webhooks`, in the spec's order.
    pub webhooks: Vec<Webhook>,
    /// The default base URL: the config's, else the spec's first server with its variables'
    /// defaults; `None` without either.
    pub base_url: Option<String>,
    /// The spec's servers, when the user has a choice to make: several servers, or variables.
    /// Empty otherwise.
    pub servers: Vec<Server>,
    /// The config's `runtime`: the path (from the generated crate) of the `openapi-rs-runtime`
    /// crate the client uses instead of copies of its modules; `None` for a self-contained crate.
    pub shared_runtime: Option<String>,
}

impl Api {
    /// A rough size in bytes of a value of `ty` on a 64-bit target, for deciding which enum
    /// variants to box: clippy flags an enum whose largest variant is 200 bytes over the next,
    /// and every value of such an enum pays for the largest. Types met again inside themselves
    /// are counted as a box.
    pub fn size_estimate(&self, ty: &Ty) -> usize {
        let mut walk = SizeWalk {
            seen: Vec::new(),
            known: std::collections::BTreeMap::new(),
        };
        self.size_of(ty, &mut walk).size
    }

    /// Sizes saturate just above [`OVERSIZED`], the one question asked of them, so a walk stops
    /// early; and a type whose size did not depend on where the walk entered a cycle is sized
    /// once per walk, which keeps large specs' graphs of shared types linear.
    fn size_of(&self, ty: &Ty, walk: &mut SizeWalk) -> Estimate {
        let fixed = |size| Estimate {
            size,
            cyclic: false,
        };
        match ty {
            Ty::Bool => fixed(1),
            Ty::I32 => fixed(4),
            Ty::I64 | Ty::F64 => fixed(8),
            Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes => fixed(24),
            Ty::Json | Ty::External(_) => fixed(32),
            Ty::File => fixed(96),
            Ty::Nullable(inner) => self.optional_size(inner, walk),
            Ty::Named(id) => {
                if walk.seen.contains(id) {
                    return Estimate {
                        size: 8,
                        cyclic: true,
                    };
                }
                if let Some(size) = walk.known.get(id) {
                    return fixed(*size);
                }
                walk.seen.push(*id);
                let sized = match &self.types[*id].kind {
                    TypeKind::Struct { fields } => {
                        let mut total = fixed(0);
                        for f in fields {
                            let field = if f.required && !f.nullable {
                                self.size_of(&f.ty, walk)
                            } else {
                                self.optional_size(&f.ty, walk)
                            };
                            total = total.plus(field);
                            if total.size > OVERSIZED {
                                break;
                            }
                        }
                        total
                    }
                    // Unit variants beside the fallback's `String`.
                    TypeKind::Enum { .. } => fixed(24),
                    TypeKind::Alias(inner) => self.size_of(inner, walk),
                    TypeKind::Const(_) => fixed(0),
                    TypeKind::Tuple(items) => {
                        let mut total = fixed(0);
                        for ty in items {
                            total = total.plus(self.size_of(ty, walk));
                        }
                        total
                    }
                    TypeKind::OneOf { variants, .. } => {
                        let mut largest = fixed(0);
                        for (_, ty) in variants {
                            let variant = self.size_of(ty, walk);
                            largest = Estimate {
                                size: largest.size.max(variant.size.min(OVERSIZED)),
                                cyclic: largest.cyclic || variant.cyclic,
                            };
                            if largest.size >= OVERSIZED {
                                break;
                            }
                        }
                        Estimate {
                            size: 8 + largest.size.max(32),
                            cyclic: largest.cyclic,
                        }
                    }
                };
                walk.seen.pop();
                if !sized.cyclic {
                    walk.known.insert(*id, sized.size);
                }
                sized
            }
        }
    }

    /// `Option<T>`: the same size where `T` has a spare bit pattern (strings, vectors, maps,
    /// JSON values), a word more otherwise.
    fn optional_size(&self, ty: &Ty, walk: &mut SizeWalk) -> Estimate {
        let sized = self.size_of(ty, walk);
        match ty {
            Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes | Ty::Json => sized,
            _ => sized.plus(Estimate {
                size: 8,
                cyclic: false,
            }),
        }
    }
}

/// One [`Api::size_estimate`] walk: the types on the path, and the sizes already known.
struct SizeWalk {
    seen: Vec<TypeId>,
    known: std::collections::BTreeMap<TypeId, usize>,
}

/// A size, saturated just above [`OVERSIZED`], and whether it counted a cycle as a box (and so
/// depends on where the walk entered the cycle).
#[derive(Clone, Copy)]
struct Estimate {
    size: usize,
    cyclic: bool,
}

impl Estimate {
    fn plus(self, other: Estimate) -> Estimate {
        Estimate {
            size: (self.size + other.size).min(OVERSIZED + 1),
            cyclic: self.cyclic || other.cyclic,
        }
    }
}

/// An enum variant's payload over this many bytes (by [`Api::size_estimate`]) is boxed, so no
/// variant is 200 bytes over another.
pub const OVERSIZED: usize = 128;

/// One event the API posts to the user's endpoint (an entry of OpenAPI 3.1 `webhooks`).
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The event's name: the value of the body's `event` field (the `webhooks` key).
    pub event: String,
    /// Its variant of the `Event` enum.
    pub variant: String,
    /// The body's type; `None` when the spec gives it no JSON schema.
    pub ty: Option<Ty>,
    /// The request body's description, as rustdoc.
    pub docs: Option<String>,
}

/// A Cargo feature that compiles in the operations of one tag (and the types only they use).
#[derive(Debug, Clone)]
pub struct Feature {
    /// The feature's name.
    pub name: String,
    /// The tag it stands for, as the spec writes it; `None` for the feature of the component
    /// schemas that no operation uses (webhook payloads, for instance).
    pub tag: Option<String>,
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique among types.
    pub name: String,
    /// Rustdoc.
    pub docs: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// JSON pointers of every schema this type stands for (several for a shared enum).
    pub pointers: Vec<String>,
    /// The Cargo features any one of which compiles it in; empty: always compiled.
    pub features: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// Fields in the spec's order.
        fields: Vec<Field>,
    },
    /// A string enum with a fallback variant for values the spec does not list.
    Enum {
        /// Known values.
        variants: Vec<Variant>,
        /// Name of the variant that keeps unknown values.
        fallback: String,
        /// Index into `variants` of the spec's `default`.
        default: Option<usize>,
    },
    /// A type alias (a component schema that is not an object or an enum).
    Alias(Ty),
    /// A fixed-length array whose elements have each their own type (JSON Schema's
    /// `prefixItems`): a tuple struct.
    Tuple(Vec<Ty>),
    /// The one string a `const` allows: a unit struct written as that string, which refuses
    /// any other when read.
    Const(String),
    /// `oneOf`/`anyOf`: one of several types, with a fallback variant holding any other JSON.
    OneOf {
        /// The alternatives, in the spec's order: (variant name, type).
        variants: Vec<(String, Ty)>,
        /// Name of the variant that keeps a value matching no alternative.
        fallback: String,
        /// With a `discriminator`: the property, and which of its values selects which variant.
        discriminator: Option<Discriminator>,
    },
}

impl TypeKind {
    /// The types a value of this kind holds directly: its fields', its alias's, its
    /// alternatives' or its elements'.
    pub fn members(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::OneOf { variants, .. } => variants.iter().map(|(_, ty)| ty).collect(),
            TypeKind::Tuple(items) => items.iter().collect(),
            TypeKind::Enum { .. } | TypeKind::Const(_) => Vec::new(),
        }
    }
}

/// How a `discriminator` picks the alternative.
#[derive(Debug, Clone)]
pub struct Discriminator {
    /// The JSON property that names the alternative.
    pub property: String,
    /// (value of the property, index into the variants).
    pub mapping: Vec<(String, usize)>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name (may be a raw identifier such as `r#type`).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// The value type.
    pub ty: Ty,
    /// Listed in `required`: the field is not wrapped in `Option`.
    pub required: bool,
    /// `nullable`: a required field still becomes `Option`, serialized as `null`.
    pub nullable: bool,
    /// `deprecated: true`: the field gets `#[deprecated]`.
    pub deprecated: bool,
    /// Rustdoc.
    pub docs: Option<String>,
}

impl Api {
    /// Follows aliases to the type a `Ty` finally stands for.
    pub fn resolve<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        let mut current = ty;
        for _ in 0..64 {
            match current {
                Ty::Named(id) => match &self.types[*id].kind {
                    TypeKind::Alias(inner) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }
}

impl Field {
    /// Optional and nullable: left out, `null` and a value are three states, so the field is an
    /// `Option<Option<T>>` (outer: sent or not; inner: `null` or a value).
    pub fn three_state(&self) -> bool {
        !self.required && self.nullable
    }
}

/// A known enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The exact value on the wire.
    pub wire: String,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (format int32).
    I32,
    /// `i64` (every other integer, so nothing truncates).
    I64,
    /// `f64`.
    F64,
    /// `serde_json::Value`: a schema the generator does not type (yet).
    Json,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`: an array item or map value the schema lets be `null` (a field's own
    /// nullability is [`Field::nullable`]).
    Nullable(Box<Ty>),
    /// A named type.
    Named(TypeId),
    /// `Vec<u8>`: a binary request body.
    Bytes,
    /// `FilePart`: a file in a multipart request.
    File,
    /// A Rust type named by the config (`[types]`, `[formats]`) or the schema (`x-rust-type`):
    /// its path, checked to parse as a type.
    External(String),
}

/// Clippy's `type_complexity` lints a type in a signature or a field whose score is over this.
pub const TOO_COMPLEX: u64 = 250;

/// How deep an operation's parameter, body or response type sits in the signatures the emit
/// stage writes for it (`Option<T>` in a builder field, `send::ResponseFuture<T>`, the mock's
/// `Result<T, …>`): the nesting [`Ty::complexity`] is asked at, so a type that scores over
/// [`TOO_COMPLEX`] there is given a name instead (lower's `named_if_complex`).
pub const SIGNATURE_NEST: u64 = 3;

/// Clippy's `type_complexity` score of a Rust type: ten times the nesting depth for each named,
/// slice, array or tuple type, one for each reference.
pub(crate) fn rust_type_complexity(ty: &syn::Type, nest: u64) -> u64 {
    let inner = |types: &mut dyn Iterator<Item = &syn::Type>| -> u64 {
        types.map(|t| rust_type_complexity(t, nest + 1)).sum()
    };
    match ty {
        syn::Type::Path(path) => {
            let args = path
                .path
                .segments
                .iter()
                .flat_map(|segment| match &segment.arguments {
                    syn::PathArguments::AngleBracketed(args) => args
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                    _ => Vec::new(),
                });
            10 * nest + inner(&mut args.into_iter())
        }
        syn::Type::Slice(slice) => 10 * nest + inner(&mut std::iter::once(&*slice.elem)),
        syn::Type::Array(array) => 10 * nest + inner(&mut std::iter::once(&*array.elem)),
        syn::Type::Tuple(tuple) => 10 * nest + inner(&mut tuple.elems.iter()),
        syn::Type::Reference(reference) => 1 + rust_type_complexity(&reference.elem, nest),
        syn::Type::Paren(paren) => rust_type_complexity(&paren.elem, nest),
        syn::Type::Group(group) => rust_type_complexity(&group.elem, nest),
        _ => 0,
    }
}

/// How [`Ty::text`] names named types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeText {
    /// As an intra-doc link target from the crate root: `types::Name`,
    /// `std::collections::BTreeMap<…>`; types with no link (`Vec<u8>`, a file) as `serde_json::Value`.
    DocLink,
    /// As a reader of a change report knows them: `Name`, `BTreeMap<…>`, `Vec<u8>`, `FilePart`.
    Short,
}

impl Ty {
    /// Whether the type is, or holds, a [`Ty::File`].
    pub fn holds_file(&self) -> bool {
        match self {
            Ty::File => true,
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => inner.holds_file(),
            _ => false,
        }
    }

    /// Clippy's `type_complexity` score of the Rust type this stands for, `nest` levels deep
    /// (1 for a type written on its own). A named type counts as one path, whatever it holds.
    pub fn complexity(&self, nest: u64) -> u64 {
        let path = 10 * nest;
        match self {
            Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::Json
            | Ty::Named(_)
            | Ty::File => path,
            // `Vec<u8>`.
            Ty::Bytes => path + 10 * (nest + 1),
            Ty::Vec(inner) | Ty::Nullable(inner) => path + inner.complexity(nest + 1),
            // `BTreeMap<String, T>`.
            Ty::Map(inner) => path + 10 * (nest + 1) + inner.complexity(nest + 1),
            Ty::External(text) => {
                syn::parse_str::<syn::Type>(text).map_or(path, |ty| rust_type_complexity(&ty, nest))
            }
        }
    }

    /// The type as text, in the given style.
    pub fn text(&self, api: &Api, style: TypeText) -> String {
        let link = style == TypeText::DocLink;
        match self {
            Ty::String => "String".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::Vec(inner) => format!("Vec<{}>", inner.text(api, style)),
            Ty::Map(inner) if link => format!(
                "std::collections::BTreeMap<String, {}>",
                inner.text(api, style)
            ),
            Ty::Map(inner) => format!("BTreeMap<String, {}>", inner.text(api, style)),
            Ty::Nullable(inner) => format!("Option<{}>", inner.text(api, style)),
            Ty::Named(id) if link => {
                format!("types::{}", api.types[*id].name.trim_start_matches("r#"))
            }
            Ty::Named(id) => api.types[*id].name.clone(),
            Ty::Bytes | Ty::File if link => "serde_json::Value".into(),
            Ty::Bytes => "Vec<u8>".into(),
            Ty::File => "FilePart".into(),
            Ty::External(path) => path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rust spelling of a type without named types, as the emit stage writes it.
    fn spelled(ty: &Ty) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::I64 => "i64".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::Bytes => "Vec<u8>".into(),
            Ty::Vec(inner) => format!("Vec<{}>", spelled(inner)),
            Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", spelled(inner)),
            Ty::Nullable(inner) => format!("Option<{}>", spelled(inner)),
            Ty::External(path) => path.clone(),
            other => unreachable!("not used here: {other:?}"),
        }
    }

    /// Every type up to four wrappers deep over a few leaves.
    fn types(depth: usize) -> Vec<Ty> {
        let leaves = vec![
            Ty::String,
            Ty::I64,
            Ty::Json,
            Ty::Bytes,
            Ty::External("chrono::DateTime<chrono::Utc>".into()),
        ];
        if depth == 0 {
            return leaves;
        }
        let mut all = leaves;
        for inner in types(depth - 1) {
            all.push(Ty::Vec(Box::new(inner.clone())));
            all.push(Ty::Map(Box::new(inner.clone())));
            all.push(Ty::Nullable(Box::new(inner)));
        }
        all
    }

    #[test]
    fn complexity_agrees_with_the_score_of_the_spelled_type() {
        let mut over = 0;
        for ty in types(4) {
            let parsed: syn::Type = syn::parse_str(&spelled(&ty)).expect("a Rust type");
            for nest in 1..=3 {
                assert_eq!(
                    ty.complexity(nest),
                    rust_type_complexity(&parsed, nest),
                    "{} at nest {nest}",
                    spelled(&ty)
                );
            }
            over += usize::from(ty.complexity(SIGNATURE_NEST) > TOO_COMPLEX);
        }
        // The walk reaches types on both sides of the limit.
        assert!(over > 0);
    }
}
