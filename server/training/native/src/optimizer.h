// One pass over a variable for the Adam family: the moments, decoupled weight decay (AdamW) and the step, with
// TF.js's Adam arithmetic in float32 (p -= lr * m_hat / (sqrt(v_hat) + eps)), so results match its op-by-op version.
#pragma once
#include <cmath>
#include <cstddef>

namespace sweepboard {

// Every constant is rounded to float32 by the caller exactly as TF.js rounds it (1 - beta is taken in double
// before rounding; the bias corrections 1 - beta^t from float32 products), so both sides compute the same numbers.
struct AdamHyper {
  float learningRate, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon;
  float decayFactor;                        // 1 - lr * weightDecay
  float oneMinusAccBeta1, oneMinusAccBeta2;  // the bias corrections
};

inline void adamUpdate(const AdamHyper& h, size_t size, const float* param, const float* grad, const float* m,
                       const float* v, float* paramOut, float* mOut, float* vOut) {
  const float oneMinusBeta1 = h.oneMinusBeta1, oneMinusBeta2 = h.oneMinusBeta2;
  for (size_t i = 0; i < size; i++) {
    const float g = grad[i];
    const float newM = m[i] * h.beta1 + g * oneMinusBeta1;
    const float newV = v[i] * h.beta2 + (g * g) * oneMinusBeta2;
    const float mHat = newM / h.oneMinusAccBeta1;
    const float vHat = newV / h.oneMinusAccBeta2;
    const float decayed = h.decayFactor == 1.f ? param[i] : param[i] * h.decayFactor;
    paramOut[i] = (mHat / (std::sqrt(vHat) + h.epsilon)) * -h.learningRate + decayed;
    mOut[i] = newM;
    vOut[i] = newV;
  }
}

}  // namespace sweepboard
