"""Phrase templates for the demo's message texts, per brand, intent and mood.

The demo never stores a preset sentiment: it writes texts from these templates and the product's analyzer scores them.
Each (kind, brand, intent, mood) cell holds a pool of composed texts; a pool keeps only texts that the analyzer reads
with the cell's mood, so the planted mood mix shows through the real analyzer (fewer than three agree: keep all).
An intent is an everyday topic of the brand's vertical or the issue one of its incidents brings
(dashboard/demo/incident_text.py), so each incident's customers write about what broke.
"""

from __future__ import annotations

import itertools

import numpy as np

from dashboard.demo.incident_text import INCIDENT_ISSUES, incident_issues
from dashboard.sentiment import analyzer as sentiment

MOODS = ("negative", "neutral", "positive")
POOL_SIZE = 100
CANDIDATES = 125  # composed per cell, so a pool still fills where some texts read another mood

BRANDS = {
    "@nordtel_care": "telecom",
    "@skyway_air": "airline",
    "@urbanmart_help": "retail",
}

# What customers write about on an ordinary day, per vertical (complaints: read negative).
ISSUES = {
    "telecom": {
        "billing": [
            "I was charged twice this month",
            "my bill doubled",
            "why is there a roaming fee on my bill",
            "my direct debit was taken twice",
        ],
        "technical": [
            "my router keeps restarting",
            "wifi drops every evening",
            "my new SIM is not activated",
            "voicemail stopped working",
        ],
        "account": [
            "how do I upgrade my plan",
            "I want to move my contract to my new address",
            "can I add a second line",
            "how do I get a PUK code",
        ],
    },
    "airline": {
        "delay": [
            "my flight was cancelled and nobody answers",
            "flight delayed 4 hours with no update",
            "missed my connection because of the delay",
            "we have been sitting on the plane for 2 hours",
        ],
        "baggage": [
            "my bag did not arrive",
            "lost luggage since Tuesday",
            "my suitcase came back damaged",
            "still waiting for my bag after 3 days",
        ],
        "booking": [
            "how do I change my booking",
            "can I add a bag to my flight",
            "how do I choose a seat",
            "can I get a receipt for my ticket",
        ],
    },
    "retail": {
        "delivery": [
            "my parcel is 5 days late",
            "the tracking hasn't moved in a week",
            "I got the wrong item",
            "the courier says delivered but nothing here",
        ],
        "returns": [
            "where is my refund",
            "my return was received 2 weeks ago and no refund",
            "how do I return a jacket",
            "can I exchange a size",
        ],
        "account": [
            "how do I reset my password",
            "can I change my delivery address",
            "how do I use my voucher",
            "do you price match",
        ],
    },
}

# Plain questions: what a customer in a neutral mood writes (a complaint reads negative to a care-aware analyzer).
QUESTIONS = {
    "telecom": [
        "is there maintenance planned in my area tonight",
        "when does the network upgrade in Bern finish",
        "how do I upgrade my plan",
        "can I add a second line",
        "how do I get a PUK code",
        "does my plan include roaming in France",
        "when is my next bill due",
        "how do I set up voicemail",
    ],
    "airline": [
        "how do I change my booking",
        "can I add a bag to my flight",
        "how do I choose a seat",
        "can I get a receipt for my ticket",
        "is online check-in open 24h before",
        "what is the hand luggage size",
        "can I bring my bike",
        "when does boarding start for flight SK214",
    ],
    "retail": [
        "how do I return a jacket",
        "can I exchange a size",
        "can I change my delivery address",
        "how do I use my voucher",
        "do you price match",
        "when will the blue sofa be back in stock",
        "do you deliver on Saturdays",
        "is click and collect available in Basel",
    ],
}

