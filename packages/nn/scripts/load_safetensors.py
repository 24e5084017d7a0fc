#!/usr/bin/env python3
"""Load a Tessera checkpoint (safetensors) into PyTorch, without the `safetensors` package.

    python3 load_safetensors.py model.safetensors                         # list the tensors
    python3 load_safetensors.py model.safetensors --model fcsiamdiff --depth 2 --base-width 8
    python3 load_safetensors.py model.safetensors --model reference --check io.safetensors

With --model, the checkpoint is loaded with `load_state_dict` (strict) into the same architecture
written in PyTorch (tessera_models.py). With --check FILE, the model runs in eval mode on FILE's
`x1`/`x2` (or `x`) and its output is compared with FILE's `y` (written by check-pytorch.ts).
If the `safetensors` package is installed, `safetensors.torch.load_file(path)` does the same as
`read_safetensors(path)[0]`. `write_safetensors(path, model.state_dict())` goes the other way: a
PyTorch model's weights for Tessera's `load`.
"""
import argparse, json, struct
import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) from a safetensors file (little-endian data)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])                 # header length, u64 little-endian
    header = json.loads(data[8:8 + n].decode("utf-8"))   # JSON, padded with spaces
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]                # relative to the end of the header
        dtype = DTYPES[info["dtype"]]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} (e.g. a PyTorch model's state_dict()) as safetensors, for Tessera's `load`."""
    names = sorted(tensors)
    codes = {v: k for k, v in DTYPES.items()}
    header, offset = ({"__metadata__": metadata} if metadata else {}), 0
    for name in names:
        t = tensors[name]
        size = t.numel() * t.element_size()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name in names:
            f.write(tensors[name].detach().contiguous().cpu().numpy().tobytes())  # little-endian on x86/ARM


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("--model", choices=["reference", "fcef", "fcsiamdiff"])
    p.add_argument("--in-channels", type=int, default=3)
    p.add_argument("--num-classes", type=int, default=2)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--base-width", type=int, default=16)
    p.add_argument("--no-batch-norm", action="store_true")
    p.add_argument("--upsample", choices=["nearest", "transposed"], default="nearest")
    p.add_argument("--check", help="safetensors file with inputs x1, x2 (or x) and the expected output y")
    a = p.parse_args()
    state, metadata = read_safetensors(a.checkpoint)
    if metadata:
        print("metadata:", metadata)
    for name, t in state.items():
        print(f"{name:48s} {str(t.dtype):14s} {tuple(t.shape)}")
    if not a.model:
        return
    from tessera_models import FCEF, FCSiamDiff, ReferenceSegmenter
    if a.model == "reference":
        model = ReferenceSegmenter()
    else:
        cls = FCEF if a.model == "fcef" else FCSiamDiff
        model = cls(in_channels=a.in_channels, num_classes=a.num_classes, depth=a.depth, base_width=a.base_width,
                    batch_norm=not a.no_batch_norm, upsample=a.upsample)
    model.load_state_dict(state)  # strict: every key and shape must match
    model = model.to(next(iter(state.values())).dtype if state else torch.float32)
    print(f"loaded {len(state)} tensors into {type(model).__name__} ({sum(t.numel() for t in model.parameters())} parameters)")
    if a.check:
        io, _ = read_safetensors(a.check)
        model.eval()
        with torch.no_grad():
            y = model(io["x1"], io["x2"]) if "x1" in io else model(io["x"])
        err = (y - io["y"]).abs().max().item()
        scale = io["y"].abs().max().item()
        print(f"max |PyTorch - Tessera| = {err:.3g} (max |y| = {scale:.3g})")
        if err > 1e-4 * max(1.0, scale):
            raise SystemExit("outputs differ")
        print("outputs match")


if __name__ == "__main__":
    main()
