//! The one error type of the generator: every failure says where (file and JSON pointer, and the
//! operation when there is one) and what to do about it.

use std::fmt;
use std::path::PathBuf;

/// A generation failure. Nothing is written when one is returned.
///
/// ```
/// let dir = std::env::temp_dir().join("openapi-rs-doctest-error");
/// std::fs::create_dir_all(&dir).expect("mkdir");
/// let spec = dir.join("broken.json");
/// std::fs::write(&spec, r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
///     "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "nowhere"}]}}}}"#)
///     .expect("write");
/// let err = openapi_rs_codegen::Generator::new(&spec).generate().expect_err("invalid");
/// assert_eq!(err.file, spec);
/// assert!(err.pointer.starts_with("/paths/~1a/get"), "{}", err.pointer);
/// assert!(err.to_string().contains("broken.json#/paths/~1a/get"), "{err}");
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the problem is in (the spec, or its config).
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) of the offending node; empty for the whole document.
    pub pointer: String,
    /// The operation the node belongs to, when it belongs to one.
    pub operation: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl Error {
    /// An error at `pointer` in `file`.
    pub fn at(
        file: impl Into<PathBuf>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            file: file.into(),
            pointer: pointer.into(),
            operation: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds advice on what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Names the operation the error belongs to.
    pub fn in_operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if !self.pointer.is_empty() {
            write!(f, "#{}", self.pointer)?;
        }
        if let Some(op) = &self.operation {
            write!(f, " (operation `{op}`)")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The same text as `Display`, since `Debug` is what a build script's
/// `.expect("client generation failed")` and a `main` that returns `Result` print; `{:#?}`
/// gives the fields.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.debug_struct("Error")
                .field("file", &self.file)
                .field("pointer", &self.pointer)
                .field("operation", &self.operation)
                .field("message", &self.message)
                .field("hint", &self.hint)
                .finish()
        } else {
            fmt::Display::fmt(self, f)
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error about a part of a bundled spec, moved to the file and pointer the part came
    /// from (see [`crate::load::bundle`]); unchanged for parts of the root file.
    pub(crate) fn moved_to_origin(mut self, root: &std::path::Path, origins: &[Origin]) -> Self {
        if let Some((origin, rest)) = find_origin(&self.pointer, origins) {
            self.file = root
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join(&origin.file);
            self.pointer = format!("{}{rest}", origin.pointer);
        }
        self
    }
}

/// The origin whose bundled pointer is the longest prefix of `pointer`, and the rest.
fn find_origin<'o, 'p>(pointer: &'p str, origins: &'o [Origin]) -> Option<(&'o Origin, &'p str)> {
    origins
        .iter()
        .filter_map(|o| {
            let rest = pointer.strip_prefix(o.bundled.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then_some((o, rest))
        })
        .max_by_key(|(o, _)| o.bundled.len())
}

/// A warning's pointer, as `FILE#POINTER` when the part came from another file or place.
pub fn origin_of(pointer: &str, origins: &[Origin]) -> String {
    match find_origin(pointer, origins) {
        Some((origin, rest)) => format!("{}#{}{rest}", origin.file, origin.pointer),
        None => pointer.to_string(),
    }
}

/// Something the generator tolerated or skipped; generation went on.
///
/// ```
/// let krate = openapi_rs_codegen::Generator::new("tests/fixtures/real_world_deviations.json")
///     .generate()?;
/// let warning = krate
///     .warnings
///     .iter()
///     .find(|w| w.pointer == "/paths/~1ping/get")
///     .expect("the operation without responses is named");
/// assert!(warning.to_string().starts_with("#/paths/~1ping/get: "));
/// # Ok::<(), openapi_rs_codegen::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer of the node the warning is about; `FILE#POINTER` for a part of a
    /// multi-file spec that came from another file.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
}

impl Warning {
    /// `#POINTER`, or `FILE#POINTER` for a part that came from another file.
    pub fn location(&self) -> String {
        if self.pointer.contains('#') {
            self.pointer.clone()
        } else {
            format!("#{}", self.pointer)
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    // One allocation: loading and lowering make a pointer for every node of the spec.
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    for (i, part) in token.split('/').enumerate() {
        if i > 0 {
            out.push_str("~1");
        }
        for (j, piece) in part.split('~').enumerate() {
            if j > 0 {
                out.push_str("~0");
            }
            out.push_str(piece);
        }
    }
    out
}

/// Where a part of the bundled document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// JSON pointer of the part in the bundled document.
    pub bundled: String,
    /// The file it was read from, relative to the root spec's folder.
    pub file: String,
    /// Its JSON pointer in that file.
    pub pointer: String,
}

#[cfg(test)]
mod tests {
    use super::{pointer_push, Error};

    #[test]
    fn debug_reads_as_the_message_and_alternate_debug_gives_the_fields() {
        let err = Error::at("api/openapi.yaml", "/paths/~1pets", "no operations").hint("add one");
        let expected = "api/openapi.yaml#/paths/~1pets: no operations\n  hint: add one";
        assert_eq!(format!("{err:?}"), expected);
        assert_eq!(err.to_string(), expected);
        let fields = format!("{err:#?}");
        assert!(fields.starts_with("Error {"), "{fields}");
        assert!(fields.contains("pointer: \"/paths/~1pets\""), "{fields}");
    }

    #[test]
    fn pointer_tokens_are_escaped_as_rfc_6901_says() {
        assert_eq!(pointer_push("", "paths"), "/paths");
        assert_eq!(pointer_push("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_push("/a", "b~c"), "/a/b~0c");
        // `~` first, so that an escaped `/` is not escaped again.
        assert_eq!(pointer_push("/a", "~1"), "/a/~01");
        assert_eq!(pointer_push("/a", "~/"), "/a/~0~1");
        assert_eq!(pointer_push("/a", ""), "/a/");
    }
}
