//! Word statistics over log-like text: tokenize lines, count words, shard them, and find
//! frequent words that look alike.
//!
//! This crate is the demo workload for Perf Lab. It carries deliberate, realistic
//! inefficiencies that a profile shows plainly, each listed in `docs/perf/ideas.md` with its fix:
//! an allocation per token in `tokenize`, a linear search in `WordCounts::add`, a salt hashed
//! again on every `shard_of` call, and a naive recursion in `lcs_len`.
//!
//! The hot functions are `#[inline(never)]` so that each stays a frame of its own in profiles,
//! as it would be in a larger program where the optimiser cannot inline across crates.

/// Splits a line into lower-cased alphanumeric words.
///
/// Allocates a new `String` for every token, in the hottest loop of the program.
#[inline(never)]
pub fn tokenize(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    for raw in line.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        words.push(raw.to_lowercase());
    }
    words
}

/// Word counts in first-seen order.
#[derive(Default)]
pub struct WordCounts {
    entries: Vec<(String, u64)>,
}

impl WordCounts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one occurrence of `word`: a linear search over every word seen so far.
    #[inline(never)]
    pub fn add(&mut self, word: &str) {
        for entry in self.entries.iter_mut() {
            if entry.0 == word {
                entry.1 += 1;
                return;
            }
        }
        self.entries.push((word.to_string(), 1));
    }

    pub fn get(&self, word: &str) -> u64 {
        self.entries.iter().find(|entry| entry.0 == word).map_or(0, |entry| entry.1)
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn total(&self) -> u64 {
        self.entries.iter().map(|entry| entry.1).sum()
    }

    /// The `k` most frequent words, most frequent first, ties by word.
    pub fn top(&self, k: usize) -> Vec<(String, u64)> {
        let mut sorted = self.entries.clone();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sorted.truncate(k);
        sorted
    }
}

/// Counts every word of `text`.
#[inline(never)]
pub fn count_words(text: &str) -> WordCounts {
    let mut counts = WordCounts::new();
    for line in text.lines() {
        for word in tokenize(line) {
            counts.add(&word);
        }
    }
    counts
}

const SHARD_SALT: &str = concat!(
    "wordfreq shard salt: keeps shard assignment stable across runs and machines, ",
    "long enough that nobody mistakes it for a key, and hashed once would be enough. ",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ",
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud ",
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure ",
    "dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur."
);

/// FNV-1a, continuing from `state`.
pub fn fnv1a(state: u64, bytes: &[u8]) -> u64 {
    let mut hash = state;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The shard (0..shards) a word belongs to. Hashes the whole salt again on every call.
#[inline(never)]
pub fn shard_of(word: &str, shards: u64) -> u64 {
    let salted = fnv1a(FNV_OFFSET, SHARD_SALT.as_bytes());
    fnv1a(salted, word.as_bytes()) % shards
}

/// Length of the longest common subsequence of `a` and `b`, by naive recursion (exponential).
#[inline(never)]
pub fn lcs_len(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a[0] == b[0] {
        1 + lcs_len(&a[1..], &b[1..])
    } else {
        lcs_len(&a[1..], b).max(lcs_len(a, &b[1..]))
    }
}

/// Similarity of two words in 0..=1: twice their common subsequence over their total length.
pub fn similarity(a: &str, b: &str) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * lcs_len(a.as_bytes(), b.as_bytes()) as f64 / total as f64
}

/// Pairs of distinct words with a similarity of at least `min_similarity`.
#[inline(never)]
pub fn similar_pairs(words: &[String], min_similarity: f64) -> Vec<(String, String, f64)> {
    let mut pairs = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let score = similarity(a, b);
            if score >= min_similarity {
                pairs.push((a.clone(), b.clone(), score));
            }
        }
    }
    pairs
}

/// What `wordfreq FILE` prints.
pub struct Report {
    pub lines: usize,
    pub words: u64,
    pub distinct: usize,
    pub top: Vec<(String, u64)>,
    pub shards: Vec<u64>,
    pub similar: Vec<(String, String, f64)>,
}

pub const SHARDS: u64 = 8;

