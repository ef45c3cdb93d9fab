/**
 * im2col / col2im for the 3x3, padding-1 convolutions: unfolding each output
 * pixel's receptive field into one contiguous row turns the convolution into
 * plain dot products (conv.ts), and col2im is its exact adjoint for backprop.
 */

import { type ConvLayer, KERNEL, KERNEL_AREA } from './conv.js';

/**
 * Patch-major im2col: col[p * depth + (ci*9 + ky*3 + kx)] = input[ci, y+ky-1, x+kx-1]
 * for output pixel p = y*W + x, zero outside the image. One patch per pixel
 * keeps each dot product in the forward pass contiguous.
 */
export function im2col(input: Float64Array, conv: ConvLayer): void {
  const { inChannels, height, width, col } = conv;
  const depth = inChannels * KERNEL_AREA;
  const plane = height * width;
  for (let y = 0; y < height; y++) {
    const rowInterior = y > 0 && y < height - 1;
    for (let x = 0; x < width; x++) {
      let at = (y * width + x) * depth;
      if (rowInterior && x > 0 && x < width - 1) {
        // Interior pixel: all nine taps are inside, no bounds tests.
        for (let ci = 0, top = (y - 1) * width + x - 1; ci < inChannels; ci++, top += plane) {
          const middle = top + width;
          const bottom = middle + width;
          col[at] = input[top]!;
          col[at + 1] = input[top + 1]!;
          col[at + 2] = input[top + 2]!;
          col[at + 3] = input[middle]!;
          col[at + 4] = input[middle + 1]!;
          col[at + 5] = input[middle + 2]!;
          col[at + 6] = input[bottom]!;
          col[at + 7] = input[bottom + 1]!;
          col[at + 8] = input[bottom + 2]!;
          at += KERNEL_AREA;
        }
        continue;
      }
      for (let ci = 0; ci < inChannels; ci++) {
        for (let ky = 0; ky < KERNEL; ky++) {
          const iy = y + ky - 1;
          const tapRowInside = iy >= 0 && iy < height;
          const inBase = ci * plane + iy * width;
          for (let kx = 0; kx < KERNEL; kx++) {
            const ix = x + kx - 1;
            col[at++] = tapRowInside && ix >= 0 && ix < width ? input[inBase + ix]! : 0;
          }
        }
      }
    }
  }
}

/** Adds colGrad back onto the input positions im2col read from (same fixed order) into inputGrad. */
export function col2im(conv: ConvLayer): void {
  const { inChannels, height, width, colGrad, inputGrad } = conv;
  const depth = inChannels * KERNEL_AREA;
  const plane = height * width;
  inputGrad.fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let at = (y * width + x) * depth;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let ky = 0; ky < KERNEL; ky++) {
          const iy = y + ky - 1;
          const tapRowInside = iy >= 0 && iy < height;
          const inBase = ci * plane + iy * width;
          for (let kx = 0; kx < KERNEL; kx++) {
            const ix = x + kx - 1;
            if (tapRowInside && ix >= 0 && ix < width) inputGrad[inBase + ix] = inputGrad[inBase + ix]! + colGrad[at]!;
            at++;
          }
        }
      }
    }
  }
}
