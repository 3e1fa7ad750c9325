// Single-threaded SGEMM, BLIS style: operands are packed into cache-sized panels and an MR x NR register-blocked
// micro-kernel does the arithmetic. GCC vector extensions keep it portable: with -march=native the vectors are
// AVX-512 (16 floats) where the CPU has it, else AVX2/SSE. Either operand may be transposed, so callers never
// materialise a transpose.
//
//   C[M x N] = (accumulate ? C : 0) + op(A)[M x K] . op(B)[K x N]
//   op(A)(i, k) = transA ? A[k * lda + i] : A[i * lda + k]      (same for B)
#pragma once
#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace sweepboard {

#if defined(__AVX512F__)
constexpr int kVectorFloats = 16;
constexpr int kMR = 8;
#elif defined(__AVX__)
constexpr int kVectorFloats = 8;
constexpr int kMR = 6;
#else
constexpr int kVectorFloats = 4;
constexpr int kMR = 6;
#endif
constexpr int kVectorsPerRow = 2;
constexpr int kNR = kVectorFloats * kVectorsPerRow;
// Block sizes: a KC x NR panel of B stays in L1 while an MC x KC block of A and a KC x NC block of B stay in L2.
constexpr int kKC = 256;
constexpr int kMC = 96;
constexpr int kNC = 512;

// aligned(4): loads through this type may be unaligned (C rows are not aligned).
typedef float Vec __attribute__((vector_size(kVectorFloats * 4), aligned(4)));

struct Scratch {
  float* data = nullptr;
  size_t capacity = 0;
  float* get(size_t floats) {
    if (floats > capacity) {
      std::free(data);
      capacity = floats + floats / 4;
      data = static_cast<float*>(std::aligned_alloc(64, ((capacity * 4 + 63) / 64) * 64));
    }
    return data;
  }
};

inline float element(const float* m, int ld, bool trans, int row, int col) {
  return trans ? m[static_cast<size_t>(col) * ld + row] : m[static_cast<size_t>(row) * ld + col];
}

// Packs rows [i0, i0+mc) x cols [p0, p0+kc) of op(A) into MR-row panels, k-major inside a panel, zero-padded.
inline void packA(const float* a, int lda, bool trans, int i0, int mc, int p0, int kc, float* out) {
  for (int ir = 0; ir < mc; ir += kMR) {
    const int rows = std::min(kMR, mc - ir);
    if (!trans) {
      for (int i = 0; i < kMR; i++) {
        if (i < rows) {
          const float* src = a + static_cast<size_t>(i0 + ir + i) * lda + p0;
          for (int k = 0; k < kc; k++) out[k * kMR + i] = src[k];
        } else {
          for (int k = 0; k < kc; k++) out[k * kMR + i] = 0.f;
        }
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const float* src = a + static_cast<size_t>(p0 + k) * lda + i0 + ir;
        int i = 0;
        for (; i < rows; i++) out[k * kMR + i] = src[i];
        for (; i < kMR; i++) out[k * kMR + i] = 0.f;
      }
    }
    out += static_cast<size_t>(kMR) * kc;
  }
}

// Packs rows [p0, p0+kc) x cols [j0, j0+nc) of op(B) into NR-column panels, k-major, zero-padded.
inline void packB(const float* b, int ldb, bool trans, int p0, int kc, int j0, int nc, float* out) {
  for (int jr = 0; jr < nc; jr += kNR) {
    const int cols = std::min(kNR, nc - jr);
    if (!trans) {
      for (int k = 0; k < kc; k++) {
        const float* src = b + static_cast<size_t>(p0 + k) * ldb + j0 + jr;
        int j = 0;
        for (; j < cols; j++) out[k * kNR + j] = src[j];
        for (; j < kNR; j++) out[k * kNR + j] = 0.f;
      }
    } else {
      for (int j = 0; j < kNR; j++) {
        if (j < cols) {
          const float* src = b + static_cast<size_t>(j0 + jr + j) * ldb + p0;
          for (int k = 0; k < kc; k++) out[k * kNR + j] = src[k];
        } else {
          for (int k = 0; k < kc; k++) out[k * kNR + j] = 0.f;
        }
      }
    }
    out += static_cast<size_t>(kNR) * kc;
  }
}

