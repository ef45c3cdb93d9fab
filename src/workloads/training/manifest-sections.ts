/** What both trainers record about their data and training, for model.json. */
export interface TrainingInfo {
  readonly datasetSeed: number;
  readonly trainSplit: string;
  readonly trainSamples: number;
  readonly evalSplit: string;
  readonly evalSamples: number;
  readonly trainingSeed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly learningRate: number;
  readonly learningRateSchedule: string;
}

/** model.json's `dataset` and `training` sections; `generator` names the sample function. */
export function trainingSections(info: TrainingInfo, generator: string): { dataset: Record<string, unknown>; training: Record<string, unknown> } {
  return {
    dataset: {
      generator,
      seed: info.datasetSeed,
      trainSplit: info.trainSplit,
      trainSamples: info.trainSamples,
      evalSplit: info.evalSplit,
      evalSamples: info.evalSamples,
    },
    training: {
      seed: info.trainingSeed,
      epochs: info.epochs,
      batchSize: info.batchSize,
      optimizer: info.optimizer,
      learningRate: info.learningRate,
      learningRateSchedule: info.learningRateSchedule,
    },
  };
}
