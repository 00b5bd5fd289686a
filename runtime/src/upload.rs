//! Binary request bodies and file parts that need not be held in memory: an [`UploadBody`] is
//! bytes, a file read as it is sent, or a stream, and says whether it can be sent again (for
//! retries). Identical in every generated client.

use crate::error::Error;

/// A stream of body chunks, for [`UploadBody::from_stream`] and [`UploadBody::from_stream_fn`].
pub type ChunkStream = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send>,
>;

/// The contents of a binary request body or a file part, sent without being held in memory
/// when they come from a file or a stream.
///
/// A body that can be made again (bytes, a file path, a function that makes the stream) is
/// sent again on a retry, as any other body. A stream handed over once ([`Self::from_stream`])
/// can be sent only once: a request with such a body is never retried, and a 401 is not
/// answered with a fresh token and a resend.
#[derive(Clone)]
pub struct UploadBody {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(bytes::Bytes),
    File(std::path::PathBuf),
    Remake(
        std::sync::Arc<dyn Fn() -> ChunkStream + Send + Sync>,
        Option<u64>,
    ),
    Once(
        std::sync::Arc<std::sync::Mutex<Option<ChunkStream>>>,
        Option<u64>,
    ),
}

impl std::fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::Bytes(bytes) => write!(f, "UploadBody({} bytes)", bytes.len()),
            Source::File(path) => write!(f, "UploadBody(file {})", path.display()),
            Source::Remake(..) => f.write_str("UploadBody(stream, made again on a retry)"),
            Source::Once(..) => f.write_str("UploadBody(stream, sent once)"),
        }
    }
}

impl Default for UploadBody {
    fn default() -> Self {
        UploadBody::from(Vec::new())
    }
}

impl PartialEq for UploadBody {
    /// Bytes compare by contents, files by path, streams only with themselves.
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File(a), Source::File(b)) => a == b,
            (Source::Remake(a, _), Source::Remake(b, _)) => std::sync::Arc::ptr_eq(a, b),
            (Source::Once(a, _), Source::Once(b, _)) => std::sync::Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Vec<u8>> for UploadBody {
    fn from(bytes: Vec<u8>) -> Self {
        UploadBody {
            source: Source::Bytes(bytes.into()),
        }
    }
}

impl From<bytes::Bytes> for UploadBody {
    fn from(bytes: bytes::Bytes) -> Self {
        UploadBody {
            source: Source::Bytes(bytes),
        }
    }
}

impl From<&'static [u8]> for UploadBody {
    fn from(bytes: &'static [u8]) -> Self {
        UploadBody::from(bytes::Bytes::from_static(bytes))
    }
}

impl From<String> for UploadBody {
    fn from(text: String) -> Self {
        UploadBody::from(text.into_bytes())
    }
}

impl UploadBody {
    /// The file at `path`, read as it is sent (again for a retry); its size is sent as the
    /// `Content-Length`.
    pub fn from_path(path: impl Into<std::path::PathBuf>) -> Self {
        UploadBody {
            source: Source::File(path.into()),
        }
    }

    /// A stream that `make` makes for each attempt, so that a retry sends it again. With
    /// `length`, it is sent as the `Content-Length` (the stream must then have exactly that
    /// many bytes); without, the body is sent chunked.
    pub fn from_stream_fn(
        length: Option<u64>,
        make: impl Fn() -> ChunkStream + Send + Sync + 'static,
    ) -> Self {
        UploadBody {
            source: Source::Remake(std::sync::Arc::new(make), length),
        }
    }

    /// A stream sent once: the request is not retried (see the type's docs). `length` as for
    /// [`Self::from_stream_fn`].
    pub fn from_stream(
        length: Option<u64>,
        stream: impl futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static,
    ) -> Self {
        UploadBody {
            source: Source::Once(
                std::sync::Arc::new(std::sync::Mutex::new(Some(Box::pin(stream)))),
                length,
            ),
        }
    }

    /// The contents when they are bytes in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether the body can be sent again (for a retry).
    pub fn is_repeatable(&self) -> bool {
        !matches!(self.source, Source::Once(..))
    }

    /// A `reqwest` body for one attempt, and its length when known. `name` names the body or
    /// part in errors.
    #[doc(hidden)]
    pub fn attempt(&self, name: &str) -> Result<(reqwest::Body, Option<u64>), Error> {
        Ok(match &self.source {
            Source::Bytes(bytes) => (bytes.clone().into(), Some(bytes.len() as u64)),
            Source::File(path) => {
                let unreadable = |e: std::io::Error| Error::InvalidRequest {
                    parameter: name.to_string(),
                    message: format!("cannot read `{}`: {e}", path.display()),
                };
                let file = std::fs::File::open(path).map_err(unreadable)?;
                let length = file.metadata().map_err(unreadable)?.len();
                let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
                (reqwest::Body::wrap_stream(stream), Some(length))
            }
            Source::Remake(make, length) => (reqwest::Body::wrap_stream(make()), *length),
            Source::Once(slot, length) => {
                let stream = slot.lock().ok().and_then(|mut s| s.take()).ok_or_else(|| {
                    Error::InvalidRequest {
                        parameter: name.to_string(),
                        message: "is a stream that was already sent; a retry needs \
                                  `UploadBody::from_stream_fn` or a file"
                            .to_string(),
                    }
                })?;
                (reqwest::Body::wrap_stream(stream), *length)
            }
        })
    }
}
