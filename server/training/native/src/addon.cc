// N-API entry points. Every kernel works in place on the TF.js wasm backend's heap: JavaScript passes the heap's
// ArrayBuffer and byte offsets of the tensors (inputs, and outputs it has already allocated), so no data is copied.
#include <node_api.h>

#include <cstdint>

#include "channels.h"
#include "conv.h"
#include "elementwise_addon.h"
#include "gemm.h"
#include "napi_args.h"
#include "optimizer.h"
#include "pool.h"

namespace {

using sweepboard::Args;
using sweepboard::ConvShape;
using sweepboard::PoolShape;

ConvShape convShape(Args& a, size_t first) {
  ConvShape s{};
  int* fields[] = {&s.batch, &s.inHeight, &s.inWidth, &s.inChannels, &s.outHeight, &s.outWidth, &s.outChannels,
                   &s.filterHeight, &s.filterWidth, &s.strideHeight, &s.strideWidth, &s.dilationHeight,
                   &s.dilationWidth, &s.padTop, &s.padLeft};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) *fields[i] = a.integer(first + i);
  return s;
}

size_t inputSize(const ConvShape& s) { return static_cast<size_t>(s.batch) * s.inHeight * s.inWidth * s.inChannels; }
size_t outputSize(const ConvShape& s) { return static_cast<size_t>(s.rows()) * s.outChannels; }
size_t filterSize(const ConvShape& s) { return static_cast<size_t>(s.patchLength()) * s.outChannels; }

using ConvKernel = void (*)(const ConvShape&, const float*, const float*, float*);
using ConvSize = size_t (*)(const ConvShape&);

// The three convolution entry points share one form: (heap, in1, in2, out, ...shape), each operand size-checked.
napi_value runConv(napi_env env, napi_callback_info info, ConvKernel kernel, ConvSize in1, ConvSize in2, ConvSize out) {
  Args a(env, info, 19);
  ConvShape s = convShape(a, 4);
  float *first = a.floats(1, in1(s)), *second = a.floats(2, in2(s)), *result = a.floats(3, out(s));
  if (a.ok) kernel(s, first, second, result);
  return nullptr;
}

// conv2d(heap, x, filter, y, ...shape)
napi_value Conv2D(napi_env env, napi_callback_info info) {
  return runConv(env, info, sweepboard::conv2dForward, inputSize, filterSize, outputSize);
}

// conv2dBackpropFilter(heap, x, dy, dw, ...shape)
napi_value Conv2DBackpropFilter(napi_env env, napi_callback_info info) {
  return runConv(env, info, sweepboard::conv2dBackpropFilter, inputSize, outputSize, filterSize);
}

// conv2dBackpropInput(heap, dy, filter, dx, ...shape)
napi_value Conv2DBackpropInput(napi_env env, napi_callback_info info) {
  return runConv(env, info, sweepboard::conv2dBackpropInput, outputSize, filterSize, inputSize);
}

// batchMatMul(heap, a, b, c, batch, batchA, batchB, m, n, k, transA, transB): c[i] = op(a[i or 0]) . op(b[i or 0])
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Args a(env, info, 12);
  const int batch = a.integer(4), batchA = a.integer(5), batchB = a.integer(6);
  const int m = a.integer(7), n = a.integer(8), k = a.integer(9);
  const bool transA = a.integer(10) != 0, transB = a.integer(11) != 0;
  const size_t sizeA = static_cast<size_t>(m) * k, sizeB = static_cast<size_t>(k) * n, sizeC = static_cast<size_t>(m) * n;
  float *pa = a.floats(1, sizeA * batchA), *pb = a.floats(2, sizeB * batchB), *pc = a.floats(3, sizeC * batch);
  if (!a.ok) return nullptr;
  if ((batchA != batch && batchA != 1) || (batchB != batch && batchB != 1)) {
    a.fail("batch sizes do not broadcast");
    return nullptr;
  }
  for (int i = 0; i < batch; i++) {
    sweepboard::gemm(m, n, k, pa + (batchA == 1 ? 0 : i * sizeA), transA ? m : k, transA, pb + (batchB == 1 ? 0 : i * sizeB),
                     transB ? k : n, transB, pc + i * sizeC, n, false);
  }
  return nullptr;
}

PoolShape poolShape(Args& a, size_t first) {
  PoolShape s{};
  int* fields[] = {&s.batch, &s.inHeight, &s.inWidth, &s.channels, &s.outHeight, &s.outWidth, &s.filterHeight,
                   &s.filterWidth, &s.strideHeight, &s.strideWidth, &s.dilationHeight, &s.dilationWidth, &s.padTop,
                   &s.padLeft};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) *fields[i] = a.integer(first + i);
  return s;
}
size_t poolInputSize(const PoolShape& s) { return static_cast<size_t>(s.batch) * s.inHeight * s.inWidth * s.channels; }
size_t poolOutputSize(const PoolShape& s) { return static_cast<size_t>(s.batch) * s.outHeight * s.outWidth * s.channels; }

// maxPoolGrad(heap, dy, x, dx, ...shape)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 18);
  const PoolShape s = poolShape(a, 4);
  float *dy = a.floats(1, poolOutputSize(s)), *x = a.floats(2, poolInputSize(s)), *dx = a.floats(3, poolInputSize(s));
  if (a.ok) sweepboard::maxPoolGrad(s, dy, x, dx);
  return nullptr;
}

