//! `pages()` and `items()` of paginated operations.

use super::*;

/// `pages()` and `items()` for a token-paginated operation.
pub(super) fn pagination_methods(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    page_ty: &TokenStream,
) -> TokenStream {
    let item_ty = ty_tokens(api, &p.item_ty, &types_path());
    let items = match &p.items_field {
        None => quote!(page),
        Some(FieldStep {
            name,
            optional: true,
        }) => {
            let name = ident(name);
            quote!(page.#name.unwrap_or_default())
        }
        Some(FieldStep {
            name,
            optional: false,
        }) => {
            let name = ident(name);
            quote!(page.#name)
        }
    };
    let wire = |field: &str| {
        op.params
            .iter()
            .find(|q| q.name == field)
            .map_or(field.to_string(), |q| q.wire.clone())
    };
    // `pages(request, first cursor, send with a cursor, the next cursor of a page)`, and docs.
    let (pages, doc) = match &p.shape {
        PageShape::Cursor { param, field } => {
            let param_ident = ident(param);
            let next = field_path(field);
            (
                cursor_pages(&param_ident, page_ty, next),
                format!(
                    "each next request repeats this request's parameters with the previous page's `{}` as `{}`. Ends after a page without one",
                    field.iter().map(|f| f.name.trim_start_matches("r#")).collect::<Vec<_>>().join("."),
                    wire(param)
                ),
            )
        }
        PageShape::After { param, has_more, id } => {
            let param_ident = ident(param);
            let more_field = ident(&has_more.name);
            let more = if has_more.optional {
                quote!(page.#more_field.unwrap_or(false))
            } else {
                quote!(page.#more_field)
            };
            let last = match &p.items_field {
                Some(FieldStep { name, optional: true }) => {
                    let name = ident(name);
                    quote!(page.#name.as_ref().and_then(|items| items.last()))
                }
                Some(FieldStep { name, optional: false }) => {
                    let name = ident(name);
                    quote!(page.#name.last())
                }
                None => quote!(page.last()),
            };
            let id_field = ident(&id.name);
            let next = if id.optional {
                quote!(#last.and_then(|item| item.#id_field.clone()))
            } else {
                quote!(#last.map(|item| item.#id_field.clone()))
            };
            (
                cursor_pages(&param_ident, page_ty, quote!(if #more { #next } else { None })),
                format!(
                    "while a page says `has_more`, the next request repeats this one with `{}` set to the last item's `id`. Ends on a page without more",
                    wire(param)
                ),
            )
        }
        PageShape::NextUrl { field } => {
            let next = field_path(field);
            (
                quote! {
                    crate::pagination::pages(
                        self,
                        None,
                        |mut request: Self, url: Option<String>| {
                            request.options.set_next_url(url);
                            request.send()
                        },
                        |page: &#page_ty| #next,
                    )
                },
                format!(
                    "each next request goes to the URL the previous page gives in `{}` (only on the client's own host). Ends on a page without one",
                    field.iter().map(|f| f.name.trim_start_matches("r#")).collect::<Vec<_>>().join(".")
                ),
            )
        }
        PageShape::LinkHeader => (
            quote! {
                crate::pagination::bodies(crate::pagination::pages(
                    self,
                    None,
                    |mut request: Self, url: Option<String>| {
                        request.options.set_next_url(url);
                        request.send_with_meta()
                    },
                    |page: &ApiResponse<#page_ty>| crate::pagination::next_link(&page.meta.headers),
                ))
            },
            "each next request goes to the `Link` header's `rel=\"next\"` URL (only on the client's own host). Ends on a page without one".to_string(),
        ),
    };
    let pages_doc = doc_attr(Some(&format!(
        "Every page, fetched lazily as the stream is polled: {doc}; yields [`Error::Pagination`]\n\
         instead of looping if the server repeats itself."
    )));
    quote! {
        #pages_doc
        pub fn pages(self) -> crate::Paged<#page_ty> {
            #pages
        }

        /// Every item of every page, in order, fetched lazily; only one page is held at a time.
        pub fn items(self) -> crate::Paged<#item_ty> {
            crate::pagination::items(self.pages(), |page: #page_ty| #items)
        }
    }
}

/// Pages asked for with a cursor in the query parameter `param`; `next` reads the next cursor
/// from `page`.
pub(super) fn cursor_pages(
    param: &proc_macro2::Ident,
    page_ty: &TokenStream,
    next: TokenStream,
) -> TokenStream {
    quote! {
        let first = self.#param.clone();
        crate::pagination::pages(
            self,
            first,
            |mut request: Self, cursor: Option<String>| {
                request.#param = cursor;
                request.send()
            },
            |page: &#page_ty| #next,
        )
    }
}

/// `Option<String>` of a string reached through `steps` from `page`.
pub(super) fn field_path(steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(Some(page));
    for step in steps {
        let name = ident(&step.name);
        expr = if step.optional {
            quote!(#expr.and_then(|value| value.#name.as_ref()))
        } else {
            quote!(#expr.map(|value| &value.#name))
        };
    }
    quote!(#expr.cloned())
}
