//! An operation's parameters and its path split into literal text and parameters.

use super::*;

/// What became of one of the spec's parameters.
enum Lowered {
    /// A parameter of the client method or builder.
    Param(Param),
    /// Left out (a path parameter the template does not use), with a warning.
    Skipped,
    /// The whole operation is left out, with a warning.
    SkipOperation,
}

impl<'a> Lowerer<'a> {
    /// The operation's parameters (the path item's, overridden by the operation's), path
    /// parameters first in template order; `None` when the operation is skipped.
    pub(super) fn operation_params(
        &mut self,
        site: &OperationSite<'_>,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
    ) -> Result<Option<Vec<Param>>, Error> {
        // The parameters the path template names, in its order.
        let template = PathTemplate::parse(site.path).params();
        let raw_params = self.spec_params(site, op, shared_params, &template)?;
        let mut names = Scope::with_reserved(BUILDER_METHODS.iter().copied());
        let sent = SentByClient {
            content_type: op.request_body.is_some(),
            authorization: self.security_sends_authorization(op),
        };
        let mut params = Vec::new();
        for (param, ptr) in raw_params {
            match self.lower_param(site, param, &ptr, &template, sent, &mut names)? {
                Lowered::Param(param) => params.push(param),
                Lowered::Skipped => {}
                Lowered::SkipOperation => return Ok(None),
            }
        }
        self.undeclared_path_params(site, &template, &mut params, &mut names)?;
        Ok(Some(params))
    }

    /// The spec's parameters of the operation with their pointers: the path item's, overridden
    /// by the operation's of the same name and place; path parameters first, in the order the
    /// template uses them.
    fn spec_params(
        &mut self,
        site: &OperationSite<'_>,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
        template: &[&str],
    ) -> Result<Vec<(&'a Parameter, String)>, Error> {
        let (pointer, operation_id) = (site.pointer, site.operation_id);
        let in_op = |e: Error| e.in_operation(operation_id);
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
        raw_params.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => template
                .iter()
                .position(|n| *n == parameter_data.name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        Ok(raw_params)
    }

    /// One parameter of the spec (at `ptr`), its name claimed in `names`.
    fn lower_param(
        &mut self,
        site: &OperationSite<'_>,
        param: &Parameter,
        ptr: &str,
        template: &[&str],
        sent: SentByClient,
        names: &mut Scope,
    ) -> Result<Lowered, Error> {
        let (path, operation_id) = (site.path, site.operation_id);
        let in_op = |e: Error| e.in_operation(operation_id);
        // A path parameter the template does not use could never be sent: skipped (it would
        // be a field nothing reads).
        if let Parameter::Path { parameter_data, .. } = param {
            if !template.contains(&parameter_data.name.as_str()) {
                let message = format!(
                    "path parameter `{}` is not in the path template `{path}`; skipped",
                    parameter_data.name
                );
                self.unsupported(ptr, Some(operation_id), message)
                    .map_err(|e| {
                        e.hint("add `{NAME}` to the path template, or remove the parameter")
                    })?;
                return Ok(Lowered::Skipped);
            }
        }
        // OpenAPI: a header parameter named `Accept`, `Content-Type` or `Authorization` "SHALL be
        // ignored". Where the client sends that header itself, an argument for it would replace
        // the client's own (a JSON body sent as `Content-Type: string`, a token in place of the
        // security scheme's), so it is left out. Where the client would not send it (no body,
        // no scheme that sends `Authorization`), specs use the parameter to say the header is
        // needed (Zuora's and GoToTraining's token, VTEX's `Content-Type` on every request), and
        // Prism refuses a request without it: the parameter stays.
        if let Parameter::Header { parameter_data, .. } = param {
            if let Some(instead) = client_header(&parameter_data.name, sent) {
                self.skipped.push(Warning {
                    pointer: ptr.to_string(),
                    message: format!(
                        "header parameter `{}` is ignored, as OpenAPI says of this name: {instead}",
                        parameter_data.name
                    ),
                });
                return Ok(Lowered::Skipped);
            }
        }
        let location = match param {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            Parameter::Cookie { .. } => Location::Cookie,
        };
        let data = param.parameter_data_ref();
        // A parameter described with `content` is sent as that media type's text: JSON.
        let (schema, schema_pointer, json) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => (s, pointer_push(ptr, "schema"), false),
            ParameterSchemaOrContent::Content(content) => {
                // JSON when the parameter offers it; otherwise the value's own text.
                let found = content
                    .iter()
                    .find(|(media, m)| is_json_media(media) && m.schema.is_some())
                    .or_else(|| content.iter().find(|(_, m)| m.schema.is_some()));
                match found.and_then(|(media, m)| Some((media, m.schema.as_ref()?))) {
                    Some((media, s)) => (
                        s,
                        pointer_push(
                            &pointer_push(&pointer_push(ptr, "content"), media),
                            "schema",
                        ),
                        is_json_media(media),
                    ),
                    None => {
                        let message = format!("parameter `{}` uses `content` without a schema; the operation is skipped", data.name);
                        self.unsupported(ptr, Some(operation_id), message)?;
                        return Ok(Lowered::SkipOperation);
                    }
                }
            }
        };
        let method = site.method_name.trim_start_matches("r#");
        let ctx = Ctx {
            candidate: data.name.clone(),
            qualifier: Some(method.to_string()),
            pointer: schema_pointer,
        };
        let ty = self.schema_ty(schema, &ctx).map_err(in_op)?;
        let alias = Ctx {
            candidate: format!("{method} {}", data.name),
            qualifier: None,
            ..ctx.clone()
        };
        let docs = format!(
            "The `{}` parameter of [`Client::{method}`](crate::Client::{method}).",
            data.name
        );
        let ty = self.named_if_complex(ty, &alias, Some(docs));
        self.fill_docs(&ty, data.description.as_deref());
        let resolved = self.resolve_schema(schema, &ctx.pointer).map_err(in_op)?;
        Ok(Lowered::Param(Param {
            name: names.claim(&naming::snake_name(&data.name, "param")),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == Location::Path,
            docs: data.description.as_deref().map(docs::to_rustdoc),
            constraints: constraints(resolved),
            style: query_style(param),
            json,
        }))
    }

