/** Conv, MaxPool and GlobalAveragePool: NHWC in and out (see the layout note in context.ts). */

import { transposeValues } from '../dims.js';
import { intAttribute, intsAttribute, unsupported } from '../onnx-attributes.js';
import { attr, type TfAttrValue } from '../tf-graph.js';
import type { OpConverter } from './op-converter.js';
import { spatialPadding } from './padding.js';

/** ONNX OIHW filters -> TF HWIO. */
const OIHW_TO_HWIO = [2, 3, 1, 0];

function paddingAttrs(padding: string, pads: readonly number[]): Record<string, TfAttrValue> {
  return padding === 'EXPLICIT'
    ? { padding: attr.string(padding), explicit_paddings: attr.ints([0, 0, ...pads, 0, 0]) }
    : { padding: attr.string(padding) };
}

/**
 * Conv with a constant 2-D filter. With a bias it becomes one _FusedConv2D
 * (conv + bias, and the following Relu when nothing else reads the conv's
 * output), which TF.js runs as a single kernel.
 */
export const convertConv: OpConverter = (node, ctx) => {
  const group = intAttribute(node, 'group', 1);
  if (group !== 1) throw unsupported(node, `group ${group} (grouped or depthwise convolution)`);
  const weight = ctx.requireConstant(node, 1, 'filter');
  if (weight.dims.length !== 4 || weight.dtype !== 'float32') throw unsupported(node, `a ${weight.dtype} filter of rank ${weight.dims.length}`);
  const [outChannels, inChannels, kh, kw] = weight.dims as [number, number, number, number];
  const declared = intsAttribute(node, 'kernel_shape');
  if (declared && (declared[0] !== kh || declared[1] !== kw)) throw unsupported(node, `kernel_shape [${declared.join(', ')}] unlike the filter's`);
  const window = { kernel: [kh, kw], strides: intsAttribute(node, 'strides') ?? [1, 1], dilations: intsAttribute(node, 'dilations') ?? [1, 1] };
  const x = ctx.input(node, 0, 'nhwc');
  const [batch, , height, width] = x.dims;
  const { padding, pads, outDims } = spatialPadding(node, [height!, width!], window, () => ctx.freshSymbol());
  const filter = ctx.tf.constant(
    `${node.inputs[1]}/hwio`,
    'float32',
    [kh, kw, inChannels, outChannels],
    transposeValues(weight.values as Float32Array, weight.dims, OIHW_TO_HWIO),
  );
  const convAttrs: Record<string, TfAttrValue> = {
    strides: attr.ints([1, ...window.strides, 1]),
    ...paddingAttrs(padding, pads),
    data_format: attr.string('NHWC'),
    dilations: attr.ints([1, ...window.dilations, 1]),
  };
  const dims = [batch!, outChannels, ...outDims];
  if (!ctx.hasInput(node, 2)) {
    const output = node.outputs[0]!;
    ctx.define(output, { tfName: ctx.tf.op(output, 'Conv2D', [x.tfName, filter], convAttrs), dtype: 'float32', dims, layout: 'nhwc' });
    return;
  }
  const bias = ctx.input(node, 2, 'onnx');
  if (bias.dims.length !== 1 || bias.dims[0] !== outChannels) throw unsupported(node, `a bias of shape [${bias.dims.join(', ')}]`);
  const relu = ctx.soleConsumer(node.outputs[0]!);
  const fuseRelu = relu?.opType === 'Relu' && relu.domain === '';
  const output = fuseRelu ? relu.outputs[0]! : node.outputs[0]!;
  const fusedOps = fuseRelu ? ['BiasAdd', 'Relu'] : ['BiasAdd'];
  const tfName = ctx.tf.op(output, '_FusedConv2D', [x.tfName, filter, bias.tfName], {
    ...convAttrs,
    fused_ops: attr.strings(fusedOps),
    num_args: attr.int(1),
    epsilon: attr.float(0),
  });
  if (fuseRelu) ctx.absorb(relu);
  ctx.define(output, { tfName, dtype: 'float32', dims, layout: 'nhwc' });
};

export const convertMaxPool: OpConverter = (node, ctx) => {
  const kernel = intsAttribute(node, 'kernel_shape') ?? [];
  if (kernel.length !== 2) throw unsupported(node, `a ${kernel.length}-D window`);
  if (intAttribute(node, 'ceil_mode', 0) !== 0) throw unsupported(node, 'ceil_mode 1');
  const dilations = intsAttribute(node, 'dilations') ?? [1, 1];
  if (dilations.some((d) => d !== 1)) throw unsupported(node, `dilations [${dilations.join(', ')}]`);
  if ((node.outputs[1] ?? '') !== '') throw unsupported(node, 'the Indices output');
  const window = { kernel, strides: intsAttribute(node, 'strides') ?? [1, 1], dilations };
  const x = ctx.input(node, 0, 'nhwc');
  const [batch, channels, height, width] = x.dims;
  const { padding, pads, outDims } = spatialPadding(node, [height!, width!], window, () => ctx.freshSymbol());
  if (padding === 'EXPLICIT') throw unsupported(node, `pads [${pads.join(', ')}] (TF.js MaxPool pads only as SAME or VALID)`);
  const output = node.outputs[0]!;
  const tfName = ctx.tf.op(output, 'MaxPool', [x.tfName], {
    ksize: attr.ints([1, ...kernel, 1]),
    strides: attr.ints([1, ...window.strides, 1]),
    padding: attr.string(padding),
    data_format: attr.string('NHWC'),
  });
  ctx.define(output, { tfName, dtype: x.dtype, dims: [batch!, channels!, ...outDims], layout: 'nhwc' });
};

/** A Mean over the spatial axes, in whichever layout the input already is (no Transpose for it). */
export const convertGlobalAveragePool: OpConverter = (node, ctx) => {
  const dims = ctx.dimsOf(node, 0);
  if (dims.length !== 4) throw unsupported(node, `a rank-${dims.length} input`);
  const layout = ctx.storedLayout(node, 0) === 'nhwc' ? 'nhwc' : 'onnx';
  const x = ctx.input(node, 0, layout);
  const output = node.outputs[0]!;
  const axes = ctx.tf.ints(`${output}/axes`, layout === 'nhwc' ? [1, 2] : [2, 3]);
  const tfName = ctx.tf.op(output, 'Mean', [x.tfName, axes], { keep_dims: attr.bool(true) });
  ctx.define(output, { tfName, dtype: x.dtype, dims: [dims[0]!, dims[1]!, 1, 1], layout });
};
