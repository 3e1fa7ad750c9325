// 2-D convolution (NHWC input, [FH, FW, Cin, Cout] filter, as TF.js stores them) and its two gradients, as GEMMs
// over patch matrices built a chunk of output pixels at a time so the patches stay in cache:
//   forward        y[M x Cout]   = patches(x)[M x K] . W[K x Cout]            M = N*OH*OW, K = FH*FW*Cin
//   filter grad    dW[K x Cout]  = sum over row blocks of patches(x)^T . dy      (blocks added in double)
//   input grad     dx            = col2im(dy[M x Cout] . W^T)                  (scatter-add of patch gradients)
#pragma once
#include <vector>

#include "gemm.h"

namespace sweepboard {

struct ConvShape {
  int batch, inHeight, inWidth, inChannels;
  int outHeight, outWidth, outChannels;
  int filterHeight, filterWidth;
  int strideHeight, strideWidth, dilationHeight, dilationWidth;
  int padTop, padLeft;

  int patchLength() const { return filterHeight * filterWidth * inChannels; }
  int rows() const { return batch * outHeight * outWidth; }
  // A 1x1 stride-1 unpadded convolution is a plain matrix product on x itself.
  bool isPointwise() const {
    return filterHeight == 1 && filterWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0 &&
           padLeft == 0 && outHeight == inHeight && outWidth == inWidth;
  }
  // Rows per chunk: about 128 KiB of patches, a multiple of the micro-kernel height.
  int chunkRows() const {
    const int rowsFor128K = std::max(1, 32768 / std::max(1, patchLength()));
    const int rounded = std::max(kMR, (rowsFor128K / kMR) * kMR);
    return std::min(rows(), std::max(rounded, 4 * kMR));
  }
};

// Calls visit(patchOffset, inputOffset, length) for every in-bounds run of one output pixel's patch;
// out-of-bounds taps are left to the caller (zeros in im2col, skipped in col2im).
template <typename Visit>
inline void forEachPatchRun(const ConvShape& s, int row, Visit visit) {
  const int ow = row % s.outWidth;
  const int oh = (row / s.outWidth) % s.outHeight;
  const int n = row / (s.outWidth * s.outHeight);
  for (int fh = 0; fh < s.filterHeight; fh++) {
    const int ih = oh * s.strideHeight + fh * s.dilationHeight - s.padTop;
    if (ih < 0 || ih >= s.inHeight) continue;
    const size_t inputRow = (static_cast<size_t>(n) * s.inHeight + ih) * s.inWidth;
    if (s.dilationWidth == 1) {
      // Contiguous in NHWC: taps fw..fw+k of one row are adjacent pixels, channels included.
      const int firstIw = ow * s.strideWidth - s.padLeft;
      const int from = std::max(0, -firstIw);
      const int to = std::min(s.filterWidth, s.inWidth - firstIw);
      if (from < to) {
        visit(static_cast<size_t>((fh * s.filterWidth + from) * s.inChannels),
              (inputRow + firstIw + from) * s.inChannels, (to - from) * s.inChannels);
      }
      continue;
    }
    for (int fw = 0; fw < s.filterWidth; fw++) {
      const int iw = ow * s.strideWidth + fw * s.dilationWidth - s.padLeft;
      if (iw < 0 || iw >= s.inWidth) continue;
      visit(static_cast<size_t>((fh * s.filterWidth + fw) * s.inChannels), (inputRow + iw) * s.inChannels,
            s.inChannels);
    }
  }
}

inline void im2col(const ConvShape& s, const float* x, int row0, int count, float* patches) {
  const int length = s.patchLength();
  std::memset(patches, 0, sizeof(float) * length * count);
  for (int r = 0; r < count; r++) {
    float* patch = patches + static_cast<size_t>(r) * length;
    forEachPatchRun(s, row0 + r, [&](size_t at, size_t from, int n) { std::memcpy(patch + at, x + from, sizeof(float) * n); });
  }
}

inline void col2imAdd(const ConvShape& s, const float* patches, int row0, int count, float* dx) {
  const int length = s.patchLength();
  for (int r = 0; r < count; r++) {
    const float* patch = patches + static_cast<size_t>(r) * length;
    forEachPatchRun(s, row0 + r, [&](size_t at, size_t to, int n) {
      for (int i = 0; i < n; i++) dx[to + i] += patch[at + i];
    });
  }
}

inline void conv2dForward(const ConvShape& s, const float* x, const float* w, float* y) {
  const int k = s.patchLength();
  if (s.isPointwise()) return gemm(s.rows(), s.outChannels, k, x, k, false, w, s.outChannels, false, y, s.outChannels, false);
  static thread_local Scratch scratch, packedFilter;
  const int chunk = s.chunkRows();
  float* patches = scratch.get(static_cast<size_t>(chunk) * k);
  // The filter is B of every chunk's GEMM: packed once.
  float* filter = packedFilter.get(packedBSize(s.outChannels, k));
  packWholeB(w, s.outChannels, false, s.outChannels, k, filter);
  for (int r0 = 0; r0 < s.rows(); r0 += chunk) {
    const int count = std::min(chunk, s.rows() - r0);
    im2col(s, x, r0, count, patches);
    gemmPacked(count, s.outChannels, k, patches, k, false, w, s.outChannels, false, filter,
               y + static_cast<size_t>(r0) * s.outChannels, s.outChannels, false);
  }
}

// dW sums N*OH*OW products that nearly cancel when dy has zero mean per channel (as it has after batch norm):
// float32 partial sums of at most kKC rows (one GEMM block), added up in double; small filters entirely in double.
constexpr size_t kDirectFilterGradSize = 1024;
inline void conv2dBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int k = s.patchLength();
  const size_t size = static_cast<size_t>(k) * s.outChannels;
  static thread_local Scratch scratch, partial;
  static thread_local std::vector<double> total;
  total.assign(size, 0.0);
  float* block = partial.get(size);
  // op(A) = patches^T [k x rows]: the rows' patches are `patches`, row-major with k columns.
  auto addRows = [&](const float* patches, const float* grads, int rows) {
    if (size <= kDirectFilterGradSize) {
      // Small filters (a first layer's, few input channels): every product in double. Their float32 block sums
      // are large beside the nearly cancelling total, and the GEMM gains little at this size anyway.
      for (int r = 0; r < rows; r++) {
        const float* patch = patches + static_cast<size_t>(r) * k;
        const float* grad = grads + static_cast<size_t>(r) * s.outChannels;
        for (int i = 0; i < k; i++) {
          const double value = patch[i];
          double* row = total.data() + static_cast<size_t>(i) * s.outChannels;
          for (int o = 0; o < s.outChannels; o++) row[o] += value * grad[o];
        }
      }
      return;
    }
    for (int b0 = 0; b0 < rows; b0 += kKC) {
      gemm(k, s.outChannels, std::min(kKC, rows - b0), patches + static_cast<size_t>(b0) * k, k, true,
           grads + static_cast<size_t>(b0) * s.outChannels, s.outChannels, false, block, s.outChannels, false);
      for (size_t i = 0; i < size; i++) total[i] += block[i];
    }
  };
  if (s.isPointwise()) {
    addRows(x, dy, s.rows());
  } else {
    // Larger chunks here: the chunk is the reduction dimension.
    const int chunk = std::min(s.rows(), s.chunkRows() * 4);
    float* patches = scratch.get(static_cast<size_t>(chunk) * k);
    for (int r0 = 0; r0 < s.rows(); r0 += chunk) {
      const int count = std::min(chunk, s.rows() - r0);
      im2col(s, x, r0, count, patches);
      addRows(patches, dy + static_cast<size_t>(r0) * s.outChannels, count);
    }
  }
  for (size_t i = 0; i < size; i++) dw[i] = static_cast<float>(total[i]);
}

inline void conv2dBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int k = s.patchLength();
  if (s.isPointwise()) return gemm(s.rows(), k, s.outChannels, dy, s.outChannels, false, w, s.outChannels, true, dx, k, false);
  static thread_local Scratch scratch, packedFilter;
  std::memset(dx, 0, sizeof(float) * s.batch * s.inHeight * s.inWidth * s.inChannels);
  const int chunk = s.chunkRows();
  float* patches = scratch.get(static_cast<size_t>(chunk) * k);
  // W^T is B of every chunk's GEMM: packed once.
  float* filter = packedFilter.get(packedBSize(k, s.outChannels));
  packWholeB(w, s.outChannels, true, k, s.outChannels, filter);
  for (int r0 = 0; r0 < s.rows(); r0 += chunk) {
    const int count = std::min(chunk, s.rows() - r0);
    gemmPacked(count, k, s.outChannels, dy + static_cast<size_t>(r0) * s.outChannels, s.outChannels, false, w, s.outChannels,
               true, filter, patches, k, false);
    col2imAdd(s, patches, r0, count, dx);
  }
}

}  // namespace sweepboard
