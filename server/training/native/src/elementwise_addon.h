// N-API entry points of the elementwise kernels (dropout, activations and their gradients), kept apart from
// addon.cc's convolution, GEMM, pooling and per-channel families.
#pragma once
#include <node_api.h>

#include <cstdint>

#include "activation.h"
#include "dropout.h"
#include "napi_args.h"

namespace sweepboard {

// dropout(heap, x, y, multiplier, size, rate, seed)
inline napi_value Dropout(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  const size_t size = static_cast<size_t>(a.integer(4));
  const double rate = a.realDouble(5);
  const double seed = a.realDouble(6);
  if (a.ok && !(rate > 0 && rate < 1)) a.fail("dropout rate must be in (0, 1)");
  if (a.ok && !(seed >= 0 && seed <= 4294967295.0)) a.fail("dropout seed must be a 32-bit unsigned integer");
  float *x = a.floats(1, size), *y = a.floats(2, size), *multiplier = a.floats(3, size);
  if (a.ok) dropoutForward(x, size, rate, static_cast<uint32_t>(seed), y, multiplier);
  return nullptr;
}

// activation(heap, x, y, size, kind, alpha): kind 0 tanh, 1 leaky ReLU, 2 sigmoid
inline napi_value Activation(napi_env env, napi_callback_info info) {
  Args a(env, info, 6);
  const size_t size = static_cast<size_t>(a.integer(3));
  const int kind = a.integer(4);
  const float alpha = a.real(5);
  if (a.ok && (kind < 0 || kind > 2)) a.fail("unknown activation");
  float *x = a.floats(1, size), *y = a.floats(2, size);
  if (!a.ok) return nullptr;
  if (kind == 0) tanhForward(x, y, size);
  else if (kind == 1) leakyReluForward(x, y, size, alpha);
  else sigmoidForward(x, y, size);
  return nullptr;
}

// activationGrad(heap, dy, v, dx, size, kind, alpha): kind 0 tanh, 1 sigmoid (v = y), 2 leaky ReLU (v = x)
inline napi_value ActivationGradient(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  const size_t size = static_cast<size_t>(a.integer(4));
  const int kind = a.integer(5);
  const float alpha = a.real(6);
  if (a.ok && (kind < 0 || kind > 2)) a.fail("unknown activation gradient");
  float *dy = a.floats(1, size), *v = a.floats(2, size), *dx = a.floats(3, size);
  if (a.ok) activationGrad(static_cast<ActivationGrad>(kind), dy, v, dx, size, alpha);
  return nullptr;
}

}  // namespace sweepboard
