//! `multipart/form-data` bodies: text parts (with the content type the spec's `encoding` gives
//! them) and file parts. Only included in crates whose spec has a multipart body.

use crate::error::Error;
use crate::wire::{RequestBody, UploadBody};

/// One part of a multipart body.
#[doc(hidden)]
pub enum Part {
    /// A text part, with the content type the spec's `encoding` gives it.
    Text(&'static str, String, Option<&'static str>),
    /// A file part; the spec's content type applies when the file has none of its own.
    File(&'static str, FilePart, Option<&'static str>),
}

/// A multipart body of `parts`, encoded anew for each attempt.
#[doc(hidden)]
pub fn body(parts: Vec<Part>) -> RequestBody {
    let repeatable = parts.iter().all(|part| match part {
        Part::File(_, file, _) => file.body.is_repeatable(),
        Part::Text(..) => true,
    });
    RequestBody::Encoded(
        std::sync::Arc::new(move |builder: reqwest::RequestBuilder| {
            let mut form = reqwest::multipart::Form::new();
            for part in &parts {
                form = match part {
                    Part::Text(name, value, content_type) => {
                        let mut part = reqwest::multipart::Part::text(value.clone());
                        if let Some(content_type) = content_type {
                            part =
                                part.mime_str(content_type)
                                    .map_err(|_| Error::InvalidRequest {
                                        parameter: (*name).to_string(),
                                        message: format!(
                                            "has an invalid content type `{content_type}`"
                                        ),
                                    })?;
                        }
                        form.part(*name, part)
                    }
                    Part::File(name, file, spec_content_type) => {
                        let (body, length) = file.body.attempt(name)?;
                        let part = match length {
                            Some(length) => {
                                reqwest::multipart::Part::stream_with_length(body, length)
                            }
                            None => reqwest::multipart::Part::stream(body),
                        };
                        // A file part always says its type: the part's own, the spec's, or
                        // `application/octet-stream`, as browsers and curl send (some servers'
                        // parsers fail on a file part without one).
                        let content_type = file
                            .content_type
                            .as_deref()
                            .or(*spec_content_type)
                            .unwrap_or("application/octet-stream");
                        let part = part
                            .file_name(file.file_name.clone())
                            .mime_str(content_type)
                            .map_err(|_| Error::InvalidRequest {
                                parameter: (*name).to_string(),
                                message: format!("has an invalid content type `{content_type}`"),
                            })?;
                        form.part(*name, part)
                    }
                };
            }
            Ok(builder.multipart(form))
        }),
        repeatable,
    )
}

/// A file to upload as one part of a `multipart/form-data` request: its contents as bytes, a
/// file read as it is sent, or a stream ([`UploadBody`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilePart {
    /// The file name sent with the part.
    pub file_name: String,
    /// The part's content type (default `application/octet-stream`).
    pub content_type: Option<String>,
    /// The file's contents.
    pub body: UploadBody,
}

/// Written as its file name: a file part's contents go out in the multipart encoding, never in
/// JSON.
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.file_name)
    }
}

/// Read from text: its bytes are the contents (a file part found in JSON has no name).
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(FilePart::new("", text))
    }
}

impl FilePart {
    /// A file part with the given name and contents: bytes (`Vec<u8>`, `&'static [u8]`,
    /// `String`), or an [`UploadBody`] from a file or a stream.
    pub fn new(file_name: impl Into<String>, body: impl Into<UploadBody>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            body: body.into(),
        }
    }

    /// The file at `path`, read as it is sent and named after its last component.
    pub fn from_path(path: impl Into<std::path::PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        FilePart::new(file_name, UploadBody::from_path(path))
    }

    /// Sets the part's content type, e.g. `video/mp4`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}
