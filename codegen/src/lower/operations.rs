//! Operations: each path item's operations in the spec's order, with their method and builder
//! names decided here, lowered part by part (parameters, body, responses, pagination).

use super::*;

/// Where an operation is, and the names decided for it.
pub(super) struct OperationSite<'s> {
    /// The path template.
    pub path: &'s str,
    /// The HTTP method.
    pub method: Method,
    /// JSON pointer of the operation.
    pub pointer: &'s str,
    /// Its operationId (or the one made for it).
    pub operation_id: &'s str,
    /// The client method's name.
    pub method_name: &'s str,
    /// The request builder's name.
    pub builder_name: &'s str,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        let reserved = crate::runtime_source::reserved();
        let mut methods = Scope::with_reserved(
            reserved
                .client_methods
                .iter()
                .map(String::as_str)
                .chain(CLIENT_TRAIT_METHODS.iter().copied())
                .chain(super::auth::constructor_names(&self.auth)),
        );
        let mut builders = Scope::with_reserved(
            reserved
                .items
                .iter()
                .map(String::as_str)
                .chain(PRELUDE_NAMES.iter().copied()),
        );
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = pointer_push("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.unsupported(
                        &path_pointer,
                        None,
                        "a $ref'd path item is not supported; the path is skipped".into(),
                    )?;
                    continue;
                }
            };
            for (key, op) in item.iter() {
                let Some(method) = Method::from_key(key) else {
                    continue;
                };
                let pointer = pointer_push(&path_pointer, key);
                let operation_id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", key, path.replace(['{', '}'], " ")));
                let method_name = match self.config.rename.operations.get(&operation_id) {
                    Some(name) => {
                        if naming::snake_name(name, "") != *name {
                            return Err(Error::at(self.file, "", format!("the config renames operation `{operation_id}` to `{name}`, which is not a snake_case identifier")));
                        }
                        methods.claim(name)
                    }
                    None => methods.claim(&naming::snake_name(&operation_id, "operation")),
                };
                let builder_name = builders.claim(&format!(
                    "{}Request",
                    naming::type_name(method_name.trim_start_matches("r#"), "operation")
                ));
                let site = OperationSite {
                    path,
                    method,
                    pointer: &pointer,
                    operation_id: &operation_id,
                    method_name: &method_name,
                    builder_name: &builder_name,
                };
                match self.lower_operation(site, op, &item.parameters, &mut builders)? {
                    Some(op) => operations.push(op),
                    None => continue,
                }
            }
        }
        Ok(operations)
    }

    pub(super) fn lower_operation(
        &mut self,
        site: OperationSite<'_>,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
        builders: &mut Scope,
    ) -> Result<Option<Operation>, Error> {
        let op_ctx = Ctx {
            candidate: naming::type_name(site.method_name.trim_start_matches("r#"), "operation"),
            qualifier: None,
            pointer: site.pointer.to_string(),
        };
        let Some(params) = self.operation_params(&site, op, shared_params)? else {
            return Ok(None);
        };
        let segments = self.path_segments(&site, &params)?;
        let Some(body) = self.request_body(&site, op, &op_ctx)? else {
            return Ok(None);
        };
        let Responses {
            response,
            errors,
            error_bodies,
            accept,
            success_status,
        } = self.responses(&site, op, &op_ctx, builders)?;
        let (path, pointer, operation_id) = (site.path, site.pointer, site.operation_id);
        let method = site.method;
        let scopes = op
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.values().flatten().cloned())
            .fold(Vec::new(), |mut acc: Vec<String>, s| {
                if !acc.contains(&s) {
                    acc.push(s);
                }
                acc
            });

        let pagination = self.pagination(op, operation_id, &params, &response);
        let security = super::auth::requirement(&self.auth, self.spec, op.security.as_ref());

        Ok(Some(Operation {
            operation_id: operation_id.to_string(),
            method_name: site.method_name.to_string(),
            builder_name: site.builder_name.to_string(),
            method,
            path: path.to_string(),
            segments,
            params,
            body,
            response,
            success_status,
            summary: op.summary.clone(),
            description: op.description.as_deref().map(docs::to_rustdoc),
            scopes,
            security,
            errors,
            error_bodies,
            accept,
            deprecated: op.deprecated,
            pagination,
            pointer: pointer.to_string(),
            tags: op.tags.clone(),
            feature: None,
        }))
    }
}
