//! `cargo xtask …`: the maintainers' commands. See `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--verbose]          regenerate every bundled spec's crate (specs/*.toml say where);
                             warnings are counted by kind, --verbose lists each with its pointer
  check                      fail with a diff if committed generated code differs from the generator's output
  generate --spec FILE --out DIR [--config FILE] [--timings]
                             write a complete client crate for any spec into DIR; --timings
                             prints each stage's wall time
  diff OLD NEW [--config TOML] [--format text|md] [--bump]
  diff --spec FILE [--rev REV] [--format text|md] [--bump]
                             what a new spec changes in the crate's API, grouped by operation and
                             type, ending with `semver: major|minor|patch`; --rev compares a
                             bundled spec with its version at REV (default HEAD); --bump raises
                             `[crate] version` in the config to match
  contract (--set zoom|sample|large|FILE | --spec FILE [--config TOML]) [--out DIR] [--expect-all]
                             generate each client with a driver that calls every operation once
                             against Prism (static, then dynamic); writes DIR/contract.csv (and
                             docs/contract/SET.md for the named sets)
  corpus [--set zoom|webhooks|sample|large|openapi31|all|FILE] [--jobs N] [--out DIR]
         [--generate-only | --doc]
                             generate and check a crate for every spec of a set (`all`: the whole
                             corpus); writes a report (and docs/corpus/SET.md for the named sets);
                             --doc also runs `cargo doc` over the crates that pass clippy and
                             fails those rustdoc warns about; --generate-only makes the crates in
                             memory and compiles none (docs/corpus/SET-generate-only.md)
  bench [--graph] [--baseline REV]
                             measure generation, `cargo check` of the generated crates and the
                             client at run time beside baselines (the generator at REV, default
                             the one before the performance work; progenitor; plain reqwest;
                             hand-written serde); writes docs/bench.md. --graph adds Microsoft
                             Graph (many GB, many minutes)
  fuzz [--runs N] [--check-every K] [--seed S] [--run R] [--timeout SECS]
                             mutate the fixture and bundled specs and fail on a panic, a hang
                             (default 30 s) or an accepted spec whose crate does not pass
                             `cargo clippy -D warnings` (every K-th accepted one is checked;
                             default 200 runs, K = 20, seed 1); --run R replays one run
  help                       this text";

/// The commands, for suggestions.
const COMMANDS: &[&str] = &[
    "regen", "check", "generate", "diff", "contract", "corpus", "bench", "fuzz", "help",
];