    /// Whether a scheme of some alternative of the operation's security requirement sends the
    /// `Authorization` header (bearer, OAuth, OpenID Connect, basic, or an API key of that name).
    fn security_sends_authorization(&self, op: &openapiv3::Operation) -> bool {
        use crate::model::SchemeKind;
        let schemes = &self.auth.schemes;
        super::auth::requirement(&self.auth, self.spec, op.security.as_ref())
            .iter()
            .flatten()
            .filter_map(|&i| schemes.get(i))
            .any(|scheme| match &scheme.kind {
                SchemeKind::Bearer { .. } | SchemeKind::Basic => true,
                SchemeKind::ApiKey { location, name } => {
                    *location == Location::Header && name.eq_ignore_ascii_case("authorization")
                }
            })
    }

    /// A template parameter the spec forgot to define is read as a required string, after the
    /// path parameters it has.
    fn undeclared_path_params(
        &mut self,
        site: &OperationSite<'_>,
        template: &[&str],
        params: &mut Vec<Param>,
        names: &mut Scope,
    ) -> Result<(), Error> {
        for &name in template {
            if params
                .iter()
                .any(|p| p.location == Location::Path && p.wire == name)
            {
                continue;
            }
            let message = format!("the path uses `{{{name}}}` but no path parameter of that name is defined; it is taken as a required string");
            self.unsupported(site.pointer, Some(site.operation_id), message)
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
                    json: false,
                },
            );
        }
        Ok(())
    }

    /// The path split into literal text and parameters.
    pub(super) fn path_segments(
        &self,
        site: &OperationSite<'_>,
        params: &[Param],
    ) -> Result<Vec<PathSegment>, Error> {
        let (path, pointer, operation_id) = (site.path, site.pointer, site.operation_id);
        let mut segments = Vec::new();
        for part in PathTemplate::parse(path).parts().iter().copied() {
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

        Ok(segments)
    }
}

/// Which of the headers a parameter may not replace the client sends for an operation (`Accept`
/// it always sends).
#[derive(Clone, Copy)]
struct SentByClient {
    /// The operation has a request body, sent with its media type.
    content_type: bool,
    /// A security scheme the operation may use sends `Authorization`.
    authorization: bool,
}

/// For a header parameter OpenAPI says to ignore (`Accept`, `Content-Type`, `Authorization`, in
/// any case) when the client sends that header itself: what it sends instead and how a user
/// sends another value. `None` for any other parameter.
fn client_header(name: &str, sent: SentByClient) -> Option<&'static str> {
    if name.eq_ignore_ascii_case("accept") {
        Some(
            "the client sends `Accept` from the responses' media types; to ask for another, \
             use `RequestOptions::header`",
        )
    } else if sent.content_type && name.eq_ignore_ascii_case("content-type") {
        Some(
            "the client sends `Content-Type` from the request body's media type; to send \
             another the spec allows, use `RequestOptions::header`",
        )
    } else if sent.authorization && name.eq_ignore_ascii_case("authorization") {
        Some(
            "the client sends it from the operation's security scheme; to send another value, \
             use `RequestOptions::header`",
        )
    } else {
        None
    }
}

/// The `style`/`explode` of a query parameter (form with explode, the default, for the others).
pub(super) fn query_style(param: &Parameter) -> QueryStyle {
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

pub(super) fn constraints(schema: &Schema) -> Constraints {
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
        SchemaKind::Type(Type::String(s)) if !super::schemas::lists_values(s) => Constraints {
            min_length: s.min_length,
            max_length: s.max_length,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}
