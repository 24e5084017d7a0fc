"""The @tessera/nn segmenters written in PyTorch, with the same state-dict names and layouts, so a
Tessera checkpoint loads with `load_state_dict` (see load_safetensors.py)."""
import torch
from torch import nn


def conv_block(cin, cout, batch_norm, dropout):
    layers = []
    for c in (cin, cout):
        layers.append(nn.Conv2d(c, cout, 3, padding=1, bias=not batch_norm))
        if batch_norm:
            layers.append(nn.BatchNorm2d(cout))
        layers.append(nn.ReLU())
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class _UNet(nn.Module):
    def __init__(self, enc_in, in_channels=3, num_classes=2, depth=3, base_width=16, batch_norm=True, dropout=0.0,
                 upsample="nearest"):
        super().__init__()
        w = lambda i: base_width * 2 ** i
        self.encoder = nn.ModuleList(conv_block(enc_in if i == 0 else w(i - 1), w(i), batch_norm, dropout) for i in range(depth))
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = conv_block(w(depth - 1), w(depth), batch_norm, dropout)
        levels = list(reversed(range(depth)))
        self.up = nn.ModuleList(nn.Upsample(scale_factor=2) if upsample == "nearest" else nn.ConvTranspose2d(w(i + 1), w(i + 1), 2, stride=2)
                                for i in levels)
        self.decoder = nn.ModuleList(conv_block(w(i + 1) + w(i), w(i), batch_norm, dropout) for i in levels)
        self.head = nn.Conv2d(base_width, num_classes, 1)

    def decode(self, x, skips):
        for k, (up, block) in enumerate(zip(self.up, self.decoder)):
            x = block(torch.cat([up(x), skips[-1 - k]], 1))
        return self.head(x)


class FCEF(_UNet):
    def __init__(self, in_channels=3, **kw):
        super().__init__(2 * in_channels, in_channels, **kw)

    def forward(self, x1, x2):
        x, skips = torch.cat([x1, x2], 1), []
        for stage in self.encoder:
            x = stage(x)
            skips.append(x)
            x = self.pool(x)
        return self.decode(self.bottleneck(x), skips)


class FCSiamDiff(_UNet):
    def __init__(self, in_channels=3, **kw):
        super().__init__(in_channels, in_channels, **kw)

    def forward(self, x1, x2):
        a, b, skips = x1, x2, []
        for stage in self.encoder:
            a, b = stage(a), stage(b)
            skips.append((a - b).abs())
            a, b = self.pool(a), self.pool(b)
        return self.decode(self.bottleneck(b), skips)


class ReferenceSegmenter(nn.Module):
    """The benchmark's "segstep" network (70,226 parameters)."""

    def __init__(self):
        super().__init__()
        conv = lambda i, j: nn.Conv2d(i, j, 3, padding=1)
        self.enc1 = nn.Sequential(conv(6, 16), nn.ReLU(), conv(16, 16), nn.ReLU())
        self.pool = nn.MaxPool2d(2)
        self.enc2 = nn.Sequential(conv(16, 32), nn.ReLU(), conv(32, 32), nn.ReLU())
        self.bottleneck = nn.Sequential(conv(32, 64), nn.ReLU())
        self.up = nn.Upsample(scale_factor=2)
        self.dec2 = nn.Sequential(conv(96, 32), nn.ReLU())
        self.dec1 = nn.Sequential(conv(48, 16), nn.ReLU())
        self.head = nn.Conv2d(16, 2, 1)

    def forward(self, x, x2=None):
        if x2 is not None:
            x = torch.cat([x, x2], 1)
        s1 = self.enc1(x)
        s2 = self.enc2(self.pool(s1))
        b = self.bottleneck(self.pool(s2))
        d2 = self.dec2(torch.cat([self.up(b), s2], 1))
        d1 = self.dec1(torch.cat([self.up(d2), s1], 1))
        return self.head(d1)
