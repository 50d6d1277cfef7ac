use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use wordfreq::{count_words, generate, lcs_len, shard_of, tokenize, Shape, SHARDS};

const LINE: &str = "2026-11-21T10:04:31 WARN kalomi porvi dexqua lin stobre kalomi wexyul ze";

fn bench_tokenize(c: &mut Criterion) {
    c.bench_function("tokenize_line", |b| b.iter(|| tokenize(black_box(LINE))));
}

fn bench_count_words(c: &mut Criterion) {
    let mut group = c.benchmark_group("count_words");
    for shape in [Shape::Light, Shape::Typical] {
        let text = generate(shape, 42);
        group.bench_with_input(BenchmarkId::from_parameter(shape.name()), &text, |b, text| {
            b.iter(|| count_words(black_box(text)))
        });
    }
    group.finish();
}

fn bench_shard_of(c: &mut Criterion) {
    c.bench_function("shard_of", |b| b.iter(|| shard_of(black_box("porvidex"), SHARDS)));
}

fn bench_lcs(c: &mut Criterion) {
    c.bench_function("lcs_len", |b| b.iter(|| lcs_len(black_box(b"kalomiporvi"), black_box(b"kamiporvido"))));
}

criterion_group!(benches, bench_tokenize, bench_count_words, bench_shard_of, bench_lcs);
criterion_main!(benches);
