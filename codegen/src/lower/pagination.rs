//! Recognising pagination: each shape is taken only where it is unambiguous (see
//! [`crate::config::PaginationConfig`] for what the config adds):
//!
//! - a cursor: an optional string query parameter and a string response field of the same name
//!   (the config's `token_param`/`token_field`, `next_page_token` by default), or Kubernetes'
//!   `continue` parameter with `metadata.continue`;
//! - Stripe's `starting_after` parameter with a boolean `has_more` and items that have an `id`;
//! - a next-page URL field (`@odata.nextLink`, `nextLink`, `next_link`, `next_url`);
//! - a `Link` header the success response documents (or the config names), with the items being
//!   the body when it is an array.
//!
//! Apart from the `Link` header, the items are the response's one array field (or the one the
//! config's `items` names).

use super::*;

/// Response fields that hold the next page's URL.
const NEXT_URL_FIELDS: &[&str] = &["@odata.nextLink", "nextLink", "next_link", "next_url"];

impl<'a> Lowerer<'a> {
    /// The operation's pagination, if it has a recognised shape.
    pub(super) fn pagination(
        &self,
        op: &openapiv3::Operation,
        operation_id: &str,
        params: &[Param],
        response: &Response,
    ) -> Option<Pagination> {
        let config = &self.config.pagination;
        if config.exclude.iter().any(|id| id == operation_id) {
            return None;
        }
        let query_string = |wire: &str| {
            params.iter().find(|p| {
                p.location == Location::Query
                    && !p.required
                    && p.wire == wire
                    && self.resolve_ty(&p.ty) == &Ty::String
            })
        };
        let Response::Json(body) = response else {
            return None;
        };
        let link =
            config.link_header.iter().any(|id| id == operation_id) || self.documents_link(op);
        // The body is the array: only the `Link` header can say where the next page is.
        if let Ty::Vec(item) = self.resolve_ty(body) {
            return link.then(|| Pagination {
                shape: PageShape::LinkHeader,
                items_field: None,
                item_ty: (**item).clone(),
            });
        }
        let fields = self.struct_fields(body)?;
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
        // A field that is optional and nullable (`Option<Option<T>>`) is not paged through.
        let three_state = std::cell::Cell::new(false);
        let step = |f: &Field| {
            three_state.set(three_state.get() || f.three_state());
            FieldStep {
                name: f.name.clone(),
                optional: !f.required || f.nullable,
            }
        };
        let shape = if let (Some(param), Some(token)) = (
            query_string(&config.token_param),
            self.string_field(fields, &config.token_field),
        ) {
            PageShape::Cursor {
                param: param.name.clone(),
                field: vec![step(token)],
            }
        } else if let (Some(param), Some((metadata, token))) = (
            query_string("continue"),
            fields.iter().find(|f| f.wire == "metadata").and_then(|m| {
                let inner = self.struct_fields(&m.ty)?;
                Some((m, self.string_field(inner, "continue")?))
            }),
        ) {
            PageShape::Cursor {
                param: param.name.clone(),
                field: vec![step(metadata), step(token)],
            }
        } else if let (Some(param), Some(has_more), Some(id)) = (
            query_string("starting_after"),
            fields
                .iter()
                .find(|f| f.wire == "has_more" && self.resolve_ty(&f.ty) == &Ty::Bool),
            self.struct_fields(item_ty)
                .and_then(|item| self.string_field(item, "id")),
        ) {
            PageShape::After {
                param: param.name.clone(),
                has_more: step(has_more),
                id: step(id),
            }
        } else if let Some(next) = NEXT_URL_FIELDS
            .iter()
            .find_map(|wire| self.string_field(fields, wire))
        {
            PageShape::NextUrl {
                field: vec![step(next)],
            }
        } else if link {
            PageShape::LinkHeader
        } else {
            return None;
        };
        let items_field = Some(step(items));
        (!three_state.get()).then(|| Pagination {
            shape,
            items_field,
            item_ty: (**item_ty).clone(),
        })
    }

    /// The fields of the struct `ty` stands for.
    fn struct_fields<'s>(&'s self, ty: &'s Ty) -> Option<&'s [Field]> {
        let Ty::Named(id) = self.resolve_ty(ty) else {
            return None;
        };
        match &self.types[*id].kind {
            Some(TypeKind::Struct { fields }) => Some(fields),
            _ => None,
        }
    }

    /// The string field `wire` of `fields`.
    fn string_field<'f>(&self, fields: &'f [Field], wire: &str) -> Option<&'f Field> {
        fields
            .iter()
            .find(|f| f.wire == wire && self.resolve_ty(&f.ty) == &Ty::String)
    }

    /// Whether a success response documents a `Link` header.
    fn documents_link(&self, op: &openapiv3::Operation) -> bool {
        op.responses.responses.iter().any(|(status, r)| {
            let success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
            let r = match r {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { .. } => self.resolve_response(r, "").ok(),
            };
            success && r.is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        })
    }
}
