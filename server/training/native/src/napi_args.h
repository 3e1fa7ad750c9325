// The argument reader every N-API entry point uses: the wasm heap (argument 0), numbers, and float pointers into
// the heap checked against its size. The first failure throws one JavaScript error and turns the rest into no-ops.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace sweepboard {

constexpr size_t kMaxArgs = 24;

struct Args {
  napi_env env;
  napi_value values[kMaxArgs];
  size_t count = kMaxArgs;
  char* heap = nullptr;
  size_t heapBytes = 0;
  bool ok = true;

  Args(napi_env e, napi_callback_info info, size_t expected) : env(e) {
    napi_get_cb_info(env, info, &count, values, nullptr, nullptr);
    void* data = nullptr;
    if (count < expected) {
      fail("too few arguments");
    } else if (napi_get_arraybuffer_info(env, values[0], &data, &heapBytes) != napi_ok) {
      fail("argument 0 must be the heap ArrayBuffer");
    }
    heap = static_cast<char*>(data);
  }
  void fail(const char* message) {
    if (ok) napi_throw_error(env, "SWEEPBOARD_NATIVE", message);
    ok = false;
  }
  double realDouble(size_t index) {
    double value = 0;
    if (ok && napi_get_value_double(env, values[index], &value) != napi_ok) fail("expected a number argument");
    return value;
  }
  float real(size_t index) { return static_cast<float>(realDouble(index)); }
  int integer(size_t index) {
    int32_t value = 0;
    if (ok && napi_get_value_int32(env, values[index], &value) != napi_ok) fail("expected an integer argument");
    return value;
  }
  // A float pointer into the heap, checked to hold `floats` elements.
  float* floats(size_t index, size_t floats) {
    double offset = 0;
    if (ok && napi_get_value_double(env, values[index], &offset) != napi_ok) fail("expected a byte offset");
    if (!ok) return nullptr;
    const size_t at = static_cast<size_t>(offset);
    if (offset < 0 || at % 4 != 0 || at + floats * 4 > heapBytes) {
      fail("tensor offset outside the heap");
      return nullptr;
    }
    return reinterpret_cast<float*>(heap + at);
  }
};

}  // namespace sweepboard
