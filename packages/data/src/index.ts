// @tessera/data: datasets, the DataLoader, augmentations, tiling and image codecs. Nothing here
// touches the file system or threads, so a browser can use it; files and worker threads are in
// `@tessera/data/node`.
export { ndarray, isNdArray, arrayFields, spatialSize, type NdArray, type Sample, type SampleArray, type FieldValue } from './sample.js';
export { TensorDataset, Subset, TransformDataset, checkIndex, type Dataset, type Transform, type Row } from './dataset.js';
export { collate, stackSamples, toTensors, type Batch, type Stacked } from './collate.js';
export { batchIndices, batchCount, sampleSeed, type BatchIndicesOptions, type EpochPlan } from './batch-sampler.js';
export { DataLoader, type DataLoaderOptions, type BatchWorkers } from './dataloader.js';
export { randomHorizontalFlip, randomVerticalFlip, randomRot90, randomCrop, compose } from './transforms/spatial.js';
export { colorJitter, type ColorJitterOptions } from './transforms/photometric.js';
export { flip, rot90, crop } from './transforms/planes.js';
export { tileOrigins, tileGrid, TiledDataset, blendTiles, type TileOptions, type TiledDatasetOptions } from './tiles.js';
export { decodeImage, readImageSize, sniffFormat, type RawImage, type ImageFormat } from './image/decode.js';
export { imageToChw, maskFromImage, type ImageOptions, type MaskOptions, type Rgb } from './image/convert.js';
export { encodePng, encodeMaskPng, toByte, quantize, type MaskEncodeOptions } from './image/encode.js';
