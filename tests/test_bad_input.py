"""Bad input, one table over every public estimator, sampler, splitter, loss and imbalance measure.

Each row runs one subject on one input and expects either a ``ValueError`` /
``TypeError`` whose message names the problem, or success (for inputs the
subject documents as fine), never a numba error; in both cases the caller's
arrays must be left exactly as they were.

Decisions per kind of subject:

* estimators and samplers inspect ``X``: NaN, infinity, complex numbers, text,
  3-D arrays, no rows and no features are errors; object arrays of numbers
  are converted as scikit-learn does (an object array holding text is an error);
* splitters use only the number of rows of ``X`` (as scikit-learn's), so bad
  values in ``X`` are not their business;
* losses take logits ``raw`` (here the ``X`` column) of the shape of ``Y``;
* a label never (or always) positive: the classifier warns and fits a
  constant score; samplers, splitters, losses and measures accept it
  (measures report IRLbl = inf, ranking losses skip it).
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
import scipy.sparse as sp
from _loss_at_epoch import at_an_epoch
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, fbeta_score, make_scorer

from skmultilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    LabelStackingClassifier,
    MultiLabelLossClassifier,
    MultiLabelLossClassifierCV,
    MultilabelStratifiedKFold,
    MultilabelStratifiedShuffleSplit,
    PerClassThresholdTuner,
)
from skmultilabel.losses import LOSSES, AsymmetricLoss, FocalLoss
from skmultilabel.resampling import cvir, irlbl, max_ir, mean_ir, scumble

N_SAMPLES, N_COLUMNS = 30, 3  # X and Y have 3 columns each, so that X also serves as logits


def base_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(N_SAMPLES, N_COLUMNS))
    Y = (rng.random((N_SAMPLES, N_COLUMNS)) < [0.6, 0.4, 0.15]).astype(np.int64)
    Y[0], Y[1] = 1, 0  # no constant label
    return X, Y, rng.uniform(0.5, 2.0, N_SAMPLES)


# ---------------------------------------------------------------- the subjects


@dataclass
class Subject:
    """A public object under test: how to run it on (X, Y, sample_weight), what it reads."""

    name: str
    kind: str  # "estimator", "sampler", "splitter", "loss" or "measure"
    run: callable
    reads: frozenset  # of "X", "Y", "sample_weight"
    bad_params: list = field(default_factory=list)  # (id, run, error, match)
    expect: dict = field(default_factory=dict)  # case id -> outcome, where it differs from its kind


def fit_predict(**params):
    def run(X, Y, sample_weight):
        return MultiLabelLossClassifier(**params).fit(X, Y, sample_weight=sample_weight).predict(X)

    return run


def tune_predict(**params):
    def run(X, Y, sample_weight):
        tuner = PerClassThresholdTuner(MultiLabelLossClassifier(**LINEAR), cv=2, **params)
        return tuner.fit(X, Y, sample_weight=sample_weight).predict(X)

    return run


def stack_predict(**params):
    def run(X, Y, sample_weight):
        stacker = LabelStackingClassifier(MultiLabelLossClassifier(**LINEAR), **{"cv": 2, **params})
        return stacker.fit(X, Y, sample_weight=sample_weight).predict(X)

    return run


def cv_predict(**params):
    def run(X, Y, sample_weight):
        estimator = MultiLabelLossClassifierCV(**{**CV_GRID, **params})
        return estimator.fit(X, Y, sample_weight=sample_weight).predict(X)

    return run


LINEAR = {"max_iter": 15}
CV_GRID = {"alphas": 2, "pos_weights": [1.0, "balanced"], "cv": 2, "max_iter": 15}
MLP = {"model": "mlp", "hidden_layer_sizes": (3,), "max_iter": 15, "random_state": 0}


def resample(sampler):
    return lambda X, Y, sample_weight: sampler.fit_resample(X, Y)


def split(splitter):
    return lambda X, Y, sample_weight: list(splitter.split(X, Y))


def evaluate(loss):
    return lambda X, Y, sample_weight: loss.loss_gradient(Y, X, sample_weight=sample_weight)


def measure(function):
    return lambda X, Y, sample_weight: function(Y)


ESTIMATOR_PARAMS = [
    ("unknown_loss", {"loss": "nope"}, ValueError, "'loss' parameter"),
    ("negative_gamma", {"loss": "focal", "gamma": -1.0}, ValueError, "'gamma' parameter"),
    ("class_weight_length", {"class_weight": [1.0, 2.0]}, ValueError, "class_weight must"),
    ("class_weight_key", {"class_weight": {5: 2.0}}, ValueError, "class_weight keys"),
    ("focal_alpha_length", {"loss": "focal", "focal_alpha": [0.5, 0.5]}, ValueError, "alpha has 2"),
    ("negative_fn_cost", {"fn_cost": [-1.0, 1.0, 1.0]}, ValueError, "fn_cost must be finite"),
    ("threshold_above_1", {"threshold": 1.5}, ValueError, "'threshold' parameter"),
    ("negative_alpha", {"alpha": -1.0}, ValueError, "'alpha' parameter"),
    ("zero_max_iter", {"max_iter": 0}, ValueError, "'max_iter' parameter"),
]
MLP_PARAMS = [
    ("zero_hidden_layer", {"hidden_layer_sizes": (3, 0)}, ValueError, "hidden_layer_sizes"),
    ("unknown_activation", {"activation": "softmax"}, ValueError, "'activation' parameter"),
    (
        "zero_learning_rate",
        {"solver": "adam", "learning_rate_init": 0.0},
        ValueError,
        "'learning_rate_init' parameter",
    ),
]


def estimator_params(base, rows):
    return [(i, fit_predict(**{**base, **p}), e, m) for i, p, e, m in rows]


def construct_then(make, run):
    """A run that builds its object first, so that constructor errors are caught by the test."""
    return lambda X, Y, sample_weight: run(make())(X, Y, sample_weight)


LOSS_PARAMS = [
    (
        "focal_negative_gamma",
        construct_then(lambda: FocalLoss(gamma=-1.0), evaluate),
        ValueError,
        "gamma",
    ),
    (
        "focal_alpha_length",
        construct_then(lambda: FocalLoss(alpha=[0.5, 0.5]), evaluate),
        ValueError,
        "alpha has 2",
    ),
    (
        "asymmetric_clip_1",
        construct_then(lambda: AsymmetricLoss(clip=1.0), evaluate),
        ValueError,
        "clip",
    ),
]


def label_weight_rows(loss):
    def call(**weights):
        return lambda X, Y, sample_weight: loss.loss_gradient(Y, X, **weights)

    rows = [
        (
            "pos_weight_length",
            call(pos_weight=np.ones(2), neg_weight=np.ones(2)),
            ValueError,
            "pos_weight must have shape",
        ),
        (
            "negative_neg_weight",
            call(neg_weight=-np.ones(3), pos_weight=-np.ones(3)),
            ValueError,
            "must be finite and non-negative",
        ),
    ]
    if not loss.pointwise:
        rows.append(
            (
                "unequal_label_weights",
                call(pos_weight=np.ones(3), neg_weight=2 * np.ones(3)),
                ValueError,
                "pos_weight and neg_weight must be equal",
            )
        )
    return rows


XY_SW = frozenset({"X", "Y", "sample_weight"})
XY = frozenset({"X", "Y"})

SUBJECTS = [
    Subject(
        "linear",
        "estimator",
        fit_predict(**LINEAR),
        XY_SW,
        estimator_params(LINEAR, ESTIMATOR_PARAMS),
    ),
    Subject("mlp", "estimator", fit_predict(**MLP), XY_SW, estimator_params(MLP, MLP_PARAMS)),
    Subject(
        "MLROS",
        "sampler",
        resample(MLROS(random_state=0)),
        XY,
        [
            (
                "negative_percentage",
                resample(MLROS(percentage=-1)),
                ValueError,
                "'percentage' parameter",
            )
        ],
    ),
    Subject(
        "MLRUS",
        "sampler",
        resample(MLRUS(random_state=0)),
        XY,
        [("percentage_100", resample(MLRUS(percentage=100)), ValueError, "'percentage' parameter")],
    ),
    Subject(
        "MLSMOTE",
        "sampler",
        resample(MLSMOTE(random_state=0)),
        XY,
        [
            (
                "zero_neighbours",
                resample(MLSMOTE(k_neighbors=0)),
                ValueError,
                "'k_neighbors' parameter",
            ),
            (
                "unknown_rule",
                resample(MLSMOTE(label_generation="vote")),
                ValueError,
                "'label_generation' parameter",
            ),
        ],
    ),
    Subject(
        "MultilabelStratifiedKFold",
        "splitter",
        split(MultilabelStratifiedKFold(3)),
        XY,
        [
            (
                "one_split",
                construct_then(lambda: MultilabelStratifiedKFold(1), split),
                ValueError,
                "n_splits",
            ),
            (
                "more_splits_than_rows",
                split(MultilabelStratifiedKFold(N_SAMPLES + 1)),
                ValueError,
                f"n_splits={N_SAMPLES + 1}",
            ),
            (
                "seed_without_shuffle",
                construct_then(lambda: MultilabelStratifiedKFold(3, random_state=0), split),
                ValueError,
                "shuffle",
            ),
        ],
    ),
    Subject(
        "MultilabelStratifiedShuffleSplit",
        "splitter",
        split(MultilabelStratifiedShuffleSplit(2, test_size=0.3, random_state=0)),
        XY,
        [
            (
                "test_size_above_1",
                split(MultilabelStratifiedShuffleSplit(test_size=1.5)),
                ValueError,
                "test_size",
            ),
            (
                "sizes_above_n",
                split(MultilabelStratifiedShuffleSplit(test_size=20, train_size=20)),
                ValueError,
                "sum of train_size and test_size",
            ),
        ],
    ),
    *[
        Subject(
            f"loss:{name}",
            "loss",
            evaluate(at_an_epoch(cls())),
            XY_SW,
            (LOSS_PARAMS if name == "focal" else []) + label_weight_rows(at_an_epoch(cls())),
        )
        for name, cls in sorted(LOSSES.items())
    ],
    *[
        Subject(f.__name__, "measure", measure(f), frozenset({"Y"}))
        for f in (irlbl, mean_ir, max_ir, cvir, scumble)
    ],
    Subject(
        "PerClassThresholdTuner",
        "estimator",
        tune_predict(),
        XY_SW,
        [
            ("unknown_scoring", tune_predict(scoring="nope"), ValueError, "'scoring' parameter"),
            (
                "fixed_threshold_text",
                tune_predict(strategy="fixed", fixed_threshold="high"),
                ValueError,
                "'fixed_threshold' parameter",
            ),
            ("one_grid_point", tune_predict(thresholds=1), ValueError, "'thresholds' parameter"),
            ("negative_beta", tune_predict(beta=-1.0), ValueError, "'beta' parameter"),
            ("negative_margin", tune_predict(margin=-0.1), ValueError, "'margin' parameter"),
            ("margin_text", tune_predict(margin="two"), ValueError, "'margin' parameter"),
        ],
        expect={
            "no_rows": (ValueError, "needs at least 2 samples; got n_samples=0"),
            "one_row": (ValueError, "needs at least 2 samples; got n_samples=1"),
        },
    ),
    Subject(
        "LabelStackingClassifier",
        "estimator",
        stack_predict(),
        XY_SW,
        [
            (
                "unknown_response_method",
                stack_predict(response_method="score"),
                ValueError,
                "'response_method' parameter",
            ),
            (
                "passthrough_text",
                stack_predict(passthrough="yes"),
                ValueError,
                "'passthrough' parameter",
            ),
            (
                "cv_not_a_partition",
                stack_predict(cv=[(np.arange(20), np.arange(20, 25))]),
                ValueError,
                "cv must partition the samples",
            ),
        ],
        expect={"one_row": (ValueError, "n_samples=1")},
    ),
    Subject(
        "MultiLabelLossClassifierCV",
        "estimator",
        cv_predict(),
        XY_SW,
        [
            ("zero_alphas", cv_predict(alphas=0), ValueError, "'alphas' parameter"),
            ("negative_alpha_value", cv_predict(alphas=[1.0, -1.0]), ValueError, "alphas must be"),
            ("empty_alphas", cv_predict(alphas=[]), ValueError, "alphas must be"),
            ("zero_pos_weight", cv_predict(pos_weights=[0.0]), ValueError, "pos_weights must"),
            (
                "unknown_pos_weight",
                cv_predict(pos_weights=[1.0, "double"]),
                ValueError,
                "pos_weights must",
            ),
            (
                "pos_weight_not_pointwise",
                cv_predict(loss="pairwise_logistic", pos_weights=[2.0]),
                ValueError,
                "not pointwise: pos_weights",
            ),
            (
                "focal_alpha_array",
                cv_predict(loss="focal", focal_alpha=[0.5, 0.5, 0.5]),
                ValueError,
                "scalar focal_alpha",
            ),
            ("unknown_scoring", cv_predict(scoring="accuracy"), ValueError, "'scoring' parameter"),
            (
                "scoring_not_f",
                cv_predict(scoring=make_scorer(accuracy_score)),
                ValueError,
                "scoring must be an F-measure",
            ),
            ("negative_margin", cv_predict(margin=-0.1), ValueError, "'margin' parameter"),
            (
                "negative_min_positives",
                cv_predict(min_positives=-1),
                ValueError,
                "'min_positives' parameter",
            ),
            ("one_fold", cv_predict(cv=1), ValueError, "n_splits"),
            ("per_label_text", cv_predict(per_label="yes"), ValueError, "'per_label' parameter"),
            ("refit_text", cv_predict(refit="yes"), ValueError, "'refit' parameter"),
            ("negative_beta", cv_predict(beta=-1.0), ValueError, "'beta' parameter"),
            (
                "beta_beside_fbeta_scorer",
                cv_predict(scoring=make_scorer(fbeta_score, beta=2, average="macro"), beta=1.0),
                ValueError,
                "conflicts with the scorer's beta",
            ),
            (
                "unknown_class_weight",
                cv_predict(class_weight="unbalanced"),
                ValueError,
                "'class_weight' parameter",
            ),
            ("negative_fp_cost", cv_predict(fp_cost=-1.0), ValueError, "'fp_cost' parameter"),
            (
                "fp_cost_wrong_length",
                cv_predict(fp_cost=[1.0, 2.0]),
                ValueError,
                "fp_cost must be a scalar or have one entry per label",
            ),
            (
                "negative_label_smoothing",
                cv_predict(label_smoothing=-0.1),
                ValueError,
                "'label_smoothing' parameter",
            ),
        ],
        expect={"one_row": (ValueError, "needs at least 2 samples; got n_samples=1")},
    ),
]


# ---------------------------------------------------------------- the inputs


def with_entry(array, value, dtype=None):
    array = array.astype(dtype or np.result_type(array, type(value)))
    array[3, 1] = value
    return array


@dataclass
class Case:
    """A bad (or borderline) input, and what each kind of subject must do with it.

    ``expect`` maps a subject kind (or "default") to ``None`` (success) or
    ``(error, match)``, unless the subject's own ``expect`` names the case;
    ``warn`` maps a kind to a ``(category, match)`` warning due on success.
    """

    id: str
    make: callable  # (X, Y, sample_weight) -> (X, Y, sample_weight)
    needs: str
    expect: dict
    warn: dict = field(default_factory=dict)

    def outcome(self, subject):
        if self.id in subject.expect:
            return subject.expect[self.id]
        return self.expect.get(subject.kind, self.expect.get("default"))


OK = None
X_VALUES_IGNORED = {"splitter": OK}
REAL = (TypeError, "raw must be an array of real numbers")
SAME_SHAPE = (ValueError, "Y and raw must be 2-D arrays of the same shape")
Y_RANGE = (ValueError, r"Y must hold targets in \[0, 1\]")
CONSTANT = {"estimator": (UserWarning, "{} positive: label\\(s\\) \\[2\\]")}

CASES = [
    Case("valid", lambda X, Y, w: (X, Y, w), "Y", {"default": OK}),
    Case(
        "X_nan",
        lambda X, Y, w: (with_entry(X, np.nan), Y, w),
        "X",
        {
            "default": (ValueError, "Input X contains NaN"),
            "loss": (ValueError, "raw .* contains NaN"),
            **X_VALUES_IGNORED,
        },
    ),
    Case(
        "X_inf",
        lambda X, Y, w: (with_entry(X, np.inf), Y, w),
        "X",
        {
            "default": (ValueError, "Input X contains infinity"),
            "loss": (ValueError, "NaN or infinity"),
            **X_VALUES_IGNORED,
        },
    ),
    Case(
        "X_minus_inf",
        lambda X, Y, w: (with_entry(X, -np.inf), Y, w),
        "X",
        {
            "default": (ValueError, "Input X contains infinity"),
            "loss": (ValueError, "NaN or infinity"),
            **X_VALUES_IGNORED,
        },
    ),
    Case(
        "X_complex",
        lambda X, Y, w: (X + 1j, Y, w),
        "X",
        {"default": (ValueError, "Complex data not supported"), "loss": REAL, **X_VALUES_IGNORED},
    ),
    Case(
        "X_text",
        lambda X, Y, w: (X.astype(str), Y, w),
        "X",
        {"default": (TypeError, "X must hold numbers, got text"), "loss": REAL, **X_VALUES_IGNORED},
    ),
    Case(
        "X_object_numbers",
        lambda X, Y, w: (X.astype(object), Y, w),
        "X",
        {"default": OK, "loss": REAL},
    ),
    Case(
        "X_object_text",
        lambda X, Y, w: (with_entry(X, "abc", object), Y, w),
        "X",
        {
            "default": (ValueError, "could not convert string to float"),
            "loss": REAL,
            **X_VALUES_IGNORED,
        },
    ),
    Case(
        "X_object_dict",
        lambda X, Y, w: (with_entry(X, {"a": 1}, object), Y, w),
        "X",
        {
            "default": (TypeError, "must be a string or a real number"),
            "loss": REAL,
            **X_VALUES_IGNORED,
        },
    ),
    Case(
        "X_sparse_nan",
        lambda X, Y, w: (sp.csr_array(with_entry(X, np.nan)), Y, w),
        "X",
        {"default": (ValueError, "Input X contains NaN"), "loss": REAL, **X_VALUES_IGNORED},
    ),
    Case(
        "Y_sparse_not_0_1",
        lambda X, Y, w: (X, sp.csr_array(Y * 3), w),
        "Y",
        {
            "default": (ValueError, "0/1 label indicator; found values \\[3\\]"),
            "loss": (TypeError, "Y must be an array of real numbers"),
        },
    ),
    Case(
        "X_3d",
        lambda X, Y, w: (X[:, :, None], Y, w),
        "X",
        {"default": (ValueError, "Found array with dim 3"), "loss": SAME_SHAPE, **X_VALUES_IGNORED},
    ),
    Case(
        "no_rows",
        lambda X, Y, w: (X[:0], Y[:0], w[:0]),
        "Y",
        {
            "default": (ValueError, r"0 sample\(s\)"),
            "splitter": (ValueError, "n_samples=0"),
            "loss": (ValueError, "empty"),
            "measure": (ValueError, "no samples"),
        },
    ),
    Case(
        "one_row",
        lambda X, Y, w: (X[:1], Y[:1], w[:1]),
        "Y",
        {"default": OK, "splitter": (ValueError, "n_samples=1")},
        {"estimator": (UserWarning, r"always positive: label\(s\) \[0, 1, 2\]")},
    ),
    Case(
        "no_features",
        lambda X, Y, w: (X[:, :0], Y, w),
        "X",
        {"default": (ValueError, r"0 feature\(s\)"), "loss": SAME_SHAPE, **X_VALUES_IGNORED},
    ),
    Case(
        "X_Y_lengths",
        lambda X, Y, w: (X[:-1], Y, w[:-1]),
        "X",
        {"default": (ValueError, "inconsistent numbers of samples"), "loss": SAME_SHAPE},
    ),
    Case(
        "Y_not_0_1",
        lambda X, Y, w: (X, Y * 2, w),
        "Y",
        {"default": (ValueError, "0/1 label indicator; found values \\[2\\]"), "loss": Y_RANGE},
    ),
    Case(
        "Y_nan",
        lambda X, Y, w: (X, with_entry(Y, np.nan), w),
        "Y",
        {"default": (ValueError, "contains NaN or infinity"), "loss": Y_RANGE},
    ),
    Case(
        "Y_text",
        lambda X, Y, w: (X, Y.astype(str), w),
        "Y",
        {
            "default": (TypeError, "must hold numbers 0 and 1"),
            "loss": (TypeError, "Y must be an array of real"),
        },
    ),
    Case(
        "Y_1d_multiclass",
        lambda X, Y, w: (X, np.arange(N_SAMPLES) % 3, w),
        "Y",
        {
            "estimator": (ValueError, "Only binary classification is supported"),
            "sampler": (ValueError, "must be 2-D"),
            "measure": (ValueError, "must be 2-D"),
            "splitter": (ValueError, "Multiclass targets are not supported"),
            "loss": SAME_SHAPE,
        },
    ),
    Case(
        "label_never_positive",
        lambda X, Y, w: (X, Y * [1, 1, 0], w),
        "Y",
        {"default": OK},
        {key: (cat, match.format("never")) for key, (cat, match) in CONSTANT.items()},
    ),
    Case(
        "label_always_positive",
        lambda X, Y, w: (X, np.maximum(Y, [0, 0, 1]), w),
        "Y",
        {"default": OK},
        {key: (cat, match.format("always")) for key, (cat, match) in CONSTANT.items()},
    ),
    Case(
        "Y_no_positive_at_all",
        lambda X, Y, w: (X, 0 * Y, w),
        "Y",
        {"default": OK, "measure": (ValueError, "Y has no positive label")},
        {"estimator": (UserWarning, r"never positive: label\(s\) \[0, 1, 2\]")},
    ),
    Case(
        "sample_weight_negative",
        lambda X, Y, w: (X, Y, -w),
        "sample_weight",
        {
            "default": (ValueError, "Negative values in data passed to `sample_weight`"),
            "loss": (ValueError, "sample_weight must be finite and non-negative"),
        },
    ),
    Case(
        "sample_weight_nan",
        lambda X, Y, w: (X, Y, np.where(np.arange(N_SAMPLES) == 3, np.nan, w)),
        "sample_weight",
        {
            "default": (ValueError, "sample_weight contains NaN"),
            "loss": (ValueError, "sample_weight must be finite"),
        },
    ),
    Case(
        "sample_weight_length",
        lambda X, Y, w: (X, Y, w[:-1]),
        "sample_weight",
        {"default": (ValueError, r"sample_weight must have shape \(30,\)")},
    ),
    Case(
        "sample_weight_zero",
        lambda X, Y, w: (X, Y, 0 * w),
        "sample_weight",
        {
            "default": (ValueError, "at least one non-zero"),
            "loss": (ValueError, "sample_weight sums to zero"),
        },
    ),
    Case(
        "sample_weight_text",
        lambda X, Y, w: (X, Y, w.astype(str)),
        "sample_weight",
        {
            "default": (TypeError, "sample_weight must be numeric"),
            "loss": (TypeError, "sample_weight must be an array of real numbers"),
        },
    ),
]

ROWS = [
    pytest.param(
        subject,
        case.make,
        subject.run,
        case.outcome(subject),
        case.warn.get(subject.kind),
        id=f"{subject.name}-{case.id}",
    )
    for subject in SUBJECTS
    for case in CASES
    if case.needs in subject.reads
] + [
    pytest.param(
        subject,
        lambda X, Y, w: (X, Y, w),
        run,
        (error, match),
        None,
        id=f"{subject.name}-{param_id}",
    )
    for subject in SUBJECTS
    for param_id, run, error, match in subject.bad_params
]


# ---------------------------------------------------------------- the test


def snapshot(array):
    """Everything that identifies an array's content: type, dtype, shape and bytes (or items)."""
    if array is None:
        return None
    if sp.issparse(array):
        parts = (array.data, array.indices, array.indptr)
        return type(array), array.format, array.shape, *(snapshot(a) for a in parts)
    array = np.asarray(array)
    content = array.tobytes() if array.dtype.kind != "O" else repr(array.tolist())
    return type(array), array.dtype, array.shape, content


def assert_no_nan_in(result):
    for part in result if isinstance(result, (tuple, list)) else [result]:
        if isinstance(part, np.ndarray) and part.dtype.kind == "f":
            assert not np.isnan(part).any()


@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@pytest.mark.parametrize("subject, make, run, outcome, warning", ROWS)
def test_bad_input(subject, make, run, outcome, warning):
    X, Y, sample_weight = make(*base_data())
    if "sample_weight" not in subject.reads:
        sample_weight = None
    before = [snapshot(a) for a in (X, Y, sample_weight)]
    if outcome is None:
        with pytest.warns(warning[0], match=warning[1]) if warning else warnings.catch_warnings():
            if not warning:
                warnings.simplefilter("error")
                warnings.simplefilter("ignore", ConvergenceWarning)
            assert_no_nan_in(run(X, Y, sample_weight))
    else:
        error, match = outcome
        with pytest.raises((ValueError, TypeError)) as raised:
            run(X, Y, sample_weight)
        assert isinstance(raised.value, error), repr(raised.value)
        assert not type(raised.value).__module__.startswith("numba"), repr(raised.value)
        raised.match(match)
    assert [snapshot(a) for a in (X, Y, sample_weight)] == before, "the caller's arrays changed"
