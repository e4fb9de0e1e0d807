"""What customers hit by each kind of demo incident write, and how agents first answer them.

dashboard/demo/build.py names one issue per planted incident (INCIDENTS); dashboard/demo/text.py composes first
messages from these phrases, so each incident's "surging terms" are its own (a double charge brings refunds, not
outages). Complaints read negative to the product's analyzer on their own; questions read neutral (checked in
tests/demo/test_demo.py).
"""

from __future__ import annotations

from typing import NamedTuple

OUTAGE_REPLIES = [
    "We're aware of an issue affecting {svc} and our engineers are on it.",
    "Sorry for the disruption to {svc}. A fix is in progress; we'll update you here.",
    "There is a known problem with {svc}. Could you DM us your postcode so we can check?",
]


class IncidentIssue(NamedTuple):
    """One kind of incident: its vertical, what broke, customers' complaints and questions, agents' first replies."""

    vertical: str
    service: str
    complaints: tuple[str, ...]
    questions: tuple[str, ...]
    replies: tuple[str, ...] = ()  # empty: the outage replies about `service`

    def agent_replies(self) -> list[str]:
        """The first agent replies to a customer hit by this incident."""
        return list(self.replies) or [reply.format(svc=self.service) for reply in OUTAGE_REPLIES]


INCIDENT_ISSUES = {
    "data-outage": IncidentIssue(
        "telecom",
        "mobile data",
        complaints=(
            "no mobile data since 7am",
            "4G has been down all morning in Cardiff",
            "mobile data stopped working in Bristol",
            "full bars but no data on my phone",
            "can't load anything on 4G, wifi works fine",
            "mobile data is down across Swansea",
            "5G and 4G both dead, data won't connect",
            "my apps won't load on mobile data",
            "maps won't load, no data on the motorway",
        ),
        questions=(
            "is mobile data back yet",
            "when will mobile data be back",
            "is 4G back in my area yet",
            "will 5G be back at the same time as 4G",
            "should I restart my phone to get mobile data back",
            "is mobile data working in the west yet",
            "can I use wifi calling until mobile data is back",
        ),
    ),
    "check-in-failure": IncidentIssue(
        "airline",
        "online check-in",
        complaints=(
            "online check-in is down",
            "the app crashes at check-in",
            "can't check in, website error since 6am",
            "boarding passes won't load, system down",
            "check-in desks say the system is offline",
            "check-in page keeps giving an error",
            "still can't get my boarding pass for flight SK214",
            "online check-in rejects my booking reference",
        ),
        questions=(
            "is online check-in open now",
            "can I check in at the airport desk instead",
            "can I get my boarding pass at the desk",
            "is online check-in open for flight SK214 yet",
            "can I show my boarding pass on my phone",
            "will online check-in be back before my flight",
            "can I check in at the kiosk",
        ),
        replies=(
            "Sorry, online check-in is failing right now. Airport desks can check you in at no extra cost.",
            "We're aware of the check-in problem and our team is on it. Your seat is safe.",
            "Online check-in is down at the moment; please allow extra time at the airport desk.",
        ),
    ),
    "payment-errors": IncidentIssue(
        "retail",
        "card payments",
        complaints=(
            "checkout keeps failing with a payment error",
            "card payments rejected at checkout since this morning",
            "payment page times out every time",
            "card declined but the money still left my account",
            "PayPal fails at the last step",
            "tried three cards, payment error every time",
            "checkout says payment failed and my basket is gone",
            "Apple Pay not working at checkout",
            "my card keeps getting declined at checkout",
        ),
        questions=(
            "is checkout back up now",
            "can I pay by PayPal instead of card at checkout",
            "will my basket wait until card payments are back",
            "can I pay with a voucher at checkout today",
            "are card payments at checkout back yet",
            "is Apple Pay back at checkout yet",
            "can I pay for my order by phone",
        ),
        replies=(
            "Sorry, card payments are failing at checkout right now. Your basket is saved; we'll update you here.",
            "We're aware of payment errors at checkout and are fixing them. No money is taken for failed orders.",
            "There is a known problem with payments. Could you DM us your order number so we can check?",
        ),
    ),
    "double-charge": IncidentIssue(
        "telecom",
        "billing",
        complaints=(
            "I've been charged twice for this month's bill",
            "my direct debit came out twice, I want a refund",
            "why were two payments taken for the same invoice",
            "overcharged: my invoice shows the same charge twice",
            "you charged me twice, my bank statement shows two payments",
            "double charged on my bill, now I'm overdrawn",
            "billed twice this month and no refund yet",
            "charged twice, need the money back",
            "you took my monthly payment twice, I want a refund",
        ),
        questions=(
            "when will the duplicate payment on my bill be returned",
            "do I need to do anything about the duplicate payment",
            "will the second direct debit be reversed automatically",
            "can I get a corrected invoice for this month",
            "will this month's bill be reissued",
            "my bill was paid twice, what happens now",
            "is the direct debit taken twice being reversed",
        ),
        replies=(
            "Sorry for the double charge on this month's bill. The second payment is refunded within 5 working days.",
            "We're aware some monthly bills were charged twice; every duplicate payment is being refunded.",
            "Apologies for the duplicate payment. Could you DM us your account number so we can check your refund?",
        ),
    ),
    "network-outage": IncidentIssue(
        "telecom",
        "mobile and broadband",
        complaints=(
            "no signal and no broadband at home",
            "the whole network is down, mobile and broadband",
            "internet outage in my area for 3 hours",
            "can't make calls, no service at all",
            "broadband and phone both dead since this morning",
            "is the whole network down? nothing works",
            "phone says emergency calls only and the router is offline",
            "no internet anywhere, home or mobile",
            "is the network down across the country?",
        ),
        questions=(
            "is broadband out everywhere or only in my area",
            "when will mobile and broadband be back",
            "should I restart my router for broadband",
            "is there a status page for the network",
            "is the network back in my area yet",
            "when will the internet be back",
            "is mobile signal back yet",
        ),
    ),
}


def incident_issues(vertical: str) -> list[str]:
    """The names of the incident issues a vertical's customers can be hit by."""
    return [name for name, issue in INCIDENT_ISSUES.items() if issue.vertical == vertical]
