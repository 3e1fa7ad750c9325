// Identity for wasm without the copy. The stock kernel copies the tensor, and the engine clones (Identity) every
// tensor it saves for the backward pass, so training copied each large activation once per step. The backend
// reference-counts shared data (its Reshape shares the same way), so sharing is safe.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { WASM } from "./wasm-kernel-utils";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

export function identityConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  function identity(args: Args): tf.TensorInfo {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") {
      if (!stock) throw new Error("Identity on wasm: no stock kernel for string tensors");
      return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }
  return { kernelName: tf.Identity, backendName: WASM, kernelFunc: identity as unknown as tf.KernelFunc };
}
