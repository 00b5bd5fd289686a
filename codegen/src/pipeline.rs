//! The pipeline run once: load (read, bundle, normalize) → lower (the model) → emit and format
//! each file on a few worker threads → the crate's files in memory, with the runtime's modules
//! copied in. The front door ([`crate::Generator`]) and the inspection API
//! ([`crate::inspect`]) call in here; nothing here writes to disk.

use crate::lower::security;
use crate::{emit, error, format, load, lower, naming};
use crate::{Config, Error, Generated, Provenance};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// Everything [`generate`] needs.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The spec file (for messages and the format; the bytes are in `spec_bytes`).
    pub spec_path: &'a Path,
    /// The spec's bytes.
    pub spec_bytes: &'a [u8],
    /// How the header names the spec (e.g. `specs/master.json`).
    pub spec_label: String,
    /// The config beside the spec.
    pub config: Config,
    /// The command that regenerates the crate, for the header.
    pub command: String,
}

/// The model `generate` would emit for `input`: the same loading and lowering, no emitting.
///
/// # Errors
///
/// As [`generate`].
pub fn model(input: &Input<'_>) -> Result<crate::model::Api, Error> {
    load_and_lower(input, &mut Vec::new()).map(|(_, api)| api)
}

/// Stages 1 and 2: the loaded spec and its model, with what was skipped in another file of the
/// spec moved to that file's pointer.
fn load_and_lower(
    input: &Input<'_>,
    timings: &mut Vec<(String, Duration)>,
) -> Result<(load::LoadedSpec, crate::model::Api), Error> {
    let start = Instant::now();
    let loaded = load::load_bytes(input.spec_path, input.spec_bytes)?;
    timings.push(("load".to_string(), start.elapsed()));
    let start = Instant::now();
    let mut api = lower::lower(
        &loaded.spec,
        &loaded.webhooks,
        input.spec_path,
        &input.config,
    )
    .map_err(|e| e.moved_to_origin(input.spec_path, &loaded.origins))?;
    for w in &mut api.skipped {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    timings.push(("lower".to_string(), start.elapsed()));
    Ok((loaded, api))
}

/// Generates a client crate.
///
/// # Errors
///
/// An [`Error`] naming the file and JSON pointer of the first problem that stops generation.
pub fn generate(input: &Input<'_>) -> Result<Generated, Error> {
    generate_with_model(input).map(|generation| generation.generated)
}

/// How many types or operations go in one part of `src/types.rs` or `src/operations.rs`: parts
/// are emitted and printed by separate workers, and only one per worker is held as tokens and
/// a syntax tree at once.
pub const PART_ITEMS: usize = 100;

/// A generated crate with the model and the (bundled, normalized) spec it was emitted from, for
/// tools that need all three (`cargo xtask contract` writes a driver from the model and the
/// spec's schemas) without loading the spec again.
#[derive(Debug, Clone)]
pub struct Generation {
    /// The crate.
    pub generated: Generated,
    /// The model `emit` read.
    pub api: crate::model::Api,
    /// The spec as loaded: bundled into one document and normalized.
    pub spec: openapiv3::OpenAPI,
}

/// As [`generate`], keeping the model and the loaded spec.
///
/// # Errors
///
/// As [`generate`].
pub fn generate_with_model(input: &Input<'_>) -> Result<Generation, Error> {
    let mut timings = Vec::new();
    let (loaded, api) = load_and_lower(input, &mut timings)?;
    // Files of a multi-file spec, named as the spec is (`specs/pets.yaml` → `specs/pets/…`).
    let folder = input
        .spec_label
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let mut spec_files: Vec<(String, String)> = loaded
        .files
        .iter()
        .map(|f| (format!("{folder}{}", f.label), f.sha256.clone()))
        .collect();
    if let Some(root) = spec_files.first_mut() {
        root.0 = input.spec_label.clone();
    }
    let provenance = Provenance {
        spec: input.spec_label.clone(),
        sha256: loaded.sha256.clone(),
        files: if spec_files.len() > 1 {
            spec_files.clone()
        } else {
            Vec::new()
        },
        command: input.command.clone(),
    };
    let package_name = input.config.krate.name.clone().unwrap_or_else(|| {
        naming::snake_name(&api.title, "api-client")
            .trim_start_matches("r#")
            .replace('_', "-")
    });
    let crate_ident = package_name.replace('-', "_");
    // No server and no `base_url` in the config: the client then needs one at build time.
    let base_url = api.base_url.clone();
    let description = input
        .config
        .krate
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed Rust client for the {} API", api.title.trim()));
    let package = emit::krate::Package {
        name: &package_name,
        version: input.config.krate.version.as_deref().unwrap_or("0.1.0"),
        description: &description,
        dependencies: &input.config.dependencies,
    };

    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        format::toml_file(&emit::krate::cargo_toml(&package, &api), &provenance),
    );
    files.insert(
        "rustfmt.toml".to_string(),
        format::toml_file(&emit::krate::rustfmt_toml(), &provenance),
    );
    // Each Rust file, and each part of the two large ones, is emitted and printed by one of a
    // few worker threads (token streams are not `Send`, so a part's tokens never leave its
    // thread); the printed parts of a file are joined in order and spaced once. Large files are
    // cut into parts of about `PART_ITEMS` types or operations, and only as many parts as there
    // are workers are in memory as tokens and syntax trees at once, which bounds the peak.
    type Emit<'a> = Box<dyn Fn(&crate::model::Api) -> proc_macro2::TokenStream + Send + Sync + 'a>;
    let parts_of = |items: usize| items.div_ceil(PART_ITEMS).max(2);
    let (type_parts, operation_parts) = (parts_of(api.types.len()), parts_of(api.operations.len()));
    let mut rust_files: Vec<(&str, Emit<'_>)> = Vec::new();
    for part in 0..type_parts {
        rust_files.push((
            "src/types.rs",
            Box::new(move |api: &crate::model::Api| emit::types::types_part(api, part, type_parts)),
        ));
    }
    for part in 0..operation_parts {
        rust_files.push((
            "src/operations.rs",
            Box::new(move |api: &crate::model::Api| {
                emit::operations::operations_part(api, part, operation_parts)
            }),
        ));
    }
    rust_files.push((
        "src/lib.rs",
        Box::new(|api: &crate::model::Api| {
            emit::krate::lib_file(api, &crate_ident, base_url.as_deref())
        }),
    ));
    rust_files.push(("src/security.rs", Box::new(emit::security::security_file)));
    if !api.webhooks.is_empty() {
        rust_files.push(("src/webhooks.rs", Box::new(emit::webhooks::webhooks_file)));
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .clamp(1, rust_files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    /// A file or part printed: its text, and how long emitting and formatting took.
    type Printed = Result<(String, Duration, Duration), Error>;
    let printed: Vec<Printed> = std::thread::scope(|scope| {
        let (api, next, rust_files) = (&api, &next, &rust_files);
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    // (index, result) of each file or part this worker took, in turn.
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, emit)) = rust_files.get(i) else {
                            return done;
                        };
                        let start = Instant::now();
                        let tokens = emit(api);
                        let emitted = start.elapsed();
                        let start = Instant::now();
                        let result = format::unparse(path, tokens)
                            .map(|text| (text, emitted, start.elapsed()));
                        done.push((i, result));
                    }
                })
            })
            .collect();
        let mut results: Vec<Option<Printed>> = (0..rust_files.len()).map(|_| None).collect();
        for handle in handles {
            // A worker that panicked leaves its files without a result, reported below.
            for (i, result) in handle.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
        results
            .into_iter()
            .zip(rust_files.iter())
            .map(|(result, (path, _))| {
                result.unwrap_or_else(|| {
                    Err(
                        Error::at(*path, "", "internal error: emitting this file panicked")
                            .hint("this is a bug in the generator; please report it with the spec"),
                    )
                })
            })
            .collect()
    });
    // Parts of one file are adjacent: join them, then space and head the whole.
    let mut joined: Vec<(&str, String, Duration, Duration)> = Vec::new();
    for ((path, _), result) in rust_files.iter().zip(printed) {
        let (text, emitted, took) = result?;
        match joined.last_mut() {
            Some(last) if last.0 == *path => {
                last.1.push_str(&text);
                last.2 += emitted;
                last.3 += took;
            }
            _ => joined.push((path, text, emitted, took)),
        }
    }
    for (path, text, emitted, took) in joined {
        timings.push((format!("emit {path}"), emitted));
        timings.push((format!("format {path}"), took));
        files.insert(path.to_string(), format::finish(path, &text, &provenance));
    }
    // The runtime's modules, verbatim (comments included) behind the header, without their
    // unit tests.
    let copied = match api.shared_runtime {
        Some(_) => Vec::new(),
        None => emit::krate::runtime_modules(&api),
    };
    for module in copied {
        files.insert(
            format!("src/{}.rs", module.name),
            format!(
                "{}\n{}\n",
                provenance.short_header("//"),
                module.source.trim_end()
            ),
        );
    }
    let mut warnings = loaded.warnings;
    warnings.extend(api.skipped.iter().cloned());
    for w in &mut warnings {
        w.pointer = error::origin_of(&w.pointer, &loaded.origins);
    }
    let generated = Generated {
        files,
        warnings,
        operations: api.operations.len(),
        events: api.webhooks.len(),
        types: api.types.len(),
        security: api.auth.schemes.iter().map(security::label).collect(),
        spec_files,
        security_declared: loaded
            .spec
            .components
            .as_ref()
            .map_or(0, |c| c.security_schemes.len()),
        timings,
    };
    Ok(Generation {
        generated,
        api,
        spec: loaded.spec,
    })
}
