//! Following `$ref`s to components. After loading (see [`crate::load::bundle`]) every `$ref` is
//! `#/components/KIND/NAME`; anything else is an error that names the pointer.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn resolve_schema(
        &self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<&'a Schema, Error> {
        self.resolver()
            .component(schema, pointer, "schemas", |c| &c.schemas)
    }

    pub(super) fn component_name<'r>(
        &self,
        reference: &'r str,
        kind: &str,
        pointer: &str,
    ) -> Result<&'r str, Error> {
        self.resolver().component_name(reference, kind, pointer)
    }

    pub(super) fn dangling(&self, reference: &str, pointer: &str) -> Error {
        self.resolver().dangling(reference, pointer)
    }

    pub(super) fn resolver(&self) -> Resolver<'a> {
        Resolver {
            spec: self.spec,
            file: self.file,
        }
    }

    pub(super) fn resolve_parameter(
        &self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<&'a Parameter, Error> {
        self.resolver()
            .component(p, pointer, "parameters", |c| &c.parameters)
    }

    pub(super) fn resolve_request_body(
        &self,
        b: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Result<&'a RequestBody, Error> {
        self.resolver()
            .component(b, pointer, "requestBodies", |c| &c.request_bodies)
    }

    pub(super) fn resolve_response(
        &self,
        r: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Result<&'a openapiv3::Response, Error> {
        self.resolver()
            .component(r, pointer, "responses", |c| &c.responses)
    }
}

/// Follows `$ref`s into `#/components`. Borrows only the spec, so what it returns outlives any
/// borrow of the [`Lowerer`].
#[derive(Clone, Copy)]
pub(super) struct Resolver<'a> {
    spec: &'a OpenAPI,
    file: &'a Path,
}

impl<'a> Resolver<'a> {
    pub(super) fn component<T>(
        self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'a T, Error> {
        let mut current = item;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(t) => return Ok(t),
                ReferenceOr::Reference { reference } => {
                    let name = self.component_name(reference, kind, pointer)?;
                    current = self
                        .spec
                        .components
                        .as_ref()
                        .and_then(|c| pick(c).get(name))
                        .ok_or_else(|| self.dangling(reference, pointer))?;
                }
            }
        }
        Err(Error::at(self.file, pointer, "a chain of $refs loops"))
    }

    pub(super) fn component_name<'r>(
        self,
        reference: &'r str,
        kind: &str,
        pointer: &str,
    ) -> Result<&'r str, Error> {
        let prefix = format!("#/components/{kind}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.contains('/') => Ok(name),
            _ if !reference.starts_with('#') => Err(Error::at(
                self.file,
                pointer,
                format!("external $ref `{reference}` is not supported"),
            )
            .hint("bundle the spec into one file first (e.g. `redocly bundle`)")),
            _ => Err(Error::at(
                self.file,
                pointer,
                format!("$ref `{reference}` does not point into #/components/{kind}"),
            )),
        }
    }

    pub(super) fn dangling(self, reference: &str, pointer: &str) -> Error {
        Error::at(
            self.file,
            pointer,
            format!("$ref `{reference}` points at nothing"),
        )
        .hint("define the component, or fix the reference")
    }
}
