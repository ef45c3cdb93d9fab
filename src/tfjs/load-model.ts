/**
 * Loads a TF.js model.json of either format, a graph model (tfjs-converter,
 * or mlbench's ONNX converter) or a layers model (tfjs-layers / Keras), behind
 * one interface: named inputs and outputs in InputSpec form, and a
 * synchronous run for use inside tf.tidy.
 */

import { createRequire } from 'node:module';
import type { io, Tensor } from '@tensorflow/tfjs-core';
import type { InputSpec } from '../backends/types.js';
import { UserError } from '../cli/errors.js';
import { BATCH_DIM, DYNAMIC_DIM } from '../remote/model-metadata.js';
import { readModelArtifacts } from './model-files.js';
import { packageVersion } from './runtime-loaders.js';

export type TfjsModelFormat = 'graph' | 'layers';

export interface LoadedTfjsModel {
  readonly format: TfjsModelFormat;
  readonly inputs: readonly InputSpec[];
  /** Declared outputs; an empty declaredShape where the model does not declare one. */
  readonly outputs: readonly InputSpec[];
  /** The package that runs this format, with its version. */
  readonly versions: Readonly<Record<string, string>>;
  /** One tensor per input in `inputs` order; returns one per output in `outputs` order. */
  run(feeds: readonly Tensor[]): Tensor[];
  dispose(): void;
}

const require = createRequire(import.meta.url);

/** TF shapes use -1 (graph) or null (layers) for sizes known at run time. */
function declaredDims(shape: readonly (number | null)[] | undefined): (number | string)[] {
  return (shape ?? []).map((d, i) => (d === null || d < 0 ? (i === 0 ? BATCH_DIM : DYNAMIC_DIM) : d));
}

/** 'DT_FLOAT' (graph signatures) or 'float32' (everything else) -> the ONNX Runtime style name. */
function typeName(dtype: string | undefined): string {
  const map: Record<string, string> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool', DT_INT64: 'int32' };
  return dtype === undefined ? 'unknown' : (map[dtype] ?? dtype);
}

function formatOf(artifacts: io.ModelArtifacts, modelPath: string): TfjsModelFormat {
  if (artifacts.format === 'graph-model') return 'graph';
  if (artifacts.format === 'layers-model') return 'layers';
  const topology = artifacts.modelTopology as Record<string, unknown>;
  if (Array.isArray(topology['node'])) return 'graph';
  if ('model_config' in topology || 'class_name' in topology) return 'layers';
  throw new UserError('model', `${modelPath}: neither a TF.js graph model nor a layers model (format '${artifacts.format ?? 'unset'}')`);
}

function fromArtifacts(artifacts: io.ModelArtifacts): io.IOHandler {
  return { load: async () => artifacts };
}

async function loadGraph(artifacts: io.ModelArtifacts): Promise<LoadedTfjsModel> {
  const converter = require('@tensorflow/tfjs-converter') as typeof import('@tensorflow/tfjs-converter');
  const model = await converter.loadGraphModel(fromArtifacts(artifacts));
  const signatureOutputs = (artifacts.signature as { outputs?: unknown } | undefined)?.outputs as Record<string, { dtype?: string; tensorShape?: { dim?: { size: string | number }[] } }> | undefined;
  const inputNames = model.inputNodes;
  const outputNames = model.outputNodes;
  return {
    format: 'graph',
    inputs: model.inputs.map((info, i) => ({ name: inputNames[i]!, type: typeName(info.dtype), declaredShape: declaredDims(info.shape) })),
    outputs: outputNames.map((name) => {
      const declared = signatureOutputs?.[name];
      const shape = declared?.tensorShape?.dim?.map((d) => Number(d.size));
      return { name, type: typeName(declared?.dtype), declaredShape: declaredDims(shape) };
    }),
    versions: { '@tensorflow/tfjs-converter': packageVersion('@tensorflow/tfjs-converter') },
    run(feeds) {
      const named: Record<string, Tensor> = {};
      inputNames.forEach((name, i) => {
        named[name] = feeds[i]!;
      });
      const result = model.execute(named, outputNames);
      return Array.isArray(result) ? result : [result];
    },
    dispose: () => model.dispose(),
  };
}

async function loadLayers(artifacts: io.ModelArtifacts): Promise<LoadedTfjsModel> {
  const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');
  const model = await layers.loadLayersModel(fromArtifacts(artifacts));
  return {
    format: 'layers',
    // Named after their layers, as LayersModel.inputNames does (a Sequential fills that in only once built).
    inputs: model.inputs.map((t) => ({ name: t.sourceLayer.name, type: t.dtype, declaredShape: declaredDims(t.shape) })),
    outputs: model.outputs.map((t) => ({ name: t.sourceLayer.name, type: t.dtype, declaredShape: declaredDims(t.shape) })),
    versions: { '@tensorflow/tfjs-layers': packageVersion('@tensorflow/tfjs-layers') },
    run(feeds) {
      const result = model.predict(feeds.length === 1 ? feeds[0]! : [...feeds]);
      return Array.isArray(result) ? result : [result];
    },
    dispose: () => model.dispose(),
  };
}

/** Loads `modelPath` onto the active TF.js runtime. */
export async function loadTfjsModel(modelPath: string): Promise<LoadedTfjsModel> {
  const artifacts = await readModelArtifacts(modelPath);
  const format = formatOf(artifacts, modelPath);
  try {
    return format === 'graph' ? await loadGraph(artifacts) : await loadLayers(artifacts);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError('model', `${modelPath}: TF.js could not load this ${format} model: ${reason}`);
  }
}