// C tile (mr x nr, row stride ldc) = or += packedA panel . packedB panel.
inline void microKernel(int kc, const float* __restrict pa, const float* __restrict pb, float* c, int ldc, int mr,
                        int nr, bool accumulate) {
  Vec acc[kMR][kVectorsPerRow];
  for (int i = 0; i < kMR; i++)
    for (int v = 0; v < kVectorsPerRow; v++) acc[i][v] = Vec{} ;
  for (int k = 0; k < kc; k++) {
    Vec b[kVectorsPerRow];
    for (int v = 0; v < kVectorsPerRow; v++) b[v] = *reinterpret_cast<const Vec*>(pb + k * kNR + v * kVectorFloats);
    for (int i = 0; i < kMR; i++) {
      const float a = pa[k * kMR + i];
      for (int v = 0; v < kVectorsPerRow; v++) acc[i][v] += a * b[v];
    }
  }
  if (mr == kMR && nr == kNR) {
    for (int i = 0; i < kMR; i++) {
      for (int v = 0; v < kVectorsPerRow; v++) {
        Vec* target = reinterpret_cast<Vec*>(c + static_cast<size_t>(i) * ldc + v * kVectorFloats);
        *target = accumulate ? *target + acc[i][v] : acc[i][v];
      }
    }
    return;
  }
  alignas(64) float tile[kMR * kNR];
  for (int i = 0; i < kMR; i++)
    for (int v = 0; v < kVectorsPerRow; v++) *reinterpret_cast<Vec*>(tile + i * kNR + v * kVectorFloats) = acc[i][v];
  for (int i = 0; i < mr; i++) {
    float* row = c + static_cast<size_t>(i) * ldc;
    for (int j = 0; j < nr; j++) row[j] = accumulate ? row[j] + tile[i * kNR + j] : tile[i * kNR + j];
  }
}

// The packed panels of a whole op(B), in the order gemm visits them (column blocks, then depth blocks), for one B
// against many short row blocks of A: a convolution's filter against each chunk of patches. Repacking the filter
// per 32-row chunk of a 7x7x32 conv made its input gradient 1.8x and its forward 1.2x slower.
inline size_t packedBSize(int n, int k) {
  return static_cast<size_t>((n + kNR - 1) / kNR) * kNR * static_cast<size_t>(std::max(k, 0));
}

inline void packWholeB(const float* b, int ldb, bool transB, int n, int k, float* out) {
  for (int j0 = 0; j0 < n; j0 += kNC) {
    const int nc = std::min(kNC, n - j0);
    for (int p0 = 0; p0 < k; p0 += kKC) {
      const int kc = std::min(kKC, k - p0);
      packB(b, ldb, transB, p0, kc, j0, nc, out);
      out += static_cast<size_t>((nc + kNR - 1) / kNR) * kNR * kc;
    }
  }
}

// C = (accumulate ? C : 0) + op(A) . B, with B given packed by packWholeB (or, when packedWhole is null, packed here
// from b block by block).
inline void gemmPacked(int m, int n, int k, const float* a, int lda, bool transA, const float* b, int ldb, bool transB,
                       const float* packedWhole, float* c, int ldc, bool accumulate) {
  static thread_local Scratch packedA, packedB;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) std::memset(c + static_cast<size_t>(i) * ldc, 0, sizeof(float) * n);
    return;
  }
  float* scratchB = packedWhole ? nullptr : packedB.get(static_cast<size_t>(kKC) * (kNC + kNR));
  float* pa = packedA.get(static_cast<size_t>(kMC + kMR) * kKC);
  const float* nextPanel = packedWhole;
  for (int j0 = 0; j0 < n; j0 += kNC) {
    const int nc = std::min(kNC, n - j0);
    for (int p0 = 0; p0 < k; p0 += kKC) {
      const int kc = std::min(kKC, k - p0);
      const bool acc = accumulate || p0 > 0;
      const float* pb = nextPanel;
      if (packedWhole) {
        nextPanel += static_cast<size_t>((nc + kNR - 1) / kNR) * kNR * kc;
      } else {
        packB(b, ldb, transB, p0, kc, j0, nc, scratchB);
        pb = scratchB;
      }
      for (int i0 = 0; i0 < m; i0 += kMC) {
        const int mc = std::min(kMC, m - i0);
        packA(a, lda, transA, i0, mc, p0, kc, pa);
        for (int jr = 0; jr < nc; jr += kNR) {
          const float* panelB = pb + static_cast<size_t>(jr / kNR) * kNR * kc;
          for (int ir = 0; ir < mc; ir += kMR) {
            const float* panelA = pa + static_cast<size_t>(ir / kMR) * kMR * kc;
            float* tile = c + static_cast<size_t>(i0 + ir) * ldc + j0 + jr;
            microKernel(kc, panelA, panelB, tile, ldc, std::min(kMR, mc - ir), std::min(kNR, nc - jr), acc);
          }
        }
      }
    }
  }
}

inline void gemm(int m, int n, int k, const float* a, int lda, bool transA, const float* b, int ldb, bool transB,
                 float* c, int ldc, bool accumulate) {
  gemmPacked(m, n, k, a, lda, transA, b, ldb, transB, nullptr, c, ldc, accumulate);
}

}  // namespace sweepboard