/// `did you mean …?` for a mistyped command, when one is close.
fn suggestion(typed: &str) -> String {
    COMMANDS
        .iter()
        .map(|c| (strsim::levenshtein(typed, c), c))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--help` on any command prints the usage, which documents every command.
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match args.first().map(String::as_str) {
        Some("regen") if args.len() == 1 || (args.len() == 2 && args[1] == "--verbose") => {
            xtask::regen(&xtask::workspace_root(), args.len() == 2).map(|report| {
                eprint!("{report}");
            })
        }
        Some("check") if args.len() == 1 => xtask::check(&xtask::workspace_root()),
        Some("generate") => {
            let timings = args.iter().any(|a| a == "--timings");
            let rest: Vec<String> = args[1..]
                .iter()
                .filter(|a| *a != "--timings")
                .cloned()
                .collect();
            parse_generate(&rest).and_then(|(spec, out, config)| {
                xtask::generate(&spec, &out, config.as_deref(), timings)
                    .map(|report| eprint!("{report}"))
            })
        }
        Some("diff") => parse_diff(&args[1..]).and_then(|options| {
            xtask::diff::run(&xtask::workspace_root(), &options).map(|report| print!("{report}"))
        }),
        Some("contract") => parse_contract(&args[1..]).and_then(|options| {
            contract::run(&xtask::workspace_root(), &options).map(|summary| println!("{summary}"))
        }),
        Some("corpus") => parse_corpus(&args[1..]).and_then(|options| {
            corpus::run(&xtask::workspace_root(), &options).map(|summary| println!("{summary}"))
        }),
        Some("bench") => parse_bench(&args[1..]).and_then(|options| {
            bench::run(&xtask::workspace_root(), &options).map(|summary| println!("{summary}"))
        }),
        Some("fuzz") => parse_fuzz(&args[1..]).and_then(|options| {
            fuzz::run(&xtask::workspace_root(), &options).map(|summary| println!("{summary}"))
        }),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(command) if !COMMANDS.contains(&command) => Err(format!(
            "unknown command `{command}`{}\n\n{USAGE}",
            suggestion(command)
        )),
        _ => Err(format!("malformed command: {}\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_generate(args: &[String]) -> Result<(PathBuf, PathBuf, Option<PathBuf>), String> {
    let (mut spec, mut out, mut config) = (None, None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--spec" => &mut spec,
            "--out" => &mut out,
            "--config" => &mut config,
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        };
        let value = it
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        *slot = Some(PathBuf::from(value));
    }
    match (spec, out) {
        (Some(spec), Some(out)) => Ok((spec, out, config)),
        _ => Err(format!(
            "`generate` needs --spec FILE and --out DIR\n\n{USAGE}"
        )),
    }
}

fn parse_diff(args: &[String]) -> Result<xtask::diff::Options, String> {
    let mut options = xtask::diff::Options::default();
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{arg}` needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--spec" => options.spec = Some(PathBuf::from(value()?)),
            "--rev" => options.rev = Some(value()?),
            "--config" => options.config = Some(PathBuf::from(value()?)),
            "--format" => {
                options.markdown = match value()?.as_str() {
                    "md" | "markdown" => true,
                    "text" => false,
                    other => return Err(format!("`--format` is `text` or `md`, not `{other}`")),
                }
            }
            "--bump" => options.bump = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n\n{USAGE}"))
            }
            file => files.push(PathBuf::from(file)),
        }
    }
    match (files.len(), &options.spec) {
        (2, None) => {
            if options.rev.is_some() {
                return Err("`--rev` goes with `--spec`, not with two files".into());
            }
            let new = files.pop();
            let old = files.pop();
            options.files = old.zip(new);
        }
        (0, Some(_)) => {}
        _ => {
            return Err(format!(
                "`diff` takes two spec files, or `--spec FILE`\n\n{USAGE}"
            ))
        }
    }
    Ok(options)
}

fn parse_contract(args: &[String]) -> Result<contract::Options, String> {
    let mut options = contract::Options::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--expect-all" {
            options.expect_all = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        match flag.as_str() {
            "--set" => options.set = Some(value.clone()),
            "--spec" => options.spec = Some(PathBuf::from(value)),
            "--config" => options.config = Some(PathBuf::from(value)),
            "--out" => options.out = Some(PathBuf::from(value)),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if options.set.is_some() == options.spec.is_some() {
        return Err(format!("`contract` takes --set or --spec\n\n{USAGE}"));
    }
    Ok(options)
}

fn parse_corpus(args: &[String]) -> Result<corpus::Options, String> {
    let mut options = corpus::Options {
        set: "zoom".into(),
        generate_only: false,
        doc: false,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        out: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--generate-only" {
            options.generate_only = true;
            continue;
        }
        if flag == "--doc" {
            options.doc = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        match flag.as_str() {
            "--set" => options.set = value.clone(),
            "--jobs" => {
                options.jobs = value
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("`--jobs` takes a positive number, got `{value}`"))?
            }
            "--out" => options.out = Some(PathBuf::from(value)),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if options.generate_only && options.doc {
        return Err(format!(
            "`--doc` documents the crates it compiles, and `--generate-only` compiles none: give one of them\n\n{USAGE}"
        ));
    }
    Ok(options)
}

fn parse_bench(args: &[String]) -> Result<bench::Options, String> {
    let mut options = bench::Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--graph" => options.graph = true,
            "--baseline" => {
                options.baseline = it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("`--baseline` needs a commit\n\n{USAGE}"))?;
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn parse_fuzz(args: &[String]) -> Result<fuzz::Options, String> {
    let mut options = fuzz::Options::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("`{flag}` takes a number, got `{value}`"))
        };
        match flag.as_str() {
            "--runs" => options.runs = number()? as usize,
            "--check-every" => options.check_every = number()? as usize,
            "--seed" => options.seed = number()?,
            "--run" => options.only = Some(number()? as usize),
            "--timeout" => options.timeout = std::time::Duration::from_secs(number()?),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}
