"""Turn the demo's conversation starts into customers and message rows (the care export's columns).

A conversation is up to six messages: the customer's first post, a bot greeting (chat and Messenger), the first agent
reply, the customer's answer, a second agent reply and a last customer message. Who replies when, and how the
customer's mood ends, follow the planted rates below; the texts come from dashboard/demo/text.py pools.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.core.definitions import INFLUENCER_FOLLOWERS
from dashboard.demo import text as demo_text
from dashboard.demo.customers import CustomerBook, choose, customer_ids, ids
from dashboard.demo.incident_text import INCIDENT_ISSUES, incident_issues
from dashboard.sentiment import analyzer as sentiment

CHANNELS = ["twitter", "messenger", "instagram", "email", "chat"]
# Per channel, in the order of CHANNELS: twitter, messenger, instagram, email, chat.
NEGATIVE_START = np.array([0.13, 0.09, 0.08, 0.10, 0.08])
UNANSWERED = np.array([0.03, 0.025, 0.06, 0.02, 0.015])
FRT_MEDIAN_MINUTES = np.array([23.0, 17.0, 34.0, 50.0, 3.5])
FRT_SIGMA = np.array([1.0, 1.0, 1.05, 0.8, 0.9])
BOT_CHANNELS = np.array([False, True, False, False, True])
INCIDENT_NEGATIVE_START = 0.27
POSITIVE_START, INCIDENT_POSITIVE_START = 0.18, 0.06
PRIORITIES = np.array(["low", "normal", "high", "major"])
AGENTS_PER_BRAND_SHIFT = np.array([3, 10, 7])  # night, day, evening shifts
# Every intent a customer can write about; a conversation's tags are its intent, plus "major" on major priority.
INTENTS = sorted({i for v in demo_text.BRANDS.values() for i in demo_text.intents(v) + incident_issues(v)})
TAGS = INTENTS + [f"{intent};major" for intent in INTENTS]


def _speed_factor(frt: np.ndarray) -> np.ndarray:
    """How response speed moves the odds of a good ending: fast answers turn customers around."""
    edges = np.array([15, 60, 120, 480])
    factors = np.array([1.3, 1.1, 0.9, 0.6, 0.4])
    return factors[np.searchsorted(edges, np.nan_to_num(frt, nan=1e9))]


def _moods_and_intents(starts: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Start mood (0 negative, 1 neutral, 2 positive) and intent name per conversation.

    Most customers an incident hits write about its issue; in normal time a few write about one of those issues too.
    """
    affected = starts["affected"].to_numpy()
    channel = starts["channel"].to_numpy()
    p_neg = np.where(affected, INCIDENT_NEGATIVE_START, NEGATIVE_START[channel])
    p_pos = np.where(affected, INCIDENT_POSITIVE_START, POSITIVE_START)
    mood = choose(rng, np.column_stack([p_neg, 1 - p_neg - p_pos, p_pos]))
    intent = np.empty(len(starts), dtype=object)
    issue = starts["issue"].to_numpy()
    for b, vertical in enumerate(demo_text.BRANDS.values()):
        everyday = np.array([i for i in demo_text.intents(vertical) if i != "praise"], dtype=object)
        background = np.array(incident_issues(vertical), dtype=object)
        rows = np.flatnonzero(starts["brand"].to_numpy() == b)
        intent[rows] = everyday[rng.integers(0, len(everyday), len(rows))]
        is_issue = np.where(affected[rows], rng.random(len(rows)) < 0.85, rng.random(len(rows)) < 0.02)
        hit, echo = rows[is_issue & affected[rows]], rows[is_issue & ~affected[rows]]
        intent[hit] = issue[hit]
        intent[echo] = background[rng.integers(0, len(background), len(echo))]
        praise = (mood[rows] == 2) & ~is_issue & (rng.random(len(rows)) < 0.5)
        intent[rows[praise]] = "praise"
    return mood, intent


