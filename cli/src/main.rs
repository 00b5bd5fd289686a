//! `openapi-rs`: the generator as a command.
//!
//! ```text
//! openapi-rs generate --spec FILE --out DIR [--config TOML]
//! openapi-rs check    --spec FILE --out DIR [--config TOML]
//! openapi-rs diff OLD NEW [--config TOML] [--format text|md] [--fail-on major|minor]
//! ```
//!
//! Every command goes through the library's front door ([`codegen::Generator`]), as `cargo
//! xtask` in the generator's own repository does: `generate` and `check` are one code path.

use clap::{Parser, Subcommand, ValueEnum};
use codegen::diff::Level;
use codegen::Generator;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The generator allocates and frees many small token trees; mimalloc is faster at that than
// glibc's allocator (as in `cargo xtask`, whose generation `cargo xtask bench` measures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, as `--help` documents them.
const DIFFERS: u8 = 1;
const BAD_INPUT: u8 = 3;

const EXIT_CODES: &str = "\
Exit codes:
  0  done; for `check`, the directory is up to date; for `diff`, no change at or over --fail-on
  1  `check` found the directory out of date, or `diff` found a change at or over --fail-on
  2  bad arguments (the message says which, and suggests a fix for a typo)
  3  bad input: a spec or config that cannot be read or generated (the message names the file,
     the JSON pointer and the operation), or an output directory that cannot be written or
     that holds a crate the generator did not make";

/// Generate a typed Rust client crate from an OpenAPI 3 spec, check a directory against it, or
/// report what a spec change does to the crate's API.
#[derive(Debug, Parser)]
#[command(name = "openapi-rs", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a complete client crate for a spec into a directory. Nothing is written when the
    /// spec cannot be generated; files whose content is unchanged are not touched.
    #[command(after_help = EXIT_CODES)]
    Generate(Target),
    /// Check that a directory holds exactly what `generate` would write (CI's drift check). On a
    /// difference, prints which spec files changed and a diff of each generated file, and exits
    /// with 1.
    #[command(after_help = EXIT_CODES)]
    Check(Target),
    /// What a new version of a spec changes in the crate's public API, grouped by operation and
    /// type; the last line is `semver: major|minor|patch`.
    #[command(after_help = EXIT_CODES)]
    Diff(DiffArgs),
}

/// A spec, its config and the crate directory.
#[derive(Debug, clap::Args)]
struct Target {
    /// The spec (JSON or YAML), or the root file of a multi-file spec.
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// The crate directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The config (TOML): crate name, renames, formats, features, auth, … (see the README).
    #[arg(long, value_name = "TOML")]
    config: Option<PathBuf>,
    /// Depend on the `openapi-rs-runtime` crate at this path instead of copying its modules into
    /// the crate, so that several clients in one workspace compile it once. Give the same path
    /// to `check`.
    #[arg(long, value_name = "PATH", value_parser = runtime_crate)]
    runtime: Option<PathBuf>,
}

/// `--runtime`'s value: the folder of the `openapi-rs-runtime` crate (its `Cargo.toml` names
/// it), so that a mistyped path is refused here rather than by Cargo when the crate is built.
fn runtime_crate(value: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(value);
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| {
        format!(
            "cannot read {}: {e}; give the folder of the `openapi-rs-runtime` crate (`runtime/` of an openapi-rs checkout)",
            manifest.display()
        )
    })?;
    let name = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string));
    match name.as_deref() {
        Some("openapi-rs-runtime") => Ok(dir),
        other => Err(format!(
            "{} is the manifest of {}, not of `openapi-rs-runtime`; give the folder of the runtime crate (`runtime/` of an openapi-rs checkout)",
            manifest.display(),
            other.map_or("no package".to_string(), |n| format!("`{n}`"))
        )),
    }
}

impl Target {
    /// The generator, with the command that `generate` and `check` both record in the headers.
    fn generator(&self) -> Result<Generator, codegen::Error> {
        let mut command = format!(
            "openapi-rs generate --spec {} --out {}",
            shell_word(&self.spec),
            shell_word(&self.out)
        );
        let mut generator = Generator::new(&self.spec);
        if let Some(config) = &self.config {
            command.push_str(&format!(" --config {}", shell_word(config)));
            generator = generator.config_file(config)?;
        }
        if let Some(runtime) = &self.runtime {
            command.push_str(&format!(" --runtime {}", shell_word(runtime)));
            // Cargo reads a path dependency from the crate's own directory.
            let from_crate = relative_path(&absolute(runtime), &absolute(&self.out));
            generator = generator.shared_runtime(from_crate.to_string_lossy().replace('\\', "/"));
        }
        Ok(generator.command(command))
    }
}

