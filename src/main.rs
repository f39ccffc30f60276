//! The `burnrate` command: parses arguments, runs the library, prints the outcome once.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Builds news-analysis microsites from Markdown sections and YAML facts.
#[derive(Parser)]
#[command(name = "burnrate", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// The site folder holding content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of base_url in content/site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => {
            let started = Instant::now();
            let options = burnrate::BuildOptions {
                root,
                output,
                base_url,
            };
            match burnrate::build(&options) {
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
    }
}
