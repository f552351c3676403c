"""Numba kernel of the pointwise losses, and its building blocks.

All pointwise losses ("bce", "weighted_bce", "focal", "asymmetric") are one
family, computed by

    modulated_kernel(Y, raw, sample_weight, pos_weight, neg_weight,
                     gamma_pos, gamma_neg, clip, grad, need_grad, label_loss)

which takes only C-contiguous arrays of one float dtype and scalars, returns
the loss (a float64), writes each label's share into ``label_loss`` and, when
``need_grad`` is True, writes dL/draw into ``grad``. Blocks of rows run in parallel;
the loss is accumulated in float64 and the block sums are added in a fixed order
(:func:`ordered_sum`), so the result does not depend on the number of threads.

Stable building blocks: with e = exp(-|z|),
    -log(sigmoid(z))     = log1p(e) + max(-z, 0)
    -log(1 - sigmoid(z)) = log1p(e) + max(z, 0)
    sigmoid(z)           = 1 / (1 + e) if z >= 0 else e / (1 + e)
so each entry costs one exp and one log1p, and no logit overflows.

Speed: libm's scalar exp and log are calls that stop LLVM from vectorising the
loop over labels, so ``exp`` and ``log`` are written here in plain arithmetic
(Cody-Waite reduction + polynomial for exp; fdlibm's log kernel, < 1 ulp) with
bit casts for the powers of two; the loop over labels has no call and no
branch that cannot be turned into a select, so it runs on SIMD lanes, with
fused multiply-adds (numba's fastmath flag "contract" only). exp(x)
is floored at exp(-708) ~ 3e-308 (probabilities are never below ~1e-308),
which changes no loss or gradient by more than 1e-307.

Focusing weights ``x ** gamma`` (x = p or 1 - p) are exp(-gamma * (-log x))
from the already known -log x, never ``**``: at x = 0 this is 0 for gamma > 0
and 1 for gamma = 0 (the limit), and the gradients are written so that no
``x ** (gamma - 1)`` appears: they stay finite for every gamma >= 0,
including gamma < 1 at p = 0 or 1.
"""


from .._config import intrinsic, jit, prange

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # fdlibm's split of log(2): k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5 * 2 ** 52: x + _ROUND rounds x to an integer in the low bits
_EXP_FLOOR = -708.0
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # bits of sqrt(2) / 2
_SQRT2_M1 = 0.41421356237309503  # sqrt(2) - 1
_ONE_M_SQRT_HALF = 0.2928932188134524  # 1 - sqrt(2) / 2
# log(1 + f) = f - f^2 / 2 + s (f^2 / 2 + R(s^2)), s = f / (2 + f): fdlibm e_log.c
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
# block of rows handled by one parallel task (one float64 accumulator per label)
_ROW_BLOCK = 64
# the only fast-math flag used: fuse a * b + c into one multiply-add (one rounding)
_FMA = {"contract"}


@intrinsic
def _float_bits(typingctx, x):
    """The IEEE-754 bits of a float64, as an int64 (a bit cast)."""
    from llvmlite import ir
    from numba import types

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _bits_float(typingctx, n):
    """The float64 whose IEEE-754 bits are the int64 ``n`` (a bit cast)."""
    from llvmlite import ir
    from numba import types

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@jit(fastmath=_FMA)
def _exp_nonpositive(x):
    """exp(x) for x <= 0, in plain arithmetic; x below -708 counts as -708."""
    x = max(x, _EXP_FLOOR)
    shifted = x * _LOG2E + _ROUND
    k = shifted - _ROUND
    r = (x - k * _LN2_HI) - k * _LN2_LO  # |r| <= log(2) / 2
    poly = 1.0 / 6227020800.0
    poly = poly * r + 1.0 / 479001600.0
    poly = poly * r + 1.0 / 39916800.0
    poly = poly * r + 1.0 / 3628800.0
    poly = poly * r + 1.0 / 362880.0
    poly = poly * r + 1.0 / 40320.0
    poly = poly * r + 1.0 / 5040.0
    poly = poly * r + 1.0 / 720.0
    poly = poly * r + 1.0 / 120.0
    poly = poly * r + 1.0 / 24.0
    poly = poly * r + 1.0 / 6.0
    poly = poly * r + 0.5
    poly = poly * r + 1.0
    poly = poly * r + 1.0
    return poly * _bits_float((_float_bits(shifted) + 1023) << 52)


