/**
 * One onnxruntime-node session of the decoder, fed and read in flat typed arrays: the engine
 * assembles batches, this file only names tensors and checks that the model is the one the
 * caller expects.
 */

import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import {
  DECODER_IO,
  type DecoderShape,
  headWidth,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from './config.js';

const require = createRequire(import.meta.url);

/** One call: B rows of T new tokens after P cached positions (P may be 0). */
export interface DecoderFeeds {
  readonly batch: number;
  readonly newCount: number;
  readonly pastCount: number;
  /** [B, T]. */
  readonly inputIds: BigInt64Array;
  readonly positionIds: BigInt64Array;
  /** [B, P+T]. */
  readonly attentionMask: BigInt64Array;
  /** Per layer, [B, heads, P, headWidth]. */
  readonly pastKeys: readonly Float32Array[];
  readonly pastValues: readonly Float32Array[];
}

export interface DecoderResult {
  /** [B, vocabulary]: the last position of each row. */
  readonly logits: Float32Array;
  /** Per layer, [B, heads, P+T, headWidth]. */
  readonly presentKeys: readonly Float32Array[];
  readonly presentValues: readonly Float32Array[];
}

export interface DecoderSessionOptions {
  readonly modelPath: string;
  readonly shape: DecoderShape;
  /** 0 = onnxruntime's default. */
  readonly intraOpThreads: number;
}

export class DecoderSession {
  readonly shape: DecoderShape;
  readonly #ort: typeof Ort;
  readonly #session: Ort.InferenceSession;

  private constructor(ort: typeof Ort, session: Ort.InferenceSession, shape: DecoderShape) {
    this.#ort = ort;
    this.#session = session;
    this.shape = shape;
  }

  static async open(options: DecoderSessionOptions): Promise<DecoderSession> {
    const ort = require('onnxruntime-node') as typeof Ort;
    const session = await ort.InferenceSession.create(options.modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(options.intraOpThreads > 0 ? { intraOpNumThreads: options.intraOpThreads } : {}),
    });
    const expected: string[] = [DECODER_IO.inputIds, DECODER_IO.positionIds, DECODER_IO.attentionMask];
    for (let layer = 0; layer < options.shape.layers; layer++) expected.push(pastKeyName(layer), pastValueName(layer));
    const missing = expected.filter((name) => !session.inputNames.includes(name));
    if (missing.length > 0 || session.inputNames.length !== expected.length) {
      await session.release();
      throw new Error(
        `${options.modelPath}: inputs [${session.inputNames.join(', ')}] are not the decoder's [${expected.join(', ')}]`,
      );
    }
    return new DecoderSession(ort, session, options.shape);
  }

  async run(feeds: DecoderFeeds): Promise<DecoderResult> {
    const { batch, newCount, pastCount } = feeds;
    const { heads, layers, vocabularySize } = this.shape;
    const width = headWidth(this.shape);
    const Tensor = this.#ort.Tensor;
    const inputs: Record<string, Ort.Tensor> = {
      [DECODER_IO.inputIds]: new Tensor('int64', feeds.inputIds, [batch, newCount]),
      [DECODER_IO.positionIds]: new Tensor('int64', feeds.positionIds, [batch, newCount]),
      [DECODER_IO.attentionMask]: new Tensor('int64', feeds.attentionMask, [batch, pastCount + newCount]),
    };
    const pastDims = [batch, heads, pastCount, width];
    for (let layer = 0; layer < layers; layer++) {
      inputs[pastKeyName(layer)] = new Tensor('float32', feeds.pastKeys[layer]!, pastDims);
      inputs[pastValueName(layer)] = new Tensor('float32', feeds.pastValues[layer]!, pastDims);
    }
    const outputs = await this.#session.run(inputs);
    const read = (name: string, length: number): Float32Array => {
      const data = outputs[name]?.data;
      if (!(data instanceof Float32Array) || data.length !== length) {
        throw new Error(`decoder output '${name}' is not float32 of ${length} values`);
      }
      return data;
    };
    const presentLength = batch * heads * (pastCount + newCount) * width;
    return {
      logits: read(DECODER_IO.logits, batch * vocabularySize),
      presentKeys: Array.from({ length: layers }, (_, l) => read(presentKeyName(l), presentLength)),
      presentValues: Array.from({ length: layers }, (_, l) => read(presentValueName(l), presentLength)),
    };
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}
