"""The demo ``python -m skmultilabel``."""

import pytest
from sklearn.metrics import average_precision_score, f1_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import (
    MultiLabelLossClassifier,
    MultiLabelLossClassifierCV,
    PerClassThresholdTuner,
)
from skmultilabel.__main__ import main, pointwise_losses
from skmultilabel.datasets import load_emotions
from skmultilabel.losses import LOSSES


def test_main_prints_one_row_per_loss(capsys):
    rows = main(["--dataset", "emotions", "--losses", "bce,weighted_bce"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("emotions: 391 train / 202 test samples")
    assert out[1].split() == [
        "loss",
        "micro-F1@0.5",
        "macro-F1@0.5",
        "micro-F1",
        "tuned",
        "macro-F1",
        "tuned",
        "mAP",
        "fit",
        "s",
        "tune",
        "s",
    ]
    assert [line.split()[0] for line in out[3:]] == ["bce", "weighted_bce", "bce+CV"]
    assert [row[0] for row in rows] == ["bce", "weighted_bce", "bce+CV"]
    for line, row in zip(out[3:], rows):
        assert [float(cell) for cell in line.split()[1:6]] == pytest.approx(row[1:6], abs=1e-4)
        assert 0.0 < row[6] < 60.0 and 0.0 <= row[7] < 120.0

    data = load_emotions()
    scaler = StandardScaler().fit(data.X_train)
    clf = MultiLabelLossClassifier(alpha=1.0).fit(scaler.transform(data.X_train), data.Y_train)
    X_test = scaler.transform(data.X_test)
    assert rows[0][1] == pytest.approx(f1_score(data.Y_test, clf.predict(X_test), average="micro"))
    assert rows[0][2] == pytest.approx(f1_score(data.Y_test, clf.predict(X_test), average="macro"))
    assert rows[0][5] == pytest.approx(
        average_precision_score(data.Y_test, clf.predict_proba(X_test))
    )
    tuner = PerClassThresholdTuner(
        MultiLabelLossClassifier(alpha=1.0), scoring="f1_macro", random_state=0
    )
    tuned = tuner.fit(scaler.transform(data.X_train), data.Y_train).predict(X_test)
    assert rows[0][4] == pytest.approx(f1_score(data.Y_test, tuned, average="macro"))
    cv = MultiLabelLossClassifierCV(random_state=0).fit(
        scaler.transform(data.X_train), data.Y_train
    )
    assert rows[2][4] == pytest.approx(f1_score(data.Y_test, cv.predict(X_test), average="macro"))


def test_default_losses_are_the_pointwise_ones():
    names = pointwise_losses()
    assert {"bce", "weighted_bce"} <= set(names)
    assert all(LOSSES[name].pointwise for name in names)


def test_help_and_bad_loss(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "--dataset" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["--losses", "nope"])
    assert exit_info.value.code == 2
    assert "unknown loss" in capsys.readouterr().err
