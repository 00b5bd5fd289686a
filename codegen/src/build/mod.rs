//! Build-script mode: the client generated into one file under `$OUT_DIR`, for a crate that
//! `include!`s it, as prost-build and tonic-build do. The crate depends on `openapi-rs-runtime`
//! and reaches serde, reqwest and the rest through it; it needs no other dependency unless the
//! config maps formats to other crates' types or names dependencies of its own, which the build
//! script names when the crate's `Cargo.toml` lacks them.
//!
//! The file is the crate [`crate::Generator`] makes with a shared runtime, its modules inlined
//! (`mod operations { … }`) and its crate-level attributes left out, since an included file
//! cannot carry them. Its `crate::` paths are made relative to the module each is in
//! ([`relative`]), so that it can be included in any module, and its top-level items allow
//! `dead_code` and `unused_imports`, so that a binary may use only part of the API, and the
//! other lints an including crate may raise on them ([`lints`]).

mod dependencies;
mod lints;
mod relative;

use crate::{Error, Generator};
use std::path::{Path, PathBuf};

/// Generates a client from a `build.rs`, into `$OUT_DIR/openapi.rs` by default.
///
/// In `build.rs`'s `main` (and `include!(concat!(env!("OUT_DIR"), "/openapi.rs"));` at the root
/// of `src/lib.rs`):
///
/// ```no_run
/// openapi_rs_codegen::Build::new("api/openapi.yaml") // one file, or the root of a multi-file spec
///     .generate() // writes $OUT_DIR/openapi.rs
///     .expect("client generation failed");
/// ```
///
/// The build script prints `cargo:rerun-if-changed` for every file it read: each file of the
/// spec, the config and the crate's `Cargo.toml`. The generated items (`Client`, `ClientBuilder`, `types`, …) and the
/// runtime's module names (`auth`, `client`, `json`, …) land where the file is included, which
/// is the crate root or a module of the crate's (`mod api { include!(…); }`). A crate the client
/// names directly (a format type's, such as `chrono`) and the crate's `Cargo.toml` lacks gets
/// a `cargo:warning` with the line to add. The config's `[features]` (a Cargo feature per tag)
/// is for generated crates: the file has every operation. What the generator left out of the
/// spec is listed at the top of the file, and counted in a `cargo:warning`.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    config: Option<PathBuf>,
    file_name: String,
    out_dir: Option<PathBuf>,
}

impl Build {
    /// Generation from the spec at `spec` (relative paths are read from the package's
    /// directory, where Cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Build {
        Build {
            spec: spec.into(),
            config: None,
            file_name: "openapi.rs".to_string(),
            out_dir: None,
        }
    }

    /// Reads the config (TOML) from `path`, as `openapi-rs generate --config` does.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Build {
        self.config = Some(path.into());
        self
    }

    /// The name of the file written (default `openapi.rs`): for several clients in one crate,
    /// each included in a module of its own (their items have the same names).
    pub fn file_name(mut self, name: impl Into<String>) -> Build {
        self.file_name = name.into();
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Build {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates the client and writes it (only when its content changed, so that Cargo does
    /// not rebuild for nothing); returns the file's path.
    ///
    /// # Errors
    ///
    /// The spec or config cannot be read or generated (the error names the file, the JSON
    /// pointer and the operation), there is no `$OUT_DIR` (not run from a build script, and no
    /// [`Build::out_dir`]), or the file cannot be written.
    pub fn generate(&self) -> Result<PathBuf, Error> {
        let mut generator = Generator::new(&self.spec).command("cargo build");
        if let Some(config) = &self.config {
            println!("cargo:rerun-if-changed={}", config.display());
            generator = generator.config_file(config)?;
        }
        // After the config, which replaces the whole configuration: the file is always a crate
        // that uses the runtime crate (the path is not used, as no Cargo.toml is written).
        let mut generator = generator.shared_runtime(".");
        // Cargo features per tag belong to a generated crate's manifest; the including crate
        // has none of them (each `cfg` would be an unexpected one, its items compiled out), so
        // the file has every operation.
        generator.config.features.by_tag = false;
        generator.config.features.tag_separator = None;
        let generated = generator.generate()?;
        let folder = self.spec.parent().unwrap_or(Path::new(""));
        // Each file as the headers name it: relative to the root file's folder (the root file
        // itself by its name).
        for (label, _) in &generated.spec_files {
            println!("cargo:rerun-if-changed={}", folder.join(label).display());
        }
        if generated.spec_files.is_empty() {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        dependencies::warn_missing(&generated, &self.file_name);
        let text = one_file(&generated.files, &generated.warnings)?;
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::at(
                        &self.spec,
                        "",
                        "no OUT_DIR: Build::generate runs from a build script",
                    )
                    .hint("call it from build.rs, or give a directory with Build::out_dir")
                })?,
        };
        let path = dir.join(&self.file_name);
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, &text))
                .map_err(|e| Error::at(&path, "", format!("cannot write the client: {e}")))?;
        }
        // A generated crate lists them in its docs, which an included file cannot carry.
        if !generated.warnings.is_empty() {
            println!(
                "cargo:warning={}: {} part(s) of the spec were left out or loosened; each is listed, with its JSON pointer, at the top of {}",
                self.spec.display(),
                generated.warnings.len(),
                path.display()
            );
        }
        Ok(path)
    }
}

