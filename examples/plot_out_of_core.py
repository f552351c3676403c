"""
=========================================
Out-of-core training with ``partial_fit``
=========================================

:class:`~skmultilabel.MultiLabelLossClassifier` with ``solver="adam"`` learns
from one chunk of rows at a time: each ``partial_fit`` call runs one Adam epoch
over its chunk and keeps the optimiser state for the next. Only the current
chunk has to be in memory, so the training set can be larger than the RAM.

This example writes the yeast training set to chunk files on disk, streams
them back with memory maps for several passes, and then does the same with
:mod:`dask.array`, whose blocks are loaded (computed) one at a time.
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# Write the training set to chunk files
# -------------------------------------
# A real out-of-core data set arrives in files; here we make them from the
# yeast training set (1,500 rows, 103 features, 14 labels), shuffled once so
# that every chunk is a representative sample.
import shutil
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import f1_score

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast
from skmultilabel.metrics import TrainingCurveDisplay

yeast = load_yeast()
rng = np.random.default_rng(0)
order = rng.permutation(yeast.X_train.shape[0])
chunk_size = 300

folder = Path(tempfile.mkdtemp(prefix="skmultilabel_chunks_"))
chunk_files = []
for k, start in enumerate(range(0, order.size, chunk_size)):
    rows = order[start : start + chunk_size]
    x_file, y_file = folder / f"X_{k:03d}.npy", folder / f"Y_{k:03d}.npy"
    np.save(x_file, yeast.X_train[rows])
    np.save(y_file, yeast.Y_train[rows])
    chunk_files.append((x_file, y_file))
print(f"{len(chunk_files)} chunks of at most {chunk_size} rows in {folder}")

# %%
# Stream the chunks for several passes
# ------------------------------------
# ``np.load(..., mmap_mode="r")`` maps a file without reading it; only the rows
# of the current chunk are brought into memory by ``partial_fit``. The penalty
# of one call is ``alpha / (2 * chunk size)``, so ``alpha`` is scaled by
# chunk size / n to match ``fit`` on all n rows.
n_passes = 15
n_rows = yeast.X_train.shape[0]


def make_model():
    return MultiLabelLossClassifier(
        solver="adam", alpha=1e-2 * chunk_size / n_rows, learning_rate_init=0.1, random_state=0
    )


def test_f1(model):
    return f1_score(yeast.Y_test, model.predict(yeast.X_test), average="macro", zero_division=0)


model = make_model()
pass_objective, pass_f1, chunk_seconds = [], [], []
for _ in range(n_passes):
    for x_file, y_file in chunk_files:
        X_chunk, Y_chunk = np.load(x_file, mmap_mode="r"), np.load(y_file, mmap_mode="r")
        start = time.perf_counter()
        model.partial_fit(X_chunk, Y_chunk)
        chunk_seconds.append(time.perf_counter() - start)
    # each call appends the objective of its chunk to loss_curve_
    pass_objective.append(np.mean(model.loss_curve_[-len(chunk_files) :]))
    pass_f1.append(test_f1(model))

# the first call compiles the numba kernels: leave it out of the timing
print(f"first partial_fit call: {chunk_seconds[0]:.2f} s (includes numba compilation)")
print(f"median time per chunk of {chunk_size} rows: {1e3 * np.median(chunk_seconds[1:]):.1f} ms")
print(f"macro F1 on the test set after {n_passes} passes: {pass_f1[-1]:.3f}")

# the same model fitted on all rows in memory (L-BFGS), for reference
in_memory = MultiLabelLossClassifier(alpha=1e-2, max_iter=1000).fit(yeast.X_train, yeast.Y_train)
print(
    f"in-memory fit: objective {in_memory.loss_curve_[-1]:.3f}, "
    f"macro F1 {test_f1(in_memory):.3f}"
)

fig, (ax_loss, ax_f1) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
passes = np.arange(1, n_passes + 1)
ax_loss.plot(passes, pass_objective, marker="o")
ax_loss.axhline(in_memory.loss_curve_[-1], color="black", linestyle="--", label="fit in memory")
ax_loss.legend()
ax_loss.set(xlabel="pass over the chunks", ylabel="mean training objective of the chunks")
ax_f1.plot(passes, pass_f1, marker="o", color="tab:green")
ax_f1.axhline(test_f1(in_memory), color="black", linestyle="--", label="fit in memory")
ax_f1.legend()
ax_f1.set(xlabel="pass over the chunks", ylabel="macro F1 on the test set (threshold 0.5)")
fig.suptitle("partial_fit over chunk files on disk")

# %%
# Every ``partial_fit`` call is one point of ``loss_curve_``, which
# :class:`~skmultilabel.metrics.TrainingCurveDisplay` draws: the saw-tooth is
# the objective changing from one chunk to the next within a pass.
TrainingCurveDisplay.from_estimator(model, name="objective of each chunk")
plt.gca().set_xlabel("partial_fit call")

# %%
# The same loop over dask array blocks
# ------------------------------------
# A :mod:`dask.array` built on the memory-mapped files is lazy: nothing is read
# until a block is computed. Iterating over ``.blocks`` and computing one block
# at a time keeps one chunk in memory, and gives exactly the model of the loop
# above (same chunks, same order, same random state).
import dask  # noqa: E402
import dask.array as da  # noqa: E402

X = da.concatenate([da.from_array(np.load(x, mmap_mode="r"), chunks=-1) for x, _ in chunk_files])
Y = da.concatenate([da.from_array(np.load(y, mmap_mode="r"), chunks=-1) for _, y in chunk_files])
print(X)

dask_model = make_model()
start = time.perf_counter()
for _ in range(n_passes):
    for X_block, Y_block in zip(X.blocks, Y.blocks):
        dask_model.partial_fit(*dask.compute(X_block, Y_block))
elapsed = time.perf_counter() - start
print(f"dask loop: {1e3 * elapsed / (n_passes * X.numblocks[0]):.1f} ms per chunk")
print("same coefficients as the file loop:", np.allclose(dask_model.coef_, model.coef_))

# %%
# The training itself is sequential (each call continues the previous Adam
# state), so dask brings lazy, bounded-memory loading rather than parallel
# training; the numba loss kernels inside one call use ``n_jobs`` threads.
# dask-ml's ``Incremental`` wrapper cannot be used here: it indexes the
# blocks of ``y`` as a 1-D array, so a 2-D multi-label target fails.
plt.show()
del X, Y  # release the memory maps before removing their files
shutil.rmtree(folder)