@jit(fastmath=_FMA)
def _log_reduced(f, k):
    """log(1 + f) + k log(2) for f in [sqrt(2)/2 - 1, sqrt(2) - 1] (fdlibm's kernel)."""
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    half_f2 = 0.5 * f * f
    return k * _LN2_HI - ((half_f2 - (s * (half_f2 + t1 + t2) + k * _LN2_LO)) - f)


@jit(fastmath=_FMA)
def _log_split(x):
    """(f, k) with x = (1 + f) * 2 ** k, 1 + f in [sqrt(2)/2, sqrt(2)), for a normal x > 0."""
    bits = _float_bits(x)
    k = (bits - _SQRT_HALF_BITS) >> 52
    return _bits_float(bits - (k << 52)) - 1.0, float(k)


@jit(inline="always", fastmath=_FMA)
def _logistic(z):
    """Return (p, 1 - p, -log p, -log(1 - p)) for p = sigmoid(z), without overflow."""
    z = float(z)
    e = _exp_nonpositive(-abs(z))
    r = 1.0 / (1.0 + e)
    # log1p(e), e in [0, 1]: reduce 1 + e by 2 when e > sqrt(2) - 1 (e - 1 is exact there)
    halve = e > _SQRT2_M1
    softplus_tail = _log_reduced(0.5 * (e - 1.0) if halve else e, 1.0 if halve else 0.0)
    positive = z >= 0
    p = r if positive else e * r
    q = e * r if positive else r
    return p, q, softplus_tail + max(-z, 0.0), softplus_tail + max(z, 0.0)


@jit
def ordered_sum(values):
    """Sum of ``values`` left to right, in float64.

    A parallel kernel stores its per-block (or per-label, per-row) partial sums
    in an array and adds them with this sequential loop, never with a prange
    reduction or ``array.sum()`` (which numba parallelises): the order of the
    additions, hence the rounded result, is then the same for every number of threads.
    """
    total = 0.0
    for value in values:
        total += value
    return total


@jit
def inverse_total(sample_weight):
    """1 / sum(sample_weight), summed in float64."""
    total = 0.0
    for s in sample_weight:
        total += s
    return 1.0 / total


@jit(inline="always", fastmath=_FMA)
def _modulated_term(a, b, nll_a, nll_b, gamma, clip):
    """Value and slope of m ** gamma * -log(1 - m), m = max(a - clip, 0).

    ``a`` is a probability sigmoid(t), b = 1 - a, nll_a = -log a,
    nll_b = -log b; the slope is the derivative with respect to t. With
    L = -log(1 - m) and da/dt = a b, for m > 0

        d/dt = m ** gamma * (gamma * b * L * (a / m) + a * b / (1 - m)),

    finite as m -> 0 (L ~ m); it is 0 where a <= clip (the left derivative is
    used at a = clip exactly, where for gamma = 0 the slope jumps). For clip = 0
    this is the focal term a ** gamma * -log(1 - a), L = nll_b and the ratios
    a / m and b / (1 - m) are exactly 1. Otherwise 1 - m = b + clip is formed
    from b, exact for huge logits, and L = -log1p(-m) while m is small.
    """
    shifted = clip != 0.0
    m = a - clip
    above = m > 0.0
    m = m if above else 0.5
    keep = b + clip
    f, k = _log_split(keep)
    small = m < _ONE_M_SQRT_HALF
    L = -_log_reduced(-m if small else f, 0.0 if small else k) if shifted else nll_b
    f, k = _log_split(m)
    nll_m = -_log_reduced(f, k) if shifted else nll_a
    inverse = 1.0 / (m * keep)
    value, slope = _focal_part(
        L, nll_m, gamma, a, b * L,
        a * keep * inverse if shifted else 1.0, b * m * inverse if shifted else 1.0,
    )
    return (value, slope) if above or not shifted else (0.0, 0.0)


@jit(fastmath=_FMA)
def _focal_part(L, nll_m, gamma, a, b_times_L, shift_ratio, keep_ratio):
    """Return m ** gamma * L and its slope, with m ** gamma = exp(-gamma * -log m)."""
    weight = 1.0 if gamma == 0.0 else _exp_nonpositive(-gamma * nll_m)
    return weight * L, weight * (gamma * b_times_L * shift_ratio + a * keep_ratio)