OPENERS = ["", "Hi, ", "Hello, ", "Hey ", "Morning, ", "Help: ", "Excuse me, "]
TAILS = {
    "negative": [
        "This is ridiculous.",
        "Absolutely furious!",
        "Worst service ever.",
        "So frustrating!!",
        "Terrible, just terrible.",
        "Fed up with this.",
        "Useless company.",
        "Unacceptable and awful.",
        "I'm so angry right now.",
        "Disgusted with this.",
        "What a joke, seriously bad.",
        "Horrible experience.",
    ],
    "neutral": [
        "Any update?",
        "What should I do?",
        "Is this known?",
        "Please advise.",
        "What are the next steps?",
        "Who do I contact?",
        "",
        "Is there an ETA?",
        "Where can I check?",
    ],
    "positive": [
        "Thanks in advance!",
        "You guys are great, thanks!",
        "Appreciate it :)",
        "Love your service, thank you!",
        "Thanks, great team!",
        "Cheers, you're the best.",
        "Thank you so much!",
        "Happy customer otherwise :)",
    ],
}
PRAISE = [
    "just wanted to say thank you",
    "great service today",
    "the agent on chat was brilliant",
    "love the new app",
    "super fast help yesterday",
    "really happy with the upgrade",
]
FOLLOW_UPS = [
    "My account number is in the DM.",
    "Sent you a DM.",
    "It's the one ending 4411.",
    "I tried that already.",
    "Restarted it twice.",
    "Postcode is in my DM.",
    "Booking reference sent.",
    "Order number sent privately.",
    "Yes, that's the address.",
    "I am on the latest version.",
    "Screenshot attached.",
    "Same on two devices.",
]
ENDINGS = {
    "positive": [
        "Thanks, it works now!",
        "Great, all sorted, thank you!",
        "Brilliant, thanks for the quick help.",
        "Perfect, problem solved. Thank you!",
        "Thank you, that fixed it :)",
        "Amazing, thanks so much!",
        "Good to know, thanks for the help.",
        "Lovely, appreciate it!",
    ],
    "neutral": [
        "Ok.",
        "I'll try that.",
        "Will check tomorrow.",
        "OK, DM sent.",
        "Noted.",
        "I'll wait then.",
        "Ok, I'll call the number.",
        "Right, will do.",
    ],
    "negative": [
        "Still not working. Useless.",
        "This is unacceptable, I'm cancelling.",
        "Terrible, nothing has changed.",
        "Worst support ever.",
        "I'm leaving, awful service.",
        "No help at all, so disappointed.",
        "Still broken and still angry.",
        "Pathetic. Nobody can fix this.",
    ],
}
# First agent replies to everyday posts; incident posts get their incident's replies (incident_text.py).
AGENT_FIRST = [
    "Hi, we can look into that. Please DM us your details.",
    "Thanks for reaching out. Could you send us a DM with more info?",
    "Happy to help. What's your reference number?",
    "Let's get this sorted. Please DM us your account details.",
]
AGENT_REPLIES = [
    "Thanks, we've fixed that on our side. Can you check again?",
    "Done, it should work within the hour.",
    "We've escalated this to the team and will come back to you.",
    "Refund processed, 3-5 working days.",
    "Service is restored now. Thanks for your patience.",
    "We've updated the booking for you.",
    "Please restart your device and let us know.",
    "A replacement is on its way.",
]
BOT_GREETINGS = [
    "Hi! I'm the virtual assistant. An agent will be with you shortly.",
    "Thanks for your message. You're in the queue; typical wait is a few minutes.",
]


def intents(vertical: str) -> list[str]:
    """The everyday intents customers of a vertical write about, praise last (incident issues are separate)."""
    return [*ISSUES[vertical], "praise"]


def _bodies_and_tails(vertical: str, intent: str, mood: str) -> tuple[list[str], list[str]]:
    """What one cell's texts say: complaints for negative, questions for neutral, praise or thanks for positive.

    An incident issue (incident_text.py) brings its own complaints and questions; other intents use the vertical's.
    """
    issue = INCIDENT_ISSUES.get(intent)
    if mood == "negative":
        # Half say it with emotive words, half plainly ("still no signal since 8am. Any update?").
        complaints = issue.complaints if issue else ISSUES[vertical][intent]
        return list(complaints), TAILS["negative"] + TAILS["neutral"]
    if intent == "praise":
        return PRAISE, TAILS["positive"]
    return list(issue.questions if issue else QUESTIONS[vertical]), TAILS[mood]


