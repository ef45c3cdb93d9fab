/**
 * How close each variant must stay to fp32 on the same inputs. Measured on this project's
 * models (onnxruntime-node 1.30, x86-64) with margin; the measured values are in the comments.
 */

/** fp16: largest |Δ output| over the largest |fp32 output| (measured: shapes 2.7e-4, synthetic 4.7e-4). */
export const FP16_MAX_RELATIVE_DIFF = 2e-3;
/** fp16: share of samples whose top-1 class matches fp32 (measured 1.0 on both). */
export const FP16_MIN_TOP1_AGREEMENT = 0.99;
/** int8: share of samples whose top-1 class matches fp32 (measured 0.980 to 0.996). */
export const INT8_MIN_TOP1_AGREEMENT = 0.97;
/** int8: mean |Δ output| over the mean |fp32 output| (measured 0.009 to 0.012). */
export const INT8_MAX_MEAN_RELATIVE_DIFF = 0.03;