pub fn analyze(text: &str, top_k: usize) -> Report {
    let counts = count_words(text);
    let mut shards = vec![0u64; SHARDS as usize];
    for line in text.lines() {
        for word in tokenize(line) {
            shards[shard_of(&word, SHARDS) as usize] += 1;
        }
    }
    let top = counts.top(top_k);
    let frequent: Vec<String> = top.iter().map(|(word, _)| word.clone()).collect();
    Report {
        lines: text.lines().count(),
        words: counts.total(),
        distinct: counts.len(),
        similar: similar_pairs(&frequent, 0.75),
        top,
        shards,
    }
}

/// The input shapes the benchmarks and hyperfine run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Few lines over a small vocabulary.
    Light,
    /// A day of logs: mid-sized vocabulary.
    Typical,
    /// Many lines over a large vocabulary: the linear search dominates.
    Heavy,
}

impl Shape {
    pub const ALL: [Shape; 3] = [Shape::Light, Shape::Typical, Shape::Heavy];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Light => "light",
            Shape::Typical => "typical",
            Shape::Heavy => "heavy",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }

    /// (lines, vocabulary size)
    fn size(self) -> (usize, usize) {
        match self {
            Shape::Light => (1_000, 150),
            Shape::Typical => (8_000, 1_200),
            Shape::Heavy => (16_000, 4_000),
        }
    }
}

/// A small deterministic PRNG (xorshift64*), so inputs are identical on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "por", "lin", "dex", "qua", "bre", "sto",
    "fen", "gri", "hal", "jon", "wex", "yul", "cor", "tam", "bis",
];

fn make_word(rng: &mut Rng) -> String {
    let syllables = 1 + rng.below(4);
    (0..syllables).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()
}

/// Generates log-like text of the given shape. Half the words come from a few frequent ones,
/// half uniformly from the whole vocabulary.
pub fn generate(shape: Shape, seed: u64) -> String {
    let (lines, vocabulary_size) = shape.size();
    let mut rng = Rng(seed.max(1));
    let mut vocabulary: Vec<String> = Vec::with_capacity(vocabulary_size);
    while vocabulary.len() < vocabulary_size {
        let word = make_word(&mut rng);
        if !vocabulary.contains(&word) {
            vocabulary.push(word);
        }
    }
    let levels = ["INFO", "WARN", "DEBUG", "ERROR"];
    let mut text = String::new();
    for line in 0..lines {
        text.push_str(&format!("2026-11-21T10:{:02}:{:02} {} ", (line / 60) % 60, line % 60, levels[rng.below(4)]));
        let words = 6 + rng.below(8);
        for i in 0..words {
            let index = if rng.below(2) == 0 { rng.below(16.min(vocabulary_size)) } else { rng.below(vocabulary_size) };
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&vocabulary[index]);
        }
        text.push('\n');
    }
    text
}

/// Where each word occurs: for each word, the lines that hold it (`wordfreq index FILE WORD`).
///
/// Keeps a copy of the whole line for every occurrence of every word, where the line's number
/// would do: the heap holds the text many times over at its peak.
#[inline(never)]
pub fn index_lines(text: &str) -> std::collections::HashMap<String, Vec<String>> {
    let mut index: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for line in text.lines() {
        for word in tokenize(line) {
            index.entry(word).or_default().push(line.to_string());
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_the_lines_of_each_word() {
        let index = index_lines("Error disk full\nwarn disk slow\n");
        assert_eq!(index["disk"].len(), 2);
        assert_eq!(index["full"].len(), 1);
    }

    #[test]
    fn tokenizes_lower_case_words() {
        assert_eq!(tokenize("GET /api/v2 Users-42"), vec!["get", "api", "v2", "users", "42"]);
    }

    #[test]
    fn counts_and_ranks_words() {
        let counts = count_words("b a b\nc b a\n");
        assert_eq!(counts.get("b"), 3);
        assert_eq!(counts.top(2), vec![("b".to_string(), 3), ("a".to_string(), 2)]);
        assert_eq!(counts.total(), 6);
    }

    #[test]
    fn lcs_and_similarity() {
        assert_eq!(lcs_len(b"kalomi", b"kamimi"), 4);
        assert!((similarity("abc", "abc") - 1.0).abs() < 1e-12);
    }

    #[test]
    fn shards_are_stable_and_in_range() {
        assert_eq!(shard_of("kalo", SHARDS), shard_of("kalo", SHARDS));
        assert!(Shape::ALL.iter().all(|_| shard_of("x", SHARDS) < SHARDS));
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(Shape::Light, 7), generate(Shape::Light, 7));
        assert_eq!(generate(Shape::Light, 7).lines().count(), 1_000);
    }
}
