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
//! `dead_code` and `unused_imports`, so that a binary may use only part of the API.

mod dependencies;
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
        warn_missing_dependencies(&generated, &self.file_name);
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

/// Tells the user, through Cargo, of each crate the client names directly (a format type's, or
/// one of the config's `[dependencies]`) that their `Cargo.toml` does not depend on, with the
/// line to add. Run from a build script only (it reads `$CARGO_MANIFEST_DIR/Cargo.toml`, and
/// asks to run again when that changes).
fn warn_missing_dependencies(generated: &crate::Generated, file_name: &str) {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let manifest = Path::new(&dir).join("Cargo.toml");
    let Ok(user) = std::fs::read_to_string(&manifest) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", manifest.display());
    let wanted = generated.files.get("Cargo.toml").map_or("", String::as_str);
    for (name, line) in dependencies::missing(wanted, &user) {
        println!(
            "cargo:warning=the generated client ({file_name}) uses the `{name}` crate, which {} does not depend on: add `{line}` under [dependencies]",
            manifest.display()
        );
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

/// Lets the file's items go unused without a warning, as tonic-build's output does: included in
/// a private module or a binary, the parts of the API a program does not call would otherwise
/// each be `dead_code` or an unused import. Modules also allow:
/// - the clippy lints that clippy leaves alone on an exported API (its
///   `avoid-breaking-exported-api`) and so never sees in a generated crate, but would raise on
///   the spec's names in a private module (`wrong_self_convention` on an operation
///   `from_collection`, `enum_variant_names`);
/// - the lints a crate may turn on beyond the defaults that the generated code raises
///   (`missing_docs`, `unreachable_pub`, `unused_qualifications`,
///   `missing_copy_implementations`, clippy's `pedantic` and `nursery`), which are the including
///   crate's policy for its own code, as a generated crate is not subject to its users' lints
///   either.
fn allow_unused(items: &mut [syn::Item]) {
    const UNUSED: &[&str] = &["dead_code", "unused_imports"];
    const EXPORTED_API: &[&str] = &[
        "clippy::box_collection",
        "clippy::enum_variant_names",
        "clippy::redundant_allocation",
        "clippy::upper_case_acronyms",
        "clippy::vec_box",
        "clippy::wrong_self_convention",
    ];
    const BEYOND_DEFAULTS: &[&str] = &[
        "missing_copy_implementations",
        "missing_docs",
        "unreachable_pub",
        "unused_qualifications",
        "clippy::nursery",
        "clippy::pedantic",
    ];
    for item in items {
        let (attrs, module) = match item {
            syn::Item::Use(u) => (&mut u.attrs, false),
            syn::Item::Mod(m) => (&mut m.attrs, true),
            syn::Item::Const(c) if c.ident != "_" => (&mut c.attrs, false),
            syn::Item::Fn(f) => (&mut f.attrs, false),
            syn::Item::Struct(s) => (&mut s.attrs, false),
            syn::Item::Enum(e) => (&mut e.attrs, false),
            syn::Item::Static(s) => (&mut s.attrs, false),
            syn::Item::Type(t) => (&mut t.attrs, false),
            _ => continue,
        };
        if module {
            add_allows(attrs, &[UNUSED, EXPORTED_API, BEYOND_DEFAULTS].concat());
        } else {
            // A re-export, a constant: what of the rest could apply to one.
            add_allows(
                attrs,
                &[UNUSED, &["missing_docs", "unreachable_pub"]].concat(),
            );
        }
    }
}

/// Adds `lints` to the item's `allow` attribute, or gives it one. An inlined module keeps its
/// file's attributes inner (`#![allow(…)]`), and clippy objects to an item with both styles, so
/// the attribute takes the style the item's attributes already have.
fn add_allows(attrs: &mut Vec<syn::Attribute>, lints: &[&str]) {
    use syn::punctuated::Punctuated;
    let inner = |a: &syn::Attribute| matches!(a.style, syn::AttrStyle::Inner(_));
    let style = attrs
        .iter()
        .find(|a| inner(a))
        .map_or(syn::AttrStyle::Outer, |a| a.style);
    let existing = attrs.iter().position(|a| {
        inner(a) == matches!(style, syn::AttrStyle::Inner(_)) && a.path().is_ident("allow")
    });
    let mut listed: Punctuated<syn::Path, syn::Token![,]> = existing
        .and_then(|i| attrs[i].parse_args_with(Punctuated::parse_terminated).ok())
        .unwrap_or_default();
    let text = |p: &syn::Path| {
        quote::ToTokens::to_token_stream(p)
            .to_string()
            .replace(' ', "")
    };
    for lint in lints {
        let Ok(lint) = syn::parse_str::<syn::Path>(lint) else {
            continue;
        };
        if !listed.iter().any(|p| text(p) == text(&lint)) {
            listed.push(lint);
        }
    }
    let mut allow: syn::Attribute = syn::parse_quote!(#[allow(#listed)]);
    allow.style = style;
    match existing {
        Some(i) => attrs[i] = allow,
        // After the docs, where a person writes it.
        None => {
            let docs = attrs
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            attrs.insert(docs, allow);
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
    allow_unused(&mut lib.items);
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
