"""Churn risk: a calibrated scikit-learn model trained on time snapshots of the care history, or a heuristic.

Training (`python -m dashboard churn train`): labelled snapshots every 7 days whose 90-day label window ends inside the
data (dashboard/churn/features.py). Customers are split by a stable hash so nobody is on two sides: the older
snapshots of 60% of customers train, the second-newest snapshot of another 20% validates (model choice by PR-AUC, then
Platt calibration), and the newest snapshot of the last 20% tests. A logistic regression and a gradient-boosted model
are compared; the evaluated model is the one saved and served. With no churn outcomes in the data the heuristic in
churn_features.HEURISTIC_FORMULA is used instead and nothing is claimed about its accuracy.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import skops.io as sio
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from dashboard.churn import features as cf
from dashboard.churn import metrics as churn_metrics
from dashboard.core.errors import UserError
from dashboard.db import sql

MODEL_VERSION = 1
MODEL_FILE, META_FILE, LEGACY_FILE = "churn.skops", "churn.json", "churn.joblib"
# Types a saved model may hold beyond skops' own safe defaults (numpy arrays, scikit-learn estimators); loading
# refuses a file with any other type, so a planted file cannot run code. Extend only with plain data classes.
TRUSTED_TYPES = (
    "dashboard.churn.model.ClipToTrainingRange",
    "numpy.dtype",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)
LEGACY_NOTE = (
    "an old models/churn.joblib was ignored, not loaded (that format can run code when opened); "
    "run `python -m dashboard churn train` to save the model in the safe format"
)
MODEL_NAMES = {"logistic": "Logistic regression", "boosted": "Gradient-boosted trees"}


class NotTrainable(UserError):
    """The data cannot support a churn model (no outcomes, too short, too few churned customers)."""


@dataclass
class ChurnModel:
    """A fitted, calibrated model with its metadata, or the heuristic (estimator None) with the reason why."""

    estimator: CalibratedClassifierCV | None
    pipeline: Pipeline | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_heuristic(self) -> bool:
        """True when scores are heuristic points (0-100), not probabilities."""
        return self.estimator is None


@dataclass(frozen=True)
class Dataset:
    """The labelled snapshots, split by time and by customer."""

    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame
    snapshots: tuple[pd.Timestamp, ...]
    no_contact_rate: float  # churn rate of customers with no contact in the 90 days before (training snapshots)


class ClipToTrainingRange(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each column to the range seen in fit: later scoring times see more history than training did."""

    def fit(self, X: pd.DataFrame, y: Any = None) -> ClipToTrainingRange:
        """Remember each column's minimum and maximum."""
        frame = pd.DataFrame(X)
        self.low_, self.high_ = frame.min().to_numpy(), frame.max().to_numpy()
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, X: pd.DataFrame) -> Any:
        """The columns clipped to the fitted range (missing values stay missing)."""
        return pd.DataFrame(X).clip(self.low_, self.high_, axis=1).to_numpy(dtype=float)


def heuristic(reason: str) -> ChurnModel:
    """The heuristic stand-in, carrying the reason no model is used."""
    return ChurnModel(None, None, {"kind": "heuristic", "reason": reason, "formula": cf.HEURISTIC_FORMULA})


def build_dataset(con: duckdb.DuckDBPyConnection, window: cf.DataWindow) -> Dataset:
    """Labelled snapshots split: older ones train, the second-newest validates, the newest tests."""
    if not window.has_outcomes:
        raise NotTrainable("the data holds no churn outcomes (customers.churned_at is empty)")
    times = cf.snapshot_times(window)
    if len(times) < 3:
        raise NotTrainable(
            f"need 3 weekly snapshots whose {cf.HORIZON_DAYS}-day outcome window ends inside the data; "
            f"the data spans {window.first_started_at:%Y-%m-%d} to {window.data_end_at:%Y-%m-%d}"
        )
    frames = [cf.labelled_snapshot(con, t) for t in times]
    for frame in frames:
        frame["bucket"] = cf.customer_bucket(frame["customer_id"])
    older = pd.concat(frames[:-2], ignore_index=True)
    train = older[older["has_contact"] & (older["bucket"] < 3)]
    validation = frames[-2][frames[-2]["has_contact"] & (frames[-2]["bucket"] == 3)]
    test = frames[-1][frames[-1]["has_contact"] & (frames[-1]["bucket"] == 4)]
    for name, part in (("training", train), ("validation", validation), ("test", test)):
        if part["is_churned"].sum() < cf.MIN_POSITIVES or part["is_churned"].nunique() < 2:
            raise NotTrainable(f"too few churned customers in the {name} split ({part['is_churned'].sum()})")
    quiet = older[~older["has_contact"]]["is_churned"]
    rate = float(quiet.mean()) if len(quiet) else 0.0
    return Dataset(train, validation, test, tuple(times), rate)


