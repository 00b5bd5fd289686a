//! Request bodies: which media type is sent, its type, and its `encoding`.

use super::*;

impl<'a> Lowerer<'a> {
    /// The request body, if any; `Err`-free `None` when the operation is skipped.
    pub(super) fn request_body(
        &mut self,
        site: &OperationSite<'_>,
        op: &'a openapiv3::Operation,
        op_ctx: &Ctx,
    ) -> Result<Option<Option<Body>>, Error> {
        let (pointer, operation_id) = (site.pointer, site.operation_id);
        let in_op = |e: Error| e.in_operation(operation_id);
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
                        let docs = format!(
                            "The request body of [`Client::{0}`](crate::Client::{0}).",
                            site.method_name.trim_start_matches("r#")
                        );
                        let ty = self.named_if_complex(ty, &ctx, Some(docs));
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
                        // A wildcard (Kubernetes' `*/*`) is what the server accepts, not a
                        // `Content-Type`: a JSON body says what it is.
                        let content_key = media.to_string();
                        let media = if kind == BodyKind::Json && media.contains('*') {
                            "application/json"
                        } else {
                            media
                        };
                        Some(Body {
                            ty,
                            kind,
                            media: media.to_string(),
                            content_key,
                            encoding,
                            required: body.required,
                            docs: body.description.as_deref().map(docs::to_rustdoc),
                        })
                    }
                    None => None,
                }
            }
        };

        Ok(Some(body))
    }
}

/// The media type a request body is sent as, in order of preference: JSON, form, multipart, then
/// text (`text/*`) and anything else as raw bytes.
pub(super) fn body_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType, BodyKind)> {
    if let Some((media, m)) = json_media(content) {
        return Some((media, m, BodyKind::Json));
    }
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

/// A media type's essence: type and subtype, without parameters, lowercased (media types are
/// case-insensitive, RFC 9110 8.3.1: Mastercard writes `application/JSON`).
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `…/json` or `…/…+json` (parameters after `;` ignored).
pub fn is_json_media(media: &str) -> bool {
    let essence = essence(media);
    essence.ends_with("+json") || essence.ends_with("/json")
}
