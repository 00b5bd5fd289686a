//! Responses: the success body (one type, or an enum by status), the documented error
//! statuses, and the error bodies that have a schema.

use super::*;

/// What [`Lowerer::responses`] finds.
pub(super) struct Responses {
    /// What a successful call returns.
    pub response: Response,
    /// Documented non-success statuses and what they mean.
    pub errors: Vec<(u16, String)>,
    /// Error bodies with a schema, by status as the spec writes it.
    pub error_bodies: Vec<(String, Ty)>,
    /// The `Accept` header.
    pub accept: String,
    /// The first success status (see [`crate::model::Operation::success_status`]).
    pub success_status: u16,
}

impl<'a> Lowerer<'a> {
    /// What a successful call returns, the documented error statuses, and the error bodies
    /// with a schema.
    pub(super) fn responses(
        &mut self,
        site: &OperationSite<'_>,
        op: &'a openapiv3::Operation,
        op_ctx: &Ctx,
        builders: &mut Scope,
    ) -> Result<Responses, Error> {
        let (pointer, operation_id) = (site.pointer, site.operation_id);
        let method_name = site.method_name;
        let in_op = |e: Error| e.in_operation(operation_id);
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
                qualifier: None,
                pointer: pointer_push(
                    &pointer_push(&pointer_push(&ptr, "content"), media),
                    "schema",
                ),
            };
            let ty = self.schema_ty(schema, &ctx).map_err(in_op)?;
            let ty = self.named_if_complex(ty, &ctx, None);
            let docs = format!(
                "Error response of [`Client::{0}`](crate::Client::{0}); decode it with [`ApiError::json`](crate::ApiError::json).",
                method_name.trim_start_matches("r#")
            );
            self.fill_docs(&ty, Some(&docs));
            error_bodies.push((status, ty));
        }
        // Each success status's body; several different ones make an enum of them.
        let mut bodies: Vec<(u16, Response)> = Vec::new();
        // What the request accepts: the JSON media type a body is read as, else every media type
        // a success response may have (a download's `video/mp4`, …).
        let mut accept: Vec<String> = Vec::new();
        for (code, resp) in &success {
            let status_token = match *code {
                0 => "default".to_string(),
                299 => "2XX".to_string(),
                code => code.to_string(),
            };
            let ptr = pointer_push(&pointer_push(pointer, "responses"), &status_token);
            let resp = self.resolve_response(resp, &ptr).map_err(in_op)?;
            // A 204 or 205 response ends with its headers (RFC 9110 15.3.5, 15.3.6): whatever its
            // `content` says, there is nothing to read. (AWS's specs give their 204s a body.)
            if matches!(*code, 204 | 205) && !resp.content.is_empty() {
                self.skipped.push(Warning {
                    pointer: pointer_push(&ptr, "content"),
                    message: format!(
                        "a {code} response has no body (RFC 9110); its `content` is not read"
                    ),
                });
                bodies.push((*code, Response::Empty));
                continue;
            }
            let medias: Vec<String> = match json_media(&resp.content) {
                Some((media, _)) => vec![media.to_string()],
                None => resp.content.keys().cloned().collect(),
            };
            for media in medias {
                if !accept.contains(&media) {
                    accept.push(media);
                }
            }
            let site = SuccessSite {
                status_token: &status_token,
                pointer: &ptr,
                candidate: &op_ctx.candidate,
                several: success.len() > 1,
                method_name,
            };
            let body = self.success_body(resp, &site).map_err(in_op)?;
            bodies.push((*code, body));
        }
        let success_status = bodies.first().map_or(200, |(code, _)| *code);
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

        let accept = if accept.is_empty() {
            "application/json".to_string()
        } else {
            accept.join(", ")
        };
        Ok(Responses {
            response,
            errors,
            error_bodies,
            accept,
            success_status,
        })
    }

    /// The body one success status's response is read as: JSON of its schema, text, bytes, or
    /// nothing.
    fn success_body(
        &mut self,
        resp: &openapiv3::Response,
        site: &SuccessSite<'_>,
    ) -> Result<Response, Error> {
        // A string under a wildcard (Kubernetes' proxy and exec: `*/*` of `type: string`) is
        // whatever text the server sends, not a JSON string.
        let wildcard_text = |media: &str, m: &openapiv3::MediaType| {
            essence(media) == "*/*"
                && matches!(&m.schema, Some(ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::Type(Type::String(string)),
                    ..
                })) if !super::schemas::lists_values(string)
                    && !matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)))
        };
        if let Some((media, m)) = resp
            .content
            .iter()
            .find(|(k, _)| essence(k) == "text/event-stream")
        {
            return self.event_stream(media, m, site);
        }
        Ok(match json_media(&resp.content) {
            Some((media, m)) if wildcard_text(media, m) => Response::Text,
            Some((media, m)) => {
                let suffix = if site.several {
                    format!(" {}", site.status_token)
                } else {
                    String::new()
                };
                let ctx = Ctx {
                    candidate: format!("{} response{suffix}", site.candidate),
                    qualifier: None,
                    pointer: pointer_push(
                        &pointer_push(&pointer_push(site.pointer, "content"), media),
                        "schema",
                    ),
                };
                match &m.schema {
                    Some(s) => {
                        let ty = self.schema_ty(s, &ctx)?;
                        let ty = self.named_if_complex(ty, &ctx, None);
                        let docs = format!(
                            "Successful response of [`Client::{0}`](crate::Client::{0}).",
                            site.method_name.trim_start_matches("r#")
                        );
                        self.fill_docs(&ty, Some(&docs));
                        // A body that may be `null` (GitHub's `nullable-authorization`
                        // of `GET /applications/{client_id}/tokens/{access_token}`).
                        if self.may_be_null(s, &ctx.pointer) && ty != Ty::Json {
                            Response::Json(Ty::Nullable(Box::new(ty)))
                        } else {
                            Response::Json(ty)
                        }
                    }
                    None => Response::Json(Ty::Json),
                }
            }
            None if resp.content.is_empty() => Response::Empty,
            None if resp.content.keys().all(|k| k.starts_with("text/")) => Response::Text,
            None => Response::Bytes,
        })
    }
}

