//! A build-time OpenAPI 3 → Rust client generator.
//!
//! The front door is small:
//!
//! - [`Generator`]: a spec and its [`Config`] → [`Generated`], a client crate in memory, which
//!   [`Generated::write_to`] writes and [`Generated::check`] compares with a folder ([`Drift`]);
//!   [`Generator::changes_since`] reports what a new spec changes in the crate's API
//!   ([`diff::Report`]);
//! - [`Build`]: the same from a build script, into one file under `$OUT_DIR`;
//! - [`Error`] (file, JSON pointer, operation, hint) and [`Warning`] (what was skipped).
//!
//! The pipeline behind it, one private module a stage: `load` (read, bundle and normalize JSON or
//! YAML into `openapiv3`, with errors that carry a JSON pointer) → `lower` (the generator's own
//! model, every name decided there through `naming`) → `emit` (token trees with `quote!`) →
//! `format` (prettyplease and the generated-file header). [`inspect`] opens parts of it on
//! purpose for this repository's own tools.
#![deny(missing_docs)]

pub mod config;
pub mod diff;
pub(crate) mod docs;
pub(crate) mod emit;
mod error;
pub(crate) mod format;
pub(crate) mod load;
pub(crate) mod lower;
pub(crate) mod model;
pub(crate) mod naming;
pub(crate) mod runtime_source;

mod build;
pub mod inspect;
mod output;
mod pipeline;
mod workers;

pub use build::Build;
pub use config::Config;
pub use error::{pointer_push, Error, Warning};
use format::Provenance;
pub use output::Drift;

use pipeline::{generate, model, Input};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The front door: a spec (one file, or the root file of a multi-file spec) and its config,
/// turned into a client crate in memory, which [`Generated::write_to`] writes and
/// [`Generated::check`] compares with a directory.
///
/// ```
/// let generator = openapi_rs_codegen::Generator::new("tests/fixtures/multi_file.json");
/// let krate = generator.generate()?;
/// assert!(krate.files.contains_key("src/lib.rs"));
/// let out = std::env::temp_dir().join("openapi-rs-doctest-generator");
/// krate.write_to(&out)?;
/// assert!(krate.check(&out)?.is_empty(), "just written, so up to date");
/// # std::fs::remove_dir_all(&out).ok();
/// # Ok::<(), openapi_rs_codegen::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    spec: PathBuf,
    config: Config,
    label: Option<String>,
    command: Option<String>,
}

impl Generator {
    /// A generator for the spec at `spec` (JSON or YAML), with the default config.
    pub fn new(spec: impl Into<PathBuf>) -> Generator {
        Generator {
            spec: spec.into(),
            config: Config::default(),
            label: None,
            command: None,
        }
    }

    /// Uses `config` (what a config file holds; see the README's reference table).
    pub fn config(mut self, config: Config) -> Generator {
        self.config = config;
        self
    }

    /// Reads the config from a TOML file.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or is not a valid config (the error names the key).
    pub fn config_file(self, path: impl AsRef<Path>) -> Result<Generator, Error> {
        let config = Config::load(path.as_ref())?;
        Ok(self.config(config))
    }

    /// Makes the crate use the `openapi-rs-runtime` crate at `path` (relative to the generated
    /// crate's directory, as its `Cargo.toml` will say) instead of copies of the runtime's
    /// modules; the config key `runtime` says the same.
    pub fn shared_runtime(mut self, path: impl Into<String>) -> Generator {
        self.config.runtime = Some(path.into());
        self
    }

    /// How the generated files' headers name the spec (default: its file name).
    pub fn spec_label(mut self, label: impl Into<String>) -> Generator {
        self.label = Some(label.into());
        self
    }

    /// The command the generated files' headers say regenerates them (default:
    /// `openapi-rs generate --spec FILE`).
    pub fn command(mut self, command: impl Into<String>) -> Generator {
        self.command = Some(command.into());
        self
    }

    /// The spec file.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// The config in use.
    pub fn config_ref(&self) -> &Config {
        &self.config
    }

