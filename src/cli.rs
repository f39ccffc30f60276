//! The command line: one subcommand per editor task, each a thin call into the library.
//!
//! Exit codes: 0 success, 1 a problem in the site's files (or a failed write), 2 a usage error:
//! an argument clap refuses before anything runs, or an output folder `build` may not write to.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::build::{BuildOptions, build};

/// Builds news-analysis microsites from Markdown sections and YAML facts.
#[derive(Debug, Parser)]
#[command(name = "burnrate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Check the site without writing: everything build validates, plus links, anchors,
    /// images and figures typed by hand. Exits 0 only when clean.
    Check(CheckArgs),
    /// Create a commented starting file: `new company <slug>` or `new section <slug>`.
    /// An existing file is never overwritten.
    New(NewArgs),
    /// Preview the site at http://127.0.0.1:1111/<base path>/: builds it in memory (public/ is
    /// left alone), rebuilds on every save under content/, templates/ and static/, and reloads
    /// the open browser tab; build errors show in the terminal and over the page.
    Serve(ServeArgs),
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder holding content/, templates/ and static/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on. Only this computer can connect unless you give another
    /// address, such as 0.0.0.0 (every network interface). Requests must name localhost,
    /// 127.0.0.1, `[::1]` or this address (any IP address for 0.0.0.0), never another host name.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Look for saved files every 100 ms instead of relying on the system's change
    /// notifications; for folders where saves are not noticed (some network or shared
    /// folders).
    #[arg(long)]
    pub poll: bool,
    /// How long a client may take to send a request head, in ms (hidden: for tests).
    #[arg(long, hide = true)]
    pub head_timeout_ms: Option<u64>,
    /// How many connections are answered at once (hidden: for tests).
    #[arg(long, hide = true)]
    pub max_connections: Option<usize>,
    /// How many event streams may be open at once (hidden: for tests).
    #[arg(long, hide = true)]
    pub max_streams: Option<usize>,
    /// How long an event stream lives, in ms (hidden: for tests).
    #[arg(long, hide = true)]
    pub stream_lifetime_ms: Option<u64>,
}

impl ServeArgs {
    /// The limits asked for, the defaults where none is given.
    fn limits(&self) -> crate::serve::Limits {
        let default = crate::serve::Limits::default();
        let ms = std::time::Duration::from_millis;
        crate::serve::Limits {
            head_timeout: self.head_timeout_ms.map_or(default.head_timeout, ms),
            max_connections: self.max_connections.unwrap_or(default.max_connections),
            max_streams: self.max_streams.unwrap_or(default.max_streams),
            stream_lifetime: self.stream_lifetime_ms.map_or(default.stream_lifetime, ms),
        }
    }
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: crate::scaffold::Kind,
    /// Its slug: lowercase letters, digits, - and _ (part of its URL).
    pub slug: String,
    /// The site folder holding content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder holding content/, templates/ and static/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also fetch every source address and link to another site: a dead one (404, 410) is a
    /// problem; one that cannot be reached is listed but is not.
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds to wait for each address.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,
    /// Also compare every fact with its value at this git revision (a commit, tag or branch,
    /// such as HEAD~1): a value or qualifier changed without a history: entry is a problem.
    #[arg(long, value_name = "REVISION")]
    pub since: Option<String>,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder holding content/, templates/ and static/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish under this URL instead of base_url in content/site.yaml (an http:// or https://
    /// address, checked like base_url).
    #[arg(long, value_parser = crate::config::parse_base_url)]
    pub base_url: Option<String>,
    /// Publish drafts too (sections and companies with draft: true), each with a banner, for
    /// a staging site. The live preview always shows them.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs a parsed command line and says how it went.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => run_serve(args),
        Command::New(args) => match crate::scaffold::create(&args.root, args.kind, &args.slug) {
            Ok(path) => {
                println!("created {}", path.display());
                ExitCode::SUCCESS
            }
            Err(problem) => {
                eprintln!("{problem}");
                ExitCode::from(1)
            }
        },
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let fetch = args
        .external
        .then(|| std::time::Duration::from_secs(args.timeout));
    let since = match args.since.as_deref() {
        Some(rev) => match crate::check::since::Baseline::open(&args.root, rev) {
            Ok(base) => Some(base),
            Err(why) => {
                eprintln!("{why}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    match crate::check::check(&args.root, fetch, since.as_ref()) {
        Ok(report) => {
            match &report.fetched {
                None if !report.external.is_empty() => {
                    println!("external links (listed, not fetched):");
                    for link in &report.external {
                        println!("  {}", link.url);
                    }
                }
                None => {}
                Some(fetched) => {
                    println!(
                        "external links: {} fetched, {} dead, {} could not be confirmed",
                        fetched.checked,
                        fetched.dead.len(),
                        fetched.unconfirmed.len()
                    );
                    if !fetched.unconfirmed.is_empty() {
                        println!(
                            "could not be confirmed (not counted as problems; try again later):"
                        );
                        for line in &fetched.unconfirmed {
                            println!("  {line}");
                        }
                    }
                }
            }
            for p in &report.problems {
                eprintln!("{p}");
            }
            let n = report.problems.len();
            if n == 0 {
                println!("no problems found");
                ExitCode::SUCCESS
            } else {
                eprintln!("{n} problem{} found", if n == 1 { "" } else { "s" });
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        check_recalled: false,
    };
    match build(&options) {
        Ok(s) => {
            println!(
                "built {} pages, {} charts, {} facts ({} files, {} changed) into {} in {} ms",
                s.pages,
                s.charts,
                s.facts,
                s.files,
                s.written,
                s.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            let usage = matches!(&e, crate::build::Error::Write(w) if w.is_refusal());
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = crate::serve::ServeOptions {
        limits: args.limits(),
        root: args.root,
        bind: args.bind,
        port: args.port,
        poll: args.poll,
    };
    match crate::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
