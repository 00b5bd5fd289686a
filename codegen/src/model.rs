//! The generator's own small model of an API: named types and operations, with every Rust name
//! already decided. The lowering stage builds it from the spec; the emit stage only reads it.

/// Index of a type in [`Api::types`].
pub type TypeId = usize;

/// Everything the emit stage needs to write a client crate.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`, as rustdoc.
    pub description: Option<String>,
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
    /// The default base URL: the config's, else the spec's first server; `None` without either.
    pub base_url: Option<String>,
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
        self.size_of(ty, &mut Vec::new())
    }

    fn size_of(&self, ty: &Ty, seen: &mut Vec<TypeId>) -> usize {
        match ty {
            Ty::Bool => 1,
            Ty::I32 => 4,
            Ty::I64 | Ty::F64 => 8,
            Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes => 24,
            Ty::Json | Ty::External(_) => 32,
            Ty::File => 96,
            Ty::Nullable(inner) => self.optional_size(inner, seen),
            Ty::Named(id) => {
                if seen.contains(id) {
                    return 8;
                }
                seen.push(*id);
                let size = match &self.types[*id].kind {
                    TypeKind::Struct { fields } => fields
                        .iter()
                        .map(|f| {
                            if f.required && !f.nullable {
                                self.size_of(&f.ty, seen)
                            } else {
                                self.optional_size(&f.ty, seen)
                            }
                        })
                        .sum(),
                    // Unit variants beside the fallback's `String`.
                    TypeKind::Enum { .. } => 24,
                    TypeKind::Alias(inner) => self.size_of(inner, seen),
                    TypeKind::OneOf { variants, .. } => {
                        8 + variants
                            .iter()
                            .map(|(_, ty)| self.size_of(ty, seen).min(OVERSIZED))
                            .max()
                            .unwrap_or(0)
                            .max(32)
                    }
                };
                seen.pop();
                size
            }
        }
    }

    /// `Option<T>`: the same size where `T` has a spare bit pattern (strings, vectors, maps,
    /// JSON values), a word more otherwise.
    fn optional_size(&self, ty: &Ty, seen: &mut Vec<TypeId>) -> usize {
        let size = self.size_of(ty, seen);
        match ty {
            Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes | Ty::Json => size,
            _ => size + 8,
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

/// How a client authenticates: one way to configure it per security scheme of the spec.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// The spec's `securitySchemes` the generator supports, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
    /// The scheme `Client::new(token)` and `Client::builder(token)` set: the first bearer-like
    /// one (`http` bearer, `oauth2`, `openIdConnect`). Without one they take no token.
    pub primary: Option<usize>,
    /// OAuth grants from the config, each a `Client` constructor.
    pub grants: Vec<Grant>,
}

impl Auth {
    /// Whether the client runs any OAuth flow (so the crate needs the runtime's `oauth`).
    pub fn runs_oauth(&self) -> bool {
        !self.grants.is_empty() || self.schemes.iter().any(|s| s.client_credentials.is_some())
    }
}

/// One security scheme, which becomes a constant of the `security` module and a
/// `ClientBuilder` method.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Its name in the spec.
    pub name: String,
    /// The constant describing it.
    pub const_name: String,
    /// The `ClientBuilder` method that sets its credential.
    pub method: String,
    /// How its credential travels.
    pub kind: SchemeKind,
    /// The spec's description, as rustdoc.
    pub docs: Option<String>,
    /// An OAuth client-credentials flow the client can run for it.
    pub client_credentials: Option<ClientCredentials>,
}

/// How a scheme's credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (`http` bearer, `oauth2`, `openIdConnect`); `what` says which.
    Bearer {
        /// Which kind of scheme the token comes from.
        what: BearerOf,
    },
    /// `Authorization: Basic`.
    Basic,
    /// An API key.
    ApiKey {
        /// Header, query or cookie.
        location: Location,
        /// Its name on the wire.
        name: String,
    },
}

/// The kind of security scheme whose token travels as `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerOf {
    /// `type: http, scheme: bearer`.
    Http,
    /// `type: oauth2`.
    OAuth2,
    /// `type: openIdConnect`.
    OpenIdConnect,
}

impl BearerOf {
    /// How docs name it.
    pub fn describe(self) -> &'static str {
        match self {
            BearerOf::Http => "HTTP bearer",
            BearerOf::OAuth2 => "OAuth 2",
            BearerOf::OpenIdConnect => "OpenID Connect",
        }
    }
}

/// An OAuth 2 client-credentials flow of the spec.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// The `ClientBuilder` method that runs it.
    pub method: String,
    /// The spec's `tokenUrl`.
    pub token_url: String,
    /// The flow's scopes, asked for by default.
    pub scopes: Vec<String>,
}

/// An OAuth grant from the config: a `Client` constructor.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The constructor's name.
    pub method: String,
    /// Index into [`Auth::schemes`] of the scheme it provides tokens for.
    pub scheme: usize,
    /// The token endpoint.
    pub token_url: String,
    /// `grant_type`.
    pub grant_type: String,
    /// Further parameters: (wire name, argument name).
    pub params: Vec<(String, String)>,
    /// Parameters in the query string rather than a form body.
    pub params_in_query: bool,
    /// Client authentication with HTTP Basic (else form fields).
    pub basic_client_auth: bool,
    /// Docs.
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

