import * as assert from 'node:assert/strict';
import { demangle } from '../../../src/core/profiles';

describe('demangling', () => {
  it('Rust legacy symbols lose their hash and escapes', () => {
    assert.equal(demangle('_ZN4core3fmt5write17h0123456789abcdefE'), 'core::fmt::write');
    assert.equal(demangle('_ZN8wordfreq10WordCounts3add17h5b7e2d9c0a1f3e4dE'), 'wordfreq::WordCounts::add');
    assert.equal(demangle('_ZN49_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$Drop$GT$4drop17h0000000000000000E'), '<alloc::vec::Vec<T> as Drop>::drop');
    assert.equal(demangle('wordfreq::shard_of::h0123456789abcdef'), 'wordfreq::shard_of');
  });

  it('Rust v0 symbols, as rustc-demangle prints them', () => {
    assert.equal(demangle('_RNvCs8K9WJNlS7Dz_5trace17multiply_matrices'), 'trace::multiply_matrices');
    assert.equal(demangle('_RINvNtCse0yjq9ZQveU_3std2rt10lang_startuECs8K9WJNlS7Dz_5trace'), 'std::rt::lang_start::<()>');
    assert.equal(
      demangle('_RNvXsb_NtCsfiKabdrepoq_5alloc3vecINtB5_3VecdEINtNtNtCsTACXlTRjQ_4core3ops5index5IndexjE5indexCs8K9WJNlS7Dz_5trace'),
      '<alloc::vec::Vec<f64> as core::ops::index::Index<usize>>::index',
    );
    assert.equal(demangle('_RNCNkNvNtNtCsiznFMVuT3yX_4rand4rngs6thread14THREAD_RNG_KEY00B9_'), 'rand::rngs::thread::THREAD_RNG_KEY::{closure#0}');
  });

  it('C++ symbols of common shapes', () => {
    assert.equal(demangle('_Z4betav'), 'beta()');
    assert.equal(demangle('_ZNK7latency5Stats10percentileEd'), 'latency::Stats::percentile(double) const');
    assert.equal(demangle('_ZN7latency9bucket_ofERKSt6vectorIdSaIdEEd'), 'latency::bucket_of(std::vector<double, std::allocator<double>> const&, double)');
  });

  it('leaves what it does not understand as it was', () => {
    for (const symbol of ['main', '[unknown]', '_Zgarbage', '_RNvC99x', 'Lorg/mozilla/javascript/ScriptableObject;.getSlot']) {
      assert.equal(demangle(symbol), symbol);
    }
  });
});
