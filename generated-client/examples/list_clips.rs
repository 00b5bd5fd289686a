//! Lists every clip of an account across all pages, one line of JSON per clip on stdout;
//! progress and a summary on stderr.
//!
//! ```text
//! cargo run -p zoom-clips-master --example list_clips -- ACCOUNT_ID \
//!     [--status S] [--user-id U] [--from T] [--to T] [--page-size N]
//! ```
//!
//! Authentication comes from the environment: `ZOOM_ACCESS_TOKEN`, or `ZOOM_ACCOUNT_ID`,
//! `ZOOM_CLIENT_ID` and `ZOOM_CLIENT_SECRET` for Server-to-Server OAuth. `ZOOM_BASE_URL` and
//! `ZOOM_OAUTH_URL` override the default API and token URLs.
//!
//! This file is hand-written (the generator owns only `Cargo.toml` and `src/`).

use futures_util::StreamExt;
use std::io::Write;
use std::process::ExitCode;
use zoom_clips_master::types::ClipStatus;
use zoom_clips_master::{Client, Error};

const USAGE: &str = "usage: list_clips ACCOUNT_ID [--status S] [--user-id U] [--from T] [--to T] [--page-size N]";

#[derive(Debug, Default)]
struct Args {
    account_id: String,
    status: Option<ClipStatus>,
    user_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page_size: Option<i64>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut account_id = None;
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--status" => parsed.status = Some(ClipStatus::from(value("--status")?)),
            "--user-id" => parsed.user_id = Some(value("--user-id")?),
            "--from" => parsed.from = Some(value("--from")?),
            "--to" => parsed.to = Some(value("--to")?),
            "--page-size" => {
                let raw = value("--page-size")?;
                let size = raw.parse().map_err(|_| format!("--page-size must be a whole number, got `{raw}`"))?;
                parsed.page_size = Some(size);
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`\n{USAGE}")),
            _ if account_id.is_none() => account_id = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    parsed.account_id = account_id.ok_or_else(|| format!("ACCOUNT_ID is missing\n{USAGE}"))?;
    Ok(parsed)
}

fn client_from_env() -> Result<Client, String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = match (
        var("ZOOM_ACCESS_TOKEN"),
        var("ZOOM_ACCOUNT_ID"),
        var("ZOOM_CLIENT_ID"),
        var("ZOOM_CLIENT_SECRET"),
    ) {
        (Some(token), _, _, _) => Client::builder(token),
        (None, Some(account), Some(id), Some(secret)) => {
            let builder = Client::server_to_server(account, id, secret);
            match var("ZOOM_OAUTH_URL") {
                Some(url) => builder.oauth_url(url),
                None => builder,
            }
        }
        _ => {
            return Err("set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET \
                        for Server-to-Server OAuth"
                .to_string())
        }
    };
    if let Some(url) = var("ZOOM_BASE_URL") {
        builder = builder.base_url(url);
    }
    builder.build().map_err(|e| e.to_string())
}

fn describe(error: &Error) -> String {
    match error {
        Error::Api(api) => match api.tracking_id() {
            Some(id) => format!("{api} [x-zm-trackingid {id}]"),
            None => api.to_string(),
        },
        other => other.to_string(),
    }
}

async fn run() -> Result<(), String> {
    let args = parse_args(std::env::args().skip(1))?;
    let client = client_from_env()?;
    let mut request = client.list_clips(args.account_id);
    if let Some(status) = args.status {
        request = request.status(status);
    }
    if let Some(user_id) = args.user_id {
        request = request.user_id(user_id);
    }
    if let Some(from) = args.from {
        request = request.from(from);
    }
    if let Some(to) = args.to {
        request = request.to(to);
    }
    if let Some(size) = args.page_size {
        request = request.page_size(size);
    }

    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut pages = Box::pin(request.pages());
    let (mut page_count, mut clip_count) = (0usize, 0usize);
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| describe(&e))?;
        page_count += 1;
        for clip in page.data.unwrap_or_default() {
            let line = serde_json::to_string(&clip).map_err(|e| format!("cannot encode a clip: {e}"))?;
            writeln!(stdout, "{line}").map_err(|e| format!("cannot write to stdout: {e}"))?;
            clip_count += 1;
        }
        stdout.flush().map_err(|e| format!("cannot write to stdout: {e}"))?;
        eprintln!("page {page_count}: {clip_count} clips so far");
    }
    eprintln!("listed {clip_count} clips in {page_count} pages");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
