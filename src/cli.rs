//! The command line: one subcommand per editor task, each a thin call into the library.
//!
//! Exit codes: 0 success, 1 a problem in the site's files (or a failed write), 2 a usage error
//! (reported by clap before anything runs).

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
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder holding content/, templates/ and static/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
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
    /// Publish under this URL instead of base_url in content/site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
}

/// Runs a parsed command line and says how it went.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    match crate::check::check(&args.root) {
        Ok(report) => {
            if !report.external.is_empty() {
                println!("external links (listed, not fetched):");
                for link in &report.external {
                    println!("  {link}");
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
    };
    match build(&options) {
        Ok(s) => {
            println!(
                "built {} pages, {} charts, {} facts into {} in {} ms",
                s.pages,
                s.charts,
                s.facts,
                s.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