// avgPoolGrad(heap, dy, dx, ...shape)
napi_value AvgPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 17);
  const PoolShape s = poolShape(a, 3);
  float *dy = a.floats(1, poolOutputSize(s)), *dx = a.floats(2, poolInputSize(s));
  if (a.ok) sweepboard::avgPoolGrad(s, dy, dx);
  return nullptr;
}

// reluGrad(heap, dy, x, dx, size)
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 5);
  const size_t size = static_cast<size_t>(a.integer(4));
  float *dy = a.floats(1, size), *x = a.floats(2, size), *dx = a.floats(3, size);
  if (a.ok) sweepboard::reluGrad(dy, x, dx, size);
  return nullptr;
}

// sumRows(heap, x, out, rows, cols, scale)
napi_value SumRows(napi_env env, napi_callback_info info) {
  Args a(env, info, 6);
  const int rows = a.integer(3), cols = a.integer(4);
  const double scale = a.realDouble(5);
  float *x = a.floats(1, static_cast<size_t>(rows) * cols), *out = a.floats(2, cols);
  if (a.ok) sweepboard::sumRows(x, rows, cols, scale, out);
  return nullptr;
}

// batchNormTrain(heap, x, gamma, beta, y, mean, variance, rows, channels, epsilon)
napi_value BatchNormTrain(napi_env env, napi_callback_info info) {
  Args a(env, info, 10);
  const int rows = a.integer(7), channels = a.integer(8);
  const double epsilon = a.realDouble(9);
  if (a.ok && (rows < 1 || channels < 1)) a.fail("batch norm needs at least one row and one channel");
  const size_t size = static_cast<size_t>(rows) * channels;
  float *x = a.floats(1, size), *gamma = a.floats(2, channels), *beta = a.floats(3, channels), *y = a.floats(4, size);
  float *mean = a.floats(5, channels), *variance = a.floats(6, channels);
  if (a.ok) sweepboard::batchNormTrain(x, gamma, beta, rows, channels, epsilon, y, mean, variance);
  return nullptr;
}

// batchNormTrainGrad(heap, dy, dMean, dVariance, x, mean, variance, gamma, dx, dgamma, dbeta, rows, channels, epsilon)
napi_value BatchNormTrainGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 14);
  const int rows = a.integer(11), channels = a.integer(12);
  const double epsilon = a.realDouble(13);
  if (a.ok && (rows < 1 || channels < 1)) a.fail("batch norm needs at least one row and one channel");
  const size_t size = static_cast<size_t>(rows) * channels;
  float *dy = a.floats(1, size), *dMean = a.floats(2, channels), *dVariance = a.floats(3, channels);
  float *x = a.floats(4, size), *mean = a.floats(5, channels), *variance = a.floats(6, channels);
  float *gamma = a.floats(7, channels), *dx = a.floats(8, size), *dgamma = a.floats(9, channels), *dbeta = a.floats(10, channels);
  if (a.ok) {
    sweepboard::batchNormTrainGrad(dy, dMean, dVariance, x, mean, variance, gamma, rows, channels, epsilon, dx, dgamma, dbeta);
  }
  return nullptr;
}

// biasActivation(heap, y, bias, rows, channels, hasBias, relu): in place
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  const int rows = a.integer(3), channels = a.integer(4);
  const bool hasBias = a.integer(5) != 0, relu = a.integer(6) != 0;
  float* y = a.floats(1, static_cast<size_t>(rows) * channels);
  float* bias = hasBias ? a.floats(2, channels) : nullptr;
  if (a.ok) sweepboard::biasActivation(y, bias, rows, channels, relu);
  return nullptr;
}

// adamUpdate(heap, param, grad, m, v, paramOut, mOut, vOut, size,
//            lr, beta1, 1-beta1, beta2, 1-beta2, eps, decayFactor, 1-acc(beta1), 1-acc(beta2))
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info, 18);
  const int size = a.integer(8);
  sweepboard::AdamHyper h{};
  float* fields[] = {&h.learningRate, &h.beta1, &h.oneMinusBeta1, &h.beta2, &h.oneMinusBeta2, &h.epsilon,
                     &h.decayFactor, &h.oneMinusAccBeta1, &h.oneMinusAccBeta2};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) *fields[i] = a.real(9 + i);
  float* tensors[7];
  for (int i = 0; i < 7; i++) tensors[i] = a.floats(1 + i, static_cast<size_t>(size));
  if (a.ok) sweepboard::adamUpdate(h, size, tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6]);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"conv2d", nullptr, Conv2D, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2DBackpropFilter, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2DBackpropInput, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormTrain", nullptr, BatchNormTrain, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormTrainGrad", nullptr, BatchNormTrainGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"biasActivation", nullptr, BiasActivation, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"avgPoolGrad", nullptr, AvgPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"dropout", nullptr, sweepboard::Dropout, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"activation", nullptr, sweepboard::Activation, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"activationGrad", nullptr, sweepboard::ActivationGradient, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  napi_value width;
  napi_create_int32(env, sweepboard::kVectorFloats, &width);
  napi_set_named_property(env, exports, "vectorFloats", width);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
