// Max-pool and ReLU gradients and a leading-axes sum (or mean), both NHWC / row-major with the channel (column) axis innermost so the
// inner loops run over contiguous memory.
#pragma once
#include <cstring>
#include <vector>

namespace sweepboard {

struct PoolShape {
  int batch, inHeight, inWidth, channels;
  int outHeight, outWidth;
  int filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth;
  int padTop, padLeft;
};

// dx[argmax of each window] += dy. The argmax is the first maximum in row-major window order, the same choice as
// TF.js's cpu backend, so ties route the gradient identically.
// Windows that do not overlap (stride >= window, no dilation): every input pixel has at most one window, so dx is
// written once, in order, with no scatter; only pixels no window covers need zeroing.
inline void maxPoolGradDisjoint(const PoolShape& s, const float* dy, const float* x, float* dx) {
  const size_t inPixels = static_cast<size_t>(s.batch) * s.inHeight * s.inWidth;
  const bool covered = s.padTop == 0 && s.padLeft == 0 && s.outHeight * s.strideHeight == s.inHeight &&
                       s.outWidth * s.strideWidth == s.inWidth && s.strideHeight == s.filterHeight &&
                       s.strideWidth == s.filterWidth;
  if (!covered) std::memset(dx, 0, sizeof(float) * inPixels * s.channels);
  const int taps = s.filterHeight * s.filterWidth;
  std::vector<float> best(s.channels);
  std::vector<int> winner(s.channels);
  std::vector<int> pixels(taps);
  for (int n = 0; n < s.batch; n++) {
    for (int oh = 0; oh < s.outHeight; oh++) {
      for (int ow = 0; ow < s.outWidth; ow++) {
        int count = 0;
        for (int fh = 0; fh < s.filterHeight; fh++) {
          const int ih = oh * s.strideHeight + fh - s.padTop;
          if (ih < 0 || ih >= s.inHeight) continue;
          for (int fw = 0; fw < s.filterWidth; fw++) {
            const int iw = ow * s.strideWidth + fw - s.padLeft;
            if (iw >= 0 && iw < s.inWidth) pixels[count++] = (n * s.inHeight + ih) * s.inWidth + iw;
          }
        }
        if (count == 0) continue;
        const float* first = x + static_cast<size_t>(pixels[0]) * s.channels;
        for (int c = 0; c < s.channels; c++) best[c] = first[c], winner[c] = 0;
        for (int t = 1; t < count; t++) {
          const float* values = x + static_cast<size_t>(pixels[t]) * s.channels;
          for (int c = 0; c < s.channels; c++) {
            const bool larger = values[c] > best[c];  // strict: the first maximum wins, as on cpu
            best[c] = larger ? values[c] : best[c];
            winner[c] = larger ? t : winner[c];
          }
        }
        const float* grad = dy + ((static_cast<size_t>(n) * s.outHeight + oh) * s.outWidth + ow) * s.channels;
        for (int t = 0; t < count; t++) {
          float* out = dx + static_cast<size_t>(pixels[t]) * s.channels;
          for (int c = 0; c < s.channels; c++) out[c] = winner[c] == t ? grad[c] : 0.f;
        }
      }
    }
  }
}

// The templates' pooling (2x2 windows, stride 2, every window inside the input), branch-free over the channels so it vectorises:
// the generic disjoint loop keeps per-channel winners in vectors and runs at ~2 ns per input element.
inline void maxPoolGrad2x2(const PoolShape& s, const float* dy, const float* x, float* dx) {
  const size_t inPixels = static_cast<size_t>(s.batch) * s.inHeight * s.inWidth;
  if (s.outHeight * 2 != s.inHeight || s.outWidth * 2 != s.inWidth) std::memset(dx, 0, sizeof(float) * inPixels * s.channels);
  const int c = s.channels;
  for (int n = 0; n < s.batch; n++) {
    for (int oh = 0; oh < s.outHeight; oh++) {
      for (int ow = 0; ow < s.outWidth; ow++) {
        const size_t top = ((static_cast<size_t>(n) * s.inHeight + 2 * oh) * s.inWidth + 2 * ow) * c;
        const size_t bottom = top + static_cast<size_t>(s.inWidth) * c;
        const float *x0 = x + top, *x1 = x + top + c, *x2 = x + bottom, *x3 = x + bottom + c;
        float *d0 = dx + top, *d1 = dx + top + c, *d2 = dx + bottom, *d3 = dx + bottom + c;
        const float* g = dy + ((static_cast<size_t>(n) * s.outHeight + oh) * s.outWidth + ow) * c;
        for (int i = 0; i < c; i++) {
          // Strict comparisons in window order: the first maximum wins, as on cpu.
          float best = x0[i];
          int winner = 0;
          winner = x1[i] > best ? 1 : winner;
          best = x1[i] > best ? x1[i] : best;
          winner = x2[i] > best ? 2 : winner;
          best = x2[i] > best ? x2[i] : best;
          winner = x3[i] > best ? 3 : winner;
          d0[i] = winner == 0 ? g[i] : 0.f;
          d1[i] = winner == 1 ? g[i] : 0.f;
          d2[i] = winner == 2 ? g[i] : 0.f;
          d3[i] = winner == 3 ? g[i] : 0.f;
        }
      }
    }
  }
}

inline void maxPoolGrad(const PoolShape& s, const float* dy, const float* x, float* dx) {
  // Every window inside the input: no padding on any side ('same' on an odd size pads the bottom / right only).
  if (s.filterHeight == 2 && s.filterWidth == 2 && s.strideHeight == 2 && s.strideWidth == 2 && s.padTop == 0 &&
      s.padLeft == 0 && s.dilationHeight == 1 && s.dilationWidth == 1 && s.outHeight * 2 <= s.inHeight &&
      s.outWidth * 2 <= s.inWidth)
    return maxPoolGrad2x2(s, dy, x, dx);
  if (s.strideHeight >= s.filterHeight && s.strideWidth >= s.filterWidth && s.dilationHeight == 1 && s.dilationWidth == 1)
    return maxPoolGradDisjoint(s, dy, x, dx);
  const size_t inPixels = static_cast<size_t>(s.batch) * s.inHeight * s.inWidth;
  std::memset(dx, 0, sizeof(float) * inPixels * s.channels);
  std::vector<float> best(s.channels);
  std::vector<int> where(s.channels);
  for (int n = 0; n < s.batch; n++) {
    for (int oh = 0; oh < s.outHeight; oh++) {
      for (int ow = 0; ow < s.outWidth; ow++) {
        bool first = true;
        for (int fh = 0; fh < s.filterHeight; fh++) {
          const int ih = oh * s.strideHeight + fh * s.dilationHeight - s.padTop;
          if (ih < 0 || ih >= s.inHeight) continue;
          for (int fw = 0; fw < s.filterWidth; fw++) {
            const int iw = ow * s.strideWidth + fw * s.dilationWidth - s.padLeft;
            if (iw < 0 || iw >= s.inWidth) continue;
            const int pixel = (n * s.inHeight + ih) * s.inWidth + iw;
            const float* values = x + static_cast<size_t>(pixel) * s.channels;
            if (first) {
              for (int c = 0; c < s.channels; c++) best[c] = values[c], where[c] = pixel;
              first = false;
              continue;
            }
            for (int c = 0; c < s.channels; c++) {
              const bool larger = values[c] > best[c];
              best[c] = larger ? values[c] : best[c];
              where[c] = larger ? pixel : where[c];
            }
          }
        }
        if (first) continue;  // a window entirely in the padding has no input to route to
        const float* grad = dy + ((static_cast<size_t>(n) * s.outHeight + oh) * s.outWidth + ow) * s.channels;
        for (int c = 0; c < s.channels; c++) dx[static_cast<size_t>(where[c]) * s.channels + c] += grad[c];
      }
    }
  }
}

// dx[p] = (sum of dy over the windows that cover p) / (filterHeight * filterWidth), as TF.js's cpu backend
// computes it (the divisor counts padded taps too). Disjoint windows (stride >= window, no dilation) write dx once.
inline void avgPoolGrad(const PoolShape& s, const float* dy, float* dx) {
  const size_t inPixels = static_cast<size_t>(s.batch) * s.inHeight * s.inWidth;
  const float multiplier = static_cast<float>(1.0 / (s.filterHeight * s.filterWidth));
  const bool disjoint = s.strideHeight >= s.filterHeight && s.strideWidth >= s.filterWidth && s.dilationHeight == 1 &&
                        s.dilationWidth == 1;
  std::memset(dx, 0, sizeof(float) * inPixels * s.channels);
  for (int n = 0; n < s.batch; n++) {
    for (int oh = 0; oh < s.outHeight; oh++) {
      for (int ow = 0; ow < s.outWidth; ow++) {
        const float* grad = dy + ((static_cast<size_t>(n) * s.outHeight + oh) * s.outWidth + ow) * s.channels;
        for (int fh = 0; fh < s.filterHeight; fh++) {
          const int ih = oh * s.strideHeight + fh * s.dilationHeight - s.padTop;
          if (ih < 0 || ih >= s.inHeight) continue;
          for (int fw = 0; fw < s.filterWidth; fw++) {
            const int iw = ow * s.strideWidth + fw * s.dilationWidth - s.padLeft;
            if (iw < 0 || iw >= s.inWidth) continue;
            float* out = dx + ((static_cast<size_t>(n) * s.inHeight + ih) * s.inWidth + iw) * s.channels;
            if (disjoint) {
              for (int c = 0; c < s.channels; c++) out[c] = grad[c] * multiplier;
            } else {
              for (int c = 0; c < s.channels; c++) out[c] += grad[c];
            }
          }
        }
      }
    }
  }
  if (!disjoint) {
    for (size_t i = 0; i < inPixels * s.channels; i++) dx[i] *= multiplier;
  }
}

// out[c] = sum over r of x[r, c]: the bias gradient (a Sum over every axis but the last).
// dx = dy where x > 0, else 0: ReLU's gradient in one pass (TF.js composes it from Step, Cast and Multiply).
inline void reluGrad(const float* dy, const float* x, float* dx, size_t size) {
  for (size_t i = 0; i < size; i++) dx[i] = x[i] > 0.f ? dy[i] : 0.f;
}

// out[c] = scale * sum_r x[r, c]. Accumulates in double: a conv bias gradient or a batch-norm mean sums tens of
// thousands of rows that may nearly cancel.
inline void sumRows(const float* x, int rows, int cols, double scale, float* out) {
  std::vector<double> total(cols, 0.0);
  for (int r = 0; r < rows; r++) {
    const float* row = x + static_cast<size_t>(r) * cols;
    for (int c = 0; c < cols; c++) total[c] += row[c];
  }
  for (int c = 0; c < cols; c++) out[c] = static_cast<float>(total[c] * scale);
}

}  // namespace sweepboard
