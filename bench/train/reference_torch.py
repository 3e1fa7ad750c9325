#!/usr/bin/python3
"""PyTorch side of `npm run bench:train -- --reference`: the reference CNN of ../shared/bench/README.md, trained by
that folder's own bench_torch_cnn.py (its model, init, optimizer and loop), on the same 10k-image epochs, timed the
same way as our engine. Prints one JSON object.

Usage: /usr/bin/python3 bench/train/reference_torch.py --shared DIR [--threads 1] [--dense conv1x1|linear]
       [--images 10000] [--epochs 3] [--accuracy]
"""
import argparse
import json
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--shared", required=True, help="folder holding bench_torch_cnn.py")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--dense", default="conv1x1", choices=["conv1x1", "linear"])
ap.add_argument("--images", type=int, default=10000)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--accuracy", action="store_true", help="also train 3 epochs on the full 60k and report test accuracy")
args = ap.parse_args()

sys.path.insert(0, args.shared)
import torch  # noqa: E402
import bench_torch_cnn as ref  # noqa: E402

torch.set_num_threads(args.threads)
x_train, y_train = ref.load("train")
x, y = x_train[: args.images].contiguous(), y_train[: args.images].contiguous()
model, optimizer = ref.make(0, args.dense)
generator = torch.Generator().manual_seed(0)
ref.train_epoch(model, optimizer, x, y, 64, generator)  # warm-up
seconds = [ref.train_epoch(model, optimizer, x, y, 64, generator)[0] for _ in range(args.epochs)]
out = {"engine": f"pytorch {torch.__version__} ({args.dense} dense)", "threads": args.threads,
       "images_per_epoch": args.images, "images_per_s": [args.images / s for s in seconds]}
if args.accuracy:
    x_test, y_test = ref.load("t10k")
    model, optimizer = ref.make(0, args.dense)
    generator = torch.Generator().manual_seed(0)
    history = []
    for epoch in range(3):
        t0 = time.perf_counter()
        ref.train_epoch(model, optimizer, x_train, y_train, 64, generator)
        history.append({"epoch": epoch + 1, "seconds": time.perf_counter() - t0,
                        "test_accuracy": ref.evaluate(model, x_test, y_test)[0]})
    out["accuracy_60k"] = history
print(json.dumps(out))
