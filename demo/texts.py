"""The words of the demo: incident summaries, places, reasons, notes and actions (all invented)."""

ADJECTIVE = {
    "race": "racist",
    "religion": "anti-religious",
    "sexual-orientation": "homophobic",
    "disability": "disablist",
    "transgender": "transphobic",
    "alternative-subculture": "hostile",
    "other": "hostile",
}
SUMMARIES = {
    "public-order": (
        "{Adj} abuse was shouted at the person harmed {where}.",
        "Threatening {adj} language was used towards the person harmed {where}.",
        "{Adj} comments were made to the person harmed several times {where}.",
    ),
    "violence": (
        "The person harmed was pushed and {adj} abuse was shouted at them {where}.",
        "The person harmed was assaulted with {adj} remarks {where}; minor injuries.",
        "Something was thrown at the person harmed with {adj} shouting {where}.",
    ),
    "criminal-damage": (
        "{Adj} graffiti was painted on the person harmed's front door.",
        "A car window was smashed after {adj} comments {where}.",
    ),
    "other-offences": (
        "{Adj} messages were sent to the person harmed online over several weeks.",
        "{Adj} letters were pushed through the person harmed's door.",
    ),
    "nchi": (
        "{Adj} remarks were made in passing {where}; no offence was identified.",
        "{Adj} jokes were aimed at the person harmed {where}; recorded as a non-crime hate incident.",
    ),
}
PLACES = (
    ("Bus stop on Example Road", "at a bus stop"),
    ("Tram stop platform", "at a tram stop"),
    ("Outside a takeaway on Sample Street", "outside a takeaway"),
    ("Local park", "in a park"),
    ("Corner shop on Demo Avenue", "in a corner shop"),
    ("Near the person harmed's home", "near their home"),
    ("Outside the school gates", "outside a school"),
    ("Pub car park", "in a pub car park"),
    ("On a bus", "on a bus"),
    ("Supermarket car park", "in a supermarket car park"),
    ("Shared hallway of a block of flats", "in a shared hallway"),
)
DECLINE_REASONS = (
    "Domestic abuse: referred to the specialist domestic abuse service instead.",
    "Duplicate of an earlier referral about the same incident.",
    "The person responsible is not known, so there is no one to work with.",
    "Outside the borough: passed to the neighbouring service.",
    "The person harmed does not want restorative justice at this time.",
)
UNSUITABLE_REASONS = (
    "The person responsible denies the incident and does not accept responsibility.",
    "Risk to the person harmed cannot be managed safely.",
    "The person responsible is not willing to take part.",
    "Ongoing criminal proceedings: restorative work would be premature.",
)
# Who withdrew as the withdraw move records it (rjcases.choices.WITHDRAWN_BY_CHOICES), and why.
WITHDRAW_REASONS = (
    ("person harmed", "Feels the matter is now resolved and does not want to go on."),
    ("person harmed", "Moved out of the area and no longer wants contact."),
    ("person responsible", "No longer willing to take part."),
    ("person responsible", "Stopped responding to contact."),
    ("referrer", "Referral withdrawn: the person harmed did not give consent to share."),
)
CANCEL_REASONS = (
    "The person harmed was unwell on the day.",
    "The venue was not available.",
    "The interpreter could not attend.",
    "The person responsible asked for more time.",
)
NOTE_BODIES = (
    "Spoke to the person harmed: they want to hear why it happened and that it will stop.",
    "Checked the safe contact times again; no messages to be left.",
    "Discussed risk with the manager and agreed the mitigations.",
    "The person responsible's parent will attend as a supporter.",
    "Caseworker confirmed the person harmed is happy for us to call on Thursdays.",
    "Shared the information leaflet in the person's preferred format.",
    "Considered a shuttle process instead of a face-to-face meeting.",
    "Neighbourhood officer updated on progress (status only).",
)
RISK_FACTORS = (
    "Lives on the same street as the person responsible.",
    "Previous incidents reported.",
    "Alcohol involved at the time of the incident.",
    "Person harmed is anxious about meeting.",
    "Friends of the person responsible have made threats.",
)
MITIGATIONS = (
    "Separate arrival and departure times.",
    "Second facilitator present.",
    "Shuttle communication first.",
    "Caseworker to attend as a supporter.",
    "Neutral venue with a separate waiting room.",
)
ACTION_TEXTS = {
    "apology": ("Write a letter of apology to the person harmed.", "Apologise in person at the next meeting."),
    "reparation": ("Pay for the cleaning of the graffiti.", "Repair the damaged fence."),
    "education": ("Attend a hate crime awareness session.", "Complete an online course on disability awareness."),
    "behaviour": ("Not to approach the person harmed's home.", "Not to post about the person harmed online."),
    "community_work": ("Help at the community garden for four sessions.", "Volunteer at the food bank twice."),
}
ACTION_CHECKS = (
    "Facilitator receives the letter and passes it on.",
    "Session provider confirms attendance.",
    "Caseworker checks with the person harmed.",
    "Facilitator checks with the organiser.",
)
VENUES = (
    "Community room, Example Library, {town}",
    "Meeting room, {town} Community Centre",
    "Quiet room, {town} Town Hall (demo)",
    "Interview room, Victim Support office, {town}",
)
# Invented interpreting agencies (all data synthetic).
INTERPRETER_AGENCIES = (
    "Example Language Services",
    "Northwest Sample Interpreting",
    "Signs Example Agency",
    "Demo Community Interpreters",
)

ADJUSTMENTS = (
    "Step-free access needed.",
    "Prefers a facilitator of the same gender.",
    "Needs regular breaks.",
    "Hearing loop needed.",
    "Prefers meetings in the morning.",
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
# (safe times as Party.safe_times stores them, the note beside them): what a facilitator records.
SAFE_TIMES = (
    ({"days": _WEEKDAYS, "windows": [{"from": "17:00", "to": "21:00"}]}, ""),
    ({"windows": [{"from": "08:00", "to": "12:00"}]}, "Mornings only: she works late shifts."),
    ({"days": _WEEKDAYS}, ""),
    ({}, "Any time"),
    ({"days": ["tuesday", "thursday"]}, "Tuesdays and Thursdays, when the children are at their grandmother's."),
    ({"windows": [{"from": "12:00", "to": "14:00"}]}, "Lunchtimes only."),
)
