//! `wordfreq FILE [--top N]`: word statistics for a log-like text file.
//! `wordfreq generate light|typical|heavy [--seed N]`: writes a deterministic input to stdout.
use std::io::Write;
use std::process::ExitCode;

use wordfreq::{analyze, generate, index_lines, Shape};

const USAGE: &str = "usage: wordfreq FILE [--top N]\n       wordfreq generate light|typical|heavy [--seed N]\n       wordfreq index FILE WORD";

fn flag_value(args: &[String], flag: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|arg| arg == flag) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number")),
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("generate") => {
            let shape = args.get(1).and_then(|name| Shape::parse(name)).ok_or(USAGE)?;
            let seed = flag_value(args, "--seed", 42)?;
            std::io::stdout().write_all(generate(shape, seed).as_bytes()).map_err(|error| error.to_string())
        }
        Some(path) if !path.starts_with('-') && path != "index" => {
            let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
            let report = analyze(&text, flag_value(args, "--top", 10)? as usize);
            println!("{} lines, {} words, {} distinct", report.lines, report.words, report.distinct);
            for (word, count) in &report.top {
                println!("{count:>8} {word}");
            }
            println!("shards: {:?}", report.shards);
            for (a, b, score) in &report.similar {
                println!("similar: {a} ~ {b} ({score:.2})");
            }
            Ok(())
        }
        // How many lines hold WORD, from an index of every word's lines (the memory hot spot).
        Some("index") => {
            let (path, word) = (args.get(1).ok_or(USAGE)?, args.get(2).ok_or(USAGE)?);
            let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
            let index = index_lines(&text);
            println!("{} distinct words; {word}: {} lines", index.len(), index.get(word.as_str()).map_or(0, Vec::len));
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wordfreq: {message}");
            ExitCode::from(2)
        }
    }
}
