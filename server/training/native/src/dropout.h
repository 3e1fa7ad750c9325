// Inverted dropout forward in one pass: keep each element with probability 1 - rate and scale it by 1 / (1 - rate),
// writing the multiplier (0 or the scale) too, so the gradient (dy * multiplier) reuses the very same mask.
// The arithmetic is TF.js's: multiplier = floor(u + keep) / keep with keep = float32(1 - rate), y = x * multiplier.
// The uniforms come from a counter-based generator (SplitMix64 of a seed-derived key plus the element index): no
// state, the same mask for the same seed, and independent streams for different seeds.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace sweepboard {

inline uint64_t splitMix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline void dropoutForward(const float* x, size_t size, double rate, uint32_t seed, float* y, float* multiplier) {
  const float keep = static_cast<float>(1.0 - rate);
  const float scale = 1.0f / keep;
  // u = bits * 2^-24 is uniform on [0, 1); floor(u + keep) = 1 exactly when u >= rate, i.e. bits >= ceil(rate * 2^24).
  const uint32_t threshold = static_cast<uint32_t>(std::ceil(rate * 16777216.0));
  const uint64_t key = splitMix64(0x9E3779B97F4A7C15ull * (static_cast<uint64_t>(seed) + 1));
  for (size_t i = 0; i < size; i++) {
    const uint32_t bits = static_cast<uint32_t>(splitMix64(key + 0x9E3779B97F4A7C15ull * i) >> 40);
    const float m = bits >= threshold ? scale : 0.0f;
    multiplier[i] = m;
    y[i] = x[i] * m;
  }
}

}  // namespace sweepboard