impl Lowerer<'_> {
    /// A `text/event-stream` response: its schema, unless it is text, is the type each event's
    /// `data:` is decoded as.
    fn event_stream(
        &mut self,
        media: &str,
        m: &openapiv3::MediaType,
        site: &SuccessSite<'_>,
    ) -> Result<Response, Error> {
        let Some(schema) = &m.schema else {
            return Ok(Response::Events(None));
        };
        let ctx = Ctx {
            candidate: format!("{} event", site.candidate),
            qualifier: None,
            pointer: pointer_push(
                &pointer_push(&pointer_push(site.pointer, "content"), media),
                "schema",
            ),
        };
        let ty = self.schema_ty(schema, &ctx)?;
        let ty = self.named_if_complex(ty, &ctx, None);
        if matches!(self.resolve_ty(&ty), Ty::String) {
            return Ok(Response::Events(None));
        }
        let docs = format!(
            "An event of [`Client::{0}`](crate::Client::{0}).",
            site.method_name.trim_start_matches("r#")
        );
        self.fill_docs(&ty, Some(&docs));
        Ok(Response::Events(Some(ty)))
    }
}

/// The JSON media type of a content map: `application/json`, else any `…/…+json` or `…json`,
/// else `*/*`; one that has a schema before one that has none, since a spec may list
/// `application/json` with only examples beside `application/json; charset=utf-8` with the
/// schema (Zuora).
pub(super) fn json_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content
        .iter()
        .filter_map(|(k, v)| {
            let kind = if k.eq_ignore_ascii_case("application/json") {
                0
            } else if is_json_media(k) {
                1
            } else if essence(k) == "*/*" {
                2
            } else {
                return None;
            };
            Some(((v.schema.is_none(), kind), (k.as_str(), v)))
        })
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, found)| found)
}

/// Where a success response stands, for [`Lowerer::success_body`].
struct SuccessSite<'a> {
    /// The status as the spec writes it (`200`, `2XX`, `default`).
    status_token: &'a str,
    /// The response's JSON pointer.
    pointer: &'a str,
    /// The operation's candidate type name.
    candidate: &'a str,
    /// The operation has several success statuses (types are named by status then).
    several: bool,
    /// The `Client` method, for docs.
    method_name: &'a str,
}
