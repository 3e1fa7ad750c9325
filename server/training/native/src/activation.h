// Elementwise activations and activation gradients where the stock wasm kernels are slow or TF.js composes several
// kernels: tanh and sigmoid forward (the stock wasm kernels call libm per element, tanh ~7 ns each), leaky ReLU, and
// the gradients TF.js writes as 3-4 broadcasting kernels each. The gradients use TF.js's float32 formulas term
// for term: tanh dy * (1 - y^2), sigmoid dy * (y * (1 - y)), leaky ReLU x > 0 ? dy : dy * alpha.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace sweepboard {

// e^x for x <= 0 (the only use here), branch-free so loops vectorise: x = n ln2 + r with |r| <= ln2 / 2, e^r by
// its degree-7 Taylor polynomial (relative error < 1e-8 before float rounding), 2^n from the exponent bits.
inline float expNonPositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  // Round to nearest by adding and subtracting 1.5 * 2^23 (std::floor does not vectorise without -ffast-math).
  const float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693145751953125f) - n * 1.428606765330187e-06f;  // ln2 split in two for exactness
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  return p * __builtin_bit_cast(float, bits);
}

// tanh(x) = sign(x) (1 - e) / (1 + e) with e = e^(-2|x|): absolute error ~1e-7 (cpu's Math.tanh is the reference);
// below 2^-7, where 1 - e cancels, a - a^3 / 3 (relative error < 1e-9). The sign is copied, so tanh(-0) = -0.
inline void tanhForward(const float* x, float* y, size_t size) {
  for (size_t i = 0; i < size; i++) {
    const float a = std::fabs(x[i]);
    const float e = expNonPositive(-2.0f * a);
    const float t = a < 0.0078125f ? a - a * a * a * (1.0f / 3) : (1.0f - e) / (1.0f + e);
    y[i] = std::copysign(t, x[i]);
  }
}

// sigmoid(x) = 1 / (1 + e) for x >= 0, e / (1 + e) below, with e = e^(-|x|): no overflow, absolute error ~1e-7.
inline void sigmoidForward(const float* x, float* y, size_t size) {
  for (size_t i = 0; i < size; i++) {
    const float e = expNonPositive(-std::fabs(x[i]));
    const float inverse = 1.0f / (1.0f + e);
    y[i] = x[i] >= 0.0f ? inverse : e * inverse;
  }
}

inline void leakyReluForward(const float* x, float* y, size_t size, float alpha) {
  for (size_t i = 0; i < size; i++) y[i] = x[i] > 0.0f ? x[i] : x[i] * alpha;
}

enum class ActivationGrad { kTanh = 0, kSigmoid = 1, kLeakyRelu = 2 };

// dx from dy and `v`: the activation's output y for tanh and sigmoid, its input x for leaky ReLU.
inline void activationGrad(ActivationGrad kind, const float* dy, const float* v, float* dx, size_t size, float alpha) {
  switch (kind) {
    case ActivationGrad::kTanh:
      for (size_t i = 0; i < size; i++) dx[i] = (1.0f - v[i] * v[i]) * dy[i];
      break;
    case ActivationGrad::kSigmoid:
      for (size_t i = 0; i < size; i++) dx[i] = dy[i] * (v[i] * (1.0f - v[i]));
      break;
    case ActivationGrad::kLeakyRelu:
      for (size_t i = 0; i < size; i++) dx[i] = v[i] > 0.0f ? dy[i] : dy[i] * alpha;
      break;
  }
}

}  // namespace sweepboard
