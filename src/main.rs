//! The `burnrate` command: parses arguments, runs the library, prints the outcome once.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    burnrate::cli::run(burnrate::cli::Cli::parse())
}
