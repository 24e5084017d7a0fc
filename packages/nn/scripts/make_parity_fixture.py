#!/usr/bin/env python3
"""Writes packages/nn/test/fixtures/fcsiamdiff-train.torch.safetensors: a small FCSiamDiff (float64,
depth 2, base width 2, batch norm) trained for 3 steps in PyTorch 1.13 (cross-entropy, Adam with
weight decay, clip_grad_norm_), with its initial state (`init.*`), the batch (`io.*`), the loss of
each step (`losses`) and the final state (`final.*`, running statistics included).
The test fcsiamdiff-parity.test.ts repeats the run in Tessera and compares.

    cd packages/nn/scripts && python3 make_parity_fixture.py
"""
import os, torch
import torch.nn.functional as F
from load_safetensors import write_safetensors
from tessera_models import FCSiamDiff

torch.manual_seed(0)
model = FCSiamDiff(depth=2, base_width=2).double()
x1, x2 = torch.rand(2, 3, 8, 8, dtype=torch.float64), torch.rand(2, 3, 8, 8, dtype=torch.float64)
target = torch.randint(0, 2, (2, 8, 8), dtype=torch.int32)
out = {f"init.{k}": v.clone() for k, v in model.state_dict().items()}
out.update({"io.x1": x1, "io.x2": x2, "io.target": target})
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=0.01)
losses = []
for _ in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(model(x1, x2), target.long())
    losses.append(loss.item())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
out["losses"] = torch.tensor(losses, dtype=torch.float64)
out.update({f"final.{k}": v for k, v in model.state_dict().items()})
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "fcsiamdiff-train.torch.safetensors")
write_safetensors(path, out, {"producer": "packages/nn/scripts/make_parity_fixture.py", "torch": torch.__version__})
print(path, losses)
