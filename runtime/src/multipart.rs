//! `multipart/form-data` bodies: text parts (with the content type the spec's `encoding` gives
//! them) and file parts. Only included in crates whose spec has a multipart body.

use crate::error::Error;
use crate::wire::RequestBody;

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
    RequestBody::Encoded(std::sync::Arc::new(
        move |builder: reqwest::RequestBuilder| {
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
                        let mut part = reqwest::multipart::Part::bytes(file.bytes.clone())
                            .file_name(file.file_name.clone());
                        if let Some(content_type) =
                            file.content_type.as_deref().or(*spec_content_type)
                        {
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
                };
            }
            Ok(builder.multipart(form))
        },
    ))
}

/// A file to upload as one part of a `multipart/form-data` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FilePart {
    /// The file name sent with the part.
    pub file_name: String,
    /// The part's content type (default `application/octet-stream`).
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file part with the given name and contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the part's content type, e.g. `video/mp4`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}