/// A path as a shell word, for the command the headers record: as it is when it has nothing a
/// shell would split or expand, else in single quotes (a `'` inside written `'\''`), so that the
/// recorded command can be pasted into a shell.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `path` made absolute against the working directory, with `.` and `..` resolved in the text.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` as a path from the directory `base` (both absolute).
fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let target: Vec<_> = target.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &target[common..] {
        out.push(part);
    }
    out
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The spec as it was.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The spec as it is now.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// The config both specs are generated with (renames, features, …).
    #[arg(long, value_name = "TOML")]
    config: Option<PathBuf>,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when the change needs at least this semver bump.
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Plain text.
    Text,
    /// Markdown, for a pull request comment.
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    /// A breaking change.
    Major,
    /// A breaking or an additive change.
    Minor,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate(target) => generate(target),
        Command::Check(target) => check(target),
        Command::Diff(args) => diff(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Writes to standard output. A reader that has gone (`openapi-rs check … | head`) is not an
/// error: `print!` would panic and exit with 101 instead of the command's own exit code.
fn out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn print_warnings(spec: &Path, warnings: &[codegen::Warning]) {
    for w in warnings {
        eprintln!("warning: {}{w}", spec.display());
    }
}

fn generate(target: &Target) -> Result<u8, codegen::Error> {
    let generated = target.generator()?.generate()?;
    print_warnings(&target.spec, &generated.warnings);
    let written = generated.write_to(&target.out)?;
    eprintln!(
        "{}: {} operations, {} types, {} warning(s); {} file(s) written",
        target.out.display(),
        generated.operations,
        generated.types,
        generated.warnings.len(),
        written.len()
    );
    Ok(0)
}

fn check(target: &Target) -> Result<u8, codegen::Error> {
    let generated = target.generator()?.generate()?;
    // No crate there at all: one line, not every file printed as added.
    if !target.out.join("src/lib.rs").is_file() {
        eprintln!(
            "{}: no generated crate here (no `src/lib.rs`); run `openapi-rs generate` with the \
             same arguments first, or give `--out` the crate's folder",
            target.out.display()
        );
        return Ok(DIFFERS);
    }
    let drift = generated.check(&target.out)?;
    if drift.is_empty() {
        eprintln!("{}: up to date", target.out.display());
        return Ok(0);
    }
    for change in generated.spec_changes(&target.out) {
        out(&format!("spec: {change}\n"));
    }
    for d in &drift {
        out(&d.diff(&target.out));
    }
    eprintln!(
        "{}: {} file(s) differ from what the generator makes; run `openapi-rs generate` with the \
         same arguments and commit the result (never edit generated files by hand)",
        target.out.display(),
        drift.len()
    );
    Ok(DIFFERS)
}

fn diff(args: &DiffArgs) -> Result<u8, codegen::Error> {
    let with_config = |spec: &Path| -> Result<Generator, codegen::Error> {
        let generator = Generator::new(spec).spec_label(spec.display().to_string());
        match &args.config {
            Some(config) => generator.config_file(config),
            None => Ok(generator),
        }
    };
    let old = with_config(&args.old)?;
    let new = with_config(&args.new)?;
    let report = new.changes_since(&old)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    match args.format {
        Format::Text => out(&report.text()),
        Format::Md => out(&report.markdown()),
    }
    let limit = args.fail_on.map(|f| match f {
        FailOn::Major => Level::Major,
        FailOn::Minor => Level::Minor,
    });
    Ok(match limit {
        Some(limit) if report.semver() >= limit => DIFFERS,
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::shell_word;
    use std::path::Path;

    #[test]
    fn a_path_a_shell_would_split_is_quoted() {
        assert_eq!(
            shell_word(Path::new("api/openapi.yaml")),
            "api/openapi.yaml"
        );
        assert_eq!(
            shell_word(Path::new("my api/open api.json")),
            "'my api/open api.json'"
        );
        assert_eq!(shell_word(Path::new("it's.json")), r"'it'\''s.json'");
        assert_eq!(shell_word(Path::new("$HOME/x")), "'$HOME/x'");
    }
}
