"""Draw the evaluation sample and its held-back split (run once, before labelling; kept to show how it was drawn)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240611
INBOUND, OUTBOUND, HELDOUT_SHARE = 430, 215, 0.3


def draw(csv_path: Path) -> pd.DataFrame:
    """Random inbound/outbound tweet ids with a random tune/heldout split, in a shuffled labelling order."""
    rng = np.random.default_rng(SEED)
    frame = pd.read_csv(csv_path, dtype=str, lineterminator="\n", keep_default_na=False)
    frame = frame[frame["text"].str.strip() != ""]
    picks = []
    for inbound, size, role in (("True", INBOUND, "customer"), ("False", OUTBOUND, "agent")):
        ids = frame.loc[frame["inbound"] == inbound, "tweet_id"].to_numpy()
        picks.append(pd.DataFrame({"tweet_id": rng.choice(ids, size=size, replace=False), "role": role}))
    sample = pd.concat(picks, ignore_index=True)
    sample["split"] = np.where(rng.random(len(sample)) < HELDOUT_SHARE, "heldout", "tune")
    return sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)


if __name__ == "__main__":
    draw(Path(sys.argv[1])).to_csv(sys.stdout, index=False)
