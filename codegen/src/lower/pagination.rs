//! Recognising token pagination.

use super::*;

impl<'a> Lowerer<'a> {
    /// Recognises token pagination (see [`crate::config::PaginationConfig`]).
    pub(super) fn pagination(
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
}
