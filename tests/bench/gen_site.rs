//! Writes a synthetic burnrate site for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen-site -- --sections 1000 --out /tmp/site-1k
//! cargo run --release -- build --root /tmp/site-1k
//! ```
//!
//! Options: `--sections N` (default 100), `--companies M` (default N/10), `--words W` (default
//! 600), `--seed S` (default 1), `--out DIR` (required; deleted and recreated), `--tool hugo` or
//! `--tool zola` (the equivalent site for that generator instead). The same options give the
//! same bytes. See `synth.rs` for what is written.

#[path = "synth.rs"]
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut options = synth::Options::new(100);
    let mut out: Option<PathBuf> = None;
    let mut tool: Option<synth::Tool> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed: Result<(), String> = (|| {
            match arg.as_str() {
                "--sections" => options.sections = number(&value("--sections")?)?,
                "--companies" => options.companies = Some(number(&value("--companies")?)?),
                "--words" => options.words = number(&value("--words")?)?,
                "--seed" => options.seed = number(&value("--seed")?)? as u64,
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                "--tool" => {
                    let name = value("--tool")?;
                    tool = Some(
                        synth::Tool::parse(&name)
                            .ok_or_else(|| format!("--tool is hugo or zola, not {name}"))?,
                    );
                }
                "-h" | "--help" => {
                    println!(
                        "usage: gen-site --out DIR [--sections N] [--companies M] [--words W] [--seed S] [--tool hugo|zola]"
                    );
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument {other}")),
            }
            Ok(())
        })();
        if let Err(e) = parsed {
            eprintln!("gen-site: {e}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("gen-site: --out DIR is required");
        return ExitCode::from(2);
    };
    if let Some(tool) = tool {
        return match synth::generate_for(tool, &out, &options) {
            Ok(n) => {
                println!("wrote {n} sections for {tool:?} into {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gen-site: {}: {e}", out.display());
                ExitCode::from(1)
            }
        };
    }
    match synth::generate(&out, &options) {
        Ok(s) => {
            println!(
                "wrote {} sections (about {} words each), {} companies, {} facts, {} charts into {}",
                s.sections,
                s.words / s.sections.max(1),
                s.companies,
                s.facts,
                s.charts,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-site: {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("expected a number, found \"{text}\""))
}
