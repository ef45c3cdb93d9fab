/**
 * Adam over the network's single flat parameter array, so one step is one
 * loop regardless of the layer structure.
 */

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/** Adam with bias correction; beta powers by repeated multiplication (no Math.pow, for platform-identical bits). */
export class Adam {
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(
    private readonly params: Float64Array,
    private readonly grads: Float64Array,
  ) {
    this.firstMoment = new Float64Array(params.length);
    this.secondMoment = new Float64Array(params.length);
  }

  /** Updates params in place from the gradients currently in grads. */
  step(learningRate: number): void {
    this.beta1Power *= ADAM_BETA1;
    this.beta2Power *= ADAM_BETA2;
    const correction1 = 1 - this.beta1Power;
    const correction2 = 1 - this.beta2Power;
    const { params, grads, firstMoment, secondMoment } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const m = ADAM_BETA1 * firstMoment[i]! + (1 - ADAM_BETA1) * g;
      const v = ADAM_BETA2 * secondMoment[i]! + (1 - ADAM_BETA2) * g * g;
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = params[i]! - (learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + ADAM_EPSILON);
    }
  }
}
