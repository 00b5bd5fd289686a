//! The walk that copies `$ref` targets into the root document's `components` and rewrites
//! each `$ref` to `#/components/KIND/NAME` (the contract is in [`super`]).

use super::*;

pub(super) struct Bundler {
    /// The root spec's folder; no file outside it is read.
    pub(super) dir: PathBuf,
    /// That folder as the caller named it, for messages.
    pub(super) given_dir: PathBuf,
    pub(super) root_path: PathBuf,
    /// Parsed files by normalized absolute path (the root as it was before bundling).
    pub(super) docs: BTreeMap<PathBuf, Value>,
    pub(super) files: Vec<crate::load::bundle::SourceFile>,
    pub(super) origins: Vec<Origin>,
    /// (file, fragment, section) → the component name of its copy.
    pub(super) memo: BTreeMap<(PathBuf, String, &'static str), String>,
    /// Names in use per components section.
    pub(super) taken: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Copies to add to the root's components: section → (name, node), in order.
    pub(super) hoisted: BTreeMap<String, Vec<(String, Value)>>,
    pub(super) warnings: Vec<crate::Warning>,
}

impl Bundler {
    pub(super) fn walk_document(&mut self, doc: &mut Value, file: &Path) -> Result<(), Error> {
        if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
            let sections = [
                Kind::Schema,
                Kind::Parameter,
                Kind::RequestBody,
                Kind::Response,
                Kind::Header,
                Kind::Example,
                Kind::PathItem,
            ];
            // First every component that is only a `$ref` to another file claims that place,
            // so that `$ref`s met earlier in the walk point at the component's own name.
            for kind in sections {
                let section = kind.section();
                for (name, node) in components
                    .get(section)
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let ptr = pointer_push(&pointer_push("/components", section), name);
                    if let Some(key) = self.external_component(node, kind, file, &ptr)? {
                        self.memo.entry(key).or_insert_with(|| name.clone());
                    }
                }
            }
            for kind in sections {
                let section = kind.section();
                if let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) {
                    for (name, node) in entries.iter_mut() {
                        let ptr = pointer_push(&pointer_push("/components", section), name);
                        self.walk_component(node, kind, name, file, &ptr)?;
                    }
                }
            }
        }
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                let ptr = pointer_push("/paths", path);
                self.walk(item, Kind::PathItem, file, &ptr)?;
            }
        }
        if let Some(hooks) = doc.get_mut("webhooks").and_then(Value::as_object_mut) {
            for (name, item) in hooks.iter_mut() {
                let ptr = pointer_push("/webhooks", name);
                self.walk(item, Kind::PathItem, file, &ptr)?;
            }
        }
        Ok(())
    }

    /// The place a root component points at when it is only a `$ref` to another file.
    fn external_component(
        &mut self,
        node: &Value,
        kind: Kind,
        file: &Path,
        ptr: &str,
    ) -> Result<Option<(PathBuf, String, &'static str)>, Error> {
        let Some(Value::String(reference)) = node.get("$ref") else {
            return Ok(None);
        };
        if kind == Kind::PathItem || reference.starts_with('#') {
            return Ok(None);
        }
        let (target_file, fragment) = self.target(reference, file, ptr)?;
        Ok((target_file != self.root_path).then_some((target_file, fragment, kind.section())))
    }

    /// A root component (`#/components/KIND/NAME`). One that is only a `$ref` to another file
    /// (`Pet: {$ref: ./pet.yaml}`, the usual layout of a split spec) becomes that file's
    /// content under its own name, and every other `$ref` to the same place points at it.
    fn walk_component(
        &mut self,
        node: &mut Value,
        kind: Kind,
        name: &str,
        file: &Path,
        ptr: &str,
    ) -> Result<(), Error> {
        let owned = self
            .external_component(node, kind, file, ptr)?
            .filter(|key| self.memo.get(key).is_some_and(|n| n == name));
        let (Some(key), Some(Value::String(reference))) = (owned, node.get("$ref").cloned()) else {
            return match node.get("$ref") {
                Some(Value::String(_)) => self.walk(node, kind, file, ptr),
                _ => self.walk_inner(node, kind, file, ptr),
            };
        };
        let (target_file, fragment, _) = key;
        let mut copy = self.lookup(&target_file, &fragment, file, ptr, &reference)?;
        self.origins.push(Origin {
            bundled: ptr.to_string(),
            file: self.label(&target_file),
            pointer: fragment.clone(),
        });
        self.walk(&mut copy, kind, &target_file, &fragment)?;
        *node = copy;
        Ok(())
    }

    /// A node of `kind`: a `$ref` to rewrite, or an object to descend into.
    pub(super) fn walk(
        &mut self,
        node: &mut Value,
        kind: Kind,
        file: &Path,
        ptr: &str,
    ) -> Result<(), Error> {
        let reference = match node.get("$ref") {
            Some(Value::String(r)) => r.clone(),
            _ => return self.walk_inner(node, kind, file, ptr),
        };
        let local = file == self.root_path;
        if local && is_component_ref(&reference) && kind != Kind::PathItem {
            return Ok(());
        }
        let (target_file, fragment) = self.target(&reference, file, ptr)?;
        if kind == Kind::PathItem {
            // Inlined where it stands: 3.0 has no components for path items.
            let mut item = self.lookup(&target_file, &fragment, file, ptr, &reference)?;
            if item.get("$ref").is_some() {
                return Err(Error::at(
                    self.shown(file),
                    ptr,
                    format!("the path item `$ref` `{reference}` points at another `$ref`"),
                )
                .hint("point it at the path item itself"));
            }
            self.walk_inner(&mut item, Kind::PathItem, &target_file, &fragment)?;
            self.origins.push(Origin {
                bundled: ptr.to_string(),
                file: self.label(&target_file),
                pointer: fragment,
            });
            *node = item;
            return Ok(());
        }
        let section = kind.section();
        // A root `#/components/KIND/NAME` reached from another file stays what it is.
        if target_file == self.root_path {
            if let Some(name) = fragment
                .strip_prefix(&format!("/components/{section}/"))
                .filter(|n| !n.contains('/'))
            {
                *node = ref_to(section, &unescape(name));
                return Ok(());
            }
        }
        let key = (target_file.clone(), fragment.clone(), section);
        let name = match self.memo.get(&key) {
            Some(name) => name.clone(),
            None => {
                let mut copy = self.lookup(&target_file, &fragment, file, ptr, &reference)?;
                let name = self.claim(section, &target_file, &fragment);
                self.memo.insert(key, name.clone());
                let bundled = pointer_push(&pointer_push("/components", section), &name);
                self.origins.push(Origin {
                    bundled: bundled.clone(),
                    file: self.label(&target_file),
                    pointer: fragment.clone(),
                });
                self.walk(&mut copy, kind, &target_file, &fragment)?;
                self.hoisted
                    .entry(section.to_string())
                    .or_default()
                    .push((name.clone(), copy));
                name
            }
        };
        *node = ref_to(section, &name);
        Ok(())
    }

    /// Descends into a node of `kind`, to the places where `$ref`s of a known kind stand.
    pub(super) fn walk_inner(
        &mut self,
        node: &mut Value,
        kind: Kind,
        file: &Path,
        ptr: &str,
    ) -> Result<(), Error> {
        let Some(map) = node.as_object_mut() else {
            return Ok(());
        };
        let each = |this: &mut Self,
                    key: &str,
                    kind: Kind,
                    map: &mut Map<String, Value>|
         -> Result<(), Error> {
            if let Some(child) = map.get_mut(key) {
                this.walk(child, kind, file, &pointer_push(ptr, key))?;
            }
            Ok(())
        };
        let each_entry = |this: &mut Self,
                          key: &str,
                          kind: Kind,
                          map: &mut Map<String, Value>|
         -> Result<(), Error> {
            let base = pointer_push(ptr, key);
            match map.get_mut(key) {
                Some(Value::Object(entries)) => {
                    for (k, child) in entries.iter_mut() {
                        this.walk(child, kind, file, &pointer_push(&base, k))?;
                    }
                }
                Some(Value::Array(items)) => {
                    for (i, child) in items.iter_mut().enumerate() {
                        this.walk(child, kind, file, &pointer_push(&base, &i.to_string()))?;
                    }
                }
                _ => {}
            }
            Ok(())
        };
        match kind {
            Kind::Schema => {
                for key in ["items", "not", "additionalProperties"] {
                    each(self, key, Kind::Schema, map)?;
                }
                for key in [
                    "properties",
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "patternProperties",
                    "prefixItems",
                ] {
                    each_entry(self, key, Kind::Schema, map)?;
                }
            }
            Kind::PathItem => {
                each_entry(self, "parameters", Kind::Parameter, map)?;
                for method in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    if let Some(op) = map.get_mut(method).and_then(Value::as_object_mut) {
                        let op_ptr = pointer_push(ptr, method);
                        self.walk_operation(op, file, &op_ptr)?;
                    }
                }
            }
            Kind::Parameter | Kind::Header => {
                each(self, "schema", Kind::Schema, map)?;
                self.walk_content(map, file, ptr)?;
                each_entry(self, "examples", Kind::Example, map)?;
            }
            Kind::RequestBody | Kind::Response => {
                self.walk_content(map, file, ptr)?;
                each_entry(self, "headers", Kind::Header, map)?;
            }
            Kind::Example => {}
        }
        Ok(())
    }

    pub(super) fn walk_operation(
        &mut self,
        op: &mut Map<String, Value>,
        file: &Path,
        ptr: &str,
    ) -> Result<(), Error> {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                let p_ptr = pointer_push(&pointer_push(ptr, "parameters"), &i.to_string());
                self.walk(p, Kind::Parameter, file, &p_ptr)?;
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.walk(
                body,
                Kind::RequestBody,
                file,
                &pointer_push(ptr, "requestBody"),
            )?;
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (code, r) in responses.iter_mut() {
                let r_ptr = pointer_push(&pointer_push(ptr, "responses"), code);
                self.walk(r, Kind::Response, file, &r_ptr)?;
            }
        }
        Ok(())
    }

    /// `content/MEDIA/schema`, and the headers of each media type's `encoding`.
    pub(super) fn walk_content(
        &mut self,
        map: &mut Map<String, Value>,
        file: &Path,
        ptr: &str,
    ) -> Result<(), Error> {
        let Some(Value::Object(content)) = map.get_mut("content") else {
            return Ok(());
        };
        for (media, m) in content.iter_mut() {
            let m_ptr = pointer_push(&pointer_push(ptr, "content"), media);
            let Some(m) = m.as_object_mut() else { continue };
            if let Some(schema) = m.get_mut("schema") {
                self.walk(schema, Kind::Schema, file, &pointer_push(&m_ptr, "schema"))?;
            }
            if let Some(Value::Object(examples)) = m.get_mut("examples") {
                for (name, e) in examples.iter_mut() {
                    let e_ptr = pointer_push(&pointer_push(&m_ptr, "examples"), name);
                    self.walk(e, Kind::Example, file, &e_ptr)?;
                }
            }
            if let Some(Value::Object(encoding)) = m.get_mut("encoding") {
                for (prop, enc) in encoding.iter_mut() {
                    if let Some(Value::Object(headers)) = enc.get_mut("headers") {
                        for (h, header) in headers.iter_mut() {
                            let h_ptr = pointer_push(
                                &pointer_push(
                                    &pointer_push(&pointer_push(&m_ptr, "encoding"), prop),
                                    "headers",
                                ),
                                h,
                            );
                            self.walk(header, Kind::Header, file, &h_ptr)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The file and fragment a `$ref` in `file` names, the file loaded.
    pub(super) fn target(
        &mut self,
        reference: &str,
        file: &Path,
        ptr: &str,
    ) -> Result<(PathBuf, String), Error> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let fragment = percent_decode(fragment);
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(Error::at(self.shown(file), ptr, format!("`$ref` `{reference}` is a URL; the generator reads no network resources"))
                .hint("download the referenced document into the spec's folder and refer to it by a relative path"));
        }
        if file_part.is_empty() {
            return Ok((file.to_path_buf(), fragment));
        }
        let base = file.parent().unwrap_or(&self.dir);
        let target = normalize(&base.join(percent_decode(file_part)));
        if !target.starts_with(&self.dir) {
            return Err(Error::at(
                self.shown(file),
                ptr,
                format!(
                    "`$ref` `{reference}` leaves the spec's folder ({})",
                    self.dir.display()
                ),
            )
            .hint("keep every file of the spec under the folder of its root file"));
        }
        if !self.docs.contains_key(&target) {
            let bytes = std::fs::read(&target).map_err(|e| {
                Error::at(self.shown(file), ptr, format!("`$ref` `{reference}`: cannot read {}: {e}", target.display()))
                    .hint("check the relative path; it is resolved against the folder of the file that holds the `$ref`")
            })?;
            let value = parse(&target, &bytes)?;
            self.files.push(SourceFile {
                label: self.label(&target),
                sha256: sha256(&bytes),
            });
            self.docs.insert(target.clone(), value);
        }
        Ok((target, fragment))
    }

    /// The node at `fragment` in `target`, cloned.
    pub(super) fn lookup(
        &mut self,
        target: &Path,
        fragment: &str,
        file: &Path,
        ptr: &str,
        reference: &str,
    ) -> Result<Value, Error> {
        let doc = self.docs.get(target);
        let found = doc.and_then(|doc| {
            if fragment.is_empty() {
                Some(doc)
            } else {
                doc.pointer(fragment)
            }
        });
        // Zoom's webhook specs point into `#/paths/EVENT/…` for what is in `#/webhooks/EVENT/…`.
        if found.is_none() {
            let in_webhooks = fragment
                .strip_prefix("/paths/")
                .and_then(|rest| doc?.pointer(&format!("/webhooks/{rest}")));
            if let Some(node) = in_webhooks.cloned() {
                self.warnings.push(crate::Warning {
                    pointer: ptr.to_string(),
                    message: format!(
                        "`$ref` `{reference}` points into `paths`, which has no such entry; read from `webhooks`, which has"
                    ),
                });
                return Ok(node);
            }
        }
        found.cloned().ok_or_else(|| {
            Error::at(
                self.shown(file),
                ptr,
                format!(
                    "`$ref` `{reference}` points at nothing: {} has no `{fragment}`",
                    self.label(target)
                ),
            )
            .hint("fix the JSON pointer after `#`")
        })
    }

    /// A free component name for a copy of `fragment` in `target`.
    pub(super) fn claim(&mut self, section: &str, target: &Path, fragment: &str) -> String {
        let base = match fragment.rsplit('/').next().filter(|t| !t.is_empty()) {
            Some(token) => unescape(token),
            None => target
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Component".to_string()),
        };
        let taken = self.taken.entry(section.to_string()).or_default();
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|n| !taken.contains(n))
            .unwrap_or(base);
        taken.insert(name.clone());
        name
    }

    pub(super) fn label(&self, path: &Path) -> String {
        path.strip_prefix(&self.dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// A file as errors name it: in the spec's folder as the caller named it.
    pub(super) fn shown(&self, path: &Path) -> PathBuf {
        self.given_dir.join(self.label(path))
    }
}

pub(super) fn ref_to(section: &str, name: &str) -> Value {
    let mut map = Map::new();
    map.insert(
        "$ref".to_string(),
        Value::String(pointer_push(&format!("#/components/{section}"), name)),
    );
    Value::Object(map)
}

/// RFC 6901 unescaping of one reference token.
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `%XX` decoding, for `$ref`s written as URI references.
pub(super) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Resolves `.` and `..` without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