def _first_responses(starts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Minutes to the first agent reply (NaN: never answered)."""
    channel = starts["channel"].to_numpy()
    hour = starts["started_at"].dt.hour.to_numpy()
    weekend = starts["started_at"].dt.day_of_week.to_numpy() >= 5
    affected, in_incident = starts["affected"].to_numpy(), starts["in_incident"].to_numpy()
    slow = np.where(affected, 2.4, np.where(in_incident, 1.3, 1.0)) * np.where(hour < 6, 1.6, 1.0)
    slow *= np.where(weekend, 1.2, 1.0)
    minutes = FRT_MEDIAN_MINUTES[channel] * slow * np.exp(rng.normal(0, 1, len(starts)) * FRT_SIGMA[channel])
    p_unanswered = UNANSWERED[channel] * np.where(affected, 2.6, 1.0) * np.where(hour < 6, 1.3, 1.0)
    return np.where(rng.random(len(starts)) < p_unanswered, np.nan, np.maximum(minutes, 0.5))


def _end_moods(mood: np.ndarray, frt: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The mood of the customer's last message after an agent reply, given the start mood and response speed."""
    speed = _speed_factor(frt)
    p_pos = np.choose(mood, [0.38 * speed, 0.5 * speed, np.full(len(mood), 0.8)]).clip(0, 0.85)
    p_neg = np.choose(mood, [0.4 / speed, 0.1 / speed, 0.05 / speed]).clip(0, 1 - p_pos)
    return choose(rng, np.column_stack([p_neg, 1 - p_neg - p_pos, p_pos]))


def _agents(brand: np.ndarray, at: pd.Series, rng: np.random.Generator) -> pd.Categorical:
    """The agent on shift who answers at each time: night 0-8, day 8-16, evening 16-24 UTC."""
    shift = at.dt.hour.to_numpy() // 8
    seat = (rng.random(len(brand)) * AGENTS_PER_BRAND_SHIFT[shift]).astype(int)
    seats = AGENTS_PER_BRAND_SHIFT.max()
    handles = [h.strip("@").split("_")[0] for h in demo_text.BRANDS]
    names = [f"{h}-{s}{k}" for h in handles for s in "nde" for k in range(seats)]
    return pd.Categorical.from_codes((brand * 3 + shift) * seats + seat, categories=names)


def _pick_texts(pool_ids: np.ndarray, pools: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """One text index per row: a random entry of the pool each row names (by position in `pools`)."""
    sizes = np.array([len(pool) for pool in pools])
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    flat = np.concatenate(pools)
    return flat[offsets[pool_ids] + (rng.random(len(pool_ids)) * sizes[pool_ids]).astype(int)]


def _pool_ids(keys: list[tuple], key_of, *codes: np.ndarray) -> np.ndarray:
    """Pool position per row, from small integer code columns; key_of turns one row of codes into a pool key."""
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for code in codes:
        combined = combined * 1000 + code
    inverse, combos = pd.factorize(combined)
    position = {key: i for i, key in enumerate(keys)}
    digits = [[(int(c) // 1000 ** (len(codes) - 1 - k)) % 1000 for k in range(len(codes))] for c in combos]
    return np.array([position[key_of(*d)] for d in digits])[inverse]


def _timeline(starts: pd.DataFrame, frt: np.ndarray, rng: np.random.Generator) -> dict:
    """When each of a conversation's messages is sent, and which exist."""
    n = len(starts)
    minutes = lambda m: pd.to_timedelta(np.round(np.nan_to_num(m) * 60), "s")  # noqa: E731
    answered = ~np.isnan(frt)
    t = {"t0": starts["started_at"], "answered": answered}
    t["t_agent"] = t["t0"] + minutes(frt)
    t["has_c1"] = answered & (rng.random(n) < 0.7)
    t["t_c1"] = t["t_agent"] + minutes(np.exp(rng.normal(np.log(8), 0.8, n)))
    t["has_a2"] = t["has_c1"] & (rng.random(n) < 0.75)
    t["t_a2"] = t["t_c1"] + minutes(np.exp(rng.normal(np.log(6), 0.8, n)))
    t["has_c2"] = t["has_a2"] & (rng.random(n) < 0.5)
    t["t_c2"] = t["t_a2"] + minutes(np.exp(rng.normal(np.log(5), 0.8, n)))
    t["has_bot"] = BOT_CHANNELS[starts["channel"].to_numpy()] & (rng.random(n) < 0.7)
    last = pd.concat(
        [
            t["t_agent"].where(answered),
            t["t_c1"].where(t["has_c1"]),
            t["t_a2"].where(t["has_a2"]),
            t["t_c2"].where(t["has_c2"]),
        ],
        axis=1,
    ).max(axis=1)
    t["closed_at"] = (last + pd.to_timedelta(rng.uniform(5, 90, n), "m")).where(answered).dt.round("s")
    return t


def _categorical(values: np.ndarray | pd.Categorical, rows: np.ndarray) -> pd.Categorical:
    """Low-cardinality text as a categorical column (cheap to build, cheap for DuckDB to read)."""
    if not isinstance(values, pd.Categorical):
        values = pd.Categorical(values)
    return values.take(rows)


class TextBank(NamedTuple):
    """Every text the pools hold, scored once: pools become arrays of text positions, messages carry positions."""

    keys: list[tuple]
    texts: np.ndarray
    members: list[np.ndarray]
    scores: np.ndarray
    labels: np.ndarray  # label position in sentiment.LABELS, per text


def text_bank(pools: dict[tuple, list[str]], known_scores: dict[str, float]) -> TextBank:
    """Score every pool text once: customer texts arrive scored from the pools, agent and bot texts as brand replies."""
    keys = list(pools)
    texts = np.array(list(dict.fromkeys(t for pool in pools.values() for t in pool)), dtype=object)
    index_of = {t: i for i, t in enumerate(texts)}
    members = [np.array([index_of[t] for t in pools[k]]) for k in keys]
    scores = np.array([known_scores.get(text, np.nan) for text in texts])
    unknown = np.flatnonzero(np.isnan(scores))
    scores[unknown] = sentiment.score_texts(list(texts[unknown]), author_types=["agent"] * len(unknown))[0]
    labels = np.searchsorted(sentiment.LABELS, sentiment.label_scores(scores))  # LABELS are in sorted order
    return TextBank(keys, texts, members, scores, labels)


def build_messages(
    starts: pd.DataFrame,
    bank: TextBank,
    book: CustomerBook,
    rng: np.random.Generator,
    end_at: pd.Timestamp,
    first_number: int = 0,
) -> pd.DataFrame:
    """Messages (care export columns, scored) of the conversations numbered from first_number; notes each contact
    in the customer book. The export is taken at end_at: later messages are not written yet, nor later closings."""
    n, brand = len(starts), starts["brand"].to_numpy()
    brands, moods = np.array(list(demo_text.BRANDS)), np.array(demo_text.MOODS)
    customer = book.assign(starts, rng)
    mood, intent = _moods_and_intents(starts, rng)
    frt = _first_responses(starts, rng)
    end_mood = _end_moods(mood, frt, rng)
    t = _timeline(starts, frt, rng)
    book.record(customer, starts["started_at"].to_numpy(), frt, mood, end_mood, t["has_c1"])
    agent = _agents(brand, t["t_agent"], rng)
    intent_code, intent_names = pd.factorize(intent)
    keys = bank.keys
    first_pool = _pool_ids(
        keys, lambda b, i, m: ("first", brands[b], intent_names[i], moods[m]), brand, intent_code, mood
    )
    reply_pool = _pool_ids(
        keys,
        lambda i: ("agent_first", "", intent_names[i] if intent_names[i] in INCIDENT_ISSUES else "other", ""),
        intent_code,
    )
    end_pool = _pool_ids(keys, lambda m: ("end", "", "", moods[m]), end_mood)
    slots = _slots(keys, t, (first_pool, reply_pool, end_pool), agent, n)
    priority = _priorities(starts, book.followers[customer] >= INFLUENCER_FOLLOWERS, rng)
    conversation = {
        "conversation_id": pa.array(ids("CV", first_number + np.arange(n), 8)),
        "customer_id": pa.array(customer_ids(customer)),
        "channel": pd.Categorical.from_codes(starts["channel"].to_numpy(), CHANNELS),
        "account": pd.Categorical.from_codes(brand, brands),
        "priority": pd.Categorical(priority, categories=PRIORITIES),
        "tags": pd.Categorical(
            np.where(priority == "major", np.char.add(intent.astype(str), ";major"), intent), categories=TAGS
        ),  # fmt: skip
        "closed_at": t["closed_at"].to_numpy(),
    }
    frames = [_slot_frame(conversation, slot, bank.members, rng) for slot in slots]
    messages = pd.concat(frames, ignore_index=True)
    messages = messages[messages["sent_at"] < end_at].reset_index(drop=True)
    messages.loc[messages["closed_at"] >= end_at, "closed_at"] = pd.NaT
    _add_texts(messages, bank)
    return messages


def _slots(keys: list[tuple], t: dict, pools: tuple, agent: pd.Categorical, n: int) -> list[tuple]:
    """The six message slots: (present per row, author_type, time, pool position per row, author, slot tag)."""
    first_pool, reply_pool, end_pool = pools
    return [
        (np.ones(n, bool), "customer", t["t0"], first_pool, None, "1"),
        (
            t["has_bot"],
            "bot",
            t["t0"] + pd.Timedelta(seconds=3),
            np.full(n, keys.index(("bot", "", "", ""))),
            "bot",
            "b",
        ),  # fmt: skip
        (t["answered"], "agent", t["t_agent"], reply_pool, agent, "2"),
        (
            t["has_c1"],
            "customer",
            t["t_c1"],
            np.where(t["has_c2"], keys.index(("follow_up", "", "", "")), end_pool),
            None,
            "3",
        ),  # fmt: skip
        (t["has_a2"], "agent", t["t_a2"], np.full(n, keys.index(("agent_reply", "", "", ""))), agent, "4"),
        (t["has_c2"], "customer", t["t_c2"], end_pool, None, "5"),
    ]


def _add_texts(messages: pd.DataFrame, bank: TextBank) -> None:
    """Replace each row's text_index by its text and sentiment; finish the columns (row_number: the caller's)."""
    code = messages.pop("text_index").to_numpy()
    messages["text"] = pd.Categorical.from_codes(code, categories=bank.texts)
    messages["sentiment_score"] = bank.scores[code]
    messages["sentiment_label"] = pd.Categorical.from_codes(bank.labels[code], categories=sentiment.LABELS)
    messages["follower_count"] = None
    messages["is_media"] = None


def _slot_frame(conversation: dict, slot: tuple, members: list[np.ndarray], rng: np.random.Generator) -> pd.DataFrame:
    """The rows of one message slot (e.g. every first agent reply), in the care export's columns."""
    present, author_type, at, pool, author, tag = slot
    rows = np.flatnonzero(present)
    taken = pa.array(rows)
    ids = conversation["conversation_id"].take(taken)
    customer_ids = conversation["customer_id"].take(taken)
    first = tag == "1"
    frame = pd.DataFrame(
        {
            "conversation_id": pd.arrays.ArrowStringArray(ids),
            "message_id": pd.arrays.ArrowStringArray(pc.binary_join_element_wise(ids, tag, "-")),
            "sent_at": at.to_numpy()[rows],
            "author_type": author_type,
            "text_index": _pick_texts(pool[rows], members, rng),
            "channel": _categorical(conversation["channel"], rows),
            "account": _categorical(conversation["account"], rows),
        }
    )
    if author is None:
        frame["author_id"] = pd.arrays.ArrowStringArray(customer_ids)
    else:
        frame["author_id"] = author if isinstance(author, str) else _categorical(author, rows)
    frame["customer_id"] = pd.arrays.ArrowStringArray(customer_ids) if author_type == "customer" else None
    frame["priority"] = _categorical(conversation["priority"], rows) if first else None
    frame["tags"] = _categorical(conversation["tags"], rows) if first else None
    frame["closed_at"] = conversation["closed_at"][rows] if first else pd.NaT
    return frame


def _priorities(starts: pd.DataFrame, influencer: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Priority per conversation: incident posts are often tagged "major"; influencers are bumped one level."""
    affected = starts["affected"].to_numpy()
    normal = np.tile([0.15, 0.63, 0.20, 0.02], (len(starts), 1))
    incident = np.tile([0.0, 0.35, 0.30, 0.35], (len(starts), 1))
    level = choose(rng, np.where(affected[:, None], incident, normal))
    return PRIORITIES[np.minimum(level + influencer, 3)]