def candidates(seed: int = 0) -> dict[str, Pipeline]:
    """The two model families compared, each a Pipeline of ColumnTransformer and classifier."""

    def columns(numeric: Any) -> ColumnTransformer:
        categorical = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        return ColumnTransformer(
            [("num", numeric, list(cf.NUMERIC_FEATURES)), ("cat", categorical, list(cf.CATEGORICAL_FEATURES))]
        )

    def clipped(*steps: Any) -> Pipeline:
        return make_pipeline(ClipToTrainingRange(), *steps)

    scaled = clipped(SimpleImputer(strategy="median"), StandardScaler())
    boosted = HistGradientBoostingClassifier(
        max_iter=150, learning_rate=0.05, max_depth=3, min_samples_leaf=100, l2_regularization=1.0,
        early_stopping=False, random_state=seed,
    )  # fmt: skip
    return {
        "logistic": Pipeline([("columns", columns(scaled)), ("model", LogisticRegression(C=0.1, max_iter=2000))]),
        "boosted": Pipeline([("columns", columns(clipped(SimpleImputer(strategy="median")))), ("model", boosted)]),
    }


def _xy(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    return frame[list(cf.FEATURES)], frame["is_churned"]


def train(con: duckdb.DuckDBPyConnection, seed: int = 0) -> ChurnModel:
    """Fit both candidates, keep the better by validation PR-AUC, calibrate it, and measure it on the test split."""
    started = time.perf_counter()
    window = cf.data_window(sql.run_query(con, "churn_data_window"))
    data = build_dataset(con, window)
    fitted, validation_pr_auc = {}, {}
    with threadpool_limits(1):  # OpenMP threads thrash on a busy machine; one thread is faster and reproducible
        for name, pipeline in candidates(seed).items():
            fitted[name] = pipeline.fit(*_xy(data.train))
            scores = pipeline.predict_proba(_xy(data.validation)[0])[:, 1]
            validation_pr_auc[name] = float(average_precision_score(data.validation["is_churned"], scores))
        chosen = max(validation_pr_auc, key=validation_pr_auc.__getitem__)
        calibrated = CalibratedClassifierCV(FrozenEstimator(fitted[chosen]), method="sigmoid")
        calibrated.fit(*_xy(data.validation))
        model = ChurnModel(calibrated, fitted[chosen])
        metrics = churn_metrics.evaluate(predict(model, data.test), data.test, data.train)
    model.metadata = _metadata(window, data, chosen, validation_pr_auc, metrics, seed)
    model.metadata["training_seconds"] = round(time.perf_counter() - started, 2)
    return model


def _metadata(window, data: Dataset, chosen: str, validation: dict, metrics: dict, seed: int) -> dict[str, Any]:
    constant = [f for f in cf.NUMERIC_FEATURES if data.train[f].nunique(dropna=True) <= 1]
    return {
        "kind": "model",
        "model_version": MODEL_VERSION,
        "trained_at": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "seed": seed,
        "chosen": chosen,
        "chosen_name": MODEL_NAMES[chosen],
        "validation_pr_auc": validation,
        "data_window": [window.first_started_at.isoformat(), window.data_end_at.isoformat()],
        "snapshots": [t.isoformat() for t in data.snapshots],
        "train_snapshots": [t.isoformat() for t in data.snapshots[:-2]],
        "validation_snapshot": data.snapshots[-2].isoformat(),
        "test_snapshot": data.snapshots[-1].isoformat(),
        "rows": {"train": len(data.train), "validation": len(data.validation), "test": len(data.test)},
        "churned": {
            "train": int(data.train["is_churned"].sum()),
            "validation": int(data.validation["is_churned"].sum()),
            "test": int(data.test["is_churned"].sum()),
        },
        "no_contact_rate": data.no_contact_rate,
        "features": list(cf.FEATURES),
        "constant_in_training": constant,
        "metrics": metrics,
    }


def predict(model: ChurnModel, features: pd.DataFrame) -> pd.Series:
    """Churn probability within 90 days per row (or heuristic points 0-100 for the heuristic)."""
    if features.empty:
        return pd.Series(dtype=float, index=features.index)
    if model.is_heuristic:
        return cf.heuristic_score(features)
    assert model.estimator is not None  # not the heuristic
    with threadpool_limits(1):
        return pd.Series(model.estimator.predict_proba(features[list(cf.FEATURES)])[:, 1], index=features.index)


def model_paths(db_path: Path) -> tuple[Path, Path]:
    """Where the model and its metadata live: <database folder>/models/churn.skops and churn.json."""
    folder = Path(db_path).resolve().parent / "models"
    return folder / MODEL_FILE, folder / META_FILE


def legacy_model(db_path: Path) -> Path | None:
    """An old pickle-based models/churn.joblib next to the database (never loaded), or None."""
    path = model_paths(db_path)[0].with_name(LEGACY_FILE)
    return path if path.exists() else None


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600), atomically."""
    partial = path.with_name(path.name + ".tmp")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(partial, 0o600)  # whatever the umask said
    partial.replace(path)


def save(model: ChurnModel, db_path: Path) -> Path:
    """Write the model (skops: data only, no pickled code) and its metadata (JSON), owner-only; return the path."""
    model_path, meta_path = model_paths(db_path)
    model_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    metadata = {**model.metadata, "database": str(Path(db_path).resolve())}
    metadata_json = json.dumps(metadata, indent=2, default=str)
    saved = {"estimator": model.estimator, "pipeline": model.pipeline, "metadata": metadata_json}
    _write_private(model_path, sio.dumps(saved))
    _write_private(meta_path, metadata_json.encode("utf-8"))
    return model_path


def load(db_path: Path) -> ChurnModel | None:
    """The saved model for this database, or None when there is none or it was saved by another model version.

    Only the types in TRUSTED_TYPES (and skops' safe defaults) are accepted: any other type in the file is refused
    before anything is built from it. An old churn.joblib is never opened.
    """
    model_path, _ = model_paths(db_path)
    if not model_path.is_file():
        return None
    try:
        untrusted = set(sio.get_untrusted_types(file=model_path)) - set(TRUSTED_TYPES)
        if untrusted:
            raise UserError(
                f"{model_path} holds types that are not allowed ({', '.join(sorted(untrusted))}); it was not "
                "loaded. Delete it and run `python -m dashboard churn train`"
            )
        saved = sio.load(model_path, trusted=list(TRUSTED_TYPES))
        metadata = json.loads(saved["metadata"])
    except UserError:
        raise
    except Exception as error:  # a damaged or foreign file: say which and what to do, no traceback
        raise UserError(
            f"{model_path} is not a readable churn model ({type(error).__name__}); "
            "delete it and run `python -m dashboard churn train`"
        ) from error
    if metadata.get("model_version") != MODEL_VERSION:
        return None
    return ChurnModel(saved["estimator"], saved["pipeline"], {**metadata, "source": str(model_path)})


def model_for(con: duckdb.DuckDBPyConnection, db_path: Path) -> ChurnModel:
    """What the app serves: the heuristic without outcomes, else the saved model, else one trained in memory."""
    window = cf.data_window(sql.run_query(con, "churn_data_window"))
    if not window.has_outcomes:
        return heuristic("the data holds no churn outcomes (customers.churned_at is empty)")
    saved = load(db_path)
    if saved is not None:
        return saved
    try:
        model = train(con)
    except NotTrainable as error:
        return heuristic(str(error))
    model.metadata["source"] = "trained in memory when the app started (run `python -m dashboard churn train` to save)"
    if legacy_model(db_path) is not None:
        model.metadata["source"] = f"trained in memory when the app started; {LEGACY_NOTE}"
    return model
