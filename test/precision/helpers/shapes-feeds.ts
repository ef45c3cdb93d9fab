import type { SampleFeeds } from '../../../src/backends/types.js';
import { makeShapesSample, SHAPES_IMAGE_SHAPE, type ShapesSplit } from '../../../src/workloads/shapes/dataset.js';

/** Samples 0..count-1 of the built-in shapes workload's dataset (seed 7), as model feeds. */
export function shapesFeeds(split: ShapesSplit, count: number): SampleFeeds[] {
  return Array.from({ length: count }, (_, i) => ({ image: { data: makeShapesSample(7, split, i).pixels, dims: SHAPES_IMAGE_SHAPE } }));
}