/// The HTTP methods an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Parses the lower-case key a path item uses.
    pub fn from_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// The upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One API operation, which becomes one client method and one request builder.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` (or one made from method and path when the spec has none).
    pub operation_id: String,
    /// The client method name.
    pub method_name: String,
    /// The request builder's type name.
    pub builder_name: String,
    /// HTTP method.
    pub method: Method,
    /// The path template as written in the spec.
    pub path: String,
    /// The path split into literal text and parameters.
    pub segments: Vec<PathSegment>,
    /// Parameters: path parameters first in path order, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful response carries.
    pub response: Response,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`, as rustdoc.
    pub description: Option<String>,
    /// OAuth scopes from `security`.
    pub scopes: Vec<String>,
    /// What the operation's `security` (or the spec's default) accepts: alternatives, each a
    /// set of indices into [`Auth::schemes`] that must all be sent; an empty alternative, or no
    /// alternative at all, allows calls without credentials.
    pub security: Vec<Vec<usize>>,
    /// Documented non-success statuses and what the spec says they mean (plain text).
    pub errors: Vec<(u16, String)>,
    /// Error responses with a JSON schema: (status as the spec writes it: `404`, `4XX`,
    /// `default`; the body's type).
    pub error_bodies: Vec<(String, Ty)>,
    /// The `Accept` header: the media types of the success responses the client reads.
    pub accept: String,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Token pagination, when the operation has that shape.
    pub pagination: Option<Pagination>,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// `tags`, in the spec's order.
    pub tags: Vec<String>,
    /// The Cargo feature that compiles it in; `None`: always compiled.
    pub feature: Option<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text copied as is.
    Literal(String),
    /// Index into [`Operation::params`] of a path parameter.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Part of the path, percent-encoded as one segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
}

/// How a query parameter that is an array or an object is written (OpenAPI `style`/`explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form` (the default): with `explode` (the default) `a=1&a=2` and, for an object,
    /// `k=v` pairs; without it `a=1,2`.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `a=1%202`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[k]=v` for each key of an object.
    DeepObject,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust name of the argument or builder method.
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub ty: Ty,
    /// Required parameters are method arguments; optional ones builder methods.
    pub required: bool,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Bounds checked before the request is sent.
    pub constraints: Constraints,
    /// How a query array or object is written.
    pub style: QueryStyle,
    /// Described with `content: application/json`: the value is sent as JSON text.
    pub json: bool,
}

/// Schema constraints the client checks before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` (inclusive unless `exclusive_minimum`).
    pub minimum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `maximum` (inclusive unless `exclusive_maximum`).
    pub maximum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's type.
    pub ty: Ty,
    /// How it is encoded.
    pub kind: BodyKind,
    /// The media type sent as `Content-Type` (multipart sets its own, with the boundary).
    pub media: String,
    /// The key of the spec's `content` the body comes from: `media`, except where that is a
    /// wildcard (`*/*`) that a JSON body is sent as `application/json` under.
    pub content_key: String,
    /// Per-property `encoding` of a form or multipart body: (property, content type, style).
    /// The style is only set where the spec sets one explicitly.
    pub encoding: Vec<(String, Option<String>, Option<QueryStyle>)>,
    /// `required: true`: the body is a method argument rather than a builder method.
    pub required: bool,
    /// Rustdoc.
    pub docs: Option<String>,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// A JSON body of this type.
    Json(Ty),
    /// Raw bytes (a download, or a media type the generator does not decode).
    Bytes,
    /// Text.
    Text,
    /// No body.
    Empty,
    /// Different bodies for different success statuses: an enum named `name` with a variant per
    /// status (and one for a 2xx status the spec does not list).
    ByStatus {
        /// The enum's name.
        name: String,
        /// (status, body), in status order.
        bodies: Vec<(u16, Response)>,
    },
}

/// How a paginated operation pages: how the next page is asked for, and where the items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub shape: PageShape,
    /// The response field holding the page's items (`None`: the body is the array).
    pub items_field: Option<FieldStep>,
    /// The items' type.
    pub item_ty: Ty,
}

/// One step into a response struct: a field, and whether it is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The Rust field name.
    pub name: String,
    /// Whether it is an `Option`.
    pub optional: bool,
}

/// The ways APIs hand out the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageShape {
    /// A cursor in a response field (possibly nested: Kubernetes' `metadata.continue`), sent
    /// back in a query parameter (Zoom's `next_page_token`).
    Cursor {
        /// The builder field of the query parameter.
        param: String,
        /// The path to the cursor in the response.
        field: Vec<FieldStep>,
    },
    /// Stripe's: while `has_more`, the next page starts after the last item's `id`.
    After {
        /// The builder field of `starting_after`.
        param: String,
        /// The response's `has_more`.
        has_more: FieldStep,
        /// The item's `id`.
        id: FieldStep,
    },
    /// The next page's URL in a response field (Microsoft Graph's `@odata.nextLink`).
    NextUrl {
        /// The path to the URL in the response.
        field: Vec<FieldStep>,
    },
    /// The next page's URL in the `Link` header, `rel="next"` (GitHub's).
    LinkHeader,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: each field of the body struct is a part; [`Ty::File`] fields are
    /// file parts.
    Multipart,
    /// Raw bytes with the spec's media type.
    Bytes,
    /// Text with the spec's media type.
    Text,
}
