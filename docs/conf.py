"""Sphinx configuration of the skmultilabel documentation."""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

project = "skmultilabel"
author = "the skmultilabel developers"
copyright = "2026, the skmultilabel developers"

import skmultilabel  # noqa: E402

release = skmultilabel.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = [
    "_build", "auto_examples/*.ipynb", "auto_examples/*.py.md5", "auto_examples/*.codeobj.json",
]
autosummary_generate = True
autodoc_default_options = {"members": True}
templates_path = ["_templates"]
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
intersphinx_mapping = {}

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "image_scrapers": ("matplotlib",),
    "remove_config_comments": True,
    "doc_module": ("skmultilabel",),
    "backreferences_dir": "generated/backreferences",
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = "skmultilabel"
html_theme_options = {"navigation_with_keys": False}

# -- Benchmarks page ---------------------------------------------------------
# Every table in benchmarks/results/ is included in benchmarks.rst (through the
# generated file below), each after one sentence on what it measures. A table
# without a sentence here makes the build warn (an error under -W).

BENCHMARK_DESCRIPTIONS = {
    "ranking_quality": (
        "Test macro-AUC, mean average precision, label ranking loss and macro-F1 of every "
        "loss on yeast and scene, with and without per-sample gradient normalisation and "
        "dynamic class weighting, and where the ranking losses beat BCE."
    ),
    "mlp_epoch": (
        "Seconds per MLP Adam epoch on yeast and on a synthetic 100,000 x 300 problem "
        "with 50 labels: this estimator in float64 and float32, the same estimator "
        "before its raw loss API, ``MLPClassifier`` and a minimal PyTorch loop, on 1 thread."
    ),
    "linear_memory": (
        "Peak memory, time and test log-loss of the linear model on sparse 50,000 x "
        "100,000 data with 50 to 1,000 labels, against one-vs-rest ``LogisticRegression`` "
        "with the liblinear and lbfgs solvers."
    ),
    "linear_memory_1000": (
        "The same at 1,000 labels, run on its own; the one-vs-rest peers fit the first 50 "
        "labels and are scaled (time x 20, the other labels' coefficients added to memory)."
    ),
    "fit": (
        "Fit time of the linear model and of the MLP against ``OneVsRestClassifier"
        "(LogisticRegression())`` and ``MLPClassifier`` on yeast and on a synthetic "
        "150,000 x 100 problem with 50 labels, with test macro-F1 and log-loss, plus "
        "import time, the first fit in a fresh process (numba compilation), and the "
        "fit with ``n_jobs=2`` on numba's ``workqueue`` and ``omp`` threading layers."
    ),
    "label_dependencies": (
        "Test mAP, label-ranking average precision and tuned macro- and micro-F1 on "
        "emotions, yeast, scene and bibtex of BCE (linear and MLP), of the MLP with the "
        "contrastive term (weight chosen by CV) and of ``LabelStackingClassifier`` over "
        "each, with the seconds of each tuned fit."
    ),
    "contrastive_cost": (
        "CPU seconds of one MLP Adam epoch on bibtex at batch 200, 64 and 100 hidden "
        "units, with and without the contrastive term, and their ratio (target: at most 1.5)."
    ),
    "loss_kernels": (
        "Time of one loss + gradient evaluation of each pointwise loss kernel on "
        "200,000 x 50 logits, against the same formula in NumPy and against one "
        "``exp`` + ``log1p`` pass, the numba compilation time of the first call, and "
        "the kernel on two threads of numba's ``workqueue`` and ``omp`` threading layers."
    ),
    "cold_start": (
        "Seconds to the first result in fresh processes: the import against "
        "``import sklearn.base``, and the first fit and first tuner fit on yeast with the "
        "numba cache off and with a cache filled by ``python -m skmultilabel --compile``."
    ),
    "ranking_scaling": (
        "Time of one loss + gradient evaluation of each ranking loss (and BCE) as the "
        "number of samples N grows from 10,000 to 1,000,000 (10 labels), with the "
        "fitted exponent of time against N."
    ),
    "loss_labels": (
        "Work (CPU time, one thread) of one loss + gradient evaluation of every loss on "
        "10,000 samples as the number of labels grows from 10 to 1,000, with the ratio "
        "to BCE and the fitted exponent of time against the number of labels."
    ),
    "loss_quality": (
        "Test macro-AUC, mean average precision, ranking loss and F1 at 0.5 of every "
        "loss on yeast and scene, with clean training labels and with 30% of the "
        "training positives hidden (missing labels)."
    ),
    "missing_labels": (
        "Test mAP, macro-AUC, macro-F1 at 0.5 and tuned macro-F1 on emotions, yeast, scene "
        "and bibtex with 10%, 30% and 50% of the training positives hidden, for every "
        "pointwise loss, the losses for missing labels (hill, splc, weak negatives, label "
        "smoothing) and class-weighted BCE, hyper-parameters and thresholds chosen by 3-fold "
        "cross-validation on the noisy training split."
    ),
    "missing_labels_bibtex_seed1": (
        "The bibtex cells of ``missing_labels`` for seed 1 (10%, 30% and 50% of the training "
        "positives hidden), run on their own with ``--datasets bibtex --seeds 1``."
    ),
    "missing_labels_bibtex_seed2": (
        "The same for seed 2 (``--datasets bibtex --seeds 2``)."
    ),
    "imbalance_quality": (
        "Test macro-F1 and micro-F1 on yeast and scene of BCE, class-balanced BCE, "
        "BCE behind each resampler (MLROS, MLRUS, MLSMOTE) and focal loss, with "
        "thresholds at 0.5 and tuned per class."
    ),
    "resampling": (
        "Time of MLSMOTE, MLROS and MLRUS on 50,000 samples x 100 features x 100 "
        "labels against imbalanced-learn's binary samplers run once per label, and "
        "the MeanIR before and after."
    ),
    "stratified": (
        "Time of ``MultilabelStratifiedKFold`` against the iterative-stratification "
        "package, and how far each fold's label rates deviate from the whole data's."
    ),
    "thresholds": (
        "Time of the exact per-label F1 threshold search on 100 labels x 1,000,000 "
        "scores against sorting the same scores and against scikit-learn's "
        "``TunedThresholdClassifierCV`` run per label, and the F1 each reaches; "
        "also the exact global search and the tuner with its default noise margin."
    ),
    "coupled_thresholds": (
        "Time of ``PerClassThresholdTuner`` with ``f1_micro`` and ``f1_samples`` on 1,000 labels "
        "x 100,000 scores: label steps on running totals against the previous steps that "
        "recounted every label (projected from steps timed in the same run)."
    ),
    "count_thresholds": (
        "Time and score of the exact threshold search for precision, recall, Jaccard, balanced "
        "accuracy and Matthews correlation against the grid search of the same metric and "
        "against scikit-learn's ``TunedThresholdClassifierCV`` run per label."
    ),
    "tuning_quality": (
        "Test micro-F1 and macro-F1 on emotions, yeast and scene at threshold 0.5 and "
        "with per-class and global thresholds tuned by ``PerClassThresholdTuner``, "
        "for four models; per-class tuning with and without the noise margin over "
        "five fold shuffles."
    ),
    "classifier_cv": (
        "Test macro-F1, micro-F1, mAP and fit seconds on emotions, yeast, scene and "
        "bibtex of ``MultiLabelLossClassifierCV`` (alpha, positive weight and threshold "
        "chosen per label, or shared) against the tuned classifier and the published "
        "best and binary-relevance figures, with its cost against one tuner fit and "
        "against ``GridSearchCV`` over the same grid."
    ),
    "classifier_cv_speed": (
        "The cost of the default per-label search of ``MultiLabelLossClassifierCV`` "
        "against one ``PerClassThresholdTuner`` fit and against ``GridSearchCV`` over the "
        "same grid with the tuner inside, re-run on the current solver."
    ),
    "best_pipelines": (
        "Test macro-F1 and micro-F1 on scene and yeast of a short list of candidate "
        "pipelines (library estimators and scikit-learn parts), one chosen per data set by "
        "its cross-validated macro-F1 on the training split before any test score, against "
        "the published best and binary-relevance figures."
    ),
}


def write_benchmark_tables(app):
    """Write ``generated/benchmark_tables.rst.inc``: one section per results table."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    results = sorted((DOCS.parent / "benchmarks" / "results").glob("*.md"))
    lines = []
    for table in results:
        description = BENCHMARK_DESCRIPTIONS.get(table.stem)
        if description is None:
            logger.warning(
                f"benchmarks/results/{table.name} has no description: add one to "
                "BENCHMARK_DESCRIPTIONS in docs/conf.py"
            )
            description = ""
        title = f"``{table.name}``"
        lines += [
            title, "-" * len(title), "", description, "",
            f".. include:: /../benchmarks/results/{table.name}",
            "   :parser: myst_parser.sphinx_", "", "",
        ]
    out = DOCS / "generated" / "benchmark_tables.rst.inc"
    out.parent.mkdir(exist_ok=True)
    text = "\n".join(lines)
    if not out.exists() or out.read_text() != text:
        out.write_text(text)


def setup(app):
    app.connect("builder-inited", write_benchmark_tables)
