//! The `burnrate` command: parses arguments, runs the library, prints the outcome once.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    burnrate::cli::run(burnrate::cli::Cli::parse())
}

/// jemalloc, with two arenas (`.cargo/config.toml`): a large site builds in a tenth less time
/// than with the system's allocator (README, "Performance").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
