"""A synthetic template library of follow-up drafts, the same for a given seed.

    python -m bench.corpus OUT_DIR --size 1000 [--seed 7]

Drafts are 120-400 words, assembled from our own sentence fragments (some in
line with the advice, some against it), with names, roles and topics varied
and template placeholders in about a third of them.  ``single_draft()`` is one
real-size draft for start-up measurements.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

SEED = 7

NAMES = ["Dana", "Sam Ortiz", "Ms. Patel", "Mr. Nguyen", "Dr. Okafor", "Priya", "Jordan", "Mrs. Lindqvist",
         "Alex", "Mr. Haddad", "Ms. Chen", "Tomasz", "Ms. Alvarez", "Kwame", "Hiring Team"]
SIGNERS = ["Lee Park", "Maria Rossi", "Ibrahim Sadiq", "Chloe Martin", "Ravi Menon", "Noor Aziz", "Ben Carter"]
ROLES = ["data analyst", "product designer", "support lead", "junior developer", "account manager",
         "research assistant", "operations coordinator", "content strategist", "QA engineer"]
ORGS = ["Northwind", "Brightline Health", "Juniper Labs", "the city library", "Harbor & Finch", "Tallgrass Energy",
        "Orbit Freight", "Meridian Schools", "Copperleaf Bank"]
TOPICS = ["the SQL exercise", "the portfolio review", "the case study", "the budgeting question",
          "the whiteboard task", "the question about conflict on a team", "the roadmap discussion",
          "the customer escalation scenario", "the technical deep dive"]
VALUES = ["putting patients first", "curiosity", "plain honesty with customers", "craft and care",
          "learning in public", "ownership", "respect for every reader", "shipping small and often"]
GREETINGS = ["Dear {name},", "Hi {name},", "Hello {name},", "Good morning {name},"]
CLOSINGS = ["Best regards,", "Kind regards,", "Thank you,", "All the best,", "Warmly,", "Best,"]
PLACEHOLDER_NAMES = ["{{ interviewer_name }}", "[Hiring Manager]", "<Interviewer Name>", "{first_name}", "%NAME%"]
PLACEHOLDER_ORGS = ["{{ company }}", "[Company Name]", "{company}", "%COMPANY%"]

GOOD = [
    "Thank you for meeting with me on {day} about the {role} role.",
    "I appreciated the time you and the team gave me, and the candid questions.",
    "I know my answer on {topic} did not show how I actually work.",
    "Looking back, I rushed through {topic} and skipped the part where I check my assumptions.",
    "That was on me, and I have spent the last two days working through it properly.",
    "I went back to {topic} and wrote up the approach I would take now, step by step.",
    "I am confident I can give you a much clearer picture of my work if we talk again.",
    "I am still very keen on joining {org} as a {role}.",
    "What drew me to {org} in the first place was its focus on {value}.",
    "Your emphasis on {value} matches how I have tried to work in my last two jobs.",
    "If there is room for a short follow-up conversation, I would welcome it.",
    "Would you be open to a brief call next week so I can walk you through my revised answer?",
    "Either way, I learned a lot from the conversation and I am grateful for it.",
    "I hope the rest of your search goes smoothly, and I wish the team a strong quarter.",
    "Thanks again for your time and for considering me.",
    "In my current job I reduced our weekly reporting time by a third, and I would like to bring that habit to {org}.",
    "I have attached a one-page summary of how I would handle {topic}.",
    "My nerves got the better of me during {topic}, and I should have asked a clarifying question.",
]
BAD = [
    "You rushed me through {topic}, so my answers came out wrong.",
    "Honestly, the panel confused me with three questions at once.",
    "I deserve another interview because I have more experience than most applicants.",
    "I expect to hear back from you by Friday with a decision.",
    "I am so sorry, I am really sorry, I completely failed and I am an idiot.",
    "Mistakes were made during {topic}, and the format was not ideal.",
    "I think the questions were unfair for someone at my level.",
    "I can't believe how badly I did; I am hopeless at interviews.",
    "Just checking in to see whether there is any update at all.",
    "Sorry again for wasting your time yesterday.",
    "To be honest, I was not really prepared, but it does not matter much.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _fill(rng: random.Random, sentence: str, org: str) -> str:
    return sentence.format(day=rng.choice(DAYS), role=rng.choice(ROLES), topic=rng.choice(TOPICS), org=org,
                           value=rng.choice(VALUES))


def make_draft(rng: random.Random) -> str:
    """One draft of 120-400 words: greeting, paragraphs, closing, signature."""
    templated = rng.random() < 0.33
    name = rng.choice(PLACEHOLDER_NAMES) if templated else rng.choice(NAMES)
    org = rng.choice(PLACEHOLDER_ORGS) if templated else rng.choice(ORGS)
    target = rng.randint(120, 400)
    bad_share = rng.choice([0.0, 0.1, 0.25, 0.4])
    paragraphs: list[list[str]] = [[]]
    words = 0
    while words < target:
        pool = BAD if rng.random() < bad_share else GOOD
        sentence = _fill(rng, rng.choice(pool), org)
        if len(paragraphs[-1]) >= rng.randint(2, 4):
            paragraphs.append([])
        paragraphs[-1].append(sentence)
        words += len(sentence.split())
    body = "\n\n".join(" ".join(p) for p in paragraphs)
    greeting = rng.choice(GREETINGS).format(name=name)
    signature = rng.choice(SIGNERS)
    subject = f"Subject: Following up on the {rng.choice(ROLES)} interview\n\n" if rng.random() < 0.3 else ""
    return f"{subject}{greeting}\n\n{body}\n\n{rng.choice(CLOSINGS)}\n{signature}\n"


def single_draft() -> str:
    """One real-size draft (about 250 words) for the start-up measurement."""
    rng = random.Random(SEED * 1000 + 1)
    while True:
        text = make_draft(rng)
        if 220 <= len(text.split()) <= 300:
            return text


def long_draft(size: int, seed: int = SEED) -> str:
    """One draft of about ``size`` bytes: a greeting, body paragraphs of our fragments (3-5 sentences each), a closing.

    For measuring how the cost grows with the length of one draft; the same text for a given size and seed.
    """
    rng = random.Random(seed * 7_919 + size)
    org = rng.choice(ORGS)
    head = f"{rng.choice(GREETINGS).format(name=rng.choice(NAMES))}\n\n"
    tail = f"\n\n{rng.choice(CLOSINGS)}\n{rng.choice(SIGNERS)}\n"
    paragraphs: list[str] = []
    length = len(head) + len(tail)
    sentence = lambda: _fill(rng, rng.choice(BAD if rng.random() < 0.2 else GOOD), org)  # noqa: E731
    while True:
        paragraph = " ".join(sentence() for _ in range(rng.randint(3, 5)))
        if paragraphs and length + len(paragraph) + 2 > size:
            break
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    while True:  # top up the last paragraph, a sentence at a time, to just under the size
        more = sentence()
        if length + len(more) + 1 > size:
            break
        paragraphs[-1] += " " + more
        length += len(more) + 1
    return head + "\n\n".join(paragraphs) + tail


def generate(out: str | Path, size: int, seed: int = SEED) -> list[Path]:
    """Write ``size`` drafts into ``out`` (drafts/0000.txt ...), the same ones every time for a seed."""
    rng = random.Random(seed * 100_003 + size)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(size):
        p = out / f"draft-{i:05d}.txt"
        text = make_draft(rng)
        if not p.exists() or p.read_text("utf-8") != text:
            p.write_text(text, "utf-8")
        paths.append(p)
    return paths


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.size, args.seed)
    words = sum(len(p.read_text("utf-8").split()) for p in paths)
    print(f"{len(paths)} drafts, {words:,} words in {args.out}")


if __name__ == "__main__":
    main()
