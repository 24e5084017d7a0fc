"""The bench workloads on PyTorch (CPU), spawned by `pnpm bench` as one more configuration.

  python3 torch_runner.py '<config json>' <workload> <warmup> <steps> <warmupMs> <minMs> <manifest.json> [--profile N]

Reads the inputs and initial parameters Tessera drew (torch-inputs.ts writes them with a manifest),
builds the same network with the same module names, and times the same step with the same rule as
harness.ts: at least <warmup> warm-up steps and <warmupMs>, then at least <steps> timed steps and
<minMs> (at most MAX_STEPS). Prints one line `@@TESSERA_BENCH_RESULT {json}` (a BenchResult).
With --profile N it instead runs N steps under torch.profiler and prints `@@TESSERA_BENCH_PROFILE
{json}`: milliseconds per step by phase (forward, backward, optimizer) and by op (self CPU time).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

RESULT_MARKER = '@@TESSERA_BENCH_RESULT '
PROFILE_MARKER = '@@TESSERA_BENCH_PROFILE '
MAX_STEPS = 400  # as harness.ts
DTYPES = {'float32': np.float32, 'float64': np.float64, 'int32': np.int32}


def load(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    folder = os.path.dirname(manifest_path)

    def read(e):
        a = np.fromfile(os.path.join(folder, e['file']), dtype=DTYPES[e['dtype']]).reshape(e['shape'])
        return torch.from_numpy(a.copy())
    return {e['name']: read(e) for e in manifest['inputs']}, {e['name']: read(e) for e in manifest['params']}


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                         nn.Conv2d(o, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())


class UNet(nn.Module):
    """ReferenceSegmenter (segstep) or SmallSegmenter (smallseg): Tessera's module names."""

    def __init__(self, small):
        super().__init__()
        if small:
            self.enc1, self.enc2, self.bottleneck = block(3, 16), block(16, 32), block(32, 64)
            self.dec2, self.dec1 = block(96, 32), block(48, 16)
            self.head = nn.Conv2d(16, 4, 1)
        else:
            def conv(i, o):
                return nn.Conv2d(i, o, 3, padding=1)
            self.enc1 = nn.Sequential(conv(6, 16), nn.ReLU(), conv(16, 16), nn.ReLU())
            self.enc2 = nn.Sequential(conv(16, 32), nn.ReLU(), conv(32, 32), nn.ReLU())
            self.bottleneck = nn.Sequential(conv(32, 64), nn.ReLU())
            self.dec2 = nn.Sequential(conv(96, 32), nn.ReLU())
            self.dec1 = nn.Sequential(conv(48, 16), nn.ReLU())
            self.head = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(F.max_pool2d(s1, 2))
        b = self.bottleneck(F.max_pool2d(s2, 2))
        d2 = self.dec2(torch.cat([F.interpolate(b, scale_factor=2.0, mode='nearest'), s2], 1))
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2.0, mode='nearest'), s1], 1))
        return self.head(d1)


def model_from(params, small):
    model = UNet(small)
    own = dict(model.named_parameters())
    if set(own) != set(params):
        raise SystemExit(f'torch_runner: parameter names differ: torch {sorted(own)} vs tessera {sorted(params)}')
    with torch.no_grad():
        for name, p in own.items():
            if tuple(p.shape) != tuple(params[name].shape):
                raise SystemExit(f'torch_runner: {name} has shape {tuple(p.shape)} here, {tuple(params[name].shape)} in Tessera')
            p.copy_(params[name])
    return model.train()


def phase(name):
    return torch.profiler.record_function(name)


def prepare(workload, inputs, params):
    """The step to time; it returns the loss (conv: dW[0]) as a Python float."""
    if workload == 'conv':
        x, w, dy = inputs['x'].requires_grad_(), inputs['w'].requires_grad_(), inputs['dy']

        def step():
            x.grad = None
            w.grad = None
            with phase('forward'):
                y = F.conv2d(x, w, padding=1)
            with phase('backward'):
                y.backward(dy)
            return w.grad.view(-1)[0].item()
        return step
    if workload in ('ce', 'ce4', 'ce8'):
        logits, y, weight = inputs['logits'].requires_grad_(), inputs['y'].long(), inputs['weight']
        ignore = -100 if workload == 'ce' else 255

        def step():
            logits.grad = None
            with phase('forward'):
                loss = F.cross_entropy(logits, y, weight=weight, ignore_index=ignore)
            with phase('backward'):
                loss.backward()
            logits.grad.view(-1)[0].item()
            return loss.item()
        return step
    small = workload == 'smallseg'
    model = model_from(params, small)
    x, y, weight = inputs['x'], inputs['y'].long(), inputs['weight']
    opt = torch.optim.Adam(model.parameters(), lr=1e-3) if small else torch.optim.SGD(model.parameters(), lr=0.01)
    ignore = 255 if small else -100

    def step():
        opt.zero_grad(set_to_none=True)
        with phase('forward'):
            loss = F.cross_entropy(model(x), y, weight=weight, ignore_index=ignore)
        with phase('backward'):
            loss.backward()
        with phase('optimizer'):
            opt.step()
        return loss.item()
    return step


def time_steps(step, warmup, steps, warmup_ms, min_ms):
    start = time.perf_counter()
    first = last = step()
    done = 1
    while done < warmup or (time.perf_counter() - start) * 1e3 < warmup_ms:
        last = step()
        done += 1
    samples = []
    while len(samples) < steps or (sum(samples) < min_ms and len(samples) < MAX_STEPS):
        t0 = time.perf_counter()
        last = step()
        samples.append((time.perf_counter() - t0) * 1e3)
    return done, samples, first, last


def profile(step, n):
    """Self CPU time per op and total per phase, in ms per step, over n steps (after 3 warm-up steps)."""
    for _ in range(3):
        step()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        wall = (time.perf_counter() - t0) * 1e3 / n
    events = prof.key_averages()
    phases = {e.key: e.cpu_time_total / 1e3 / n for e in events if e.key in ('forward', 'backward', 'optimizer')}
    ops = sorted(({'name': e.key, 'selfMs': e.self_cpu_time_total / 1e3 / n, 'calls': e.count / n}
                  for e in events if e.key not in phases and not e.key.startswith('ProfilerStep')),
                 key=lambda o: -o['selfMs'])
    return {'stepMs': wall, 'phases': phases, 'ops': ops[:40], 'threads': torch.get_num_threads()}


def main():
    args = sys.argv[1:]
    config, workload = json.loads(args[0]), args[1]
    warmup, steps, warmup_ms, min_ms = int(args[2]), int(args[3]), float(args[4]), float(args[5])
    threads = config.get('threads') or 1
    torch.set_num_threads(threads)
    inputs, params = load(args[6])
    step = prepare(workload, inputs, params)
    if len(args) > 8 and args[7] == '--profile':
        print(PROFILE_MARKER + json.dumps(profile(step, int(args[8]))), flush=True)
        return
    done, samples, first, last = time_steps(step, warmup, steps, warmup_ms, min_ms)
    med = statistics.median(samples)
    flops = config.get('stepFlops')
    result = {
        'config': {k: v for k, v in config.items() if k != 'stepFlops'}, 'workload': workload, 'status': 'ok', 'note': None,
        'warmup': done, 'steps': len(samples), 'samplesMs': samples, 'medianMs': med, 'minMs': min(samples),
        'stepFlops': flops, 'gflops': flops / (med * 1e6) if flops else None, 'firstLoss': first, 'lastLoss': last,
        'info': {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'mkldnn': torch.backends.mkldnn.is_available()},
    }
    print(RESULT_MARKER + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