def _compose_first(vertical: str, intent: str, mood: str, rng: np.random.Generator) -> list[str]:
    """Candidate first messages for one cell, shuffled."""
    bodies, tails = _bodies_and_tails(vertical, intent, mood)
    combos = [f"{o}{b}. {t}".strip() for o, b, t in itertools.product(OPENERS, bodies, tails)]
    combos = [c[0].upper() + c[1:] for c in combos]
    rng.shuffle(combos)
    return combos[:CANDIDATES]


def _keep_agreeing(cells: dict[tuple, list[str]], scores: dict[str, float]) -> dict[tuple, list[str]]:
    """Per cell, the candidates the analyzer reads with the cell's mood (all of them if fewer than three agree).

    Fills `scores` with every candidate's score, so the caller never scores a text twice.
    """
    everything = list(dict.fromkeys(text for texts in cells.values() for text in texts))
    values, labels = sentiment.score_texts(everything)
    scores.update(zip(everything, values.tolist(), strict=True))
    label_of = dict(zip(everything, labels, strict=True))
    kept = {}
    for key, candidates in cells.items():
        agreeing = [text for text in candidates if label_of[text] == key[-1]]
        chosen = agreeing if len(agreeing) >= 3 else candidates
        kept[key] = chosen[:POOL_SIZE]
    return kept


def build_pools(rng: np.random.Generator, scores: dict[str, float] | None = None) -> dict[tuple, list[str]]:
    """Every text pool the demo draws from, keyed by (kind, brand or '', intent or '', mood or '').

    Pass a dict as `scores` to receive the analyzer's score of every text scored on the way.
    """
    scores = {} if scores is None else scores
    first = {
        ("first", brand, intent, mood): _compose_first(vertical, intent, mood, rng)
        for brand, vertical in BRANDS.items()
        for intent in [*intents(vertical), *incident_issues(vertical)]
        for mood in MOODS
        if intent != "praise" or mood == "positive"
    }
    first.update({("end", "", "", mood): list(ENDINGS[mood]) for mood in MOODS})
    pools: dict[tuple, list[str]] = _keep_agreeing(first, scores)
    for name, issue in INCIDENT_ISSUES.items():
        pools[("agent_first", "", name, "")] = issue.agent_replies()
    pools[("agent_first", "", "other", "")] = AGENT_FIRST
    pools[("follow_up", "", "", "")] = FOLLOW_UPS
    pools[("agent_reply", "", "", "")] = AGENT_REPLIES
    pools[("bot", "", "", "")] = BOT_GREETINGS
    return pools


def every_text() -> list[tuple[str, bool]]:
    """Every text the demo can write (each customer candidate, each agent and bot reply), as (text, is_brand)."""
    customer = []
    for vertical in dict.fromkeys(BRANDS.values()):
        for intent in [*intents(vertical), *incident_issues(vertical)]:
            for mood in MOODS:
                if intent == "praise" and mood != "positive":
                    continue
                bodies, tails = _bodies_and_tails(vertical, intent, mood)
                for opener, body, tail in itertools.product(OPENERS, bodies, tails):
                    text = f"{opener}{body}. {tail}".strip()
                    customer.append(text[0].upper() + text[1:])
    customer += [text for texts in ENDINGS.values() for text in texts] + list(FOLLOW_UPS)
    brand = [*AGENT_FIRST, *AGENT_REPLIES, *BOT_GREETINGS]
    brand += [reply for issue in INCIDENT_ISSUES.values() for reply in issue.agent_replies()]
    pairs = [(text, False) for text in customer] + [(text, True) for text in brand]
    return list(dict.fromkeys(pairs))
