"""Hash chain and tally: pure functions over ballot values, shared by casting, closing and ``verify_vote``."""

import hashlib
import json
from dataclasses import dataclass, field

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


def canonical_content(*, seq, channel, paper_serial, choices):
    """Sorted, compact JSON of what a ballot says: the bytes its hash covers."""
    body = {
        "seq": seq,
        "channel": channel,
        "paper_serial": paper_serial or "",
        "choices": {str(k): v for k, v in sorted(choices.items(), key=lambda item: int(item[0]))},
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def chain_hash(*, previous_hash, content, salt):
    return hashlib.sha256(f"{previous_hash}|{content}|{salt}".encode()).hexdigest()


def genesis_hash(salt):
    """The ``previous_hash`` of the first ballot: derived from the session's random salt."""
    return hashlib.sha256(f"genesis|{salt}".encode()).hexdigest()


@dataclass
class Tally:
    ballots: int = 0
    electronic: int = 0
    paper: int = 0
    counts: dict = field(default_factory=dict)  # candidate id -> {"for", "against", "abstain"}

    def as_dict(self):
        return {
            "ballots": self.ballots,
            "electronic": self.electronic,
            "paper": self.paper,
            "counts": {str(k): v for k, v in sorted(self.counts.items())},
        }


def count(ballots, candidate_ids):
    """Tally ``(channel, choices)`` pairs for the given candidates."""
    tally = Tally(counts={cid: {FOR: 0, AGAINST: 0, ABSTAIN: 0} for cid in candidate_ids})
    for channel, choices in ballots:
        tally.ballots += 1
        if channel == "paper":
            tally.paper += 1
        else:
            tally.electronic += 1
        for cid, choice in choices.items():
            tally.counts[int(cid)][choice] += 1
    return tally


@dataclass
class Decision:
    """Ranking and outcome per candidate, given a tally."""

    ranks: dict  # candidate id -> rank (1 = most 赞成, equal votes share a rank)
    outcomes: dict  # candidate id -> passed / failed / tie
    tie: bool
    seats_left: int


def decide(*, counts, seats, threshold):
    """Who passes: 赞成 ≥ ``threshold`` (more than half the base) and within the top ``seats``.

    When the candidates with as many 赞成 as the last seat's holder straddle the boundary (some inside, some
    outside the top N) and have the majority, they are all undecided (tie) and need a re-vote round.
    """
    order = sorted(counts, key=lambda cid: (-counts[cid][FOR], cid))
    ranks = {}
    for index, cid in enumerate(order):
        ranks[cid] = (
            ranks[order[index - 1]] if index and counts[cid][FOR] == counts[order[index - 1]][FOR] else index + 1
        )
    eligible = [cid for cid in order if counts[cid][FOR] >= threshold]
    outcomes = dict.fromkeys(order, "failed")
    tie = False
    if len(eligible) <= seats:
        for cid in eligible:
            outcomes[cid] = "passed"
        return Decision(ranks=ranks, outcomes=outcomes, tie=False, seats_left=0)
    boundary_votes = counts[eligible[seats - 1]][FOR]
    above = [cid for cid in eligible if counts[cid][FOR] > boundary_votes]
    at_boundary = [cid for cid in eligible if counts[cid][FOR] == boundary_votes]
    for cid in above:
        outcomes[cid] = "passed"
    if len(above) + len(at_boundary) > seats:
        tie = True
        for cid in at_boundary:
            outcomes[cid] = "tie"
    else:
        for cid in at_boundary:
            outcomes[cid] = "passed"
    return Decision(ranks=ranks, outcomes=outcomes, tie=tie, seats_left=seats - len(above) if tie else 0)


def majority_threshold(base):
    """The smallest number of votes that is more than half of ``base``."""
    return base // 2 + 1
