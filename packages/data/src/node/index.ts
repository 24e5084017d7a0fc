// @tessera/data/node: the Node-only pieces: image files, folder datasets, worker threads.
export { readImage, readMask, readRaw, readImageHeader } from './read.js';
export { resolveSplit, scanFolder, type FolderItem } from './scan.js';
export { FolderDataset, changeDetectionFolder, segmentationFolder, type FolderOptions, type ChangePair, type SegmentationSample } from './folder-dataset.js';
export { DatasetWorkers, type DatasetWorkersOptions } from './workers.js';
