// Per-channel kernels over a [rows, channels] view of an NHWC (or [batch, units]) tensor, channels innermost:
// training-mode batch normalisation forward and backward, and a bias + activation pass for fused convolutions.
// Per-channel sums accumulate in double: a batch-norm moment sums N*H*W terms (43k for a 64x26x26 batch) that may
// nearly cancel; the elementwise arithmetic stays float32, as TF.js's kernels do it.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace sweepboard {

// y = (x - mean) * gamma / sqrt(variance + epsilon) + beta, with mean and (biased) variance over the rows, both
// written out for the moving averages. The variance uses sums shifted by the first row (the "shifted data"
// algorithm): one pass over x, without the cancellation of E[x^2] - E[x]^2 when |mean| >> std.
inline void batchNormTrain(const float* x, const float* gamma, const float* beta, size_t rows, int channels,
                           double epsilon, float* y, float* mean, float* variance) {
  std::vector<double> s1(channels, 0.0), s2(channels, 0.0);
  std::vector<float> shift(x, x + channels);
  double* a1 = s1.data();
  double* a2 = s2.data();
  const float* k = shift.data();
  for (size_t r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    for (int c = 0; c < channels; c++) {
      const double d = static_cast<double>(row[c]) - k[c];
      a1[c] += d;
      a2[c] += d * d;
    }
  }
  std::vector<float> scale(channels), center(channels), offset(channels);
  const double count = static_cast<double>(rows);
  for (int c = 0; c < channels; c++) {
    const double m1 = a1[c] / count;
    const double var = std::max(0.0, a2[c] / count - m1 * m1);
    mean[c] = static_cast<float>(k[c] + m1);
    variance[c] = static_cast<float>(var);
    // From the rounded variance, as the backward pass (which only has the stored float32 one) computes it.
    scale[c] = static_cast<float>(gamma[c] / std::sqrt(static_cast<double>(variance[c]) + epsilon));
    center[c] = mean[c];
    offset[c] = beta[c];
  }
  const float *sc = scale.data(), *ce = center.data(), *of = offset.data();
  for (size_t r = 0; r < rows; r++) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (int c = 0; c < channels; c++) out[c] = (in[c] - ce[c]) * sc[c] + of[c];
  }
}

// The gradient of batchNormTrain with respect to x, gamma and beta, given the gradients of all three outputs (the
// batch statistics count as functions of x, as in training; dMean and dVariance are zero unless something
// differentiable consumed them):
//   xhat = (x - mean) * istd,  dbeta = sum dy,  dgamma = sum dy * xhat,
//   dx = gamma * istd * (dy - dbeta / M - xhat * dgamma / M) + dMean / M + 2 * dVariance * (x - mean) / M
// which the second pass evaluates as dx = factor * dy + (x - mean) * slope + bias per channel.
inline void batchNormTrainGrad(const float* dy, const float* dMean, const float* dVariance, const float* x,
                               const float* mean, const float* variance, const float* gamma, size_t rows, int channels,
                               double epsilon, float* dx, float* dgamma, float* dbeta) {
  std::vector<double> sdy(channels, 0.0), sdyx(channels, 0.0);
  double* a1 = sdy.data();
  double* a2 = sdyx.data();
  for (size_t r = 0; r < rows; r++) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    for (int c = 0; c < channels; c++) {
      const double d = g[c];
      a1[c] += d;
      a2[c] += d * (static_cast<double>(in[c]) - mean[c]);
    }
  }
  std::vector<float> factor(channels), slope(channels), bias(channels);
  const double count = static_cast<double>(rows);
  for (int c = 0; c < channels; c++) {
    const double istd = 1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    const double f = gamma[c] * istd;
    dbeta[c] = static_cast<float>(a1[c]);
    dgamma[c] = static_cast<float>(a2[c] * istd);
    factor[c] = static_cast<float>(f);
    slope[c] = static_cast<float>(-f * a2[c] * istd * istd / count + 2.0 * dVariance[c] / count);
    bias[c] = static_cast<float>(-f * a1[c] / count + dMean[c] / count);
  }
  const float *fa = factor.data(), *sl = slope.data(), *bi = bias.data();
  for (size_t r = 0; r < rows; r++) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int c = 0; c < channels; c++) out[c] = fa[c] * g[c] + (in[c] - mean[c]) * sl[c] + bi[c];
  }
}

// y[r, c] = act(y[r, c] + bias[c]) in place; bias may be null, act is the identity or ReLU.
inline void biasActivation(float* y, const float* bias, size_t rows, int channels, bool relu) {
  for (size_t r = 0; r < rows; r++) {
    float* row = y + r * channels;
    if (bias) {
      for (int c = 0; c < channels; c++) row[c] += bias[c];
    }
    if (relu) {
      for (int c = 0; c < channels; c++) row[c] = row[c] > 0.f ? row[c] : 0.f;
    }
  }
}

}  // namespace sweepboard
