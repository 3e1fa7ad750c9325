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

inline void maxPoolGrad(const PoolShape& s, const float* dy, const float* x, float* dx) {
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