@jit(parallel=True, fastmath=_FMA)
def modulated_kernel(Y, raw, sample_weight, pos_weight, neg_weight, gamma_pos, gamma_neg, clip,
                     grad, need_grad, label_loss, block_totals):
    """Asymmetric focal cross-entropy, the family of "bce", "focal" and "asymmetric".

    l = pos_weight[c] * y * (1 - p) ** gamma_pos * -log p
        + neg_weight[c] * (1 - y) * m ** gamma_neg * -log(1 - m),   m = max(p - clip, 0).

    Gammas 0 and clip 0 give binary cross-entropy; gamma_pos = gamma_neg and
    clip 0 give the focal loss. Binary cross-entropy passes ``None`` for the
    three: the kernel is then compiled for those argument types with literal
    zeros in the row loop, so that the compiler drops the work BCE skips, and
    without the general row (which a first fit with BCE, the default, would
    otherwise compile too: ~1 s of a cold start). Focal and asymmetric losses
    run the general row (a third copy for clip = 0 made focal ~10% faster and
    cost ~2 s of compilation on every cold start).

    Each label's loss is written to ``label_loss`` (float64, shape (n_labels,));
    the return value is their sum. ``block_totals`` is a float64 zero array of
    shape (ceil(n_samples / _ROW_BLOCK), n_labels), the per-block sums
    (allocated by the caller: numba compiles an allocation as a function of its own).

    Call it from Python only: a cached jitted function that calls a parallel
    one segfaults when it is loaded from the numba cache (numba issue 8578).
    """
    n_samples, n_labels = raw.shape
    scale = inverse_total(sample_weight)
    n_blocks = block_totals.shape[0]
    for block in prange(n_blocks):
        stop = (block + 1) * _ROW_BLOCK
        _block(
            Y, raw, sample_weight, scale, pos_weight, neg_weight, gamma_pos, gamma_neg, clip,
            grad, need_grad, block * _ROW_BLOCK, stop if stop < n_samples else n_samples,
            block_totals[block],
        )
    for c in range(n_labels):  # the blocks' sums in order (as ordered_sum, without a 2nd layout)
        total = 0.0
        for block in range(n_blocks):
            total += block_totals[block, c]
        label_loss[c] = total
    return ordered_sum(label_loss)


@jit(fastmath=_FMA)
def _block(Y, raw, sample_weight, scale, pos_weight, neg_weight, gamma_pos, gamma_neg, clip,
           grad, need_grad, start, stop, totals):
    """Add the weighted loss of rows start:stop to ``totals`` (per label); writes their gradient.

    ``gamma_pos is None`` (binary cross-entropy) is decided by the argument
    types: numba compiles the row loop with literal zeros, or the general one.
    With 0/1 targets each entry evaluates the one term its label selects. A
    row holding a soft target (0 < y < 1) is passed twice, once for the
    positive terms and once for the negative terms.
    """
    bce = gamma_pos is None
    g_pos = 0.0 if bce else gamma_pos
    g_neg = 0.0 if bce else gamma_neg
    g_clip = 0.0 if bce else clip
    n_labels = raw.shape[1]
    for i in range(start, stop):
        s = sample_weight[i] * scale
        soft = False
        for c in range(n_labels):
            soft |= (Y[i, c] != 0.0) & (Y[i, c] != 1.0)
        # side 0: the term the label selects; soft rows: side 1 positives, side 2 negatives
        for side in range(1 if soft else 0, 3 if soft else 1):
            for c in range(n_labels):
                y = float(Y[i, c])
                p, q, nll_p, nll_q = _logistic(raw[i, c])
                positive = y != 0.0 if side == 0 else side == 1
                # a positive's term is the negative term seen from -z, with clip 0
                value, slope = _modulated_term(
                    q if positive else p, p if positive else q,
                    nll_q if positive else nll_p, nll_p if positive else nll_q,
                    g_pos if positive else g_neg, 0.0 if positive else g_clip,
                )
                w = s * (pos_weight[c] * y if positive else neg_weight[c] * (1.0 - y))
                totals[c] += w * value
                if need_grad:
                    slope = -w * slope if positive else w * slope
                    grad[i, c] = grad[i, c] + slope if side == 2 else slope