    /// The spec's bytes, and the [`Input`] the pipeline reads.
    fn input<'a>(&'a self, bytes: &'a [u8]) -> Input<'a> {
        let label = self.label.clone().unwrap_or_else(|| {
            self.spec.file_name().map_or_else(
                || self.spec.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        });
        let command = self
            .command
            .clone()
            .unwrap_or_else(|| format!("openapi-rs generate --spec {}", self.spec.display()));
        Input {
            spec_path: &self.spec,
            spec_bytes: bytes,
            spec_label: label,
            config: self.config.clone(),
            command,
        }
    }

    fn read_spec(&self) -> Result<Vec<u8>, Error> {
        std::fs::read(&self.spec).map_err(|e| {
            Error::at(&self.spec, "", format!("cannot read the spec: {e}"))
                .hint("check the path given as the spec")
        })
    }

    /// Generates the crate, in memory.
    ///
    /// # Errors
    ///
    /// An [`Error`] naming the file, the JSON pointer and (where there is one) the operation of
    /// the first problem that stops generation, with a hint.
    pub fn generate(&self) -> Result<Generated, Error> {
        let bytes = self.read_spec()?;
        generate(&self.input(&bytes))
    }

    /// What generating from this spec instead of `old`'s changes in the crate's public API, with
    /// the semver level it needs. Entries of this generator's config that no longer name
    /// anything in the spec (an operation renamed in `[rename]` that the spec dropped, …) are in
    /// the report's warnings.
    ///
    /// ```
    /// let old = openapi_rs_codegen::Generator::new("tests/diff/base.json");
    /// let report = openapi_rs_codegen::Generator::new("tests/diff/base.json").changes_since(&old)?;
    /// assert_eq!(report.semver(), openapi_rs_codegen::diff::Level::Patch);
    /// # Ok::<(), openapi_rs_codegen::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Generator::generate`], for either spec.
    pub fn changes_since(&self, old: &Generator) -> Result<diff::Report, Error> {
        let (old_api, old_stale) = old.lenient_model()?;
        let (new_api, new_stale) = self.lenient_model()?;
        let mut report = diff::diff(&old_api, &new_api);
        report.warnings = old_stale
            .iter()
            .map(|w| format!("old: {}{w}", old.spec.display()))
            .chain(
                new_stale
                    .iter()
                    .map(|w| format!("new: {}{w}", self.spec.display())),
            )
            .collect();
        Ok(report)
    }

    /// The model the crate would be emitted from, with config entries that name nothing in the
    /// spec as warnings (returned apart) rather than errors.
    fn lenient_model(&self) -> Result<(model::Api, Vec<Warning>), Error> {
        let bytes = self.read_spec()?;
        let mut input = self.input(&bytes);
        input.config.stale_entries_warn = true;
        let mut api = model(&input)?;
        let (stale, skipped) = api
            .skipped
            .drain(..)
            .partition(|w| w.message.ends_with(" is stale"));
        api.skipped = skipped;
        Ok((api, stale))
    }
}

impl Generated {
    /// Writes the crate into `dir`, touching only files whose content changed and removing
    /// generated files it no longer makes (hand-written `examples/`, `tests/` and `README.md`
    /// are left alone). A file that differs only in the command its header names (the same
    /// paths spelled from another folder) is left as it is. Returns what changed.
    ///
    /// # Errors
    ///
    /// A file or directory that cannot be written, named in the error; or `dir` holds a crate
    /// the generator did not make (its `Cargo.toml` or `src/lib.rs` lacks the generator's
    /// header), which is refused before anything is written.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Vec<Drift>, Error> {
        output::sync(dir.as_ref(), self, output::Mode::Write)
    }

    /// How the files in `dir` differ from this crate, writing nothing: empty when `dir` is up to
    /// date. The command a header names is not compared. [`Drift::diff`] shows each difference.
    ///
    /// # Errors
    ///
    /// None today; the signature leaves room for reading errors.
    pub fn check(&self, dir: impl AsRef<Path>) -> Result<Vec<Drift>, Error> {
        output::sync(dir.as_ref(), self, output::Mode::Check)
    }

    /// Which spec files differ from those the crate in `dir` was generated from (read from its
    /// `src/lib.rs` header), one sentence each naming the file: what a failed check tells the
    /// reader to look at.
    pub fn spec_changes(&self, dir: impl AsRef<Path>) -> Vec<String> {
        output::spec_changes(dir.as_ref(), self)
    }
}

/// A generated crate: relative paths (with `/`) to file contents.
///
/// ```
/// let krate = openapi_rs_codegen::Generator::new("tests/fixtures/responses.json").generate()?;
/// assert!(krate.files.contains_key("Cargo.toml"));
/// assert!(krate.files["src/lib.rs"].starts_with("// @generated by openapi-rs-codegen"));
/// assert!(krate.operations > 0);
/// # Ok::<(), openapi_rs_codegen::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file the generator owns in the crate's directory.
    pub files: BTreeMap<String, String>,
    /// What was skipped or tolerated.
    pub warnings: Vec<Warning>,
    /// Number of operations generated.
    pub operations: usize,
    /// Number of webhook events generated.
    pub events: usize,
    /// Number of named types generated.
    pub types: usize,
    /// The spec's security schemes the client supports, one label each (`bearer`, `basic`,
    /// `apiKey(header)`, `oauth2`, `oauth2+client-credentials`, `openIdConnect`).
    pub security: Vec<String>,
    /// How many security schemes the spec declares.
    pub security_declared: usize,
    /// Every file the spec spans, as the header names it, with its SHA-256; the root first.
    pub spec_files: Vec<(String, String)>,
    /// Wall time of each stage (`load`, `lower`, then `emit` and `format` of each Rust file),
    /// for `cargo xtask generate --timings` and the benchmark. Files (and parts of the large
    /// ones) are emitted and formatted by several worker threads, so their times overlap; a
    /// file's time is the sum over its parts.
    pub timings: Vec<(String, Duration)>,
}
