//! Operations: method, path, parameters, bodies, responses and pagination.

use super::Ty;

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
    /// The success status a single-body response is documented under (200 when the spec lists
    /// none; `299` stands for the spec's `2XX`, `0` for a `default` read as the success).
    pub success_status: u16,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`, as rustdoc.
    pub description: Option<String>,
    /// OAuth scopes from `security`.
    pub scopes: Vec<String>,
    /// What the operation's `security` (or the spec's default) accepts: alternatives, each a
    /// set of indices into [`Auth::schemes`](super::Auth::schemes) that must all be sent; an empty alternative, or no
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
    /// A `text/event-stream`: events as they arrive, each `data:` decoded as this type when
    /// the spec gives it as JSON (`None`: kept as text).
    Events(Option<Ty>),
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