/// Leaves out, at any depth, the items behind a generated crate's opt-in features.
fn strip_opt_in(items: &mut Vec<syn::Item>) {
    use quote::ToTokens;
    let opt_in = |attrs: &[syn::Attribute]| {
        attrs.iter().any(|a| {
            a.path().is_ident("cfg") && {
                let text = a.meta.to_token_stream().to_string();
                ["\"mock\"", "\"middleware\""]
                    .iter()
                    .any(|feature| text.contains(feature))
            }
        })
    };
    items.retain(|item| match item {
        syn::Item::Use(u) => !opt_in(&u.attrs),
        syn::Item::Fn(f) => !opt_in(&f.attrs),
        syn::Item::Mod(m) => !opt_in(&m.attrs),
        _ => true,
    });
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    strip_opt_in(inner);
                }
            }
            syn::Item::Impl(block) => block.items.retain(|i| match i {
                syn::ImplItem::Fn(f) => !opt_in(&f.attrs),
                _ => true,
            }),
            _ => {}
        }
    }
}

/// The crate's Rust files as one: `lib.rs` without its crate-level attributes, each `mod NAME;`
/// replaced by the module's file inlined, and after the header a comment that lists `warnings`
/// (what a generated crate's docs list under "Not generated").
fn one_file(
    files: &std::collections::BTreeMap<String, String>,
    warnings: &[crate::Warning],
) -> Result<String, Error> {
    let parse = |path: &str| -> Result<syn::File, Error> {
        let text = files.get(path).map(String::as_str).unwrap_or_default();
        syn::parse_file(text).map_err(|e| {
            Error::at(
                path,
                "",
                format!("internal error: the generated file does not parse: {e}"),
            )
            .hint("this is a bug in the generator; please report it with the spec")
        })
    };
    let mut lib = parse("src/lib.rs")?;
    lib.shebang = None;
    lib.attrs.clear();
    // The typed mocks and the middleware sit behind the generated crate's own `mock` and
    // `middleware` features, which the user's crate does not have (a `cfg` on them would warn
    // there): a generated crate offers them.
    lib.items
        .retain(|item| !matches!(item, syn::Item::Mod(m) if m.ident == "mock"));
    for item in &mut lib.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.content.is_some() {
            continue;
        }
        let file = parse(&format!("src/{}.rs", module.ident))?;
        module.attrs.extend(file.attrs);
        module.content = Some((syn::token::Brace::default(), file.items));
        module.semi = None;
    }
    strip_opt_in(&mut lib.items);
    relative::make_relative(&mut lib);
    lints::allow_what_the_includer_would_raise(&mut lib.items);
    let header = files
        .get("src/lib.rs")
        .map(|text| {
            text.lines()
                .take_while(|l| l.starts_with("//") && !l.starts_with("//!"))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        })
        .unwrap_or_default();
    let text = prettyplease::unparse(&lib);
    let mut skipped = String::new();
    if !warnings.is_empty() {
        skipped.push_str(
            "\n// Not generated: the generator left out or loosened these parts of the spec (where: what it did).\n",
        );
        for w in warnings {
            skipped.push_str(&format!("//   {}\n", w.to_string().replace('\n', " ")));
        }
    }
    Ok(format!(
        "{header}{skipped}\n{}",
        crate::format::lay_out(&text)
    ))
}
