//! A benchmark with a plain harness (`harness = false`): prints libtest-style lines,
//! `test NAME ... bench:   1,234.56 ns/iter (+/- 12.34)`, like `#[bench]` on nightly.
//! Arguments: an optional substring filter; flags cargo adds (`--bench`) are ignored.
use std::hint::black_box;
use std::time::Instant;

use wordfreq::{generate, similarity, tokenize, Shape, WordCounts};

/// Median and spread (max - min, as libtest prints) of ns per iteration over 15 samples.
fn measure(mut routine: impl FnMut()) -> (f64, f64) {
    // Calibrate: enough iterations for about 2 ms per sample.
    let mut iterations = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..iterations {
            routine();
        }
        if start.elapsed().as_micros() >= 2_000 || iterations >= 1 << 30 {
            break;
        }
        iterations *= 2;
    }
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                routine();
            }
            start.elapsed().as_nanos() as f64 / iterations as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[samples.len() - 1] - samples[0])
}

/// 1234567.891 -> "1,234,567.89"
fn with_separators(value: f64) -> String {
    let fixed = format!("{value:.2}");
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped}.{fraction}")
}

fn main() {
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-')).unwrap_or_default();
    let line = "2026-11-21T10:04:31 WARN kalomi porvi dexqua lin stobre kalomi wexyul ze";
    let light = generate(Shape::Light, 42);
    let words: Vec<String> = light.lines().flat_map(tokenize).collect();
    let benches: Vec<(&str, Box<dyn FnMut()>)> = vec![
        ("plain::tokenize_line", Box::new(|| drop(black_box(tokenize(black_box(line)))))),
        (
            "plain::word_counts_light",
            Box::new(|| {
                let mut counts = WordCounts::new();
                for word in &words {
                    counts.add(black_box(word));
                }
                black_box(counts.len());
            }),
        ),
        ("plain::similarity", Box::new(|| drop(black_box(similarity(black_box("kalomipor"), black_box("kamiporvi")))))),
    ];
    for (name, mut routine) in benches {
        if !name.contains(filter.as_str()) {
            continue;
        }
        let (median, spread) = measure(&mut routine);
        println!("test {name} ... bench: {:>14} ns/iter (+/- {})", with_separators(median), with_separators(spread));
    }
}
